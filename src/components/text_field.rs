//! A labelled text input that shows its own error the GOV.UK way: the message sits between the
//! label and the input, the input is `aria-invalid` and points at the message and at its hint.

use leptos::prelude::*;
use pc_model::Violation;

use super::field_error::FieldErrorText;

#[component]
pub fn TextField(
    /// Element ID; the error message gets `{id}-error`, the hint `{id}-hint`.
    id: &'static str,
    /// The visible label.
    label: ViewFn,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    /// Why the value is not accepted, if it is not.
    #[prop(into)]
    error: Signal<Option<Violation>>,
    /// Help shown under the label.
    #[prop(optional)]
    hint: Option<ViewFn>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] input_mode: Option<&'static str>,
) -> impl IntoView {
    let has_error = move || error.with(Option::is_some);
    let has_hint = hint.is_some();
    let described_by = move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if has_error() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field" class:field-invalid=has_error>
            <label for=id>{label.run()}</label>
            {hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint.run()}</p> })}
            <FieldErrorText id=format!("{id}-error") error/>
            <input
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                inputmode=input_mode
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
        </div>
    }
}
