//! The Personalized Settings form's fields (PER-1 … PER-8), and how the error summary names and
//! finds each of them.

use leptos::prelude::*;
use pc_model::settings::{GreetingMember, SettingsField, NICKNAME_MAX, SIGNATURE_MAX};

use super::form::{SettingsForm, SettingsValues};
use super::greeting_editor::GreetingEditor;
use super::read_only::{EffectiveConcurrencyNote, SignatureInEffectNote};
use crate::components::avatar_chooser::{avatar_name, avatar_src, AvatarChooser};
use crate::components::field_error::FieldErrorText;
use crate::components::text_field::TextField;
use crate::i18n::*;

/// The name of a field as its label says it, for the error summary.
pub fn field_label(field: SettingsField) -> AnyView {
    let i18n = use_i18n();
    match field {
        SettingsField::Avatar => tr!(i18n, settings.avatar).into_any(),
        SettingsField::Nickname => tr!(i18n, settings.nickname).into_any(),
        SettingsField::WorkEmail => tr!(i18n, settings.work_email).into_any(),
        SettingsField::Signature => tr!(i18n, settings.signature).into_any(),
        SettingsField::FollowOuConcurrency => tr!(i18n, settings.follow_ou).into_any(),
        SettingsField::MultimediaConcurrency => tr!(i18n, settings.concurrency).into_any(),
        SettingsField::Greetings => tr!(i18n, settings.greetings).into_any(),
        SettingsField::Greeting(index, member) => {
            let number = index + 1;
            let member = match member {
                GreetingMember::StartHour => tr!(i18n, settings.start).into_any(),
                GreetingMember::EndHour => tr!(i18n, settings.end).into_any(),
                GreetingMember::Text => tr!(i18n, settings.text).into_any(),
            };
            view! { {t!(i18n, settings.greeting_number, number)}" · "{member} }.into_any()
        }
    }
}

/// The element that shows a field, for the error summary's links.
pub fn element_id(field: SettingsField) -> String {
    match field {
        SettingsField::Avatar => "change-avatar".to_owned(),
        SettingsField::Greetings => "add-greeting".to_owned(),
        SettingsField::Greeting(index, GreetingMember::StartHour) => {
            format!("greeting-{index}-start")
        }
        SettingsField::Greeting(index, GreetingMember::EndHour) => format!("greeting-{index}-end"),
        SettingsField::Greeting(index, GreetingMember::Text) => format!("greeting-{index}-text"),
        other => other.to_string(),
    }
}

#[component]
pub fn SettingsFields(form: SettingsForm) -> impl IntoView {
    let i18n = use_i18n();
    let context = form.values_untracked().context;
    let (nickname, type_nickname, nickname_error) = form
        .text_field(SettingsField::Nickname, |v, text| {
            v.settings.nickname = text
        });
    let (work_email, type_work_email, work_email_error) = form
        .text_field(SettingsField::WorkEmail, |v, text| {
            v.settings.work_email = text
        });
    let (concurrency, type_concurrency, concurrency_error) = form
        .text_field(SettingsField::MultimediaConcurrency, |v, text| {
            v.concurrency_text = text
        });
    let error = move |field: SettingsField| Signal::derive(move || form.error(field));
    let settings = Signal::derive(move || form.with(SettingsValues::settings));
    let avatar = Signal::derive(move || form.with(|v| v.settings.avatar));
    let signature_count = move || form.with(|v| v.settings.signature.chars().count());
    let signature_error = error(SettingsField::Signature);
    let concurrency_shown = context.bound_to_business_account;
    let follow_ou = move || form.with(|v| v.settings.follow_ou_concurrency);
    view! {
        <div class="field" role="group" aria-labelledby="avatar-label" aria-describedby="avatar-hint">
            <span class="label" id="avatar-label">{tr!(i18n, settings.avatar)}</span>
            <p class="hint" id="avatar-hint">{tr!(i18n, settings.avatar_hint)}</p>
            <div class="avatar-row">
                <img
                    class="avatar"
                    src=move || avatar_src(avatar.get())
                    alt=move || avatar_name(avatar.get())
                    width="56"
                    height="56"
                />
                <AvatarChooser current=avatar on_choose=Callback::new(move |chosen| form.update(|v| v.settings.avatar = chosen))/>
            </div>
            <FieldErrorText id="avatar-error" error=error(SettingsField::Avatar)/>
        </div>
        <TextField
            id="nickname"
            label=ViewFn::from(move || tr!(i18n, settings.nickname))
            hint=ViewFn::from(move || view! {
                {tr!(i18n, settings.nickname_hint)}" "
                <span class="count">{move || t!(i18n, settings.characters, count = form.with(|v| v.settings.nickname.chars().count()), max = NICKNAME_MAX)}</span>
            })
            value=nickname
            on_input=type_nickname
            error=nickname_error
        />
        <TextField
            id="work_email"
            label=ViewFn::from(move || tr!(i18n, settings.work_email))
            hint=ViewFn::from(move || tr!(i18n, settings.work_email_hint))
            value=work_email
            on_input=type_work_email
            error=work_email_error
            input_type="email"
            autocomplete="email"
        />
        <GreetingEditor form/>
        <div class="field" class:field-invalid=move || signature_error.with(Option::is_some)>
            <label for="signature">{tr!(i18n, settings.signature)}</label>
            <p class="hint" id="signature-hint">{tr!(i18n, settings.signature_hint)}</p>
            <FieldErrorText id="signature-error" error=signature_error/>
            <textarea
                id="signature"
                rows="4"
                aria-invalid=move || signature_error.with(Option::is_some).then_some("true")
                aria-describedby=move || if signature_error.with(Option::is_some) {
                    "signature-hint signature-count signature-error"
                } else {
                    "signature-hint signature-count"
                }
                prop:value=move || form.with(|v| v.settings.signature.clone())
                on:input=move |ev| { let value = event_target_value(&ev); form.update(|v| v.settings.signature = value) }
            ></textarea>
            <p class="hint" id="signature-count">{move || t!(i18n, settings.characters, count = signature_count(), max = SIGNATURE_MAX)}</p>
            <SignatureInEffectNote settings context=context.clone()/>
        </div>
        <Show when=move || concurrency_shown>
            <div class="field checkbox">
                <input
                    type="checkbox"
                    id="follow_ou_concurrency"
                    aria-describedby="follow_ou_concurrency-hint"
                    prop:checked=follow_ou
                    on:change=move |ev| { let on = event_target_checked(&ev); form.update(|v| v.settings.follow_ou_concurrency = on) }
                />
                <label for="follow_ou_concurrency">{tr!(i18n, settings.follow_ou)}</label>
                <p class="hint" id="follow_ou_concurrency-hint">{tr!(i18n, settings.follow_ou_hint)}</p>
            </div>
            <TextField
                id="multimedia_concurrency"
                label=ViewFn::from(move || tr!(i18n, settings.concurrency))
                hint=ViewFn::from(move || tr!(i18n, settings.concurrency_hint))
                value=concurrency
                on_input=type_concurrency
                error=concurrency_error
                input_mode="numeric"
            />
            <EffectiveConcurrencyNote settings context=context.clone()/>
        </Show>
    }
}
