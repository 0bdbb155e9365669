//! The agent-facing text for each rule the model crate can report.

use leptos::prelude::*;
use pc_model::Violation;

use crate::i18n::*;

pub fn violation_message(violation: &Violation) -> AnyView {
    let i18n = use_i18n();
    match *violation {
        Violation::Required => t!(i18n, field_required).into_any(),
        Violation::TooLong { max } => t!(i18n, field_too_long, max = max).into_any(),
    }
}
