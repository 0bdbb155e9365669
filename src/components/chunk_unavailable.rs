//! OPS-7: what the agent sees where a part of the app could not be loaded, and the way on:
//! Reload, which keeps what they typed (`UnsavedChanges::reload_keeping_drafts`).

use leptos::prelude::*;

use crate::i18n::*;
use crate::unsaved::use_unsaved_changes;

#[component]
pub fn ChunkUnavailableNotice() -> impl IntoView {
    let i18n = use_i18n();
    let unsaved = use_unsaved_changes();
    view! {
        <div class="load-error" role="alert" data-testid="chunk-unavailable">
            <p>{tr!(i18n, chunk_unavailable)}</p>
            <button
                type="button"
                class="button secondary"
                id="reload-app"
                on:click=move |_| unsaved.reload_keeping_drafts()
            >
                {tr!(i18n, reload)}
            </button>
        </div>
    }
}
