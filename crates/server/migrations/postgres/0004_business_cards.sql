-- PER-6 E-Name Card: the routing code an agent's card carries, one per agent and channel.
-- Generating again replaces the row, so the old code stops resolving; deleting it revokes it.
-- (Why the code is kept as issued: see migrations/sqlite/0004.)

CREATE TABLE business_cards (
    agent_id                 BIGINT  NOT NULL REFERENCES agents (id),
    channel_id               BIGINT  NOT NULL REFERENCES whatsapp_channels (id),
    code                     TEXT    NOT NULL UNIQUE,
    issued_at                BIGINT  NOT NULL,
    PRIMARY KEY (agent_id, channel_id)
);
