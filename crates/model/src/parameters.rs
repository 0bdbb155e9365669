//! Agent Parameters (PAR-1 … PAR-7): the seven parameters, their values, defaults and rules.
//!
//! Every value travels and is stored as text in one canonical form per parameter (the choice
//! codes below, a phone number, or a PAR-4 display string), so the table, the batch operations
//! and the telephony cache all handle the seven parameters alike.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::problem::{FieldError, Violation};
use crate::validation::{phone_number_violation, Errors};
use crate::video_display::BadVideoDisplay;
pub use crate::video_display::{VideoDisplay, VideoLayout, VideoMode, VIDEO_PIXELS_MAX};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ParameterId {
    /// PAR-1
    CalloutCaller,
    /// PAR-2
    AnswerMode,
    /// PAR-3
    IntegrateOpeneye,
    /// PAR-4
    OpeneyeVideoDisplay,
    /// PAR-5
    RingWhenMaximized,
    /// PAR-6
    WebrtcAutoRegister,
    /// PAR-7
    SkillQueueSigninMode,
}

/// The choice codes of the enumerated parameters.
pub mod choice {
    pub const AUTOMATIC: &str = "automatic";
    pub const MANUAL: &str = "manual";
    pub const SPECIFIED: &str = "specified";
    pub const YES: &str = "yes";
    pub const NO: &str = "no";
    /// "Consistent with tenant": the tenant's value applies (PAR-2, PAR-3).
    pub const TENANT: &str = "tenant";
}

/// How a parameter is edited: one of a few codes, or free text with a format rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterKind {
    Choice(&'static [&'static str]),
    Text,
}

impl ParameterId {
    /// The seven parameters, in the order the table shows them (PAR-1 to PAR-7).
    pub const ALL: [ParameterId; 7] = [
        ParameterId::CalloutCaller,
        ParameterId::AnswerMode,
        ParameterId::IntegrateOpeneye,
        ParameterId::OpeneyeVideoDisplay,
        ParameterId::RingWhenMaximized,
        ParameterId::WebrtcAutoRegister,
        ParameterId::SkillQueueSigninMode,
    ];

    /// The ID as on the wire and in the database, e.g. `callout_caller`.
    pub fn code(self) -> &'static str {
        match self {
            ParameterId::CalloutCaller => "callout_caller",
            ParameterId::AnswerMode => "answer_mode",
            ParameterId::IntegrateOpeneye => "integrate_openeye",
            ParameterId::OpeneyeVideoDisplay => "openeye_video_display",
            ParameterId::RingWhenMaximized => "ring_when_maximized",
            ParameterId::WebrtcAutoRegister => "webrtc_auto_register",
            ParameterId::SkillQueueSigninMode => "skill_queue_signin_mode",
        }
    }

    pub fn kind(self) -> ParameterKind {
        use choice::*;
        match self {
            ParameterId::CalloutCaller | ParameterId::OpeneyeVideoDisplay => ParameterKind::Text,
            ParameterId::AnswerMode => ParameterKind::Choice(&[AUTOMATIC, MANUAL, TENANT]),
            ParameterId::IntegrateOpeneye => ParameterKind::Choice(&[NO, YES, TENANT]),
            ParameterId::RingWhenMaximized | ParameterId::WebrtcAutoRegister => {
                ParameterKind::Choice(&[YES, NO])
            }
            ParameterId::SkillQueueSigninMode => ParameterKind::Choice(&[AUTOMATIC, SPECIFIED]),
        }
    }

    /// The spec's default (SPEC §5).
    pub fn default_value(self) -> &'static str {
        match self {
            ParameterId::CalloutCaller | ParameterId::OpeneyeVideoDisplay => "",
            ParameterId::AnswerMode | ParameterId::IntegrateOpeneye => choice::TENANT,
            ParameterId::RingWhenMaximized => choice::NO,
            ParameterId::WebrtcAutoRegister => choice::YES,
            ParameterId::SkillQueueSigninMode => choice::SPECIFIED,
        }
    }

    /// Why `value` is not a valid value of this parameter, if it is not.
    pub fn violation(self, value: &str) -> Option<Violation> {
        match self.kind() {
            ParameterKind::Choice(options) => {
                (!options.contains(&value)).then(|| Violation::NotAnOption {
                    options: options.iter().map(|o| (*o).to_owned()).collect(),
                })
            }
            ParameterKind::Text if value.is_empty() => None,
            ParameterKind::Text => match self {
                ParameterId::OpeneyeVideoDisplay => value.parse::<VideoDisplay>().err(),
                _ => phone_number_violation(value),
            },
        }
    }

    /// The value as it is stored: PAR-4 in its canonical spelling (`0,0,800,380,PiP,Fit`), any
    /// other value as given. Only for values without a violation.
    pub fn canonical(self, value: &str) -> String {
        match (self, value.parse::<VideoDisplay>()) {
            (ParameterId::OpeneyeVideoDisplay, Ok(display)) => display.to_string(),
            _ => value.to_owned(),
        }
    }
}

impl fmt::Display for ParameterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ParameterId {
    type Err = ();

    fn from_str(code: &str) -> Result<Self, ()> {
        ParameterId::ALL
            .into_iter()
            .find(|id| id.code() == code)
            .ok_or(())
    }
}

/// PAR-4 as the agent types it; the error names the first part at fault.
impl FromStr for VideoDisplay {
    type Err = Violation;

    fn from_str(text: &str) -> Result<Self, Violation> {
        VideoDisplay::parse(text).map_err(|bad| match bad {
            BadVideoDisplay::PartCount(found) => Violation::VideoPartCount { found },
            BadVideoDisplay::Part(part) => Violation::InvalidVideoPart { part },
        })
    }
}

/// The tenant's answer mode, which "Consistent with tenant" stands for in PAR-2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TenantAnswerMode {
    Automatic,
    Manual,
}

/// The tenant-level values that "Consistent with tenant" stands for (PAR-2, PAR-3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantParameters {
    pub answer_mode: TenantAnswerMode,
    pub integrate_openeye: bool,
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentParameter {
    pub id: ParameterId,
    /// The saved value (the default when never saved or reset).
    pub value: String,
    /// Whether the cache the telephony side reads holds this saved value.
    pub synced: bool,
}

/// What the Agent Parameters tab loads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParametersPage {
    /// All seven, in table order.
    pub parameters: Vec<AgentParameter>,
    /// Increases with every save and reset; a change must name the version it started from.
    pub version: i64,
    pub tenant: TenantParameters,
}

impl ParametersPage {
    pub fn value(&self, id: ParameterId) -> &str {
        self.parameters
            .iter()
            .find(|p| p.id == id)
            .map_or(id.default_value(), |p| p.value.as_str())
    }

    /// PAR-4 is only meaningful when PAR-3 resolves to Yes.
    pub fn openeye_integrated(&self) -> bool {
        match self.value(ParameterId::IntegrateOpeneye) {
            choice::YES => true,
            choice::TENANT => self.tenant.integrate_openeye,
            _ => false,
        }
    }
}

/// Saves one parameter (PUT /me/parameters/{id}).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveParameter {
    pub version: i64,
    pub value: String,
}

crate::field::fields! {
    /// The fields of a parameter's save.
    ParameterField {
        Value = "value",
    }
}

impl SaveParameter {
    pub fn validate(&self, id: ParameterId) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.add(ParameterField::Value, id.violation(&self.value));
        errors.into_result()
    }
}

/// Resets or syncs some parameters at once, all or nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParameterBatch {
    pub version: i64,
    pub ids: Vec<ParameterId>,
}

impl ParameterBatch {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.add("ids", self.ids.is_empty().then_some(Violation::Required));
        errors.into_result()
    }

    /// The named parameters, each once, in table order.
    pub fn distinct_ids(&self) -> Vec<ParameterId> {
        ParameterId::ALL
            .into_iter()
            .filter(|id| self.ids.contains(id))
            .collect()
    }
}

/// What a batch operation did to one parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BatchOutcome {
    /// Reset: the saved value is the default again.
    Reset,
    /// Reset: it already was the default.
    AlreadyDefault,
    /// Sync: the cache now holds the saved value.
    Synced,
    /// Sync: the cache already held it.
    AlreadySynced,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResult {
    pub id: ParameterId,
    pub outcome: BatchOutcome,
}

/// The answer to a batch: each parameter's outcome and the table as it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchAnswer {
    pub results: Vec<BatchResult>,
    pub page: ParametersPage,
}

/// One entry of the cache the telephony side reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CachedParameter {
    pub id: ParameterId,
    pub value: String,
    /// When it was synced, in seconds since the Unix epoch.
    pub synced_at: i64,
}

/// A row is in effect for the telephony side when the cache holds its saved value; a parameter
/// absent from the cache is read as its default.
pub fn is_synced(id: ParameterId, saved: &str, cached: Option<&str>) -> bool {
    cached.unwrap_or(id.default_value()) == saved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_spec_ids_on_the_wire() {
        for id in ParameterId::ALL {
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(json, format!("\"{}\"", id.code()));
            assert_eq!(id.code().parse::<ParameterId>(), Ok(id));
        }
        assert!("made_up".parse::<ParameterId>().is_err());
    }

    #[test]
    fn every_default_is_a_valid_value() {
        for id in ParameterId::ALL {
            assert_eq!(id.violation(id.default_value()), None, "{id}");
        }
    }

    #[test]
    fn openeye_resolves_through_the_tenant_when_consistent_with_it() {
        let mut page = ParametersPage {
            parameters: vec![AgentParameter {
                id: ParameterId::IntegrateOpeneye,
                value: choice::TENANT.into(),
                synced: true,
            }],
            version: 0,
            tenant: TenantParameters {
                answer_mode: TenantAnswerMode::Automatic,
                integrate_openeye: true,
            },
        };
        assert!(page.openeye_integrated());
        page.tenant.integrate_openeye = false;
        assert!(!page.openeye_integrated());
        page.parameters[0].value = choice::YES.into();
        assert!(page.openeye_integrated());
        page.parameters[0].value = choice::NO.into();
        page.tenant.integrate_openeye = true;
        assert!(!page.openeye_integrated());
    }
}
