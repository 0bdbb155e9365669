//! A labelled text input that shows its own error the GOV.UK way: the message sits between the
//! label and the input, the input is `aria-invalid` and points at the message.

use leptos::prelude::*;
use pc_model::Violation;

use crate::messages::violation_message;

#[component]
pub fn TextField(
    /// Element ID; the error message gets `{id}-error`.
    id: &'static str,
    /// The visible label.
    label: ViewFn,
    value: RwSignal<String>,
    /// Why the value is not accepted, if it is not.
    #[prop(into)]
    error: Signal<Option<Violation>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let has_error = move || error.with(Option::is_some);
    view! {
        <div class="field" class:field-invalid=has_error>
            <label for=id>{label.run()}</label>
            {
                let error_id = error_id.clone();
                move || error.get().map(|violation| view! {
                    <p class="field-error" id=error_id.clone()>{violation_message(&violation)}</p>
                })
            }
            <input
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                node_ref=node_ref
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || has_error().then(|| error_id.clone())
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}
