//! The notices of a change that was not made, the same everywhere: "changed elsewhere" with a way
//! to load the latest, and "not saved, nothing lost" with the reason and Retry. A success, a
//! refusal at a field and a lost session are shown by the part that made the change, at the
//! field and by the sign-in page.

use leptos::prelude::*;

use super::load_error::LoadError;
use crate::change::{Change, Outcome};
use crate::i18n::*;

#[component]
pub fn ChangeNotice(
    change: Change,
    /// What changed elsewhere, in the words of the area.
    #[prop(optional)]
    stale: Option<ViewFn>,
    /// Loads the latest data, discarding the agent's changes; without it the notice says how
    /// to see the latest in `stale`.
    #[prop(optional)]
    reload: Option<Callback<()>>,
    /// Tries again with what the form holds now; without it, the same request is sent again
    /// (for changes that no form feeds, such as sign-out).
    #[prop(optional)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match change.outcome() {
        Some(Outcome::Stale) => Some(
            view! {
                <div class="load-error" role="alert" data-testid="stale">
                    <p>{match &stale {
                        Some(stale) => stale.run(),
                        None => tr!(i18n, common.changed_elsewhere).into_any(),
                    }}</p>
                    {reload.map(|reload| view! {
                        <button type="button" class="button secondary" on:click=move |_| reload.run(())>
                            {tr!(i18n, common.reload_latest)}
                        </button>
                    })}
                </div>
            }
            .into_any(),
        ),
        Some(Outcome::Failed(error)) => Some(
            view! {
                <div data-testid="not-saved">
                    <p class="field-error">{tr!(i18n, common.not_saved)}</p>
                    <LoadError error retry=retry.unwrap_or_else(|| Callback::new(move |()| change.retry()))/>
                </div>
            }
            .into_any(),
        ),
        _ => None,
    }
    }
}
