-- Agent Info actions (SPEC AGT-5): the softphone registration state kept by the built-in
-- registrar. An agent without a row has never been registered.

CREATE TABLE softphone_registrations (
    agent_id                 INTEGER PRIMARY KEY REFERENCES agents (id),
    registered               INTEGER NOT NULL CHECK (registered IN (0, 1)),
    -- Unix seconds of the last change of `registered`.
    changed_at               INTEGER NOT NULL
);

-- AGT-4: the softphone password, only ever as an argon2id PHC string; NULL until first set.
ALTER TABLE agents ADD COLUMN softphone_password_hash TEXT;

-- AGT-4: verification codes for softphone-password resets. Only a salted SHA-256 of the code
-- is kept; a code is void once used, expired or after five wrong tries.
CREATE TABLE verification_codes (
    id                       INTEGER PRIMARY KEY,
    agent_id                 INTEGER NOT NULL REFERENCES agents (id),
    salt                     BLOB    NOT NULL,
    code_hash                BLOB    NOT NULL,
    created_at               INTEGER NOT NULL,
    expires_at               INTEGER NOT NULL,
    wrong_tries              INTEGER NOT NULL DEFAULT 0,
    used                     INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
);

CREATE INDEX verification_codes_by_agent ON verification_codes (agent_id, created_at);

-- The built-in notifier's record of every message it "sent" (SMS or email).
CREATE TABLE outbox (
    id                       INTEGER PRIMARY KEY,
    agent_id                 INTEGER NOT NULL REFERENCES agents (id),
    channel                  TEXT    NOT NULL CHECK (channel IN ('sms', 'email')),
    destination              TEXT    NOT NULL,
    body                     TEXT    NOT NULL,
    created_at               INTEGER NOT NULL
);
