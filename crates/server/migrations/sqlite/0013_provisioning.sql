-- A contact center moves in (SPEC TEN, PRV): its tenants, organization units, WhatsApp channels
-- and skill queues come from a declarative tenant file (`pc-server tenant apply`), found again by
-- their codes; its employees and agents come from its identity provider over SCIM 2.0
-- (`/scim/v2`), with a bearer token per tenant.
--
-- Employees and agents are rebuilt (SQLite's documented way to change a column's constraints;
-- the migrations run on a connection without foreign-key enforcement, and the rows keep their
-- IDs, so every reference stays valid): a business account is unique without regard to case
-- among the employees not deleted, so DELETE frees it while the row stays for the audit trail
-- and history that refer to the agent; and a deleted agent belongs to no organization unit.

DROP VIEW subscriber;

CREATE TABLE employees_rebuilt (
    id                       INTEGER PRIMARY KEY,
    tenant_id                INTEGER NOT NULL REFERENCES tenants (id),
    business_account         TEXT    NOT NULL,
    -- EMP-1's username: the SCIM displayName, else the name, else the business account.
    username                 TEXT    NOT NULL,
    phone                    TEXT    NOT NULL DEFAULT '',
    email                    TEXT    NOT NULL DEFAULT '',
    position                 TEXT    NOT NULL DEFAULT '',
    manager_id               INTEGER REFERENCES employees (id),
    -- argon2id PHC string; NULL for employees who cannot sign in with a password.
    password_hash            TEXT,
    -- SCIM, as the identity provider sent them: externalId, displayName, name's parts and the
    -- enterprise extension's employeeNumber and department. NULL: not provisioned.
    external_id              TEXT,
    display_name             TEXT,
    name_formatted           TEXT,
    given_name               TEXT,
    family_name              TEXT,
    employee_number          TEXT,
    department               TEXT,
    -- SCIM `active`: an inactive employee cannot sign in and their agent does not register.
    active                   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Unix seconds; set by SCIM DELETE. The row stays for the audit trail and the history.
    deleted_at               INTEGER,
    -- SCIM meta.version: raised by every change of the user as SCIM shows it, including the
    -- agent's own change of their phone numbers (AGT-6), so neither overwrites the other unseen.
    version                  INTEGER NOT NULL DEFAULT 1,
    created_at               INTEGER NOT NULL DEFAULT 0,
    updated_at               INTEGER NOT NULL DEFAULT 0
);

INSERT INTO employees_rebuilt (id, tenant_id, business_account, username, phone, email, position,
                               manager_id, password_hash)
SELECT id, tenant_id, business_account, username, phone, email, position, manager_id,
       password_hash
FROM employees;

DROP TABLE employees;
ALTER TABLE employees_rebuilt RENAME TO employees;

CREATE UNIQUE INDEX employees_business_account_key
    ON employees (lower(business_account)) WHERE deleted_at IS NULL;
CREATE INDEX employees_by_tenant ON employees (tenant_id, id);

CREATE TABLE agents_rebuilt (
    id                           INTEGER PRIMARY KEY,  -- the agent ID shown to the agent
    tenant_id                    INTEGER NOT NULL REFERENCES tenants (id),
    employee_id                  INTEGER NOT NULL UNIQUE REFERENCES employees (id),
    -- NULL only for a deleted agent.
    org_unit_id                  INTEGER REFERENCES org_units (id),
    agent_type                   TEXT    NOT NULL CHECK (agent_type IN ('voice', 'multimedia', 'versatile')),
    role                         TEXT    NOT NULL CHECK (role IN ('agent', 'team_leader', 'quality_inspector')),
    softphone_number             TEXT    NOT NULL,
    -- Empty: the tenant's registration server address (tenants.agent_registration_server).
    registration_server          TEXT    NOT NULL,
    fixed_line                   TEXT,
    mobile                       TEXT,
    webrtc_enabled               INTEGER NOT NULL DEFAULT 0 CHECK (webrtc_enabled IN (0, 1)),
    bound_to_business_account    INTEGER NOT NULL DEFAULT 1 CHECK (bound_to_business_account IN (0, 1)),
    softphone_password_hash      TEXT,
    sip_ha1                      TEXT,
    sip_ha1_realm                TEXT
);

INSERT INTO agents_rebuilt (id, tenant_id, employee_id, org_unit_id, agent_type, role,
                            softphone_number, registration_server, fixed_line, mobile,
                            webrtc_enabled, bound_to_business_account, softphone_password_hash,
                            sip_ha1, sip_ha1_realm)
SELECT id, tenant_id, employee_id, org_unit_id, agent_type, role, softphone_number,
       registration_server, fixed_line, mobile, webrtc_enabled, bound_to_business_account,
       softphone_password_hash, sip_ha1, sip_ha1_realm
FROM agents;

DROP TABLE agents;
ALTER TABLE agents_rebuilt RENAME TO agents;

CREATE INDEX agents_by_tenant ON agents (tenant_id, id);
CREATE INDEX agents_by_org_unit ON agents (org_unit_id);

-- OPS-3: only the agents who may work register: an inactive or deleted one has no row, so the
-- registrar refuses their next REGISTER.
CREATE VIEW subscriber AS
SELECT a.id               AS id,
       a.softphone_number AS username,
       a.sip_ha1_realm    AS domain,
       ''                 AS password,
       a.sip_ha1          AS ha1,
       ''                 AS ha1b
FROM agents a
JOIN employees e ON e.id = a.employee_id
WHERE a.sip_ha1 IS NOT NULL AND a.sip_ha1_realm IS NOT NULL
  AND e.active = 1 AND e.deleted_at IS NULL;

-- TEN: the tenant file names tenants, OUs and skill queues by codes (lowercase letters, digits,
-- `-`, `_`). Databases from before get codes from their IDs.
ALTER TABLE tenants ADD COLUMN code TEXT NOT NULL DEFAULT '';
UPDATE tenants SET code = 'tenant-' || id;
CREATE UNIQUE INDEX tenants_code_key ON tenants (code);
-- AGT-1: the registration server address agents see when none of their own is provisioned.
ALTER TABLE tenants ADD COLUMN agent_registration_server TEXT NOT NULL DEFAULT '';
-- PRV: the OU (by code) of an agent provisioned without one.
ALTER TABLE tenants ADD COLUMN default_org_unit TEXT NOT NULL DEFAULT '';
-- PRV: the agent IDs the tenant's provisioned agents get, lowest free first. The ranges of two
-- tenants never overlap (`tenant apply` refuses it).
ALTER TABLE tenants ADD COLUMN first_agent_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN last_agent_id INTEGER NOT NULL DEFAULT 0;

ALTER TABLE org_units ADD COLUMN code TEXT NOT NULL DEFAULT '';
UPDATE org_units SET code = 'ou-' || id;
UPDATE tenants SET default_org_unit = COALESCE(
    (SELECT o.code FROM org_units o WHERE o.tenant_id = tenants.id AND o.parent_id IS NULL
     ORDER BY o.id LIMIT 1), '');
CREATE UNIQUE INDEX org_units_code_key ON org_units (tenant_id, code);

-- A skill queue with a code is declared by the tenant file; one without was created by SCIM (a
-- Group). Either way its members are provisioned by SCIM. Names are unique in a tenant, without
-- regard to case: they are what agents and the identity provider tell queues apart by.
ALTER TABLE skill_queues ADD COLUMN code TEXT;
UPDATE skill_queues SET code = 'queue-' || id;
ALTER TABLE skill_queues ADD COLUMN external_id TEXT;
ALTER TABLE skill_queues ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE skill_queues ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE skill_queues ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX skill_queues_code_key ON skill_queues (tenant_id, code);
CREATE UNIQUE INDEX skill_queues_name_key ON skill_queues (tenant_id, lower(name));

-- TEN: where a TURN server's shared secret came from, as the tenant file names it
-- (`env:NAME` or `file:PATH`), so that an export names the source and never the secret.
ALTER TABLE tenant_ice_servers ADD COLUMN secret_source TEXT;
UPDATE tenant_ice_servers SET secret_source = 'env:PC_DEMO_TURN_SECRET'
WHERE turn_secret IS NOT NULL;

-- PRV: the bearer tokens of the identity providers, one or more per tenant, stored as SHA-256
-- (a token is 256 random bits, so a fast hash is enough) and created and revoked with
-- `pc-server scim-token`.
CREATE TABLE scim_tokens (
    id                       INTEGER PRIMARY KEY,
    tenant_id                INTEGER NOT NULL REFERENCES tenants (id),
    token_hash               BLOB    NOT NULL UNIQUE,
    created_at               INTEGER NOT NULL,
    revoked_at               INTEGER
);
