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

/// BEY-3: the tenant's STUN and TURN servers for the signed-in agent, as the browser's
/// `RTCIceServer`s. TURN credentials are time-limited ones the server makes for this agent (the
/// TURN REST API: the TURN server's shared secret never reaches the browser).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IceServers {
    /// Empty when the tenant has configured none: then only host candidates can be found.
    pub servers: Vec<IceServer>,
    /// When the TURN credentials stop working, in Unix seconds; `None` without a TURN server.
    pub expires_at: Option<i64>,
}

/// One STUN or TURN server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IceServer {
    /// `stun:host:port`, `turn:host:port?transport=udp`, `turns:…`.
    pub urls: Vec<String>,
    /// TURN only: `<expiry>:<agent>`.
    pub username: Option<String>,
    /// TURN only: base64(HMAC-SHA1(shared secret, username)).
    pub credential: Option<String>,
}

impl IceServer {
    /// Whether it is a TURN server (it can relay media), not only a STUN one.
    pub fn is_turn(&self) -> bool {
        self.urls.iter().any(|url| is_turn_url(url))
    }
}

impl IceServers {
    /// Whether any server can relay media: the media test then forces its call through one.
    pub fn has_turn(&self) -> bool {
        self.servers.iter().any(IceServer::is_turn)
    }
}

/// `turn:` and `turns:` URLs (RFC 7065) name TURN servers; `stun:` and `stuns:` STUN ones.
pub fn is_turn_url(url: &str) -> bool {
    url.starts_with("turn:") || url.starts_with("turns:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(url: &str) -> IceServer {
        IceServer {
            urls: vec![url.into()],
            username: None,
            credential: None,
        }
    }

    #[test]
    fn turn_and_turns_urls_relay_and_stun_urls_do_not() {
        assert!(is_turn_url("turn:127.0.0.1:3478?transport=udp"));
        assert!(is_turn_url("turns:turn.example:5349"));
        assert!(!is_turn_url("stun:stun.example:3478"));
        assert!(!is_turn_url("stuns:stun.example:5349"));
        let stun_only = IceServers {
            servers: vec![server("stun:stun.example:3478")],
            expires_at: None,
        };
        assert!(!stun_only.has_turn());
        assert!(!IceServers::default().has_turn());
        let with_turn = IceServers {
            servers: vec![server("stun:a:1"), server("turn:a:1")],
            expires_at: Some(1),
        };
        assert!(with_turn.has_turn());
    }
}
