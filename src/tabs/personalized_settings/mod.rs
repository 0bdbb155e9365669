//! PER-1 … PER-8: the Personalized Settings tab. Read-only until **Edit**; **Save** stores all of
//! it at once, **Cancel** discards. Rules are checked while typing and again by the server; a
//! refused save keeps everything the agent typed.

pub mod card_choice;
pub mod ename_card;
pub mod form;
pub mod greeting_editor;

use leptos::prelude::*;
use pc_model::settings::{
    effective_concurrency, signature_in_effect, SignatureInEffect, NICKNAME_MAX, SIGNATURE_MAX,
};
use pc_model::settings::{GreetingMember, SettingsField};
use pc_model::{ConcurrencySource, PersonalSettings, SettingsPage};

use self::ename_card::{ENameCardSection, SettingsSaved};
use self::form::{SettingsForm, SettingsValues};
use self::greeting_editor::{hour_label, GreetingEditor};
use crate::api;
use crate::change::Change;
use crate::components::avatar_chooser::{avatar_name, avatar_src, AvatarChooser};
use crate::components::change_notice::ChangeNotice;
use crate::components::error_summary::{ErrorLink, ErrorSummary, SummaryFocus};
use crate::components::field_error::FieldErrorText;
use crate::components::remote::remote;
use crate::components::text_field::TextField;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::messages::violation_message;
use crate::session::{use_auth, SignInNotice};
use crate::unsaved::use_unsaved_changes;

#[component]
pub fn PersonalizedSettingsTab() -> impl IntoView {
    let page = LocalResource::new(api::settings);
    provide_context(SettingsSaved(Trigger::new()));
    view! {
        {remote(
            page,
            move |loaded| view! { <SettingsSection loaded reload=Callback::new(move |()| page.refetch())/> },
        )}
        <ENameCardSection/>
    }
}

/// The browser tab's storage key for an agent's unsaved settings, kept while they sign in again.
fn draft_key(business_account: &str) -> String {
    format!("pc.settings-draft.{business_account}")
}

fn keep_draft(business_account: &str, draft: &SettingsValues) {
    if let (Some(storage), Ok(json)) = (
        window().session_storage().ok().flatten(),
        serde_json::to_string(draft),
    ) {
        let _ = storage.set_item(&draft_key(business_account), &json);
    }
}

/// The kept draft, removed from storage: it is restored once.
fn take_draft(business_account: &str) -> Option<SettingsValues> {
    let storage = window().session_storage().ok().flatten()?;
    let key = draft_key(business_account);
    let json = storage.get_item(&key).ok().flatten()?;
    let _ = storage.remove_item(&key);
    serde_json::from_str(&json).ok()
}

/// The message above the settings that is not about a change that failed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Notice {
    Saved,
    DraftRestored,
}

#[component]
fn SettingsSection(loaded: SettingsPage, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let unsaved = use_unsaved_changes();
    let form = SettingsForm::new(SettingsValues::from_page(&loaded));
    let page = RwSignal::new(loaded);
    let editing = RwSignal::new(false);
    let notice = RwSignal::new(None::<Notice>);
    let settings_saved = use_context::<SettingsSaved>();
    let summary_focus = SummaryFocus::new();
    let show_summary = RwSignal::new(false);
    let save = Change::new().on_refused(move |errors| {
        form.refuse(errors);
        show_summary.set(true);
        summary_focus.focus();
    });

    Effect::new(move |_| unsaved.set(editing.get() && form.is_dirty()));
    // SPEC §8: nothing typed is lost, not even to an expired session. The draft waits in this
    // browser tab's storage while the agent signs in again.
    let account = auth.session_untracked().map(|s| s.business_account);
    let keep_account = account.clone();
    on_cleanup(move || {
        unsaved.set(false);
        let expired = auth.notice_untracked() == Some(SignInNotice::SessionExpired);
        if let (true, true, Some(account)) = (expired, editing.get_untracked(), keep_account) {
            if untrack(|| form.is_dirty()) {
                keep_draft(&account, &form.values_untracked());
            }
        }
    });

    if let Some(draft) = account.as_deref().and_then(take_draft) {
        form.update(|values| *values = draft.restored(&page.get_untracked()));
        editing.set(true);
        notice.set(Some(Notice::DraftRestored));
    }

    let on_edit = move |_| {
        notice.set(None);
        save.clear();
        show_summary.set(false);
        form.reset(SettingsValues::from_page(&page.get_untracked()));
        editing.set(true);
        request_animation_frame(|| focus_element("change-avatar"));
    };
    let on_cancel = move || {
        editing.set(false);
        show_summary.set(false);
        notice.set(None);
        save.clear();
        request_animation_frame(|| focus_element("edit-settings"));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        let Ok(values) = form.submit() else {
            show_summary.set(true);
            summary_focus.focus();
            return;
        };
        show_summary.set(false);
        save.send(api::save_settings(&values.to_save()), move |saved| {
            page.set(saved);
            if let Some(SettingsSaved(trigger)) = settings_saved {
                trigger.notify();
            }
            editing.set(false);
            notice.set(Some(Notice::Saved));
            request_animation_frame(|| focus_element("edit-settings"));
        });
    };

    view! {
        <section class="settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading" class="visually-hidden">{tr!(i18n, tabs.personalized_settings)}</h2>
            {move || notice.get().map(|notice| match notice {
                Notice::Saved => view! {
                    <p class="notice success" role="status">{tr!(i18n, settings.saved)}</p>
                }.into_any(),
                Notice::DraftRestored => view! {
                    <p class="notice" role="status">{tr!(i18n, settings.draft_restored)}</p>
                }.into_any(),
            })}
            <ChangeNotice
                change=save
                stale=ViewFn::from(move || tr!(i18n, settings.stale))
                reload=Callback::new(move |()| {
                    unsaved.set(false);
                    reload.run(());
                })
            />
            {move || if editing.get() {
                view! {
                    <form class="settings-form" on:submit=on_submit novalidate>
                        <ErrorSummary visible=show_summary focus=summary_focus>
                            {move || form.errors().into_iter().map(|(field, violation)| view! {
                                <ErrorLink target=element_id(field)>
                                    {field_label(field)}": "{violation_message(&violation)}
                                </ErrorLink>
                            }).collect_view()}
                        </ErrorSummary>
                        <SettingsFields form/>
                        <div class="form-actions">
                            <button type="submit" class="button primary" id="save-settings" disabled=move || save.pending()>
                                {move || if save.pending() {
                                    tr!(i18n, common.saving).into_any()
                                } else {
                                    tr!(i18n, common.save).into_any()
                                }}
                            </button>
                            <button type="button" class="button secondary" id="cancel-settings" on:click=move |_| on_cancel()>
                                {tr!(i18n, common.cancel)}
                            </button>
                        </div>
                    </form>
                }.into_any()
            } else {
                view! {
                    <SettingsView page=page.get()/>
                    <div class="form-actions">
                        <button type="button" class="button primary" id="edit-settings" on:click=on_edit>
                            {tr!(i18n, settings.edit)}
                        </button>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// The name of a field as its label says it, for the error summary.
fn field_label(field: SettingsField) -> AnyView {
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
fn element_id(field: SettingsField) -> String {
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
fn SettingsFields(form: SettingsForm) -> impl IntoView {
    let i18n = use_i18n();
    let context = form.values_untracked().context;
    let text = move |read: fn(&PersonalSettings) -> String| {
        Signal::derive(move || form.with(|v| read(&v.settings)))
    };
    let edit = move |change: fn(&mut PersonalSettings, String)| {
        Callback::new(move |value| form.update(|v| change(&mut v.settings, value)))
    };
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
            value=text(|d| d.nickname.clone())
            on_input=edit(|s, value| s.nickname = value)
            error=error(SettingsField::Nickname)
        />
        <TextField
            id="work_email"
            label=ViewFn::from(move || tr!(i18n, settings.work_email))
            hint=ViewFn::from(move || tr!(i18n, settings.work_email_hint))
            value=text(|d| d.work_email.clone())
            on_input=edit(|s, value| s.work_email = value)
            error=error(SettingsField::WorkEmail)
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
                value=Signal::derive(move || form.with(|v| v.concurrency_text.clone()))
                on_input=Callback::new(move |value| form.update(|v| v.concurrency_text = value))
                error=error(SettingsField::MultimediaConcurrency)
                input_mode="numeric"
            />
            <EffectiveConcurrencyNote settings context=context.clone()/>
        </Show>
    }
}

#[component]
fn SignatureInEffectNote(
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
fn EffectiveConcurrencyNote(
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
fn SettingsView(page: SettingsPage) -> impl IntoView {
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
