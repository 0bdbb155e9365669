use std::sync::Arc;

use crate::config::Config;
use crate::storage::Db;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}
