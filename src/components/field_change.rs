//! One value a change changed, by the field's label, old → new: in the recent activity (SEC-4)
//! and in the saved versions (BEY-2).

use leptos::prelude::*;
use pc_model::parameters::ParameterKind;
use pc_model::{FieldChange, ParameterId};

use crate::i18n::*;
use crate::tabs::agent_parameters::labels::{choice_words, parameter_name};

/// `Nickname: Ann → Annie`, with — for no value; a parameter's choice in words.
#[component]
pub fn ChangeLine(change: FieldChange) -> impl IntoView {
    let parameter = change.field.parse::<ParameterId>().ok();
    let shown = move |value: Option<String>| match (value, parameter) {
        (None, _) => "—".to_owned().into_any(),
        (Some(code), Some(id)) if matches!(id.kind(), ParameterKind::Choice(_)) => {
            choice_words(id, &code).into_any()
        }
        (Some(text), _) => text.into_any(),
    };
    let (old, new) = (shown(change.old), shown(change.new));
    view! {
        <li data-field=change.field.clone()>
            {field_label(&change.field)}": "<span class="old">{old}</span>" → "<span class="new">{new}</span>
        </li>
    }
}

/// A changed field by its label: a setting, a phone number or a parameter.
fn field_label(field: &str) -> AnyView {
    let i18n = use_i18n();
    if let Ok(id) = field.parse::<ParameterId>() {
        return parameter_name(id).into_any();
    }
    match field {
        "avatar" => tr!(i18n, settings.avatar).into_any(),
        "nickname" => tr!(i18n, settings.nickname).into_any(),
        "work_email" => tr!(i18n, settings.work_email).into_any(),
        "greetings" => tr!(i18n, settings.greetings).into_any(),
        "signature" => tr!(i18n, settings.signature).into_any(),
        "follow_ou_concurrency" => tr!(i18n, settings.follow_ou).into_any(),
        "multimedia_concurrency" => tr!(i18n, settings.concurrency).into_any(),
        "fixed_line" => tr!(i18n, agent_info.fixed_line).into_any(),
        "mobile" => tr!(i18n, agent_info.mobile).into_any(),
        other => other.to_owned().into_any(),
    }
}
