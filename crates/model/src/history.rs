//! BEY-2: the saved versions of Personalized Settings and of Agent Parameters, newest first,
//! from which the agent restores an earlier one into the form (or a parameter's editor).

use serde::{Deserialize, Serialize};

use crate::{FieldChange, PersonalSettings};

/// How many versions the server keeps per agent and area unless configured otherwise.
pub const DEFAULT_KEPT_VERSIONS: u32 = 50;

/// When, where from and what a save changed (its SEC-4 audit event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedBy {
    /// Unix seconds.
    pub at: i64,
    /// The client address the server saw.
    pub address: String,
    /// The browser's `User-Agent`, shortened; empty when it sent none.
    pub browser: String,
    /// What this version changed from the one before it, field by field.
    pub changes: Vec<FieldChange>,
}

/// One saved version of the Personalized Settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsVersion {
    /// Identifies the version; higher is newer.
    pub id: i64,
    pub saved: SavedBy,
    /// All settings as this version left them.
    pub settings: PersonalSettings,
}

/// One saved version of an agent parameter: a save or reset that changed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParameterVersion {
    /// Identifies the version; higher is newer.
    pub id: i64,
    pub saved: SavedBy,
    /// The parameter's value as this version left it.
    pub value: String,
}
