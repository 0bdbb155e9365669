//! The agent-facing text for each rule the model crate can report.

use leptos::prelude::*;
use pc_model::parameters::VIDEO_PIXELS_MAX;
use pc_model::{VideoPart, Violation};

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
        Violation::InvalidPhoneNumber => tr!(i18n, field_invalid_phone).into_any(),
        Violation::NotAnOption { .. } => tr!(i18n, field_not_an_option).into_any(),
        Violation::VideoPartCount { found } => t!(i18n, field_video_part_count, found).into_any(),
        Violation::InvalidVideoPart { part } => {
            let max = VIDEO_PIXELS_MAX;
            match part {
                VideoPart::X => t!(i18n, field_video_x, max).into_any(),
                VideoPart::Y => t!(i18n, field_video_y, max).into_any(),
                VideoPart::Width => t!(i18n, field_video_width, max).into_any(),
                VideoPart::Height => t!(i18n, field_video_height, max).into_any(),
                VideoPart::Layout => tr!(i18n, field_video_layout).into_any(),
                VideoPart::Mode => tr!(i18n, field_video_mode).into_any(),
            }
        }
        Violation::NotOffered => tr!(i18n, field_not_offered).into_any(),
        Violation::PasswordLength { min, max } => {
            t!(i18n, agent_info.field_password_length, min, max).into_any()
        }
        Violation::PasswordKinds { min } => {
            t!(i18n, agent_info.field_password_kinds, min).into_any()
        }
        Violation::Mismatch => tr!(i18n, agent_info.field_mismatch).into_any(),
        Violation::InvalidCode => tr!(i18n, agent_info.field_invalid_code).into_any(),
        Violation::WrongCode { tries_left } => {
            t!(i18n, agent_info.field_wrong_code, tries_left).into_any()
        }
        Violation::CodeExpired => tr!(i18n, agent_info.field_code_expired).into_any(),
        Violation::NoDestination => tr!(i18n, agent_info.field_no_destination).into_any(),
    }
}
