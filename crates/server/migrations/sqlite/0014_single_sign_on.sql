-- SSO-1: a tenant's agents sign in through the contact center's OpenID Provider, declared in the
-- tenant file. The client secret is read from the environment or a file when the file is
-- applied, and kept with where it came from, as a TURN server's secret is.

CREATE TABLE tenant_sso (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    display_name TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL CHECK (client_secret <> ''),
    secret_source TEXT NOT NULL,
    -- Space-separated, besides openid.
    scopes TEXT NOT NULL,
    agent_claim TEXT NOT NULL,
    matched_to TEXT NOT NULL CHECK (matched_to IN ('user_name', 'external_id')),
    password_sign_in INTEGER NOT NULL CHECK (password_sign_in IN (0, 1))
);

-- A sign-in begun at the provider, until its answer comes back to any instance: found by the
-- hash of its state, taken once, and only by the browser whose binding cookie hashes to
-- browser_hash.
CREATE TABLE sso_logins (
    state_hash BLOB PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    browser_hash BLOB NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    -- Begun in a popup for a framed app: the hash of the handle the app made, by which it
    -- finds the outcome (sso_tickets). NULL: begun by the page itself.
    handle_hash BLOB,
    expires_at INTEGER NOT NULL
);

-- The outcome of a sign-in begun in a popup, until the framed app takes it: a one-time ticket
-- for a provisioned agent (redeemed for a session in the frame), or why not. Found by the
-- ticket's hash (handed to the app by postMessage) or by the handle's (the app polling when
-- the provider's pages cut the popup from its opener); taken once either way.
CREATE TABLE sso_tickets (
    handle_hash BLOB PRIMARY KEY,
    ticket_hash BLOB UNIQUE,
    agent_id INTEGER REFERENCES agents (id) ON DELETE CASCADE,
    outcome TEXT,
    expires_at INTEGER NOT NULL,
    CHECK ((ticket_hash IS NULL) = (agent_id IS NULL)),
    CHECK ((agent_id IS NULL) <> (outcome IS NULL))
);

-- A session begun through the provider keeps who the provider says signed in, and in which of
-- its sessions: a back-channel logout of that user or session ends it (on every instance at
-- once, as they all read this table). NULL: begun with a password.
ALTER TABLE sessions ADD COLUMN sso_issuer TEXT;
ALTER TABLE sessions ADD COLUMN sso_subject TEXT;
ALTER TABLE sessions ADD COLUMN sso_session TEXT;
CREATE INDEX sessions_by_sso_subject ON sessions (sso_issuer, sso_subject);

-- The same, kept with a popup's ticket until the framed app redeems it.
ALTER TABLE sso_tickets ADD COLUMN sso_issuer TEXT;
ALTER TABLE sso_tickets ADD COLUMN sso_subject TEXT;
ALTER TABLE sso_tickets ADD COLUMN sso_session TEXT;
