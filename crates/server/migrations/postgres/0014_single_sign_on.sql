-- SSO-1: a tenant's agents sign in through the contact center's OpenID Provider, declared in the
-- tenant file. The client secret is read from the environment or a file when the file is
-- applied, and kept with where it came from, as a TURN server's secret is.

CREATE TABLE tenant_sso (
    tenant_id BIGINT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    display_name TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL CHECK (client_secret <> ''),
    secret_source TEXT NOT NULL,
    -- Space-separated, besides openid.
    scopes TEXT NOT NULL,
    agent_claim TEXT NOT NULL,
    matched_to TEXT NOT NULL CHECK (matched_to IN ('user_name', 'external_id')),
    password_sign_in BIGINT NOT NULL CHECK (password_sign_in IN (0, 1))
);

-- A sign-in begun at the provider, until its answer comes back to any instance: found by the
-- hash of its state, taken once, and only by the browser whose binding cookie hashes to
-- browser_hash.
CREATE TABLE sso_logins (
    state_hash BYTEA PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    browser_hash BYTEA NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
