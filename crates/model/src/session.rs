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
}
