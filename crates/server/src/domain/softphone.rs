//! RTC-1: the browser softphone's account as the signed-in agent gets it, and the digest
//! credential kept in place of the softphone password.

use base64::Engine;
use hmac::{Hmac, Mac};
use pc_model::parameters::choice;
use pc_model::softphone::is_turn_url;
use pc_model::{
    CachedParameter, DigestCredentials, IceServer, IceServers, ParameterId, SoftphoneAccount,
};
use sha1::Sha1;

/// What storage knows of an agent's softphone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoftphoneRecord {
    pub webrtc_enabled: bool,
    /// The tenant's registration server; empty when the tenant has none.
    pub websocket_url: String,
    pub domain: String,
    pub user: String,
    pub display_name: String,
    /// (HA1, realm), once a softphone password is set.
    pub ha1: Option<(String, String)>,
}

/// Why an agent gets no browser softphone account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoSoftphone {
    /// WebRTC is off for the agent: they use the OpenEye client.
    WebrtcDisabled,
    /// The tenant has not configured a registration server for browsers.
    NotConfigured,
}

/// The account the app registers with. PAR-6 counts as it is in effect: the value synced to
/// the telephony side's cache, or its default until it was ever synced.
pub fn account(
    record: SoftphoneRecord,
    cached: &[CachedParameter],
) -> Result<SoftphoneAccount, NoSoftphone> {
    if !record.webrtc_enabled {
        return Err(NoSoftphone::WebrtcDisabled);
    }
    if record.websocket_url.is_empty() || record.domain.is_empty() {
        return Err(NoSoftphone::NotConfigured);
    }
    let auto_register = cached
        .iter()
        .find(|p| p.id == ParameterId::WebrtcAutoRegister)
        .map_or(ParameterId::WebrtcAutoRegister.default_value(), |p| {
            p.value.as_str()
        })
        == choice::YES;
    Ok(SoftphoneAccount {
        websocket_url: record.websocket_url,
        domain: record.domain,
        user: record.user,
        display_name: record.display_name,
        credentials: record
            .ha1
            .map(|(ha1, realm)| DigestCredentials { realm, ha1 }),
        auto_register,
    })
}

/// The credential stored with a new softphone password; `None` when the tenant has no SIP
/// domain to be the realm.
pub fn credential(user: &str, domain: &str, password: &str) -> Option<DigestCredentials> {
    (!domain.is_empty()).then(|| DigestCredentials {
        realm: domain.to_owned(),
        ha1: pc_sip::digest::ha1(user, domain, password),
    })
}

/// BEY-3: one of the tenant's STUN or TURN servers as storage keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IceServerRecord {
    pub url: String,
    /// TURN only: the TURN server's shared secret (coturn's `static-auth-secret`).
    pub turn_secret: Option<String>,
}

/// The agent's STUN and TURN servers, each TURN server with a credential for `agent_id` that
/// works until `expires_at` (Unix seconds): the TURN REST API, as coturn's `use-auth-secret`
/// checks it. Agents without WebRTC have no use for them.
pub fn ice_servers(
    webrtc_enabled: bool,
    records: Vec<IceServerRecord>,
    agent_id: i64,
    expires_at: i64,
) -> Result<IceServers, NoSoftphone> {
    if !webrtc_enabled {
        return Err(NoSoftphone::WebrtcDisabled);
    }
    let username = format!("{expires_at}:{agent_id}");
    let servers: Vec<IceServer> = records
        .into_iter()
        .map(|record| {
            let credential = record
                .turn_secret
                .filter(|_| is_turn_url(&record.url))
                .map(|secret| turn_credential(&secret, &username));
            IceServer {
                urls: vec![record.url],
                username: credential.as_ref().map(|_| username.clone()),
                credential,
            }
        })
        .collect();
    let expires_at = servers.iter().any(IceServer::is_turn).then_some(expires_at);
    Ok(IceServers {
        servers,
        expires_at,
    })
}

/// base64(HMAC-SHA1(secret, username)): the password a TURN REST API server expects.
fn turn_credential(secret: &str, username: &str) -> String {
    let mut mac =
        Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(username.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> SoftphoneRecord {
        SoftphoneRecord {
            webrtc_enabled: true,
            websocket_url: "wss://sip.northwind.example:7443".into(),
            domain: "northwind.example".into(),
            user: "70001001".into(),
            display_name: "Alice Wang".into(),
            ha1: Some((
                "0123456789abcdef0123456789abcdef".into(),
                "northwind.example".into(),
            )),
        }
    }

    fn synced(value: &str) -> CachedParameter {
        CachedParameter {
            id: ParameterId::WebrtcAutoRegister,
            value: value.into(),
            synced_at: 1,
        }
    }

    #[test]
    fn an_agent_with_webrtc_gets_the_tenants_server_and_their_credential() {
        let account = account(record(), &[]).unwrap();
        assert_eq!(account.websocket_url, "wss://sip.northwind.example:7443");
        assert_eq!(account.domain, "northwind.example");
        assert_eq!(account.user, "70001001");
        assert_eq!(
            account.credentials,
            Some(DigestCredentials {
                realm: "northwind.example".into(),
                ha1: "0123456789abcdef0123456789abcdef".into()
            })
        );
    }

    #[test]
    fn no_account_without_webrtc_or_without_a_configured_server() {
        let off = SoftphoneRecord {
            webrtc_enabled: false,
            ..record()
        };
        assert_eq!(account(off, &[]), Err(NoSoftphone::WebrtcDisabled));
        let unconfigured = SoftphoneRecord {
            websocket_url: String::new(),
            ..record()
        };
        assert_eq!(account(unconfigured, &[]), Err(NoSoftphone::NotConfigured));
    }

    #[test]
    fn auto_registration_follows_the_synced_par_6_and_defaults_to_yes() {
        assert!(account(record(), &[]).unwrap().auto_register);
        assert!(
            !account(record(), &[synced(choice::NO)])
                .unwrap()
                .auto_register
        );
        assert!(
            account(record(), &[synced(choice::YES)])
                .unwrap()
                .auto_register
        );
    }

    #[test]
    fn the_credential_is_the_rfc_2617_ha1_for_the_tenants_domain() {
        let stored = credential("70001001", "northwind.example", "Secret@2026").unwrap();
        assert_eq!(stored.realm, "northwind.example");
        // python3 -c 'import hashlib;print(hashlib.md5(b"70001001:northwind.example:Secret@2026").hexdigest())'
        assert_eq!(stored.ha1, "71487367992ae38c8279dbf8a1247ab8");
        assert_eq!(credential("70001001", "", "Secret@2026"), None);
    }

    fn ice(url: &str, turn_secret: Option<&str>) -> IceServerRecord {
        IceServerRecord {
            url: url.into(),
            turn_secret: turn_secret.map(str::to_owned),
        }
    }

    #[test]
    fn turn_servers_get_a_time_limited_credential_for_the_agent_and_never_the_secret() {
        let servers = ice_servers(
            true,
            vec![
                ice("stun:turn.northwind.example:3478", None),
                ice(
                    "turn:turn.northwind.example:3478?transport=udp",
                    Some("north-secret"),
                ),
            ],
            1001,
            1_767_225_600,
        )
        .unwrap();
        assert_eq!(servers.expires_at, Some(1_767_225_600));
        let stun = &servers.servers[0];
        assert_eq!(stun.urls, ["stun:turn.northwind.example:3478"]);
        assert_eq!((&stun.username, &stun.credential), (&None, &None));
        let turn = &servers.servers[1];
        assert_eq!(turn.username.as_deref(), Some("1767225600:1001"));
        // python3 -c 'import hmac,hashlib,base64;print(base64.b64encode(hmac.new(b"north-secret",
        //   b"1767225600:1001",hashlib.sha1).digest()).decode())'
        assert_eq!(
            turn.credential.as_deref(),
            Some("eOG5WGpg6L+UzDmur21EWpJ3ZBU=")
        );
        assert!(!format!("{servers:?}").contains("north-secret"));
    }

    #[test]
    fn without_a_turn_server_nothing_expires_and_without_webrtc_nothing_is_given() {
        let stun_only =
            ice_servers(true, vec![ice("stun:stun.example:3478", None)], 1001, 99).unwrap();
        assert_eq!(stun_only.expires_at, None);
        assert_eq!(
            ice_servers(true, Vec::new(), 1001, 99).unwrap(),
            IceServers::default()
        );
        assert_eq!(
            ice_servers(false, vec![ice("stun:stun.example:3478", None)], 1001, 99),
            Err(NoSoftphone::WebrtcDisabled)
        );
    }
}
