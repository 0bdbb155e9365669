-- The SIP registrar checks softphone passwords against the HA1 that AGT-4 stores (RTC-1):
-- Kamailio's auth_db reads the table `subscriber` in the schema it expects, here a view over
-- the agents, so that there is no second copy of a credential to keep in step. An agent
-- without a softphone password has no row: the registrar refuses their number.

-- Kamailio checks the version of each table it reads before it starts; 7 is `subscriber`'s
-- version in Kamailio 5.x.
CREATE TABLE version (
    table_name               VARCHAR(32) NOT NULL PRIMARY KEY,
    table_version            INTEGER     NOT NULL DEFAULT 0
);
INSERT INTO version (table_name, table_version) VALUES ('subscriber', 7);

-- The domain is the realm the HA1 was made for (the tenant's SIP domain at the time), which is
-- the domain the registrar is asked for (`www_authenticate("$fd", "subscriber")`). auth_db
-- reads only `ha1`: the password is never stored, and `ha1b` (HA1 of user@domain) is not used.
CREATE VIEW subscriber AS
SELECT a.id               AS id,
       a.softphone_number AS username,
       a.sip_ha1_realm    AS domain,
       ''                 AS password,
       a.sip_ha1          AS ha1,
       ''                 AS ha1b
FROM agents a
WHERE a.sip_ha1 IS NOT NULL AND a.sip_ha1_realm IS NOT NULL;
