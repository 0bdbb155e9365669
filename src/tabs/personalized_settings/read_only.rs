//! The saved Personalized Settings, read-only, and the notes that say which signature and which
//! concurrency are in effect (shown in the form too).

use leptos::prelude::*;
use pc_model::settings::{effective_concurrency, signature_in_effect, SignatureInEffect};
use pc_model::{ConcurrencySource, PersonalSettings, SettingsPage};

use super::greeting_editor::hour_label;
use crate::components::avatar_chooser::{avatar_name, avatar_src};
use crate::i18n::*;

#[component]
pub fn SignatureInEffectNote(
    settings: Signal<PersonalSettings>,
    context: pc_model::SettingsContext,
) -> impl IntoView {
    let i18n = use_i18n();
    let tenant_signature = context.tenant_signature.clone();
    view! {
        <div class="in-effect" data-testid="signature-in-effect">
            {move || match settings.with(|s| signature_in_effect(s, &context)) {
                SignatureInEffect::Agent if !tenant_signature.trim().is_empty() => view! {
                    {tr!(i18n, settings.signature_in_effect_agent)}" "
                    {tr!(i18n, settings.tenant_signature_is)}
                    <pre class="signature-text">{tenant_signature.clone()}</pre>
                }.into_any(),
                SignatureInEffect::Agent => tr!(i18n, settings.signature_in_effect_agent).into_any(),
                SignatureInEffect::Tenant => view! {
                    {tr!(i18n, settings.signature_in_effect_tenant)}
                    <pre class="signature-text">{tenant_signature.clone()}</pre>
                }.into_any(),
                SignatureInEffect::None => tr!(i18n, settings.signature_in_effect_none).into_any(),
            }}
        </div>
    }
}

#[component]
pub fn EffectiveConcurrencyNote(
    settings: Signal<PersonalSettings>,
    context: pc_model::SettingsContext,
) -> impl IntoView {
    let i18n = use_i18n();
    let effective = move || settings.with(|s| effective_concurrency(s, &context));
    view! {
        <p class="in-effect" data-testid="effective-concurrency" aria-live="polite">
            {move || {
                let effective = effective();
                let value = effective.value;
                view! {
                    {t!(i18n, settings.effective, value)}
                    {match effective.source {
                        ConcurrencySource::Agent => tr!(i18n, settings.source_agent).into_any(),
                        ConcurrencySource::OrgUnit => tr!(i18n, settings.source_org_unit).into_any(),
                        ConcurrencySource::Tenant => tr!(i18n, settings.source_tenant).into_any(),
                    }}
                }
            }}
        </p>
    }
}

/// The saved settings, read-only.
#[component]
pub fn SettingsView(page: SettingsPage) -> impl IntoView {
    let i18n = use_i18n();
    let SettingsPage {
        settings, context, ..
    } = page;
    let not_set = move || view! { <span class="muted">{tr!(i18n, settings.not_set)}</span> };
    let or_not_set = move |value: String| {
        if value.is_empty() {
            not_set().into_any()
        } else {
            value.into_any()
        }
    };
    let greetings = if settings.greetings.is_empty() {
        view! { <span class="muted">{tr!(i18n, settings.no_greetings)}</span> }.into_any()
    } else {
        view! {
            <ol class="greeting-summary">
                {settings.greetings.iter().map(|g| view! {
                    <li>
                        <span class="hours">{format!("{}–{}", hour_label(g.start_hour), hour_label(g.end_hour))}</span>
                        " "{g.text.clone()}
                    </li>
                }).collect_view()}
            </ol>
        }.into_any()
    };
    let settings_signal = Signal::derive({
        let settings = settings.clone();
        move || settings.clone()
    });
    let concurrency = settings
        .multimedia_concurrency
        .map(|v| v.to_string())
        .unwrap_or_default();
    view! {
        <dl class="details settings-view" data-testid="settings-view">
            <dt>{tr!(i18n, settings.avatar)}</dt>
            <dd data-field="avatar">
                <img class="avatar" src=avatar_src(settings.avatar) alt=move || avatar_name(settings.avatar) width="56" height="56"/>
            </dd>
            <dt>{tr!(i18n, settings.nickname)}</dt>
            <dd data-field="nickname">{or_not_set(settings.nickname.clone())}</dd>
            <dt>{tr!(i18n, settings.work_email)}</dt>
            <dd data-field="work_email">
                {or_not_set(settings.work_email.clone())}
                <p class="hint">{tr!(i18n, settings.work_email_hint)}</p>
            </dd>
            <dt>{tr!(i18n, settings.greetings)}</dt>
            <dd data-field="greetings">{greetings}</dd>
            <dt>{tr!(i18n, settings.signature)}</dt>
            <dd data-field="signature">
                {if settings.signature.is_empty() {
                    None
                } else {
                    Some(view! { <pre class="signature-text">{settings.signature.clone()}</pre> })
                }}
                <SignatureInEffectNote settings=settings_signal context=context.clone()/>
            </dd>
            {context.bound_to_business_account.then(|| view! {
                <dt>{tr!(i18n, settings.follow_ou)}</dt>
                <dd data-field="follow_ou_concurrency">
                    {if settings.follow_ou_concurrency {
                        tr!(i18n, settings.yes).into_any()
                    } else {
                        tr!(i18n, settings.no).into_any()
                    }}
                </dd>
                <dt>{tr!(i18n, settings.concurrency)}</dt>
                <dd data-field="multimedia_concurrency">
                    {or_not_set(concurrency.clone())}
                    <EffectiveConcurrencyNote settings=settings_signal context=context.clone()/>
                </dd>
            })}
        </dl>
    }
}
