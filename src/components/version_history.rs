//! BEY-2: the History of an area in a native modal `<dialog>` (focus kept inside, Escape closes
//! it and gives focus back): the saved versions, newest first, each with when, from which
//! address and browser, what it changed (old → new), and **Restore**, which hands the version to
//! the tab to put into its form; the agent then checks it and saves as usual.

use std::future::Future;

use leptos::prelude::*;
use pc_model::{ParameterVersion, SavedBy, SettingsVersion};

use super::confirm_dialog::modal_while;
use super::field_change::ChangeLine;
use super::remote::remote;
use crate::api::ApiResult;
use crate::i18n::*;
use crate::time::local_time;

/// A saved version as the list shows it.
pub trait SavedVersion: Clone + Send + Sync + 'static {
    fn id(&self) -> i64;
    fn saved(&self) -> &SavedBy;
}

impl SavedVersion for SettingsVersion {
    fn id(&self) -> i64 {
        self.id
    }

    fn saved(&self) -> &SavedBy {
        &self.saved
    }
}

impl SavedVersion for ParameterVersion {
    fn id(&self) -> i64 {
        self.id
    }

    fn saved(&self) -> &SavedBy {
        &self.saved
    }
}

#[component]
pub fn VersionHistory<V, L, F>(
    /// Element ID of the dialog; its title gets `{id}-title`.
    id: &'static str,
    /// Open while true; closing the dialog in any way sets it back to false.
    open: RwSignal<bool>,
    title: ViewFn,
    /// Loads the versions, newest first; called each time the dialog opens.
    load: L,
    /// Puts a version's values into the form; the dialog is closed by then.
    on_restore: Callback<V>,
) -> impl IntoView
where
    V: SavedVersion,
    L: Fn() -> F + Copy + Send + Sync + 'static,
    F: Future<Output = ApiResult<Vec<V>>> + 'static,
{
    // Only this loading part depends on the kind of version; the dialog and the list do not,
    // so the app carries them once.
    let list = ViewFn::from(move || {
        open.get().then(|| {
            let versions = LocalResource::new(load);
            remote(versions, move |versions: Vec<V>| {
                let entries = versions
                    .iter()
                    .map(|version| (version.id(), version.saved().clone()))
                    .collect();
                let restore = Callback::new(move |id: i64| {
                    if let Some(version) = versions.iter().find(|version| version.id() == id) {
                        open.set(false);
                        on_restore.run(version.clone());
                    }
                });
                view! { <VersionList entries restore/> }
            })
        })
    });
    view! { <HistoryDialog id open title list/> }
}

#[component]
fn HistoryDialog(
    id: &'static str,
    open: RwSignal<bool>,
    title: ViewFn,
    list: ViewFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = modal_while(open);
    view! {
        <dialog
            node_ref=dialog
            id=id
            class="confirm-dialog version-history"
            aria-labelledby=format!("{id}-title")
            on:close=move |_| open.set(false)
        >
            <h2 id=format!("{id}-title")>{title.run()}</h2>
            <p class="hint">{tr!(i18n, history.hint)}</p>
            {move || list.run()}
            <div class="form-actions">
                <button type="button" class="button secondary" id=format!("{id}-close") on:click=move |_| open.set(false)>
                    {tr!(i18n, common.close)}
                </button>
            </div>
        </dialog>
    }
}

/// The versions by ID and how each was saved; Restore hands back the ID.
#[component]
fn VersionList(entries: Vec<(i64, SavedBy)>, restore: Callback<i64>) -> impl IntoView {
    let i18n = use_i18n();
    if entries.is_empty() {
        return view! { <p data-testid="no-versions">{tr!(i18n, history.empty)}</p> }.into_any();
    }
    let locale = i18n.get_locale_untracked().as_str();
    view! {
        <ol class="version-list">
            {entries.into_iter().map(|(id, saved)| {
                let (shown, iso) = local_time(saved.at, locale);
                let heading = format!("version-{id}");
                view! {
                    <li data-version=id>
                        <p class="version-when" id=heading.clone()>
                            <time datetime=iso>{shown}</time>
                        </p>
                        <p class="version-from">
                            {tr!(i18n, history.from)}" "{saved.address}
                            {(!saved.browser.is_empty()).then(|| view! {
                                <span class="version-browser" title=saved.browser.clone()>
                                    {tr!(i18n, history.browser)}": "{saved.browser.clone()}
                                </span>
                            })}
                        </p>
                        {if saved.changes.is_empty() {
                            view! { <p class="hint">{tr!(i18n, history.no_changes)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="activity-changes">
                                    {saved.changes.into_iter().map(|change| view! { <ChangeLine change/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <button
                            type="button"
                            class="button secondary"
                            aria-describedby=heading
                            on:click=move |_| restore.run(id)
                        >
                            {tr!(i18n, history.restore)}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
