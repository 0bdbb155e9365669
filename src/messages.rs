//! The agent-facing text for each rule the model crate can report.

use leptos::prelude::*;
use pc_model::Violation;

use crate::i18n::*;

pub fn violation_message(violation: &Violation) -> AnyView {
    let i18n = use_i18n();
    match violation.clone() {
        Violation::Required => tr!(i18n, field_required).into_any(),
        Violation::TooLong { max } => t!(i18n, field_too_long, max).into_any(),
        Violation::ForbiddenCharacters { chars } => {
            let chars = chars
                .iter()
                .map(char::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            t!(i18n, field_forbidden, chars).into_any()
        }
        Violation::InvalidEmail => tr!(i18n, field_invalid_email).into_any(),
        Violation::EmailTaken => tr!(i18n, field_email_taken).into_any(),
        Violation::OutOfRange { min, max } => t!(i18n, field_out_of_range, min, max).into_any(),
        Violation::EndNotAfterStart => tr!(i18n, field_end_not_after_start).into_any(),
        Violation::Overlaps { other } => t!(i18n, field_overlaps, other).into_any(),
        Violation::TooMany { max } => t!(i18n, field_too_many, max).into_any(),
        Violation::NotAvailable => tr!(i18n, field_not_available).into_any(),
        Violation::NotOffered => tr!(i18n, field_not_offered).into_any(),
    }
}
