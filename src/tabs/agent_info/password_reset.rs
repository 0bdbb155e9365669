//! AGT-4: **Reset Softphone Password** in a native modal `<dialog>` (focus kept inside, Escape
//! closes, focus back on the button). A checklist under the new password ticks off each rule as
//! it is met; with SMS or email two-factor, **Send Code** sends a code, says where it went and
//! counts down 60 seconds before it can send again.

use leptos::prelude::*;
use pc_model::{CodeSent, ProblemType, ResetSoftphonePassword, SessionInfo, TwoFactorMethod};

use super::password_form::PasswordForm;
use crate::api::{self, ApiError};
use crate::components::error_summary::focus_element;
use crate::components::field_error::FieldErrorText;
use crate::components::form_dialog::FormDialog;
use crate::i18n::*;
use crate::session::use_auth;

/// The element ID of each field.
fn input_id(field: &str) -> &'static str {
    match field {
        "password" => "new_password",
        "confirmation" => "confirm_password",
        _ => "verification_code",
    }
}

#[derive(Clone, Debug, PartialEq)]
enum CodeNotice {
    Sent(CodeSent),
    TooMany(u64),
    Failed,
}

#[component]
fn ChecklistItem(met: Signal<bool>, rule: &'static str, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class:met=met data-rule=rule>
            <span class="check-mark" aria-hidden="true">{move || if met.get() { "✓" } else { "○" }}</span>
            " "{children()}" "
            <span class="visually-hidden">
                {move || if met.get() {
                    tr!(i18n, agent_info.rule_met).into_any()
                } else {
                    tr!(i18n, agent_info.rule_not_met).into_any()
                }}
            </span>
        </li>
    }
}

#[component]
pub fn PasswordReset(two_factor: TwoFactorMethod) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let dialog_open = RwSignal::new(false);
    let form = RwSignal::new(PasswordForm::new(two_factor));
    let done = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let code_notice = RwSignal::new(None::<CodeNotice>);
    let countdown = RwSignal::new(0u64);
    let needs_code = two_factor != TwoFactorMethod::None;

    if let Ok(clock) = set_interval_with_handle(
        move || {
            if countdown.get_untracked() > 0 {
                countdown.update(|n| *n -= 1);
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || clock.clear());
    }

    let send_action = Action::new_local(|session: &SessionInfo| {
        let session = session.clone();
        async move { api::send_code(&session).await }
    });
    let reset_action =
        Action::new_local(|(session, reset): &(SessionInfo, ResetSoftphonePassword)| {
            let (session, reset) = (session.clone(), reset.clone());
            async move { api::reset_softphone_password(&session, &reset).await }
        });
    let open = move |_| {
        form.set(PasswordForm::new(two_factor));
        failed.set(false);
        done.set(false);
        dialog_open.set(true);
    };
    Effect::new(move |_| {
        let Some(result) = send_action.value().get() else {
            return;
        };
        untrack(move || match result {
            Ok(sent) => {
                countdown.set(sent.resend_after_secs.max(0) as u64);
                code_notice.set(Some(CodeNotice::Sent(sent)));
                focus_element("verification_code");
            }
            Err(ApiError::Problem(problem))
                if problem.problem_type == ProblemType::TooManyRequests =>
            {
                let wait = problem.retry_after_secs.unwrap_or(60);
                countdown.set(wait);
                code_notice.set(Some(CodeNotice::TooMany(wait)));
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Validation => {
                code_notice.set(None);
                form.update(|f| f.refuse(problem.errors));
            }
            Err(error) if error.is_unauthenticated() => auth.expired(),
            Err(_) => code_notice.set(Some(CodeNotice::Failed)),
        })
    });
    Effect::new(move |_| {
        let Some(result) = reset_action.value().get() else {
            return;
        };
        untrack(move || match result {
            Ok(()) => {
                done.set(true);
                dialog_open.set(false);
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Validation => {
                form.update(|f| f.refuse(problem.errors));
                if let Some(field) = form.with(PasswordForm::first_invalid) {
                    focus_element(input_id(field));
                }
            }
            Err(error) if error.is_unauthenticated() => auth.expired(),
            Err(_) => failed.set(true),
        })
    });
    let send_code = move |_| {
        if countdown.get_untracked() > 0 {
            return;
        }
        if let Some(session) = auth.session_untracked() {
            send_action.dispatch_local(session);
        }
    };
    let on_save = Callback::new(move |()| {
        form.update(|f| f.submitted = true);
        if let Some(field) = form.with(PasswordForm::first_invalid) {
            focus_element(input_id(field));
            return;
        }
        let Some(session) = auth.session_untracked() else {
            return;
        };
        failed.set(false);
        reset_action.dispatch_local((session, form.with(PasswordForm::request)));
    });

    let error = move |field: &'static str| Signal::derive(move || form.with(|f| f.error(field)));
    let invalid = move |field: &'static str| move || form.with(|f| f.error(field).is_some());
    let described_by = move |field: &'static str, extra: Option<&'static str>| {
        move || {
            let id = input_id(field);
            let mut ids: Vec<String> = extra.map(str::to_owned).into_iter().collect();
            if form.with(|f| f.error(field).is_some()) {
                ids.push(format!("{id}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let on_input = move |field: &'static str| {
        move |ev| {
            let value = event_target_value(&ev);
            form.update(|f| f.set(field, value));
        }
    };
    let checklist = move || form.with(PasswordForm::checklist);
    let code_field = needs_code.then(|| {
        let notice = move || {
            code_notice.get().map(|notice| match notice {
                CodeNotice::Sent(sent) => {
                    let destination = sent.destination;
                    let text = if sent.channel == TwoFactorMethod::Email {
                        t!(i18n, agent_info.code_sent_email, destination).into_any()
                    } else {
                        t!(i18n, agent_info.code_sent_sms, destination).into_any()
                    };
                    view! { <p class="hint" id="code-sent" data-testid="code-sent">{text}</p> }.into_any()
                }
                CodeNotice::TooMany(seconds) => view! {
                    <p class="field-error" data-testid="code-refused">
                        {t!(i18n, agent_info.too_many_codes, seconds)}
                    </p>
                }
                .into_any(),
                CodeNotice::Failed => view! {
                    <p class="field-error" data-testid="code-refused">{tr!(i18n, agent_info.save_failed)}</p>
                }
                .into_any(),
            })
        };
        view! {
            <div class="field" class:field-invalid=invalid("code")>
                <label for="verification_code">{tr!(i18n, agent_info.verification_code)}</label>
                <FieldErrorText id="verification_code-error" error=error("code")/>
                <div class="code-row">
                    <input
                        id="verification_code"
                        name="verification_code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength="6"
                        aria-invalid=move || invalid("code")().then_some("true")
                        aria-describedby=described_by("code", Some("code-status"))
                        prop:value=move || form.with(|f| f.code.clone())
                        on:input=on_input("code")
                    />
                    <button
                        type="button"
                        class="button secondary"
                        id="send-code"
                        aria-disabled=move || (countdown.get() > 0 || send_action.pending().get()).then_some("true")
                        on:click=send_code
                    >
                        {move || {
                            let seconds = countdown.get();
                            if seconds > 0 {
                                t!(i18n, agent_info.resend_in, seconds).into_any()
                            } else {
                                tr!(i18n, agent_info.send_code).into_any()
                            }
                        }}
                    </button>
                </div>
                <div id="code-status" role="status">{notice}</div>
            </div>
        }
    });
    view! {
        <section class="agent-section" aria-labelledby="password-section-title">
            <h3 id="password-section-title" class="visually-hidden">{tr!(i18n, agent_info.reset_password)}</h3>
            <p class="notice success" role="status" hidden=move || !done.get() data-testid="password-reset-done">
                {tr!(i18n, agent_info.password_reset_done)}
            </p>
            <button type="button" class="button secondary" id="reset-password" on:click=open>
                {tr!(i18n, agent_info.reset_password)}
            </button>
            <FormDialog
                name="password"
                open=dialog_open
                opener="reset-password"
                title=ViewFn::from(move || tr!(i18n, agent_info.reset_password))
                busy=Signal::derive(move || reset_action.pending().get())
                on_save
            >
                    <div class="field" class:field-invalid=invalid("password")>
                        <label for="new_password">{tr!(i18n, agent_info.new_password)}</label>
                        <FieldErrorText id="new_password-error" error=error("password")/>
                        <input
                            id="new_password"
                            name="new_password"
                            type="password"
                            autocomplete="new-password"
                            aria-invalid=move || invalid("password")().then_some("true")
                            aria-describedby=described_by("password", Some("new_password-checklist"))
                            prop:value=move || form.with(|f| f.password.clone())
                            on:input=on_input("password")
                        />
                        <ul class="password-checklist" id="new_password-checklist">
                            <ChecklistItem met=Signal::derive(move || checklist().length) rule="length">
                                {tr!(i18n, agent_info.rule_length)}
                            </ChecklistItem>
                            <ChecklistItem met=Signal::derive(move || checklist().kinds) rule="kinds">
                                {tr!(i18n, agent_info.rule_kinds)}
                            </ChecklistItem>
                            <ChecklistItem met=Signal::derive(move || checklist().allowed_characters && form.with(|f| !f.password.is_empty())) rule="allowed">
                                {tr!(i18n, agent_info.rule_allowed)}
                            </ChecklistItem>
                            <ChecklistItem met=Signal::derive(move || form.with(PasswordForm::confirmed)) rule="match">
                                {tr!(i18n, agent_info.rule_match)}
                            </ChecklistItem>
                        </ul>
                    </div>
                    <div class="field" class:field-invalid=invalid("confirmation")>
                        <label for="confirm_password">{tr!(i18n, agent_info.confirm_password)}</label>
                        <FieldErrorText id="confirm_password-error" error=error("confirmation")/>
                        <input
                            id="confirm_password"
                            name="confirm_password"
                            type="password"
                            autocomplete="new-password"
                            aria-invalid=move || invalid("confirmation")().then_some("true")
                            aria-describedby=described_by("confirmation", None)
                            prop:value=move || form.with(|f| f.confirmation.clone())
                            on:input=on_input("confirmation")
                        />
                    </div>
                    {code_field}
                    {move || failed.get().then(|| view! {
                        <p class="field-error" role="alert" data-testid="password-failed">
                            {tr!(i18n, agent_info.save_failed)}
                        </p>
                    })}
            </FormDialog>
        </section>
    }
}
