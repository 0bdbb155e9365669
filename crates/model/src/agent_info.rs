//! The Agent Info actions: client downloads (AGT-2, AGT-3) and the agent's phone numbers (AGT-6).

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validation::{phone_number_violation, Errors};

/// The tenant settings that decide which client downloads an agent is offered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TenantDownloadSettings {
    pub screen_recording: bool,
    pub screen_inspection: bool,
    /// May be empty: then there is nothing to download.
    pub vrc_download_url: String,
    /// The OpenEye (softphone client) address; may be empty.
    pub softphone_download_url: String,
}

/// The client downloads offered to the signed-in agent; `None` means the button is hidden.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientDownloads {
    /// AGT-2: the VRC download address.
    pub vrc_url: Option<String>,
    /// AGT-3: the OpenEye download address.
    pub openeye_url: Option<String>,
}

impl ClientDownloads {
    /// AGT-2: VRC only when the tenant records or inspects screens **and** has a VRC address
    /// (*interpretation*). AGT-3: OpenEye only when WebRTC is off for the agent; an empty
    /// address hides it too (*interpretation*: a button that downloads nothing helps no one).
    /// Only `http(s)` addresses count: a link never runs a `javascript:` or `data:` URL.
    pub fn for_agent(tenant: &TenantDownloadSettings, agent_webrtc_enabled: bool) -> Self {
        let address = |url: &str| {
            let url = url.trim();
            let lower = url.to_ascii_lowercase();
            let web = lower.starts_with("https://") || lower.starts_with("http://");
            web.then(|| url.to_owned())
        };
        let screens = tenant.screen_recording || tenant.screen_inspection;
        ClientDownloads {
            vrc_url: if screens {
                address(&tenant.vrc_download_url)
            } else {
                None
            },
            openeye_url: if agent_webrtc_enabled {
                None
            } else {
                address(&tenant.softphone_download_url)
            },
        }
    }
}

/// AGT-6: the agent's fixed-line number and mobile. An empty value clears the number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavePhoneNumbers {
    pub fixed_line: String,
    pub mobile: String,
    /// The numbers as they were read before the change (empty for none): a save based on
    /// numbers changed elsewhere since is refused as stale (SPEC §8).
    pub was_fixed_line: String,
    pub was_mobile: String,
}

/// The rule for one optional phone number: empty, or a phone number (digits, optional `+`).
pub fn optional_phone_violation(value: &str) -> Option<crate::Violation> {
    if value.is_empty() {
        None
    } else {
        phone_number_violation(value)
    }
}

crate::field::fields! {
    /// The fields of AGT-6's dialog.
    PhoneField {
        FixedLine = "fixed_line",
        Mobile = "mobile",
    }
}

impl SavePhoneNumbers {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.add(
            PhoneField::FixedLine,
            optional_phone_violation(&self.fixed_line),
        );
        errors.add(PhoneField::Mobile, optional_phone_violation(&self.mobile));
        errors.into_result()
    }

    /// The value to store: `None` for a cleared number.
    pub fn stored(value: &str) -> Option<String> {
        (!value.is_empty()).then(|| value.to_owned())
    }
}

/// AGT-5: whether the agent's softphone number is registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationStatus {
    pub registered: bool,
    /// Unix seconds of the last change; `None` if the number has never been registered.
    pub changed_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(recording: bool, inspection: bool, vrc: &str) -> TenantDownloadSettings {
        TenantDownloadSettings {
            screen_recording: recording,
            screen_inspection: inspection,
            vrc_download_url: vrc.into(),
            softphone_download_url: "https://x.example/openeye.exe".into(),
        }
    }

    #[test]
    fn vrc_needs_recording_or_inspection_and_an_address() {
        let url = "https://x.example/vrc.exe";
        for (recording, inspection, address, shown) in [
            (true, false, url, true),
            (false, true, url, true),
            (true, true, url, true),
            (false, false, url, false),
            (true, true, "", false),
            (true, false, "  ", false),
        ] {
            let downloads =
                ClientDownloads::for_agent(&tenant(recording, inspection, address), true);
            assert_eq!(
                downloads.vrc_url.is_some(),
                shown,
                "{recording} {inspection} {address:?}"
            );
        }
    }

    #[test]
    fn openeye_is_hidden_with_webrtc() {
        let settings = tenant(false, false, "");
        assert_eq!(
            ClientDownloads::for_agent(&settings, true).openeye_url,
            None
        );
        assert_eq!(
            ClientDownloads::for_agent(&settings, false)
                .openeye_url
                .as_deref(),
            Some("https://x.example/openeye.exe")
        );
        let no_address = TenantDownloadSettings::default();
        assert_eq!(
            ClientDownloads::for_agent(&no_address, false).openeye_url,
            None
        );
    }

    #[test]
    fn phone_numbers_may_be_empty_or_valid() {
        let ok = SavePhoneNumbers {
            fixed_line: String::new(),
            mobile: "+8613800138011".into(),
            ..SavePhoneNumbers::default()
        };
        assert_eq!(ok.validate(), Ok(()));
        let bad = SavePhoneNumbers {
            fixed_line: "010-1234".into(),
            mobile: "12".into(),
            ..SavePhoneNumbers::default()
        };
        let errors = bad.validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["fixed_line", "mobile"]);
        assert!(errors
            .iter()
            .all(|e| e.violation == crate::Violation::InvalidPhoneNumber));
    }
}
