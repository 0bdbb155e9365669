//! AGT-6: the agent's fixed-line number and mobile, and **Modify** in a native modal `<dialog>`
//! (focus kept inside, Escape closes, focus back on Modify). Each number is checked while typing
//! with the model's phone rule and again by the server, which names the field at fault.

use leptos::prelude::*;
use pc_model::agent_info::PhoneField;
use pc_model::{AgentInfo, SavePhoneNumbers};

use super::phone_form::{phone_values, PhoneForm};
use crate::api;
use crate::change::Change;
use crate::components::change_notice::ChangeNotice;
use crate::components::form_dialog::FormDialog;
use crate::components::text_field::TextField;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::workbench::protocol::SavedArea;

#[component]
pub fn PhoneNumbers(agent: RwSignal<AgentInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let dialog_open = RwSignal::new(false);
    let form = PhoneForm::new(SavePhoneNumbers::default());
    let saved = RwSignal::new(false);
    let focus_first_invalid = move || {
        if let Some(field) = form.first_invalid() {
            focus_element(field.name());
        }
    };
    let save = Change::new()
        .saves(SavedArea::PhoneNumbers)
        .on_refused(move |errors| {
            let placed = form.refuse(errors);
            focus_first_invalid();
            placed
        })
        // Keep what was typed; show the numbers as they are now behind the dialog.
        .on_stale(move || {
            leptos::task::spawn_local(async move {
                if let Ok(info) = api::agent().await {
                    agent.set(info);
                }
            });
        });
    let open = move |_| {
        form.reset(phone_values(&agent.get_untracked()));
        save.clear();
        saved.set(false);
        dialog_open.set(true);
    };
    let on_save = Callback::new(move |()| match form.submit() {
        Err(field) => focus_element(field.name()),
        Ok(numbers) => save.send(api::save_phone_numbers(&numbers), move |info| {
            agent.set(info);
            saved.set(true);
            dialog_open.set(false);
        }),
    });
    let (fixed_value, fixed_input, fixed_error) =
        form.text_field(PhoneField::FixedLine, |f, text| f.fixed_line = text);
    let (mobile_value, mobile_input, mobile_error) =
        form.text_field(PhoneField::Mobile, |f, text| f.mobile = text);
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
                busy=Signal::derive(move || save.pending())
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
                    <ChangeNotice change=save retry=on_save stale=ViewFn::from(move || tr!(i18n, agent_info.phones_stale))/>
            </FormDialog>
        </section>
    }
}
