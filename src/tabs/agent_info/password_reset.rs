//! AGT-4: **Reset Softphone Password** in a native modal `<dialog>` (focus kept inside, Escape
//! closes, focus back on the button). A checklist under the new password ticks off each rule as
//! it is met; with SMS or email two-factor, **Send Code** sends a code, says where it went and
//! counts down 60 seconds before it can send again. Until the server says the code went out, the
//! dialog asks after it each second; when every attempt to send it failed, it says so and offers
//! to send the code again at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use pc_model::softphone_password::PasswordResetField;
use pc_model::{CodeDeliveryState, CodeSent, ProblemType, TwoFactorMethod};

use super::password_form::{PasswordForm, PasswordValues};
use crate::api::{self, ApiError};
use crate::change::Change;
use crate::components::change_notice::ChangeNotice;
use crate::components::field_error::FieldErrorText;
use crate::components::form_dialog::FormDialog;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::workbench::protocol::SavedArea;

/// The element ID of each field.
fn input_id(field: PasswordResetField) -> &'static str {
    match field {
        PasswordResetField::Password => "new_password",
        PasswordResetField::Confirmation => "confirm_password",
        PasswordResetField::Code => "verification_code",
    }
}

#[derive(Clone, Debug, PartialEq)]
enum CodeNotice {
    Sent(CodeSent),
    TooMany(u64),
    Failed,
    /// Sent to the server, but it could not be sent on (masked destination).
    Undelivered(String),
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
    let dialog_open = RwSignal::new(false);
    let form = PasswordForm::new(PasswordValues::new(two_factor));
    let done = RwSignal::new(false);
    let code_notice = RwSignal::new(None::<CodeNotice>);
    let countdown = RwSignal::new(0u64);
    let needs_code = two_factor != TwoFactorMethod::None;
    // Which code is on its way (one more for each sent), and whether to ask after it.
    let code_number = RwSignal::new(0u32);
    let awaiting_delivery = RwSignal::new(false);
    let ask_after_delivery = move || {
        awaiting_delivery.set(false);
        let asked_for = code_number.get_untracked();
        spawn_local(async move {
            let state = api::code_delivery().await.map(|delivery| delivery.state);
            if code_number.get_untracked() != asked_for {
                return;
            }
            match state {
                Ok(Some(CodeDeliveryState::Failed)) => {
                    countdown.set(0);
                    code_notice.update(|notice| {
                        if let Some(CodeNotice::Sent(sent)) = notice {
                            *notice = Some(CodeNotice::Undelivered(sent.destination.clone()));
                        }
                    });
                }
                Ok(Some(CodeDeliveryState::Pending)) | Err(ApiError::Unreachable) => {
                    awaiting_delivery.set(true)
                }
                _ => {}
            }
        });
    };

    if let Ok(clock) = set_interval_with_handle(
        move || {
            if countdown.get_untracked() > 0 {
                countdown.update(|n| *n -= 1);
            }
            if awaiting_delivery.get_untracked() {
                ask_after_delivery();
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || clock.clear());
    }

    let send = Change::new()
        .on_refused(move |errors| {
            code_notice.set(None);
            form.refuse(errors)
        })
        .on_failed(move |error| {
            let notice = match error {
                ApiError::Problem(problem)
                    if problem.problem_type == ProblemType::TooManyRequests =>
                {
                    let wait = problem.retry_after_secs.unwrap_or(60);
                    countdown.set(wait);
                    CodeNotice::TooMany(wait)
                }
                _ => CodeNotice::Failed,
            };
            code_notice.set(Some(notice));
        });
    let reset = Change::new()
        .saves(SavedArea::SoftphonePassword)
        .on_refused(move |errors| {
            let placed = form.refuse(errors);
            if let Some(field) = form.first_invalid() {
                focus_element(input_id(field));
            }
            placed
        });
    let open = move |_| {
        form.reset(PasswordValues::new(two_factor));
        reset.clear();
        done.set(false);
        dialog_open.set(true);
    };
    let send_code = move |_| {
        if countdown.get_untracked() > 0 {
            return;
        }
        send.send(api::send_code(), move |sent| {
            code_number.update(|n| *n += 1);
            awaiting_delivery.set(true);
            countdown.set(sent.resend_after_secs.max(0) as u64);
            code_notice.set(Some(CodeNotice::Sent(sent)));
            focus_element("verification_code");
        });
    };
    let on_save = Callback::new(move |()| match form.submit() {
        Err(field) => focus_element(input_id(field)),
        Ok(values) => reset.send(api::reset_softphone_password(&values.reset), move |()| {
            done.set(true);
            dialog_open.set(false);
        }),
    });

    let error = move |field: PasswordResetField| Signal::derive(move || form.error(field));
    let invalid = move |field: PasswordResetField| move || form.error(field).is_some();
    let described_by = move |field: PasswordResetField, extra: Option<&'static str>| {
        move || {
            let id = input_id(field);
            let mut ids: Vec<String> = extra.map(str::to_owned).into_iter().collect();
            if form.error(field).is_some() {
                ids.push(format!("{id}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let on_input = move |field: PasswordResetField| {
        move |ev| {
            let value = event_target_value(&ev);
            form.update(|v| v.set(field, value));
        }
    };
    let checklist = move || form.with(PasswordValues::checklist);
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
                    <p class="field-error" data-testid="code-refused">{tr!(i18n, agent_info.code_not_sent)}</p>
                }
                .into_any(),
                CodeNotice::Undelivered(destination) => view! {
                    <div class="code-undelivered" data-testid="code-undelivered">
                        <p class="field-error">{t!(i18n, agent_info.code_undelivered, destination)}</p>
                        <button type="button" class="button secondary" id="send-code-again" on:click=send_code>
                            {tr!(i18n, agent_info.send_code_again)}
                        </button>
                    </div>
                }
                .into_any(),
            })
        };
        view! {
            <div class="field" class:field-invalid=invalid(PasswordResetField::Code)>
                <label for="verification_code">{tr!(i18n, agent_info.verification_code)}</label>
                <FieldErrorText id="verification_code-error" error=error(PasswordResetField::Code)/>
                <div class="code-row">
                    <input
                        id="verification_code"
                        name="verification_code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength="6"
                        aria-invalid=move || invalid(PasswordResetField::Code)().then_some("true")
                        aria-describedby=described_by(PasswordResetField::Code, Some("code-status"))
                        prop:value=move || form.with(|v| v.reset.code.clone())
                        on:input=on_input(PasswordResetField::Code)
                    />
                    <button
                        type="button"
                        class="button secondary"
                        id="send-code"
                        aria-disabled=move || (countdown.get() > 0 || send.pending()).then_some("true")
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
                busy=Signal::derive(move || reset.pending())
                on_save
            >
                    <div class="field" class:field-invalid=invalid(PasswordResetField::Password)>
                        <label for="new_password">{tr!(i18n, agent_info.new_password)}</label>
                        <FieldErrorText id="new_password-error" error=error(PasswordResetField::Password)/>
                        <input
                            id="new_password"
                            name="new_password"
                            type="password"
                            autocomplete="new-password"
                            aria-invalid=move || invalid(PasswordResetField::Password)().then_some("true")
                            aria-describedby=described_by(PasswordResetField::Password, Some("new_password-checklist"))
                            prop:value=move || form.with(|v| v.reset.password.clone())
                            on:input=on_input(PasswordResetField::Password)
                        />
                        <ul class="password-checklist" id="new_password-checklist">
                            <ChecklistItem met=Signal::derive(move || checklist().length) rule="length">
                                {tr!(i18n, agent_info.rule_length)}
                            </ChecklistItem>
                            <ChecklistItem met=Signal::derive(move || checklist().kinds) rule="kinds">
                                {tr!(i18n, agent_info.rule_kinds)}
                            </ChecklistItem>
                            <ChecklistItem met=Signal::derive(move || checklist().allowed_characters && form.with(|v| !v.reset.password.is_empty())) rule="allowed">
                                {tr!(i18n, agent_info.rule_allowed)}
                            </ChecklistItem>
                            <ChecklistItem met=Signal::derive(move || form.with(PasswordValues::confirmed)) rule="match">
                                {tr!(i18n, agent_info.rule_match)}
                            </ChecklistItem>
                        </ul>
                    </div>
                    <div class="field" class:field-invalid=invalid(PasswordResetField::Confirmation)>
                        <label for="confirm_password">{tr!(i18n, agent_info.confirm_password)}</label>
                        <FieldErrorText id="confirm_password-error" error=error(PasswordResetField::Confirmation)/>
                        <input
                            id="confirm_password"
                            name="confirm_password"
                            type="password"
                            autocomplete="new-password"
                            aria-invalid=move || invalid(PasswordResetField::Confirmation)().then_some("true")
                            aria-describedby=described_by(PasswordResetField::Confirmation, None)
                            prop:value=move || form.with(|v| v.reset.confirmation.clone())
                            on:input=on_input(PasswordResetField::Confirmation)
                        />
                    </div>
                    {code_field}
                    <ChangeNotice change=reset retry=on_save/>
            </FormDialog>
        </section>
    }
}
