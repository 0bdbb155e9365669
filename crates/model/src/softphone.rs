//! RTC-1: what the app needs to register the agent's browser softphone with the registration
//! server, handed only to the signed-in agent.

use serde::{Deserialize, Serialize};

/// The agent's SIP account on the tenant's registration server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoftphoneAccount {
    /// The registration server's WebSocket address (tenant configuration): `wss://…` or `ws://…`.
    pub websocket_url: String,
    /// The SIP domain: the host of the agent's address of record.
    pub domain: String,
    /// The SIP user: the agent's softphone number.
    pub user: String,
    /// The name callers and colleagues see.
    pub display_name: String,
    /// `None` until the agent sets a softphone password (AGT-4).
    pub credentials: Option<DigestCredentials>,
    /// PAR-6 as in effect (synced): register by itself after sign-in.
    pub auto_register: bool,
}

/// A digest credential that is not the password: HA1 = MD5(user:realm:password).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DigestCredentials {
    pub realm: String,
    /// 32 lowercase hex digits.
    pub ha1: String,
}
