//! What the agent sees instead of data that could not be loaded: why, and a way to try again.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::*;

#[component]
pub fn LoadError(error: ApiError, retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let message = match error {
        ApiError::Unreachable => tr!(i18n, unreachable).into_any(),
        _ => tr!(i18n, server_error).into_any(),
    };
    view! {
        <div class="load-error" role="alert">
            <p>{message}</p>
            <button type="button" class="button secondary" on:click=move |_| retry.run(())>
                {tr!(i18n, common.retry)}
            </button>
        </div>
    }
}
