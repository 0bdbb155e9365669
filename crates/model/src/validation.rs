//! Small rule helpers that the request types use. Lengths count characters, not bytes, so
//! Chinese text gets the same limits as Latin text.

use crate::problem::{FieldError, Violation};

/// Collects the field errors of one request.
#[derive(Default, Debug)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: impl std::fmt::Display, violation: Option<Violation>) {
        if let Some(violation) = violation {
            self.0.push(FieldError::new(field, violation));
        }
    }

    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// A required text of at most `max` characters; blank (only white space) counts as missing.
pub fn required_text(value: &str, max: usize) -> Option<Violation> {
    if value.trim().is_empty() {
        Some(Violation::Required)
    } else if value.chars().count() > max {
        Some(Violation::TooLong { max })
    } else {
        None
    }
}

/// A required secret of at most `max` characters, taken as typed: spaces count.
pub fn required_secret(value: &str, max: usize) -> Option<Violation> {
    if value.is_empty() {
        Some(Violation::Required)
    } else if value.chars().count() > max {
        Some(Violation::TooLong { max })
    } else {
        None
    }
}

/// Phone numbers (AGT-6, PAR-1): digits with an optional leading `+`, 3–24 characters
/// (*interpretation*).
pub const PHONE_MIN: usize = 3;
pub const PHONE_MAX: usize = 24;

pub fn phone_number_violation(value: &str) -> Option<Violation> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    let valid = (PHONE_MIN..=PHONE_MAX).contains(&value.len())
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit());
    (!valid).then_some(Violation::InvalidPhoneNumber)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_required() {
        assert_eq!(required_text("  ", 5), Some(Violation::Required));
        assert_eq!(required_text("", 5), Some(Violation::Required));
    }

    #[test]
    fn phone_numbers_are_digits_with_an_optional_leading_plus() {
        for good in ["110", "+12", "+8613800138000", &"9".repeat(24)] {
            assert_eq!(phone_number_violation(good), None, "{good}");
        }
        for bad in [
            "",
            "12",
            "+1",
            "1-800",
            "+",
            "++123",
            "12+34",
            " 123",
            &"9".repeat(25),
        ] {
            assert_eq!(
                phone_number_violation(bad),
                Some(Violation::InvalidPhoneNumber),
                "{bad}"
            );
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(required_text("坐席坐席坐", 5), None);
        assert_eq!(
            required_text("坐席坐席坐席", 5),
            Some(Violation::TooLong { max: 5 })
        );
    }
}
