//! A question the agent confirms before something that cannot be undone. A native modal
//! `<dialog>` keeps focus inside, closes on Escape and gives focus back to where it was.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::i18n::*;

/// A `<dialog>` reference that is shown as a modal while `open` is true and closed otherwise.
pub fn modal_while(open: RwSignal<bool>) -> NodeRef<Dialog> {
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else {
            return;
        };
        if open.get() && !dialog.open() {
            let _ = dialog.show_modal();
        } else if !open.get() && dialog.open() {
            dialog.close();
        }
    });
    dialog
}

#[component]
pub fn ConfirmDialog(
    /// Element ID; the title gets `{id}-title`.
    id: &'static str,
    /// Open while true; closing the dialog in any way sets it back to false.
    open: RwSignal<bool>,
    title: ViewFn,
    confirm_label: ViewFn,
    on_confirm: Callback<()>,
    /// What will happen, in detail.
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = modal_while(open);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        open.set(false);
        on_confirm.run(());
    };
    view! {
        <dialog
            node_ref=dialog
            id=id
            class="confirm-dialog"
            aria-labelledby=format!("{id}-title")
            on:close=move |_| open.set(false)
        >
            <form on:submit=on_submit>
                <h2 id=format!("{id}-title")>{title.run()}</h2>
                {children()}
                <div class="form-actions">
                    <button type="submit" class="button primary" id=format!("{id}-confirm")>
                        {confirm_label.run()}
                    </button>
                    <button type="button" class="button secondary" id=format!("{id}-cancel") on:click=move |_| open.set(false)>
                        {tr!(i18n, common.cancel)}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
