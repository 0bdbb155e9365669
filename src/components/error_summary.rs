//! The GOV.UK error summary: a box at the top of a form that lists every problem, takes focus
//! when the form is refused, and links each problem to its field.

use crate::focus::focus_element;
use crate::i18n::*;
use leptos::prelude::*;

/// Moves focus into the summary; call after a refused submit.
#[derive(Clone, Copy)]
pub struct SummaryFocus(NodeRef<leptos::html::Div>);

impl SummaryFocus {
    pub fn new() -> Self {
        SummaryFocus(NodeRef::new())
    }

    pub fn focus(self) {
        request_animation_frame(move || {
            if let Some(summary) = self.0.get_untracked() {
                let _ = summary.focus();
            }
        });
    }
}

impl Default for SummaryFocus {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn ErrorSummary(
    #[prop(into)] visible: Signal<bool>,
    focus: SummaryFocus,
    /// `<li>` items, usually `ErrorLink`s.
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    // Focus moves here on submit, which makes screen readers read it; no live region as well,
    // or it would be read twice.
    view! {
        <div
            class="error-summary"
            class:hidden=move || !visible.get()
            tabindex="-1"
            aria-labelledby="error-summary-title"
            node_ref=focus.0
        >
            <Show when=move || visible.get()>
                <h2 id="error-summary-title">{tr!(i18n, sign_in.error_summary)}</h2>
                <ul>{children()}</ul>
            </Show>
        </div>
    }
}

/// A problem in the summary that takes the agent to the field at fault.
#[component]
pub fn ErrorLink(target: String, children: Children) -> impl IntoView {
    let href = format!("#{target}");
    let on_click = move |ev: leptos::ev::MouseEvent| {
        // The router would only scroll to the anchor; the field itself must get focus.
        ev.prevent_default();
        focus_element(&target);
    };
    view! { <li><a href=href on:click=on_click>{children()}</a></li> }
}
