//! The one way the app changes data on the server: every save, reset, sync, send, generate,
//! sign-in and sign-out goes through a [`Change`]. It sends the request with the session's CSRF
//! token, turns the answer into one [`Outcome`], handles a lost session once for the whole app,
//! and exposes whether a change is on its way and how the last one ended as signals. What a
//! part of the page does with a success or a refusal it says in callbacks that run when the
//! answer arrives, not in an Effect.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use pc_model::{FieldError, ProblemType};
use serde::de::DeserializeOwned;

use crate::api::{ApiError, ApiResult, Write};
use crate::session::{use_auth, Auth};
use crate::workbench::protocol::{Outgoing, SavedArea};
use crate::workbench::{use_workbench, Workbench};

/// How the last change ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Done,
    /// A rule was broken; the field errors went to the form that asked for them.
    Refused,
    /// Based on data changed elsewhere (another tab, another device) since it was read.
    Stale,
    /// The session is gone: the app asks the agent to sign in again.
    SignedOut,
    /// Not made, for the reason in the error (unreachable, a server error, a refusal that no
    /// field explains). Nothing typed is lost.
    Failed(ApiError),
}

type Refusals = Rc<dyn Fn(Vec<FieldError>) -> usize>;
type Attempt = Rc<dyn Fn()>;
type Failure = Rc<dyn Fn(&ApiError)>;

/// The changes one part of the page makes: several requests may share one, and then share
/// its pending state and its notice.
#[derive(Clone, Copy)]
pub struct Change {
    auth: Auth,
    pending: RwSignal<bool>,
    outcome: RwSignal<Option<Outcome>>,
    on_refused: StoredValue<Option<Refusals>, LocalStorage>,
    on_stale: StoredValue<Option<Attempt>, LocalStorage>,
    on_failed: StoredValue<Option<Failure>, LocalStorage>,
    last_attempt: StoredValue<Option<Attempt>, LocalStorage>,
    /// Reported to the workbench when a change of it is made (EMB-6 `pc.saved`).
    saves: StoredValue<Option<(Workbench, SavedArea)>>,
}

impl Default for Change {
    /// A change made for the signed-in agent of the context.
    fn default() -> Self {
        Change {
            auth: use_auth(),
            pending: RwSignal::new(false),
            outcome: RwSignal::new(None),
            on_refused: StoredValue::new_local(None),
            on_stale: StoredValue::new_local(None),
            on_failed: StoredValue::new_local(None),
            last_attempt: StoredValue::new_local(None),
            saves: StoredValue::new(None),
        }
    }
}

impl Change {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where field errors go when the server refuses a change by its rules; `refused` answers
    /// how many it could show at a field. Without it, or when none could be shown, the refusal
    /// counts as failed, so that its notice says so.
    pub fn on_refused(self, refused: impl Fn(Vec<FieldError>) -> usize + 'static) -> Self {
        self.on_refused.set_value(Some(Rc::new(refused)));
        self
    }

    /// Tells the workbench, when framed, each time a change of `area` is made.
    pub fn saves(self, area: SavedArea) -> Self {
        self.saves
            .set_value(use_workbench().map(|workbench| (workbench, area)));
        self
    }

    /// What else to do when a change is refused as stale, besides the notice.
    pub fn on_stale(self, stale: impl Fn() + 'static) -> Self {
        self.on_stale.set_value(Some(Rc::new(stale)));
        self
    }

    /// What else to do when a change fails, besides the notice (e.g. wait before asking again).
    pub fn on_failed(self, failed: impl Fn(&ApiError) + 'static) -> Self {
        self.on_failed.set_value(Some(Rc::new(failed)));
        self
    }

    /// Whether a change is on its way (tracked).
    pub fn pending(&self) -> bool {
        self.pending.get()
    }

    /// How the last change ended; `None` before the first and while one is on its way (tracked).
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.get()
    }

    /// Whether the last change was not made and its notice shows (tracked).
    pub fn not_made(&self) -> bool {
        matches!(self.outcome(), Some(Outcome::Stale | Outcome::Failed(_)))
    }

    /// Forgets the last outcome, e.g. when the form it was about is closed.
    pub fn clear(&self) {
        self.outcome.set(None);
    }

    /// Sends `write`; `on_done` gets the server's answer when it is made.
    pub fn send<T: DeserializeOwned + 'static>(
        &self,
        write: Write<T>,
        on_done: impl Fn(T) + 'static,
    ) {
        let change = *self;
        let on_done = Rc::new(on_done);
        let attempt: Attempt = Rc::new(move || {
            let (write, on_done) = (write.clone(), on_done.clone());
            let csrf = change.start();
            spawn_local(async move {
                let result = write
                    .send(csrf.as_deref())
                    .await
                    .map(|answer| on_done(answer));
                change.settle(result);
            });
        });
        self.last_attempt.set_value(Some(attempt.clone()));
        attempt();
    }

    /// Makes the last change again, with the same callbacks.
    pub fn retry(&self) {
        if let Some(attempt) = self.last_attempt.try_get_value().flatten() {
            attempt();
        }
    }

    /// The session's CSRF token, read as the request leaves.
    fn start(&self) -> Option<String> {
        self.outcome.set(None);
        self.pending.set(true);
        self.auth.session_untracked().map(|s| s.csrf_token)
    }

    fn settle(&self, result: ApiResult<()>) {
        let outcome = match result {
            Ok(()) => {
                if let Some((workbench, area)) = self.saves.try_get_value().flatten() {
                    workbench.post(&Outgoing::Saved {
                        area,
                        sign_in_again: area == SavedArea::AgentParameters,
                    });
                }
                Outcome::Done
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Validation => {
                let placed = match self.on_refused.try_get_value().flatten() {
                    Some(refused) => refused(problem.errors.clone()),
                    None => 0,
                };
                if placed > 0 {
                    Outcome::Refused
                } else {
                    Outcome::Failed(ApiError::Problem(problem))
                }
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Stale => {
                if let Some(stale) = self.on_stale.try_get_value().flatten() {
                    stale();
                }
                Outcome::Stale
            }
            Err(error) if error.is_unauthenticated() => {
                self.auth.expired();
                Outcome::SignedOut
            }
            Err(error) => {
                if let Some(failed) = self.on_failed.try_get_value().flatten() {
                    failed(&error);
                }
                Outcome::Failed(error)
            }
        };
        self.pending.set(false);
        self.outcome.set(Some(outcome));
    }
}
