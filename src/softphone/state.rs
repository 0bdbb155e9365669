//! AGT-5 for the browser softphone: the true state of its registration, as the agent sees it.

/// Where the registration stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneState {
    /// Not started: PAR-6 is No and the agent has not pressed Register.
    Idle,
    /// Opening the WebSocket to the registration server.
    Connecting,
    /// REGISTER sent, waiting for the registrar.
    Registering,
    /// The registrar holds the binding; it is refreshed at `refresh_at_ms` (Unix ms).
    Registered {
        server: String,
        refresh_at_ms: u64,
    },
    /// The WebSocket dropped or could not be opened; tries again at `retry_at_ms`.
    Reconnecting {
        attempt: u32,
        retry_at_ms: u64,
    },
    Unregistering,
    /// Ended by the agent (Unregister).
    Unregistered,
    Failed(PhoneFailure),
}

/// Why the softphone is not registered and will not try again by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneFailure {
    /// The registrar refused (wrong password, unknown user, …).
    Registrar(pc_sip::Failure),
    /// No softphone password has been set yet (AGT-4).
    NoPassword,
    /// The tenant's registration server address is not a `ws://` or `wss://` address.
    BadServerAddress,
    /// The server gave no softphone account (e.g. no registration server configured).
    NoAccount(String),
}

impl PhoneState {
    /// Register is offered when nothing is registered or on its way.
    pub fn can_register(&self) -> bool {
        matches!(
            self,
            PhoneState::Idle | PhoneState::Unregistered | PhoneState::Failed(_)
        )
    }

    /// Unregister is offered while a registration exists or is being made or kept.
    pub fn can_unregister(&self) -> bool {
        matches!(
            self,
            PhoneState::Connecting
                | PhoneState::Registering
                | PhoneState::Registered { .. }
                | PhoneState::Reconnecting { .. }
        )
    }

    pub fn is_registered(&self) -> bool {
        matches!(self, PhoneState::Registered { .. })
    }
}
