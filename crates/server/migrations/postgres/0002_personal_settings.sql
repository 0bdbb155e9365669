-- Personalized Settings (SPEC §4). An agent without a row has the defaults, at version 0.

CREATE TABLE agent_settings (
    agent_id                 BIGINT  PRIMARY KEY REFERENCES agents (id),
    avatar                   BIGINT  NOT NULL CHECK (avatar BETWEEN 1 AND 8),
    nickname                 TEXT    NOT NULL,
    -- NULL when none is set. PER-3: one address is bound to at most one agent, whatever its case
    -- (the unique index below; SQLite says it with UNIQUE COLLATE NOCASE).
    work_email               TEXT,
    signature                TEXT    NOT NULL,
    follow_ou_concurrency    BIGINT  NOT NULL CHECK (follow_ou_concurrency IN (0, 1)),
    multimedia_concurrency   BIGINT  CHECK (multimedia_concurrency BETWEEN 1 AND 60),
    -- Raised by every save; a save names the version it started from (stale saves are refused).
    version                  BIGINT  NOT NULL
);

-- storage/refusal.rs names this constraint.
CREATE UNIQUE INDEX agent_settings_work_email_key ON agent_settings (lower(work_email));

CREATE TABLE agent_greetings (
    agent_id                 BIGINT  NOT NULL REFERENCES agents (id),
    position                 BIGINT  NOT NULL CHECK (position BETWEEN 0 AND 3),
    start_hour               BIGINT  NOT NULL CHECK (start_hour BETWEEN 0 AND 23),
    end_hour                 BIGINT  NOT NULL CHECK (end_hour BETWEEN 0 AND 23),
    text                     TEXT    NOT NULL,
    PRIMARY KEY (agent_id, position)
);
