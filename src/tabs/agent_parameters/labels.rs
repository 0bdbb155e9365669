//! What the agent reads for each parameter: its name and description in the spec's wording, and
//! each value in words (with what the tenant's value is, for "Consistent with tenant").

use leptos::prelude::*;
use pc_model::parameters::{choice, ParameterKind};
use pc_model::{ParameterId, TenantAnswerMode, TenantParameters};

use crate::i18n::*;

pub fn parameter_name(id: ParameterId) -> Signal<&'static str> {
    let i18n = use_i18n();
    match id {
        ParameterId::CalloutCaller => tr!(i18n, parameters.name_callout_caller),
        ParameterId::AnswerMode => tr!(i18n, parameters.name_answer_mode),
        ParameterId::IntegrateOpeneye => tr!(i18n, parameters.name_integrate_openeye),
        ParameterId::OpeneyeVideoDisplay => tr!(i18n, parameters.name_openeye_video_display),
        ParameterId::RingWhenMaximized => tr!(i18n, parameters.name_ring_when_maximized),
        ParameterId::WebrtcAutoRegister => tr!(i18n, parameters.name_webrtc_auto_register),
        ParameterId::SkillQueueSigninMode => tr!(i18n, parameters.name_skill_queue_signin_mode),
    }
}

pub fn parameter_description(id: ParameterId) -> Signal<&'static str> {
    let i18n = use_i18n();
    match id {
        ParameterId::CalloutCaller => tr!(i18n, parameters.desc_callout_caller),
        ParameterId::AnswerMode => tr!(i18n, parameters.desc_answer_mode),
        ParameterId::IntegrateOpeneye => tr!(i18n, parameters.desc_integrate_openeye),
        ParameterId::OpeneyeVideoDisplay => tr!(i18n, parameters.desc_openeye_video_display),
        ParameterId::RingWhenMaximized => tr!(i18n, parameters.desc_ring_when_maximized),
        ParameterId::WebrtcAutoRegister => tr!(i18n, parameters.desc_webrtc_auto_register),
        ParameterId::SkillQueueSigninMode => tr!(i18n, parameters.desc_skill_queue_signin_mode),
    }
}

/// A choice code in words, as the spec names it for this parameter.
pub fn choice_words(id: ParameterId, code: &str) -> Signal<&'static str> {
    let i18n = use_i18n();
    match (id, code) {
        (ParameterId::AnswerMode, choice::AUTOMATIC) => tr!(i18n, parameters.automatic_answer),
        (ParameterId::AnswerMode, choice::MANUAL) => tr!(i18n, parameters.manual_response),
        (ParameterId::AnswerMode, _) => tr!(i18n, parameters.consistent_with_tenant),
        (ParameterId::IntegrateOpeneye, choice::TENANT) => {
            tr!(i18n, parameters.consistent_with_tenant_level)
        }
        (ParameterId::SkillQueueSigninMode, choice::AUTOMATIC) => tr!(i18n, parameters.automatic),
        (ParameterId::SkillQueueSigninMode, _) => tr!(i18n, parameters.specified),
        (_, choice::YES) => tr!(i18n, parameters.yes),
        _ => tr!(i18n, parameters.no),
    }
}

/// What "Consistent with tenant" stands for, in words.
fn tenant_words(id: ParameterId, tenant: TenantParameters) -> Option<Signal<&'static str>> {
    match id {
        ParameterId::AnswerMode => Some(choice_words(
            id,
            match tenant.answer_mode {
                TenantAnswerMode::Automatic => choice::AUTOMATIC,
                TenantAnswerMode::Manual => choice::MANUAL,
            },
        )),
        ParameterId::IntegrateOpeneye => Some(choice_words(
            id,
            if tenant.integrate_openeye {
                choice::YES
            } else {
                choice::NO
            },
        )),
        _ => None,
    }
}

/// A value in words: "Not set" for an empty text value, the text itself otherwise, a choice by
/// its name, and "Consistent with tenant" followed by the tenant's value.
pub fn value_words(id: ParameterId, value: &str, tenant: TenantParameters) -> AnyView {
    let i18n = use_i18n();
    match id.kind() {
        ParameterKind::Text if value.is_empty() => {
            view! { <span class="not-set">{tr!(i18n, settings.not_set)}</span> }.into_any()
        }
        ParameterKind::Text => view! { <code>{value.to_owned()}</code> }.into_any(),
        ParameterKind::Choice(_) => {
            let words = choice_words(id, value);
            let tenant = (value == choice::TENANT)
                .then(|| tenant_words(id, tenant))
                .flatten()
                .map(|tenant| {
                    view! {
                        {tr!(i18n, parameters.tenant_value_open)}{tenant}{tr!(i18n, parameters.tenant_value_close)}
                    }
                });
            view! { {words}{tenant} }.into_any()
        }
    }
}
