//! A form in a native modal `<dialog>` with **Save** and **Cancel**: focus is kept inside,
//! Escape closes it, and focus goes back to the button that opened it.

use leptos::prelude::*;

use super::confirm_dialog::modal_while;
use crate::focus::focus_element;
use crate::i18n::*;

#[component]
pub fn FormDialog(
    /// Prefix of the element IDs: `{name}-dialog`, `{name}-dialog-title`, `{name}-save`,
    /// `{name}-cancel`.
    name: &'static str,
    /// Open while true; closing the dialog in any way sets it back to false.
    open: RwSignal<bool>,
    /// The ID of the button that opens the dialog; focus returns there when it closes.
    opener: &'static str,
    title: ViewFn,
    /// While true, Save is off (a save is on its way).
    #[prop(into)]
    busy: Signal<bool>,
    on_save: Callback<()>,
    /// The fields and messages.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = modal_while(open);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_save.run(());
    };
    view! {
        <dialog
            node_ref=dialog
            id=format!("{name}-dialog")
            class="confirm-dialog"
            aria-labelledby=format!("{name}-dialog-title")
            on:close=move |_| {
                open.set(false);
                focus_element(opener);
            }
        >
            <form on:submit=on_submit novalidate>
                <h2 id=format!("{name}-dialog-title")>{title.run()}</h2>
                {children()}
                <div class="form-actions">
                    <button type="submit" class="button primary" id=format!("{name}-save") disabled=move || busy.get()>
                        {tr!(i18n, common.save)}
                    </button>
                    <button type="button" class="button secondary" id=format!("{name}-cancel") on:click=move |_| open.set(false)>
                        {tr!(i18n, common.cancel)}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
