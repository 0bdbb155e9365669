-- SEC-1: sign-in throttling, one record per business account and per client address. Kept in
-- the database so that every server instance on it counts the same attempts.

CREATE TABLE sign_in_throttle (
    -- 'account' (the business account as typed, trimmed and lowercased, known or not) or
    -- 'address' (the client's IP address; an IPv6 client's /64 network).
    kind                     TEXT    NOT NULL CHECK (kind IN ('account', 'address')),
    key                      TEXT    NOT NULL,
    -- Attempts counted in the current window: failed, or not yet known to have succeeded.
    failures                 INTEGER NOT NULL,
    -- Unix seconds when the current window ends and its count no longer matters.
    window_end               INTEGER NOT NULL,
    -- Locks so far; each lasts twice as long as the one before.
    locks                    INTEGER NOT NULL,
    -- Unix seconds until which every sign-in for this key is refused.
    locked_until             INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Records whose window has ended mean nothing any more and are deleted by this.
CREATE INDEX sign_in_throttle_by_window_end ON sign_in_throttle (window_end);
