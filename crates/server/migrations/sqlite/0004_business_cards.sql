-- PER-6 E-Name Card: the routing code an agent's card carries, one per agent and channel.
-- Generating again replaces the row, so the old code stops resolving; deleting it revokes it.
--
-- The code is kept as issued, not hashed: it is printed on cards and sent to customers by
-- design, it grants no access (it only names whom to route a WhatsApp conversation to), and
-- keeping it lets the agent see and download the current card again without replacing it,
-- which would break every card already handed out.

CREATE TABLE business_cards (
    agent_id                 INTEGER NOT NULL REFERENCES agents (id),
    channel_id               INTEGER NOT NULL REFERENCES whatsapp_channels (id),
    code                     TEXT    NOT NULL UNIQUE,
    issued_at                INTEGER NOT NULL,
    PRIMARY KEY (agent_id, channel_id)
);
