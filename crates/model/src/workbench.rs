//! EMB-1: what the app needs to know to live inside the workbench's iframe.

use serde::{Deserialize, Serialize};

/// The workbench origins (e.g. `https://workbench.example.com`) allowed to frame the app; the
/// app talks only to a parent on one of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkbenchSettings {
    pub origins: Vec<String>,
}
