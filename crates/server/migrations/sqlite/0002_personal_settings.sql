-- Personalized Settings (SPEC §4). An agent without a row has the defaults, at version 0.

CREATE TABLE agent_settings (
    agent_id                 INTEGER PRIMARY KEY REFERENCES agents (id),
    avatar                   INTEGER NOT NULL CHECK (avatar BETWEEN 1 AND 8),
    nickname                 TEXT    NOT NULL,
    -- NULL when none is set. PER-3: one address is bound to at most one agent, whatever its case.
    work_email               TEXT    UNIQUE COLLATE NOCASE,
    signature                TEXT    NOT NULL,
    follow_ou_concurrency    INTEGER NOT NULL CHECK (follow_ou_concurrency IN (0, 1)),
    multimedia_concurrency   INTEGER CHECK (multimedia_concurrency BETWEEN 1 AND 60),
    -- Raised by every save; a save names the version it started from (stale saves are refused).
    version                  INTEGER NOT NULL
);

CREATE TABLE agent_greetings (
    agent_id                 INTEGER NOT NULL REFERENCES agents (id),
    position                 INTEGER NOT NULL CHECK (position BETWEEN 0 AND 3),
    start_hour               INTEGER NOT NULL CHECK (start_hour BETWEEN 0 AND 23),
    end_hour                 INTEGER NOT NULL CHECK (end_hour BETWEEN 0 AND 23),
    text                     TEXT    NOT NULL,
    PRIMARY KEY (agent_id, position)
);
