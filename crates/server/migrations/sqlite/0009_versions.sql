-- BEY-2: the saved versions of an agent's Personalized Settings ('settings') and Agent
-- Parameters ('parameters'), written in the transaction of the save. When, from which address
-- and what changed are the save's audit event (SEC-4); a version adds the browser and the full
-- values as saved (JSON: the settings, or every parameter's value by its ID), so Restore can put
-- them back. Only the newest versions per agent and area are kept (`--history-versions`).
CREATE TABLE saved_versions (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents (id),
    area TEXT NOT NULL CHECK (area IN ('settings', 'parameters')),
    audit_event_id INTEGER NOT NULL REFERENCES audit_events (id),
    browser TEXT NOT NULL,
    saved_values TEXT NOT NULL
);

CREATE INDEX saved_versions_by_agent ON saved_versions (agent_id, area, id DESC);
