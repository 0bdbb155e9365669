//! Who the signed-in agent is: the employee (EMP-1) and the agent identity (AGT-1).

use serde::{Deserialize, Serialize};

/// EMP-1: the employee panel, read-only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Employee {
    pub business_account: String,
    pub username: String,
    pub phone: String,
    pub email: String,
    pub position: String,
    /// The manager's name; `None` for an employee without one.
    pub manager: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgentType {
    Voice,
    Multimedia,
    Versatile,
}

impl AgentType {
    pub const ALL: [AgentType; 3] = [
        AgentType::Voice,
        AgentType::Multimedia,
        AgentType::Versatile,
    ];

    /// The name stored and sent, e.g. `versatile`.
    pub fn code(self) -> &'static str {
        match self {
            AgentType::Voice => "voice",
            AgentType::Multimedia => "multimedia",
            AgentType::Versatile => "versatile",
        }
    }

    pub fn from_code(code: &str) -> Option<AgentType> {
        AgentType::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgentRole {
    Agent,
    TeamLeader,
    QualityInspector,
}

impl AgentRole {
    pub const ALL: [AgentRole; 3] = [
        AgentRole::Agent,
        AgentRole::TeamLeader,
        AgentRole::QualityInspector,
    ];

    /// The name stored and sent, e.g. `team_leader`.
    pub fn code(self) -> &'static str {
        match self {
            AgentRole::Agent => "agent",
            AgentRole::TeamLeader => "team_leader",
            AgentRole::QualityInspector => "quality_inspector",
        }
    }

    pub fn from_code(code: &str) -> Option<AgentRole> {
        AgentRole::ALL.into_iter().find(|role| role.code() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// "Generate an agent electronic business card" (PER-6).
    GenerateBusinessCard,
}

impl Permission {
    pub const ALL: [Permission; 1] = [Permission::GenerateBusinessCard];

    /// The name stored and sent, e.g. `generate_business_card`.
    pub fn code(self) -> &'static str {
        match self {
            Permission::GenerateBusinessCard => "generate_business_card",
        }
    }

    pub fn from_code(code: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillQueue {
    pub id: i64,
    pub name: String,
}

/// AGT-1: the agent identity of the signed-in employee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentInfo {
    pub agent_id: i64,
    pub agent_type: AgentType,
    pub role: AgentRole,
    pub softphone_number: String,
    pub registration_server: String,
    pub skill_queues: Vec<SkillQueue>,
    pub fixed_line: Option<String>,
    pub mobile: Option<String>,
    pub webrtc_enabled: bool,
    pub bound_to_business_account: bool,
    pub permissions: Vec<Permission>,
}

impl AgentInfo {
    pub fn has_permission(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_use_snake_case_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&AgentRole::QualityInspector).unwrap(),
            "\"quality_inspector\""
        );
        assert_eq!(
            serde_json::to_string(&Permission::GenerateBusinessCard).unwrap(),
            "\"generate_business_card\""
        );
    }

    #[test]
    fn types_roles_and_permissions_read_back_from_their_codes_as_serde_writes_them() {
        for kind in AgentType::ALL {
            assert_eq!(AgentType::from_code(kind.code()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
        }
        for role in AgentRole::ALL {
            assert_eq!(AgentRole::from_code(role.code()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.code());
        }
        for permission in Permission::ALL {
            assert_eq!(Permission::from_code(permission.code()), Some(permission));
            assert_eq!(serde_json::to_value(permission).unwrap(), permission.code());
        }
        assert_eq!(AgentRole::from_code("admin"), None);
    }
}
