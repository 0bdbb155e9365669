//! AGT-6: the agent's fixed-line number and mobile, and **Modify** in a native modal `<dialog>`
//! (focus kept inside, Escape closes, focus back on Modify). Each number is checked while typing
//! with the model's phone rule and again by the server, which names the field at fault.

use leptos::prelude::*;
use pc_model::{AgentInfo, ProblemType, SavePhoneNumbers, SessionInfo};

use super::phone_form::PhoneForm;
use crate::api::{self, ApiError};
use crate::components::error_summary::focus_element;
use crate::components::form_dialog::FormDialog;
use crate::components::text_field::TextField;
use crate::i18n::*;
use crate::session::use_auth;

#[component]
pub fn PhoneNumbers(agent: RwSignal<AgentInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let dialog_open = RwSignal::new(false);
    let form = RwSignal::new(PhoneForm::default());
    let saved = RwSignal::new(false);
    let failed = RwSignal::new(None::<ApiError>);
    let stale = RwSignal::new(false);
    let action = Action::new_local(|(session, save): &(SessionInfo, SavePhoneNumbers)| {
        let (session, save) = (session.clone(), save.clone());
        async move { api::save_phone_numbers(&session, &save).await }
    });
    let open = move |_| {
        form.set(PhoneForm::from_agent(&agent.get_untracked()));
        failed.set(None);
        stale.set(false);
        saved.set(false);
        dialog_open.set(true);
    };
    Effect::new(move |_| {
        let Some(result) = action.value().get() else {
            return;
        };
        untrack(move || match result {
            Ok(info) => {
                agent.set(info);
                saved.set(true);
                dialog_open.set(false);
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Validation => {
                form.update(|f| f.refuse(problem.errors));
                if let Some(field) = form.with(PhoneForm::first_invalid) {
                    focus_element(field);
                }
            }
            Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Stale => {
                // Keep what was typed; show the numbers as they are now behind the dialog.
                stale.set(true);
                leptos::task::spawn_local(async move {
                    if let Ok(info) = api::agent().await {
                        agent.set(info);
                    }
                });
            }
            Err(error) if error.is_unauthenticated() => auth.expired(),
            Err(error) => failed.set(Some(error)),
        })
    });
    let on_save = Callback::new(move |()| {
        if let Some(field) = form.with(PhoneForm::first_invalid) {
            focus_element(field);
            return;
        }
        let Some(session) = auth.session_untracked() else {
            return;
        };
        failed.set(None);
        stale.set(false);
        action.dispatch_local((session, form.with(PhoneForm::request)));
    });
    let field = move |name: &'static str| {
        (
            Signal::derive(move || {
                form.with(|f| {
                    if name == "fixed_line" {
                        f.fixed_line.clone()
                    } else {
                        f.mobile.clone()
                    }
                })
            }),
            Callback::new(move |value: String| form.update(|f| f.set(name, value))),
            Signal::derive(move || form.with(|f| f.error(name))),
        )
    };
    let (fixed_value, fixed_input, fixed_error) = field("fixed_line");
    let (mobile_value, mobile_input, mobile_error) = field("mobile");
    let shown = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    view! {
        <section class="agent-section" aria-labelledby="phone-numbers-title">
            <h3 id="phone-numbers-title">{tr!(i18n, agent_info.phone_numbers)}</h3>
            <dl class="details">
                <dt>{tr!(i18n, agent_info.fixed_line)}</dt>
                <dd data-field="fixed_line">{move || shown(agent.with(|a| a.fixed_line.clone()))}</dd>
                <dt>{tr!(i18n, agent_info.mobile)}</dt>
                <dd data-field="mobile">{move || shown(agent.with(|a| a.mobile.clone()))}</dd>
            </dl>
            <p class="notice success" role="status" hidden=move || !saved.get() data-testid="phones-saved">
                {tr!(i18n, agent_info.phones_saved)}
            </p>
            <button type="button" class="button secondary" id="modify-phones" on:click=open>
                {tr!(i18n, agent_info.modify)}
            </button>
            <FormDialog
                name="phones"
                open=dialog_open
                opener="modify-phones"
                title=ViewFn::from(move || tr!(i18n, agent_info.modify_phones_title))
                busy=Signal::derive(move || action.pending().get())
                on_save
            >
                    <TextField
                        id="fixed_line"
                        label=ViewFn::from(move || tr!(i18n, agent_info.fixed_line))
                        hint=ViewFn::from(move || tr!(i18n, agent_info.phone_hint))
                        value=fixed_value
                        on_input=fixed_input
                        error=fixed_error
                        input_type="tel"
                        autocomplete="tel"
                    />
                    <TextField
                        id="mobile"
                        label=ViewFn::from(move || tr!(i18n, agent_info.mobile))
                        hint=ViewFn::from(move || tr!(i18n, agent_info.phone_hint))
                        value=mobile_value
                        on_input=mobile_input
                        error=mobile_error
                        input_type="tel"
                        autocomplete="tel"
                    />
                    {move || stale.get().then(|| view! {
                        <p class="field-error" role="alert" data-testid="phones-stale">
                            {tr!(i18n, agent_info.phones_stale)}
                        </p>
                    })}
                    {move || failed.get().map(|_| view! {
                        <p class="field-error" role="alert" data-testid="phones-failed">
                            {tr!(i18n, agent_info.save_failed)}
                        </p>
                    })}
            </FormDialog>
        </section>
    }
}
