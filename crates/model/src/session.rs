//! Signing in and the session the server keeps for a signed-in agent.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validation::{required_secret, required_text, Errors};

/// Header that every state-changing request of a signed-in agent must carry, holding
/// `SessionInfo::csrf_token`. A forged cross-site request cannot read that token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// EMB-5: a sign-in carrying this header with [`BEARER_TRANSPORT`] gets its session in the
/// answer ([`SessionInfo::bearer_token`]) instead of a cookie, for a frame whose browser keeps
/// no cookie of a cross-site frame (WebKit); the app then sends `Authorization: Bearer`.
pub const SESSION_TRANSPORT_HEADER: &str = "x-session-transport";
pub const BEARER_TRANSPORT: &str = "bearer";

pub const BUSINESS_ACCOUNT_MAX: usize = 64;
/// Bounds the work a single sign-in attempt can cost the server's password hashing.
pub const PASSWORD_MAX: usize = 128;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub business_account: String,
    pub password: String,
}

crate::field::fields! {
    /// The fields of a sign-in.
    SignInField {
        BusinessAccount = "business_account",
        Password = "password",
    }
}

impl SignInRequest {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.add(
            SignInField::BusinessAccount,
            required_text(&self.business_account, BUSINESS_ACCOUNT_MAX),
        );
        errors.add(
            SignInField::Password,
            required_secret(&self.password, PASSWORD_MAX),
        );
        errors.into_result()
    }
}

/// The signed-in agent's session, as the app sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub business_account: String,
    /// Send back in the `x-csrf-token` header with every state-changing request.
    pub csrf_token: String,
    /// When the session ends, in seconds since the Unix epoch.
    pub expires_at: i64,
    /// EMB-5: only in the answer to a sign-in that asked for it
    /// ([`SESSION_TRANSPORT_HEADER`]); to be sent back as `Authorization: Bearer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bearer_token: Option<String>,
    /// How the agent signed in (SSO-1; the workbench learns it with `pc.signedIn`).
    #[serde(default)]
    pub sign_in_method: SignInMethod,
}

/// How an agent signed in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignInMethod {
    /// Business account and password.
    #[default]
    Password,
    /// Through the tenant's identity provider (SSO).
    Sso,
}

/// SSO-1: a tenant whose agents can sign in through its OpenID Provider, as the sign-in page
/// offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoProvider {
    /// The tenant's code, which the start URL names.
    pub tenant: String,
    /// The provider's name: "Sign in with …".
    pub display_name: String,
}

impl SsoProvider {
    /// Where the browser goes to sign in through this provider.
    pub fn start_path(&self) -> String {
        format!("/api/sso/{}/start", self.tenant)
    }

    /// Where a popup opened by the framed app goes, with the app's `handle` (see
    /// [`is_sso_handle`]).
    pub fn popup_start_path(&self, handle: &str) -> String {
        format!("{}?{SSO_POPUP_PARAMETER}={handle}", self.start_path())
    }
}

/// The answer to a sign-out of a session begun through the tenant's provider (SSO-8): where
/// the browser goes to sign out at the provider too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedOut {
    pub end_session_url: String,
}

/// SSO-8: the sign-out's query parameter saying that the provider's sign-out will be shown in a
/// popup (the app is framed), which comes back to [`SSO_COMPLETE_PAGE`] instead of the sign-in
/// page.
pub const SIGN_OUT_IN_POPUP_PARAMETER: &str = "in_popup";

/// SSO-1: the start URL's query parameter that carries the framed app's handle.
pub const SSO_POPUP_PARAMETER: &str = "popup";
/// SSO-1: the page a popup's sign-in ends on; its fragment holds `ticket=` or `outcome=`, which
/// it posts to the app that opened it, as a message of [`SSO_MESSAGE_TYPE`].
pub const SSO_COMPLETE_PAGE: &str = "/sso-complete.html";
pub const SSO_MESSAGE_TYPE: &str = "pc.sso";

/// SSO-1: a handle the framed app made for a popup's sign-in: 32 to 128 characters of
/// URL-safe base64, so that nobody can guess another's.
pub fn is_sso_handle(handle: &str) -> bool {
    (32..=128).contains(&handle.len())
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// SSO-1: the framed app takes the outcome of its popup's sign-in: by the ticket the popup
/// handed over, or, when the provider's pages cut the popup from the app, by its handle.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoRedeem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
}

/// SSO-1: what redeeming gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Externally tagged (`{"signed_in": {…}}`, `"pending"`, `{"refused": {…}}`): an internally
// tagged enum costs the app's WebAssembly serde's buffering deserializer (issue 16's size).
#[serde(rename_all = "snake_case")]
pub enum SsoRedeemed {
    /// Signed in: the session, as a password sign-in answers it.
    SignedIn { session: SessionInfo },
    /// Asked by handle: the sign-in has not ended yet.
    Pending,
    /// The sign-in ended without a session.
    Refused { outcome: SsoOutcome },
}

/// The app's sign-in page, where a sign-in through the provider that did not end signed in
/// comes back to.
pub const SIGN_IN_PAGE: &str = "/sign-in";

/// SSO-1: the query parameter that brings the outcome of a sign-in through the provider that
/// did not end signed in back to the sign-in page: `/sign-in?sso=not-provisioned`.
pub const SSO_OUTCOME_PARAMETER: &str = "sso";

/// SSO-1: why a sign-in through the provider did not end signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SsoOutcome {
    /// The provider knows the user, this contact center has no agent for them (or no longer).
    NotProvisioned,
    /// The sign-in took too long, was used already, or came back to another browser.
    Expired,
    /// The provider refused, could not be reached, or its answer failed a check.
    Failed,
    /// SEC-1: too many failed sign-ins.
    Throttled,
    /// The person cancelled at the provider.
    Cancelled,
}

impl SsoOutcome {
    pub const ALL: [SsoOutcome; 5] = [
        SsoOutcome::NotProvisioned,
        SsoOutcome::Expired,
        SsoOutcome::Failed,
        SsoOutcome::Throttled,
        SsoOutcome::Cancelled,
    ];

    /// As the query parameter carries it.
    pub fn code(self) -> &'static str {
        match self {
            SsoOutcome::NotProvisioned => "not-provisioned",
            SsoOutcome::Expired => "expired",
            SsoOutcome::Failed => "failed",
            SsoOutcome::Throttled => "throttled",
            SsoOutcome::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<SsoOutcome> {
        SsoOutcome::ALL
            .into_iter()
            .find(|outcome| outcome.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Violation;

    fn request(account: &str, password: &str) -> SignInRequest {
        SignInRequest {
            business_account: account.into(),
            password: password.into(),
        }
    }

    #[test]
    fn both_fields_are_required() {
        let errors = request(" ", "").validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["business_account", "password"]);
        assert!(errors.iter().all(|e| e.violation == Violation::Required));
    }

    #[test]
    fn a_password_of_spaces_is_a_password() {
        assert!(request("agent", "        ").validate().is_ok());
    }

    #[test]
    fn over_long_values_are_refused() {
        let errors = request(&"a".repeat(65), &"p".repeat(129))
            .validate()
            .unwrap_err();
        assert_eq!(errors[0].violation, Violation::TooLong { max: 64 });
        assert_eq!(errors[1].violation, Violation::TooLong { max: 128 });
    }

    #[test]
    fn sso_outcomes_go_by_their_codes_both_ways() {
        for outcome in SsoOutcome::ALL {
            assert_eq!(SsoOutcome::from_code(outcome.code()), Some(outcome));
            assert_eq!(
                serde_json::to_value(outcome).unwrap(),
                serde_json::Value::String(outcome.code().into())
            );
        }
        assert_eq!(SsoOutcome::from_code("signed-in"), None);
    }

    #[test]
    fn a_handle_is_long_and_url_safe() {
        assert!(is_sso_handle(&"a".repeat(43)));
        assert!(is_sso_handle("abcdefghijklmnopqrstuvwxyz012345-_"));
        assert!(
            !is_sso_handle(&"a".repeat(31)),
            "too short to be unguessable"
        );
        assert!(!is_sso_handle(&"a".repeat(129)));
        assert!(!is_sso_handle(&format!("{}&x=1", "a".repeat(40))));
    }
}
