//! Small rule helpers that the request types use. Lengths count characters, not bytes, so
//! Chinese text gets the same limits as Latin text.

use crate::problem::{FieldError, Violation};

/// Collects the field errors of one request.
#[derive(Default, Debug)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &str, violation: Option<Violation>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_required() {
        assert_eq!(required_text("  ", 5), Some(Violation::Required));
        assert_eq!(required_text("", 5), Some(Violation::Required));
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
