//! Batch Reset and Batch Sync: the toolbar over the table, and the notice of what a batch did.

use leptos::prelude::*;
use pc_model::{BatchOutcome, BatchResult, ParameterId};

use super::labels::parameter_name;
use super::table::ParametersTable;
use crate::i18n::*;

/// Parameter names as a list, in the agent's language.
fn name_list(ids: Vec<ParameterId>) -> impl IntoView {
    let i18n = use_i18n();
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| {
            view! {
                {(i > 0).then(|| tr!(i18n, parameters.list_separator))}
                "“"{parameter_name(id)}"”"
            }
        })
        .collect_view()
}

fn with_outcome(results: &[BatchResult], outcome: BatchOutcome) -> Vec<ParameterId> {
    results
        .iter()
        .filter(|r| r.outcome == outcome)
        .map(|r| r.id)
        .collect()
}

/// What a batch did: the parameters it changed, those that already were so, and what follows.
#[component]
pub fn BatchNotice(
    results: Vec<BatchResult>,
    /// The outcome that means "changed", and how to say it.
    done: (BatchOutcome, Signal<&'static str>),
    /// The outcome that means "nothing to do", and how to say it.
    unchanged: (BatchOutcome, Signal<&'static str>),
    then: Signal<&'static str>,
) -> impl IntoView {
    let line = |(outcome, label): (BatchOutcome, Signal<&'static str>)| {
        let ids = with_outcome(&results, outcome);
        (!ids.is_empty()).then(|| view! { {label}" "{name_list(ids)}". " })
    };
    view! {
        <p class="notice success" role="status" data-testid="parameters-notice">
            {line(done)}{line(unchanged)}{then}
        </p>
    }
}

/// Batch Reset and Batch Sync for the checked rows, off (and saying why) while none is checked.
#[component]
pub fn BatchToolbar(
    table: ParametersTable,
    busy: Signal<bool>,
    ask_reset: Callback<Vec<ParameterId>>,
    sync: Callback<Vec<ParameterId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let none_checked = move || table.checked_ids().is_empty();
    view! {
        <div class="table-toolbar">
            <button
                type="button"
                class="button secondary"
                id="batch-reset"
                aria-describedby="batch-hint"
                disabled=move || none_checked() || busy.get()
                on:click=move |_| ask_reset.run(table.checked_ids())
            >
                {tr!(i18n, parameters.batch_reset)}
            </button>
            <button
                type="button"
                class="button secondary"
                id="batch-sync"
                aria-describedby="batch-hint"
                disabled=move || none_checked() || busy.get()
                on:click=move |_| sync.run(table.checked_ids())
            >
                {tr!(i18n, parameters.batch_sync)}
            </button>
            <p class="hint" id="batch-hint" aria-live="polite">
                {move || if none_checked() {
                    tr!(i18n, parameters.none_checked).into_any()
                } else {
                    t!(i18n, parameters.checked_count, count = move || table.checked_ids().len()).into_any()
                }}
            </p>
        </div>
    }
}
