//! RTC-1: the browser softphone's account as the signed-in agent gets it, and the digest
//! credential kept in place of the softphone password.

use pc_model::parameters::choice;
use pc_model::{CachedParameter, DigestCredentials, ParameterId, SoftphoneAccount};

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
}
