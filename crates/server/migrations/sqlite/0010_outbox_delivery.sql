-- AGT-4: the outbox becomes a transactional outbox. A verification code and its message are
-- written in one transaction; a delivery worker (any server instance) claims a message with a
-- lease, sends it, and records each attempt. Delivery is at least once: a worker that dies
-- after sending but before recording leaves the lease to expire, and the message is sent again.
--
-- state: 'pending' (waiting for the worker), 'sent', 'failed' (gave up), or 'recorded' (no
-- gateway for the channel is configured, as in the demo: the message is only kept here and in
-- the log). Times are Unix seconds.

ALTER TABLE outbox ADD COLUMN verification_code_id BIGINT REFERENCES verification_codes (id);
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'recorded'
    CHECK (state IN ('pending', 'sent', 'failed', 'recorded'));
-- Attempts begun, counted when a worker claims the message.
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
-- Not before: the backoff after a failed attempt.
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
-- A worker's lease: until then no other worker claims the message.
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
-- When it was sent or given up.
ALTER TABLE outbox ADD COLUMN finished_at BIGINT;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_code ON outbox (verification_code_id);

-- Every delivery attempt and how it ended.
CREATE TABLE outbox_attempts (
    id                       INTEGER PRIMARY KEY,
    outbox_id                BIGINT  NOT NULL REFERENCES outbox (id),
    attempt                  BIGINT  NOT NULL,
    attempted_at             BIGINT  NOT NULL,
    outcome                  TEXT    NOT NULL CHECK (outcome IN ('sent', 'failed')),
    error                    TEXT
);

CREATE INDEX outbox_attempts_by_message ON outbox_attempts (outbox_id);
