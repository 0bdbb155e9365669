//! One value a change changed, by the field's label, old → new: in the recent activity (SEC-4)
//! and in the saved versions (BEY-2).

use leptos::prelude::*;
use pc_model::parameters::ParameterKind;
use pc_model::{AgentRole, AgentType, FieldChange, ParameterId};

use crate::i18n::*;
use crate::tabs::agent_info::{agent_type_label, role_label};
use crate::tabs::agent_parameters::labels::{choice_words, parameter_name};

/// `Nickname: Ann → Annie`, with — for no value; a parameter's choice in words.
#[component]
pub fn ChangeLine(change: FieldChange) -> impl IntoView {
    let parameter = change.field.parse::<ParameterId>().ok();
    let field = change.field.clone();
    let shown = move |value: Option<String>| match (value, parameter) {
        (None, _) => "—".to_owned().into_any(),
        (Some(code), Some(id)) if matches!(id.kind(), ParameterKind::Choice(_)) => {
            choice_words(id, &code).into_any()
        }
        (Some(text), _) => provisioned_value(&field, text),
    };
    let (old, new) = (shown(change.old), shown(change.new));
    view! {
        <li data-field=change.field.clone()>
            {field_label(&change.field)}": "<span class="old">{old}</span>" → "<span class="new">{new}</span>
        </li>
    }
}

/// A value the identity provider changed (PRV), in words where it is a code.
fn provisioned_value(field: &str, text: String) -> AnyView {
    let i18n = use_i18n();
    match field {
        "agent_type" => match AgentType::from_code(&text) {
            Some(kind) => agent_type_label(kind),
            None => text.into_any(),
        },
        "role" => match AgentRole::from_code(&text) {
            Some(role) => role_label(role),
            None => text.into_any(),
        },
        "webrtc" | "bound_to_business_account" if text == "yes" => {
            tr!(i18n, settings.yes).into_any()
        }
        "webrtc" | "bound_to_business_account" if text == "no" => tr!(i18n, settings.no).into_any(),
        "permissions" if text == "generate_business_card" => {
            tr!(i18n, agent.permission_business_card).into_any()
        }
        _ => text.into_any(),
    }
}

/// A changed field by its label: a setting, a phone number, a parameter, or what the identity
/// provider keeps of the employee and the agent.
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
        "business_account" => tr!(i18n, employee.business_account).into_any(),
        "username" => tr!(i18n, employee.username).into_any(),
        "email" => tr!(i18n, employee.email).into_any(),
        "phone" => tr!(i18n, employee.phone).into_any(),
        "position" => tr!(i18n, employee.position).into_any(),
        "manager" => tr!(i18n, employee.manager).into_any(),
        "agent_type" => tr!(i18n, agent.agent_type).into_any(),
        "role" => tr!(i18n, agent.role).into_any(),
        "softphone_number" => tr!(i18n, agent.softphone_number).into_any(),
        "registration_server" => tr!(i18n, agent.registration_server).into_any(),
        "skill_queues" => tr!(i18n, agent.skill_queues).into_any(),
        "org_unit" => tr!(i18n, agent.org_unit).into_any(),
        "webrtc" => tr!(i18n, agent.webrtc).into_any(),
        "bound_to_business_account" => tr!(i18n, agent.bound).into_any(),
        "permissions" => tr!(i18n, agent.permissions).into_any(),
        other => other.to_owned().into_any(),
    }
}
