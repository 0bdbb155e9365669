-- Tenants, organisation units, employees and their agent identities (SPEC §1), and sign-in sessions.

CREATE TABLE tenants (
    id                       INTEGER PRIMARY KEY,
    name                     TEXT    NOT NULL,
    default_email_signature  TEXT    NOT NULL DEFAULT '',
    two_factor_method        TEXT    NOT NULL CHECK (two_factor_method IN ('none', 'sms', 'email')),
    screen_recording         INTEGER NOT NULL DEFAULT 0 CHECK (screen_recording IN (0, 1)),
    screen_inspection        INTEGER NOT NULL DEFAULT 0 CHECK (screen_inspection IN (0, 1)),
    vrc_download_url         TEXT    NOT NULL DEFAULT '',
    softphone_download_url   TEXT    NOT NULL DEFAULT '',
    webrtc_enabled           INTEGER NOT NULL DEFAULT 0 CHECK (webrtc_enabled IN (0, 1)),
    multimedia_concurrency   INTEGER NOT NULL CHECK (multimedia_concurrency BETWEEN 1 AND 60)
);

CREATE TABLE org_units (
    id                       INTEGER PRIMARY KEY,
    tenant_id                INTEGER NOT NULL REFERENCES tenants (id),
    parent_id                INTEGER REFERENCES org_units (id),
    name                     TEXT    NOT NULL,
    multimedia_concurrency   INTEGER CHECK (multimedia_concurrency BETWEEN 1 AND 60)
);

CREATE TABLE whatsapp_channels (
    id                       INTEGER PRIMARY KEY,
    org_unit_id              INTEGER NOT NULL REFERENCES org_units (id),
    name                     TEXT    NOT NULL,
    phone_number             TEXT    NOT NULL
);

CREATE TABLE employees (
    id                       INTEGER PRIMARY KEY,
    tenant_id                INTEGER NOT NULL REFERENCES tenants (id),
    business_account         TEXT    NOT NULL UNIQUE,
    username                 TEXT    NOT NULL,
    phone                    TEXT    NOT NULL DEFAULT '',
    email                    TEXT    NOT NULL DEFAULT '',
    position                 TEXT    NOT NULL DEFAULT '',
    manager_id               INTEGER REFERENCES employees (id),
    -- argon2id PHC string; NULL for employees who cannot sign in.
    password_hash            TEXT
);

CREATE TABLE agents (
    id                           INTEGER PRIMARY KEY,  -- the agent ID shown to the agent
    tenant_id                    INTEGER NOT NULL REFERENCES tenants (id),
    employee_id                  INTEGER NOT NULL UNIQUE REFERENCES employees (id),
    org_unit_id                  INTEGER NOT NULL REFERENCES org_units (id),
    agent_type                   TEXT    NOT NULL CHECK (agent_type IN ('voice', 'multimedia', 'versatile')),
    role                         TEXT    NOT NULL CHECK (role IN ('agent', 'team_leader', 'quality_inspector')),
    softphone_number             TEXT    NOT NULL,
    registration_server          TEXT    NOT NULL,
    fixed_line                   TEXT,
    mobile                       TEXT,
    webrtc_enabled               INTEGER NOT NULL DEFAULT 0 CHECK (webrtc_enabled IN (0, 1)),
    bound_to_business_account    INTEGER NOT NULL DEFAULT 1 CHECK (bound_to_business_account IN (0, 1))
);

CREATE TABLE agent_permissions (
    agent_id                 INTEGER NOT NULL REFERENCES agents (id),
    permission               TEXT    NOT NULL CHECK (permission IN ('generate_business_card')),
    PRIMARY KEY (agent_id, permission)
);

CREATE TABLE skill_queues (
    id                       INTEGER PRIMARY KEY,
    tenant_id                INTEGER NOT NULL REFERENCES tenants (id),
    name                     TEXT    NOT NULL
);

CREATE TABLE agent_skill_queues (
    agent_id                 INTEGER NOT NULL REFERENCES agents (id),
    skill_queue_id           INTEGER NOT NULL REFERENCES skill_queues (id),
    PRIMARY KEY (agent_id, skill_queue_id)
);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a copied database cannot be used to sign in.
    token_hash               BLOB    PRIMARY KEY,
    agent_id                 INTEGER NOT NULL REFERENCES agents (id),
    csrf_token               TEXT    NOT NULL,
    created_at               INTEGER NOT NULL,
    expires_at               INTEGER NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
