//! SEC-4: the agent's own recent activity — every change and sign-in, when, from where and what
//! changed (never a secret).

use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    SignedIn,
    SignInFailed,
    /// SEC-1: too many failed sign-ins; signing in to the account (or from the address) is
    /// paused. Recorded when the pause begins, not for each attempt refused during it.
    SignInPaused,
    SignedOut,
    SettingsSaved,
    ParameterSaved,
    ParametersReset,
    ParametersSynced,
    PhoneNumbersSaved,
    SoftphonePasswordReset,
    BusinessCardGenerated,
    BusinessCardRevoked,
    SoftphoneUnregistered,
    /// PRV: the identity provider created the agent (SCIM).
    Provisioned,
    /// PRV: the identity provider changed what it keeps of the agent, or their skill queues.
    ProvisioningChanged,
    /// PRV-5: the identity provider deactivated the agent: their sessions ended.
    Deactivated,
    /// PRV: the identity provider made the agent active again.
    Reactivated,
    /// PRV-5: the identity provider deleted the agent.
    Deprovisioned,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 18] = [
        ActivityKind::SignedIn,
        ActivityKind::SignInFailed,
        ActivityKind::SignInPaused,
        ActivityKind::SignedOut,
        ActivityKind::SettingsSaved,
        ActivityKind::ParameterSaved,
        ActivityKind::ParametersReset,
        ActivityKind::ParametersSynced,
        ActivityKind::PhoneNumbersSaved,
        ActivityKind::SoftphonePasswordReset,
        ActivityKind::BusinessCardGenerated,
        ActivityKind::BusinessCardRevoked,
        ActivityKind::SoftphoneUnregistered,
        ActivityKind::Provisioned,
        ActivityKind::ProvisioningChanged,
        ActivityKind::Deactivated,
        ActivityKind::Reactivated,
        ActivityKind::Deprovisioned,
    ];

    /// The name stored and sent, e.g. `settings_saved`.
    pub fn code(self) -> &'static str {
        match self {
            ActivityKind::SignedIn => "signed_in",
            ActivityKind::SignInFailed => "sign_in_failed",
            ActivityKind::SignInPaused => "sign_in_paused",
            ActivityKind::SignedOut => "signed_out",
            ActivityKind::SettingsSaved => "settings_saved",
            ActivityKind::ParameterSaved => "parameter_saved",
            ActivityKind::ParametersReset => "parameters_reset",
            ActivityKind::ParametersSynced => "parameters_synced",
            ActivityKind::PhoneNumbersSaved => "phone_numbers_saved",
            ActivityKind::SoftphonePasswordReset => "softphone_password_reset",
            ActivityKind::BusinessCardGenerated => "business_card_generated",
            ActivityKind::BusinessCardRevoked => "business_card_revoked",
            ActivityKind::SoftphoneUnregistered => "softphone_unregistered",
            ActivityKind::Provisioned => "provisioned",
            ActivityKind::ProvisioningChanged => "provisioning_changed",
            ActivityKind::Deactivated => "deactivated",
            ActivityKind::Reactivated => "reactivated",
            ActivityKind::Deprovisioned => "deprovisioned",
        }
    }

    pub fn from_code(code: &str) -> Option<ActivityKind> {
        ActivityKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// One value that changed: a request field's name (as the API names it) with the value before
/// and after; `None` for no value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl FieldChange {
    /// The change of `field` from `old` to `new`, if there is one.
    pub fn between(field: impl Into<String>, old: &str, new: &str) -> Option<FieldChange> {
        let value = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        (old != new).then(|| FieldChange {
            field: field.into(),
            old: value(old),
            new: value(new),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityEntry {
    /// Unix seconds.
    pub at: i64,
    pub kind: ActivityKind,
    /// The client address the server saw.
    pub address: String,
    pub changes: Vec<FieldChange>,
}

/// The agent's most recent activity, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPage {
    pub entries: Vec<ActivityEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::from_code(kind.code()), Some(kind));
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.code());
        }
        assert_eq!(ActivityKind::from_code("dropped_tables"), None);
    }

    #[test]
    fn a_change_is_only_made_of_values_that_differ() {
        assert_eq!(FieldChange::between("nickname", "Ann", "Ann"), None);
        assert_eq!(
            FieldChange::between("nickname", "", "Ann"),
            Some(FieldChange {
                field: "nickname".into(),
                old: None,
                new: Some("Ann".into()),
            })
        );
    }
}
