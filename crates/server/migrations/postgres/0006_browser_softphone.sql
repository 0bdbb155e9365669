-- Browser softphone (SPEC RTC-1): where the tenant's agents register over SIP on a WebSocket,
-- and the digest credential the app answers the registrar's challenge with.

-- The registration server's WebSocket address (`wss://…`) and the SIP domain, which is also the
-- digest realm. Empty: the tenant offers no browser softphone.
ALTER TABLE tenants ADD COLUMN sip_websocket_url TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN sip_domain TEXT NOT NULL DEFAULT '';

-- AGT-4 sets it with the softphone password: HA1 = MD5(user:realm:password), in lowercase hex,
-- for the realm beside it. The app gets HA1, never the password; NULL until a password is set.
ALTER TABLE agents ADD COLUMN sip_ha1 TEXT;
ALTER TABLE agents ADD COLUMN sip_ha1_realm TEXT;
