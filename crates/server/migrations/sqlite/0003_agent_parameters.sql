-- Agent Parameters (SPEC §5). A parameter without a row has its default (the model crate
-- states the defaults); an agent without a version row is at version 0.

-- What "Consistent with tenant" stands for in PAR-2 and PAR-3.
ALTER TABLE tenants ADD COLUMN answer_mode TEXT NOT NULL DEFAULT 'automatic'
    CHECK (answer_mode IN ('automatic', 'manual'));
ALTER TABLE tenants ADD COLUMN integrate_openeye INTEGER NOT NULL DEFAULT 0
    CHECK (integrate_openeye IN (0, 1));

CREATE TABLE agent_parameter_versions (
    agent_id                 INTEGER PRIMARY KEY REFERENCES agents (id),
    -- Raised by every save and reset; a change names the version it started from.
    version                  INTEGER NOT NULL
);

CREATE TABLE agent_parameters (
    agent_id                 INTEGER NOT NULL REFERENCES agents (id),
    parameter                TEXT    NOT NULL CHECK (parameter IN (
                                 'callout_caller', 'answer_mode', 'integrate_openeye',
                                 'openeye_video_display', 'ring_when_maximized',
                                 'webrtc_auto_register', 'skill_queue_signin_mode')),
    value                    TEXT    NOT NULL,
    PRIMARY KEY (agent_id, parameter)
);

-- The built-in parameter cache: what the telephony side reads. Only Sync writes here. It is a
-- store of its own (no foreign keys into the rest), as a deployment's real cache would be.
CREATE TABLE parameter_cache (
    agent_id                 INTEGER NOT NULL,
    parameter                TEXT    NOT NULL,
    value                    TEXT    NOT NULL,
    synced_at                INTEGER NOT NULL,
    PRIMARY KEY (agent_id, parameter)
);
