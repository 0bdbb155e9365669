-- BEY-3 media test: the tenant's STUN and TURN servers, which the browser gathers ICE candidates
-- against. No rows: the tenant has none, and browsers find host candidates only.

-- One server address per row, in the order the browser tries them: `stun:host:port`,
-- `turn:host:port?transport=udp`, `turns:…`. A TURN server is used with the TURN REST API
-- (coturn's `use-auth-secret`): `turn_secret` is its shared secret, from which the server makes
-- each agent a time-limited credential; the secret itself never reaches the browser. STUN
-- servers need no secret and have none.
CREATE TABLE tenant_ice_servers (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    url TEXT NOT NULL CHECK (
        url LIKE 'stun:%' OR url LIKE 'stuns:%' OR url LIKE 'turn:%' OR url LIKE 'turns:%'
    ),
    turn_secret TEXT CHECK (turn_secret <> ''),
    CHECK ((url LIKE 'turn%') = (turn_secret IS NOT NULL))
);

CREATE INDEX tenant_ice_servers_by_tenant ON tenant_ice_servers (tenant_id, id);
