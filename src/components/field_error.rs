//! The message under a label that says why a field's value is not accepted.

use leptos::prelude::*;
use pc_model::Violation;

use crate::i18n::*;
use crate::messages::violation_message;

#[component]
pub fn FieldErrorText(#[prop(into)] id: String, error: Signal<Option<Violation>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|violation| {
            view! {
                <p class="field-error" id=id.clone()>
                    // Read out, not shown: colour and position alone do not say "error".
                    <span class="visually-hidden">{tr!(i18n, error_prefix)}" "</span>
                    {violation_message(&violation)}
                </p>
            }
        })
    }
}
