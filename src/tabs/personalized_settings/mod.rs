//! PER-1 … PER-8: the Personalized Settings tab. Read-only until **Edit**; **Save** stores all of
//! it at once, **Cancel** discards. Rules are checked while typing and again by the server; a
//! refused save keeps everything the agent typed.

pub mod card_choice;
pub mod ename_card;
pub mod form;

use leptos::prelude::*;
use pc_model::settings::{
    effective_concurrency, signature_in_effect, SignatureInEffect, NICKNAME_MAX, SIGNATURE_MAX,
};
use pc_model::{ConcurrencySource, PersonalSettings, ProblemType, SaveSettings, SettingsPage};

use self::ename_card::{ENameCardSection, SettingsSaved};
use self::form::{Draft, SettingsForm};
use crate::api::{self, ApiError};
use crate::components::avatar_chooser::{avatar_name, avatar_src, AvatarChooser};
use crate::components::error_summary::{focus_element, ErrorLink, ErrorSummary, SummaryFocus};
use crate::components::field_error::FieldErrorText;
use crate::components::greeting_editor::{hour_label, GreetingEditor};
use crate::components::load_error::LoadError;
use crate::components::remote::remote;
use crate::components::text_field::TextField;
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

fn keep_draft(business_account: &str, draft: &Draft) {
    if let (Some(storage), Ok(json)) = (
        window().session_storage().ok().flatten(),
        serde_json::to_string(draft),
    ) {
        let _ = storage.set_item(&draft_key(business_account), &json);
    }
}

/// The kept draft, removed from storage: it is restored once.
fn take_draft(business_account: &str) -> Option<Draft> {
    let storage = window().session_storage().ok().flatten()?;
    let key = draft_key(business_account);
    let json = storage.get_item(&key).ok().flatten()?;
    let _ = storage.remove_item(&key);
    serde_json::from_str(&json).ok()
}

/// What happened to the last save, for the message above the settings.
#[derive(Clone, Debug, PartialEq)]
enum SaveOutcome {
    Saved,
    Stale,
    DraftRestored,
    Failed(ApiError),
}

#[component]
fn SettingsSection(loaded: SettingsPage, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let unsaved = use_unsaved_changes();
    let page = RwSignal::new(loaded);
    let editing = RwSignal::new(None::<SettingsForm>);
    let outcome = RwSignal::new(None::<SaveOutcome>);
    let settings_saved = use_context::<SettingsSaved>();
    let summary_focus = SummaryFocus::new();
    let show_summary = RwSignal::new(false);
    // A form made in a click handler would belong to the view that the click replaces, and be
    // disposed with it; it belongs to this section instead.
    let owner = StoredValue::new(Owner::current().expect("components run inside an owner"));

    Effect::new(move |_| unsaved.set(editing.get().is_some_and(|form| form.is_dirty())));
    // SPEC §8: nothing typed is lost, not even to an expired session. The draft waits in this
    // browser tab's storage while the agent signs in again.
    let account = auth.session_untracked().map(|s| s.business_account);
    let keep_account = account.clone();
    on_cleanup(move || {
        unsaved.set(false);
        let expired = auth.notice_untracked() == Some(SignInNotice::SessionExpired);
        if let (true, Some(account), Some(form)) = (expired, keep_account, editing.get_untracked())
        {
            if form.is_dirty_untracked() {
                keep_draft(&account, &form.draft());
            }
        }
    });

    let save = Action::new_local(|(session, save): &(pc_model::SessionInfo, SaveSettings)| {
        let (session, save) = (session.clone(), save.clone());
        async move { api::save_settings(&session, &save).await }
    });
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        untrack(move || match result {
            Ok(saved) => {
                page.set(saved);
                if let Some(SettingsSaved(trigger)) = settings_saved {
                    trigger.notify();
                }
                editing.set(None);
                show_summary.set(false);
                outcome.set(Some(SaveOutcome::Saved));
                request_animation_frame(|| focus_element("edit-settings"));
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Validation => {
                if let Some(form) = editing.get_untracked() {
                    form.set_server_errors(problem.errors);
                }
                show_summary.set(true);
                summary_focus.focus();
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Stale => {
                outcome.set(Some(SaveOutcome::Stale));
            }
            Err(error) if error.is_unauthenticated() => auth.expired(),
            Err(error) => outcome.set(Some(SaveOutcome::Failed(error))),
        })
    });

    if let Some(draft) = account.as_deref().and_then(take_draft) {
        let form = SettingsForm::new(&page.get_untracked());
        form.restore(draft);
        editing.set(Some(form));
        outcome.set(Some(SaveOutcome::DraftRestored));
    }

    let on_edit = move |_| {
        outcome.set(None);
        show_summary.set(false);
        let form =
            owner.with_value(|owner| owner.with(|| SettingsForm::new(&page.get_untracked())));
        editing.set(Some(form));
        request_animation_frame(|| focus_element("change-avatar"));
    };
    let on_cancel = move || {
        editing.set(None);
        show_summary.set(false);
        outcome.set(None);
        request_animation_frame(|| focus_element("edit-settings"));
    };
    let submit = move || {
        let Some(form) = editing.get_untracked() else {
            return;
        };
        outcome.set(None);
        if !form.errors().is_empty() {
            show_summary.set(true);
            summary_focus.focus();
            return;
        }
        show_summary.set(false);
        if let Some(session) = auth.session_untracked() {
            save.dispatch_local((
                session,
                SaveSettings {
                    version: form.version(),
                    settings: form.settings(),
                },
            ));
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit();
    };

    view! {
        <section class="settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading" class="visually-hidden">{tr!(i18n, tabs.personalized_settings)}</h2>
            {move || outcome.get().map(|last| match last {
                SaveOutcome::Saved => view! {
                    <p class="notice success" role="status">{tr!(i18n, settings.saved)}</p>
                }.into_any(),
                SaveOutcome::DraftRestored => view! {
                    <p class="notice" role="status">{tr!(i18n, settings.draft_restored)}</p>
                }.into_any(),
                SaveOutcome::Stale => view! {
                    <div class="load-error" role="alert" data-testid="stale">
                        <p>{tr!(i18n, settings.stale)}</p>
                        <button type="button" class="button secondary" on:click=move |_| {
                            unsaved.set(false);
                            reload.run(());
                        }>
                            {tr!(i18n, settings.reload_latest)}
                        </button>
                    </div>
                }.into_any(),
                SaveOutcome::Failed(error) => view! {
                    <div data-testid="save-failed">
                        <p class="field-error">{tr!(i18n, settings.save_failed)}</p>
                        <LoadError error retry=Callback::new(move |()| submit())/>
                    </div>
                }.into_any(),
            })}
            {move || match editing.get() {
                None => view! {
                    <SettingsView page=page.get()/>
                    <div class="form-actions">
                        <button type="button" class="button primary" id="edit-settings" on:click=on_edit>
                            {tr!(i18n, settings.edit)}
                        </button>
                    </div>
                }.into_any(),
                Some(form) => view! {
                    <form class="settings-form" on:submit=on_submit novalidate>
                        <ErrorSummary visible=show_summary focus=summary_focus>
                            {move || form.errors().into_iter().map(|error| view! {
                                <ErrorLink target=element_id(&error.field)>
                                    {field_label(&error.field)}": "{violation_message(&error.violation)}
                                </ErrorLink>
                            }).collect_view()}
                        </ErrorSummary>
                        <SettingsFields form/>
                        <div class="form-actions">
                            <button type="submit" class="button primary" id="save-settings" disabled=move || save.pending().get()>
                                {move || if save.pending().get() {
                                    tr!(i18n, settings.saving).into_any()
                                } else {
                                    tr!(i18n, settings.save).into_any()
                                }}
                            </button>
                            <button type="button" class="button secondary" id="cancel-settings" on:click=move |_| on_cancel()>
                                {tr!(i18n, settings.cancel)}
                            </button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// The name of a field as its label says it, for the error summary.
fn field_label(field: &str) -> AnyView {
    let i18n = use_i18n();
    let parts: Vec<&str> = field
        .split(['[', ']', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        ["avatar"] => tr!(i18n, settings.avatar).into_any(),
        ["nickname"] => tr!(i18n, settings.nickname).into_any(),
        ["work_email"] => tr!(i18n, settings.work_email).into_any(),
        ["signature"] => tr!(i18n, settings.signature).into_any(),
        ["multimedia_concurrency"] => tr!(i18n, settings.concurrency).into_any(),
        ["greetings", index, member] => {
            let number = index.parse::<usize>().map(|i| i + 1).unwrap_or_default();
            let member = match *member {
                "start_hour" => tr!(i18n, settings.start).into_any(),
                "end_hour" => tr!(i18n, settings.end).into_any(),
                _ => tr!(i18n, settings.text).into_any(),
            };
            view! { {t!(i18n, settings.greeting_number, number)}" · "{member} }.into_any()
        }
        _ => tr!(i18n, settings.greetings).into_any(),
    }
}

/// The element that shows a field, for the error summary's links.
fn element_id(field: &str) -> String {
    match field {
        "avatar" => "change-avatar".to_owned(),
        "greetings" => "add-greeting".to_owned(),
        field => {
            // greetings[1].end_hour → greeting-1-end
            let parts: Vec<&str> = field
                .split(['[', ']', '.'])
                .filter(|p| !p.is_empty())
                .collect();
            match parts.as_slice() {
                ["greetings", index, "start_hour"] => format!("greeting-{index}-start"),
                ["greetings", index, "end_hour"] => format!("greeting-{index}-end"),
                ["greetings", index, "text"] => format!("greeting-{index}-text"),
                _ => field.to_owned(),
            }
        }
    }
}

#[component]
fn SettingsFields(form: SettingsForm) -> impl IntoView {
    let i18n = use_i18n();
    let context = form.context();
    let text = move |read: fn(&PersonalSettings) -> String| Signal::derive(move || form.with(read));
    let error = move |field: &'static str| Signal::derive(move || form.error(field));
    let avatar = Signal::derive(move || form.with(|d| d.avatar));
    let signature_count = move || form.with(|d| d.signature.chars().count());
    let signature_error = error("signature");
    let concurrency_shown = context.bound_to_business_account;
    let follow_ou = move || form.with(|d| d.follow_ou_concurrency);
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
                <AvatarChooser current=avatar on_choose=Callback::new(move |chosen| form.update(|d| d.avatar = chosen))/>
            </div>
            <FieldErrorText id="avatar-error" error=error("avatar")/>
        </div>
        <TextField
            id="nickname"
            label=ViewFn::from(move || tr!(i18n, settings.nickname))
            hint=ViewFn::from(move || view! {
                {tr!(i18n, settings.nickname_hint)}" "
                <span class="count">{move || t!(i18n, settings.characters, count = form.with(|d| d.nickname.chars().count()), max = NICKNAME_MAX)}</span>
            })
            value=text(|d| d.nickname.clone())
            on_input=Callback::new(move |value| form.update(|d| d.nickname = value))
            error=error("nickname")
        />
        <TextField
            id="work_email"
            label=ViewFn::from(move || tr!(i18n, settings.work_email))
            hint=ViewFn::from(move || tr!(i18n, settings.work_email_hint))
            value=text(|d| d.work_email.clone())
            on_input=Callback::new(move |value| form.update(|d| d.work_email = value))
            error=error("work_email")
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
                prop:value=move || form.with(|d| d.signature.clone())
                on:input=move |ev| { let value = event_target_value(&ev); form.update(|d| d.signature = value) }
            ></textarea>
            <p class="hint" id="signature-count">{move || t!(i18n, settings.characters, count = signature_count(), max = SIGNATURE_MAX)}</p>
            <SignatureInEffectNote settings=Signal::derive(move || form.settings()) context=context.clone()/>
        </div>
        <Show when=move || concurrency_shown>
            <div class="field checkbox">
                <input
                    type="checkbox"
                    id="follow_ou_concurrency"
                    aria-describedby="follow_ou_concurrency-hint"
                    prop:checked=follow_ou
                    on:change=move |ev| { let on = event_target_checked(&ev); form.update(|d| d.follow_ou_concurrency = on) }
                />
                <label for="follow_ou_concurrency">{tr!(i18n, settings.follow_ou)}</label>
                <p class="hint" id="follow_ou_concurrency-hint">{tr!(i18n, settings.follow_ou_hint)}</p>
            </div>
            <TextField
                id="multimedia_concurrency"
                label=ViewFn::from(move || tr!(i18n, settings.concurrency))
                hint=ViewFn::from(move || tr!(i18n, settings.concurrency_hint))
                value=form.concurrency_text()
                on_input=Callback::new(move |value| form.concurrency_text().set(value))
                error=error("multimedia_concurrency")
                input_mode="numeric"
            />
            <EffectiveConcurrencyNote settings=Signal::derive(move || form.settings()) context=form.context()/>
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
