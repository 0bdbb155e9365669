//! The time as the server reads it, in Unix seconds: the system's, or one a test moves.

use std::sync::Arc;

use super::session;

#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(session::now))
    }

    /// A clock that reads `now`, e.g. a test's, which it moves forward instead of sleeping.
    pub fn from_fn(now: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        Clock(Arc::new(now))
    }

    pub fn now(&self) -> i64 {
        (self.0)()
    }
}
