-- SEC-4: every change an agent makes and every sign-in, written in the same transaction as the
-- change itself. `agent_id` is empty for a failed sign-in to an unknown business account, and
-- `business_account` too (what was typed there may be a password).
-- `changes` is a JSON array of {field, old, new}; secrets are never recorded.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER REFERENCES agents (id),
    business_account TEXT NOT NULL,
    at INTEGER NOT NULL,
    address TEXT NOT NULL,
    kind TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]'
);

CREATE INDEX audit_events_by_agent ON audit_events (agent_id, at DESC, id DESC);
