//! RTC-1, RTC-2: the agent's browser softphone. It lives while the agent is signed in: it
//! registers by itself when PAR-6 says so (or when the agent presses Register), and the
//! registration ends when the agent unregisters, signs out or closes the page.

mod connection;
pub mod state;
pub mod user_agent;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use connection::{BrowserRandom, Connection};
use state::{PhoneFailure, PhoneHistory, PhoneState};
use user_agent::{server_name, Input, UserAgent};

/// The softphone of the signed-in agent, shared through the context.
#[derive(Clone, Copy)]
pub struct Softphone {
    state: RwSignal<PhoneState>,
    history: RwSignal<PhoneHistory>,
    /// The registration server's name, once the account is known.
    server: RwSignal<Option<String>>,
    connection: StoredValue<Option<Connection>, LocalStorage>,
}

impl Softphone {
    /// For the agent who just signed in: registers at once when PAR-6 is Yes.
    pub fn signed_in() -> Self {
        let softphone = Softphone {
            state: RwSignal::new(PhoneState::Idle),
            history: RwSignal::new(PhoneHistory::default()),
            server: RwSignal::new(None),
            connection: StoredValue::new_local(None),
        };
        softphone.start(true);
        softphone
    }

    /// Idle once the signed-in view that owned the softphone is gone.
    pub fn state(&self) -> PhoneState {
        self.state.try_get().unwrap_or(PhoneState::Idle)
    }

    /// BEY-3: since when the state holds, and what happened since sign-in.
    pub fn history(&self) -> PhoneHistory {
        self.history.try_get().unwrap_or_default()
    }

    pub fn server(&self) -> Option<String> {
        self.server.try_get().flatten()
    }

    /// Register: fetches the account afresh (a new softphone password changes it).
    pub fn register(&self) {
        self.start(false);
    }

    pub fn unregister(&self) {
        if let Some(connection) = self.connection.get_value() {
            connection.handle(Input::Unregister);
        }
    }

    /// Sign-out or the page closing: the registration ends at the registrar.
    pub fn end(&self) {
        if let Some(connection) = self.connection.try_get_value().flatten() {
            connection.end();
        }
    }

    /// Every change of state goes through here, so that the history counts it. Nothing happens
    /// once the signed-in view that owned the softphone is gone.
    fn set_state(self, next: PhoneState) {
        if let Some(previous) = self.state.try_get_untracked() {
            self.history
                .try_update(|history| history.record(&previous, &next, js_sys::Date::now() as u64));
            self.state.try_set(next);
        }
    }

    fn start(self, only_if_automatic: bool) {
        self.unregister();
        self.set_state(PhoneState::Connecting);
        spawn_local(async move {
            let account = match api::softphone_account().await {
                Ok(account) => account,
                Err(ApiError::Problem(problem)) => {
                    let reason = problem.detail.unwrap_or(problem.title);
                    self.set_state(PhoneState::Failed(PhoneFailure::NoAccount(reason)));
                    return;
                }
                Err(error) => {
                    self.set_state(PhoneState::Failed(PhoneFailure::NoAccount(
                        error.to_string(),
                    )));
                    return;
                }
            };
            self.server
                .try_set(Some(server_name(&account.websocket_url).to_owned()));
            if only_if_automatic && !account.auto_register {
                self.set_state(PhoneState::Idle);
                return;
            }
            let agent = match UserAgent::new(&account, &mut BrowserRandom) {
                Ok(agent) => agent,
                Err(failure) => {
                    self.set_state(PhoneState::Failed(failure));
                    return;
                }
            };
            let connection = Connection::new(agent, account.websocket_url, move |latest| {
                // The signals are gone once the agent has signed out; the socket may still answer.
                self.set_state(latest);
            });
            if self
                .connection
                .try_set_value(Some(connection.clone()))
                .is_none()
            {
                connection.handle(Input::Register);
            }
        });
    }
}

pub fn use_softphone() -> Option<Softphone> {
    use_context()
}
