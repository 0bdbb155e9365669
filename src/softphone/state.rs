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

/// BEY-3: what happened to the registration since sign-in, counted as it happens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhoneHistory {
    /// When the current state began (Unix ms); a refresh keeps a registration's start.
    pub since_ms: Option<u64>,
    /// Bindings made at the registrar; refreshes of a binding do not count.
    pub registrations: u32,
    /// Each failure (Unix ms, why), oldest first.
    pub failures: Vec<(u64, PhoneFailure)>,
    /// Connections lost while the agent wanted to be registered.
    pub reconnects: u32,
}

impl PhoneHistory {
    /// Counts the step from `previous` to `next`, taken at `now_ms`.
    pub fn record(&mut self, previous: &PhoneState, next: &PhoneState, now_ms: u64) {
        if previous == next {
            return;
        }
        let same_kind = std::mem::discriminant(previous) == std::mem::discriminant(next);
        match next {
            PhoneState::Registered { .. } if !same_kind => self.registrations += 1,
            PhoneState::Reconnecting { .. } => self.reconnects += 1,
            PhoneState::Failed(failure) => self.failures.push((now_ms, failure.clone())),
            _ => {}
        }
        if !same_kind || matches!(next, PhoneState::Failed(_)) {
            self.since_ms = Some(now_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use pc_sip::Failure;

    use super::*;

    fn registered(refresh_at_ms: u64) -> PhoneState {
        PhoneState::Registered {
            server: "sip.example:7443".into(),
            refresh_at_ms,
        }
    }

    /// Runs `states` from Idle, one per second, and gives the history.
    fn history(states: &[PhoneState]) -> PhoneHistory {
        let mut history = PhoneHistory::default();
        let mut previous = PhoneState::Idle;
        for (second, state) in states.iter().enumerate() {
            history.record(&previous, state, (second as u64 + 1) * 1000);
            previous = state.clone();
        }
        history
    }

    #[test]
    fn a_registration_counts_once_and_its_refreshes_keep_its_start() {
        let history = history(&[
            PhoneState::Connecting,
            PhoneState::Registering,
            registered(100_000),
            registered(200_000),
            registered(300_000),
        ]);
        assert_eq!(history.registrations, 1);
        assert_eq!(history.since_ms, Some(3000));
        assert_eq!((history.reconnects, history.failures.len()), (0, 0));
    }

    #[test]
    fn each_lost_connection_counts_as_a_reconnect_and_a_new_binding_as_a_registration() {
        let history = history(&[
            PhoneState::Connecting,
            registered(1),
            PhoneState::Reconnecting {
                attempt: 1,
                retry_at_ms: 5,
            },
            PhoneState::Connecting,
            PhoneState::Reconnecting {
                attempt: 2,
                retry_at_ms: 9,
            },
            PhoneState::Connecting,
            PhoneState::Registering,
            registered(2),
        ]);
        assert_eq!(history.reconnects, 2);
        assert_eq!(history.registrations, 2);
        assert_eq!(history.since_ms, Some(8000));
    }

    #[test]
    fn failures_are_kept_with_when_and_why_even_twice_in_a_row() {
        let refused = PhoneFailure::Registrar(Failure::WrongCredentials {
            code: 403,
            reason: "Forbidden".into(),
        });
        let history = history(&[
            PhoneState::Connecting,
            PhoneState::Failed(refused.clone()),
            PhoneState::Failed(PhoneFailure::NoPassword),
        ]);
        assert_eq!(
            history.failures,
            vec![(2000, refused), (3000, PhoneFailure::NoPassword)]
        );
        assert_eq!(history.since_ms, Some(3000));
        assert_eq!(history.registrations, 0);
    }

    #[test]
    fn the_same_state_again_changes_nothing() {
        let mut history = PhoneHistory::default();
        history.record(&PhoneState::Idle, &PhoneState::Idle, 5);
        assert_eq!(history, PhoneHistory::default());
    }
}
