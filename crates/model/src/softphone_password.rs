//! AGT-4: the softphone password rule (as in AICC's own API), the checklist the app shows while
//! the agent types, and the reset request with its verification code.

use serde::{Deserialize, Serialize};

use crate::problem::{FieldError, Violation};
use crate::validation::Errors;

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 16;
/// Of uppercase, lowercase, digit and special, at least this many kinds.
pub const PASSWORD_KINDS_MIN: usize = 3;
/// The only special characters a softphone password may contain.
pub const PASSWORD_SPECIALS: [char; 8] = ['~', '@', '^', '*', '_', '+', '.', '?'];

/// Verification codes (AGT-4): six digits, valid five minutes, void after five wrong tries; a
/// resend is possible after sixty seconds.
pub const CODE_DIGITS: usize = 6;
pub const CODE_VALID_SECS: i64 = 5 * 60;
pub const CODE_TRIES_MAX: usize = 5;
pub const CODE_RESEND_SECS: i64 = 60;
/// At most this many codes an hour per agent.
pub const CODE_SENDS_PER_HOUR: usize = 10;

/// Each rule of the password, met or not: what the app ticks off under the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordChecklist {
    /// 8–16 characters.
    pub length: bool,
    /// At least three of uppercase, lowercase, digit, special.
    pub kinds: bool,
    /// No character other than letters, digits and the allowed specials.
    pub allowed_characters: bool,
}

impl PasswordChecklist {
    pub fn of(password: &str) -> Self {
        let has = |test: fn(char) -> bool| password.chars().any(test);
        let kinds = [
            has(|c| c.is_ascii_uppercase()),
            has(|c| c.is_ascii_lowercase()),
            has(|c| c.is_ascii_digit()),
            has(|c| PASSWORD_SPECIALS.contains(&c)),
        ]
        .into_iter()
        .filter(|&k| k)
        .count();
        PasswordChecklist {
            length: (PASSWORD_MIN..=PASSWORD_MAX).contains(&password.chars().count()),
            kinds: kinds >= PASSWORD_KINDS_MIN,
            allowed_characters: forbidden_characters(password).is_empty(),
        }
    }

    pub fn all_met(&self) -> bool {
        self.length && self.kinds && self.allowed_characters
    }
}

/// The characters the rule does not allow, each once, in order of appearance.
fn forbidden_characters(password: &str) -> Vec<char> {
    let mut found = Vec::new();
    for c in password.chars() {
        let allowed = c.is_ascii_alphanumeric() || PASSWORD_SPECIALS.contains(&c);
        if !allowed && !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

/// The rule's verdict on a new softphone password; `None` when it may be used.
pub fn softphone_password_violation(password: &str) -> Option<Violation> {
    if password.is_empty() {
        return Some(Violation::Required);
    }
    let checklist = PasswordChecklist::of(password);
    if !checklist.allowed_characters {
        Some(Violation::ForbiddenCharacters {
            chars: forbidden_characters(password),
        })
    } else if !checklist.length {
        Some(Violation::PasswordLength {
            min: PASSWORD_MIN,
            max: PASSWORD_MAX,
        })
    } else if !checklist.kinds {
        Some(Violation::PasswordKinds {
            min: PASSWORD_KINDS_MIN,
        })
    } else {
        None
    }
}

/// The confirmation must repeat the password.
pub fn confirmation_violation(password: &str, confirmation: &str) -> Option<Violation> {
    if confirmation.is_empty() {
        Some(Violation::Required)
    } else if confirmation != password {
        Some(Violation::Mismatch)
    } else {
        None
    }
}

/// A verification code as typed: six digits.
pub fn code_violation(code: &str) -> Option<Violation> {
    if code.is_empty() {
        Some(Violation::Required)
    } else if code.len() != CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        Some(Violation::InvalidCode)
    } else {
        None
    }
}

/// The tenant's two-factor method for softphone-password resets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TwoFactorMethod {
    None,
    Sms,
    Email,
}

/// What the reset dialog needs to know before the agent starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetContext {
    pub two_factor: TwoFactorMethod,
}

/// Where a verification code went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSent {
    pub channel: TwoFactorMethod,
    /// The mobile number or email address, masked (e.g. `+86138****8011`).
    pub destination: String,
    /// Seconds until another code may be asked for.
    pub resend_after_secs: i64,
    /// Seconds the code is valid.
    pub expires_in_secs: i64,
}

/// How the message with the agent's newest verification code is getting on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodeDeliveryState {
    /// Not sent yet: the gateway is being tried, again after a failure.
    Pending,
    /// Handed to the SMS gateway or the mail server (or, with none configured, recorded).
    Sent,
    /// Every attempt failed: the agent should ask for a new code.
    Failed,
}

/// The delivery of the agent's newest verification code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeDelivery {
    /// `null` until the agent's first code.
    pub state: Option<CodeDeliveryState>,
}

/// AGT-4: a new softphone password; `code` is ignored when the tenant has no two-factor method.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetSoftphonePassword {
    pub password: String,
    pub confirmation: String,
    #[serde(default)]
    pub code: String,
}

crate::field::fields! {
    /// The fields of AGT-4's dialog.
    PasswordResetField {
        Password = "password",
        Confirmation = "confirmation",
        Code = "code",
    }
}

impl ResetSoftphonePassword {
    pub fn validate(&self, two_factor: TwoFactorMethod) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        errors.add(
            PasswordResetField::Password,
            softphone_password_violation(&self.password),
        );
        errors.add(
            PasswordResetField::Confirmation,
            confirmation_violation(&self.password, &self.confirmation),
        );
        if two_factor != TwoFactorMethod::None {
            errors.add(PasswordResetField::Code, code_violation(&self.code));
        }
        errors.into_result()
    }
}

/// Masks a mobile number (keeps the first five and last four characters) or an email address
/// (keeps the first character of the name and the domain).
pub fn mask_destination(destination: &str) -> String {
    if let Some((name, domain)) = destination.split_once('@') {
        let first: String = name.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let chars: Vec<char> = destination.chars().collect();
    if chars.len() <= 7 {
        let keep = chars.len().saturating_sub(2);
        return chars[..keep.min(2)].iter().collect::<String>() + "****";
    }
    let head: String = chars[..chars.len().min(5).min(chars.len() - 4)]
        .iter()
        .collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_of_the_rule() {
        for good in ["Abcdefg1", "abc123.?", "ABC~@^*1", "Aa1~Aa1~Aa1~Aa1~"] {
            assert_eq!(softphone_password_violation(good), None, "{good}");
        }
        assert_eq!(
            softphone_password_violation("Abc1.de"),
            Some(Violation::PasswordLength { min: 8, max: 16 })
        );
        assert_eq!(
            softphone_password_violation("abcdefgh1"),
            Some(Violation::PasswordKinds { min: 3 })
        );
        assert_eq!(
            softphone_password_violation("Abcdef1!#!"),
            Some(Violation::ForbiddenCharacters {
                chars: vec!['!', '#']
            })
        );
        assert_eq!(
            softphone_password_violation("Abcdef 12"),
            Some(Violation::ForbiddenCharacters { chars: vec![' '] })
        );
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(code_violation("012345"), None);
        assert_eq!(code_violation(""), Some(Violation::Required));
        for bad in ["12345", "1234567", "12345a", "١٢٣٤٥٦"] {
            assert_eq!(code_violation(bad), Some(Violation::InvalidCode), "{bad}");
        }
    }

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask_destination("+8613800138011"), "+8613****8011");
        assert_eq!(
            mask_destination("carol.chen@contoso.example"),
            "c***@contoso.example"
        );
        assert_eq!(mask_destination("12345"), "12****");
    }
}
