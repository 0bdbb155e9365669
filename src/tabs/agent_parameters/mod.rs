//! SPEC §5: the Agent Parameters tab. A table of the seven parameters: per row Edit (an editor
//! that fits the parameter, checked while typing), Reset (after a confirmation) and Sync (to the
//! cache the telephony side reads); Batch Reset and Batch Sync for the checked rows.

pub mod labels;
pub mod table;

use leptos::prelude::*;
use pc_model::parameters::{ParameterKind, VideoDisplay};
use pc_model::{
    BatchOutcome, BatchResult, ParameterBatch, ParameterId, ParametersPage, SaveParameter,
};

use self::labels::{parameter_description, parameter_name, value_words};
use self::table::ParametersTable;
use crate::api;
use crate::change::Change;
use crate::components::change_notice::ChangeNotice;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::field_error::FieldErrorText;
use crate::components::remote::remote;
use crate::components::text_field::TextField;
use crate::components::video_preview::VideoPreview;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::unsaved::use_unsaved_changes;

#[component]
pub fn AgentParametersTab() -> impl IntoView {
    let page = LocalResource::new(api::parameters);
    remote(
        page,
        move |loaded| view! { <ParametersSection loaded reload=Callback::new(move |()| page.refetch())/> },
    )
}

/// The message above the table about the last change that was made.
#[derive(Clone, Debug, PartialEq)]
enum Notice {
    Saved(ParameterId),
    Reset(Vec<BatchResult>),
    Synced(Vec<BatchResult>),
}

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

#[component]
fn ParametersSection(loaded: ParametersPage, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let unsaved = use_unsaved_changes();
    let table = ParametersTable::new(loaded);
    let notice = RwSignal::new(None::<Notice>);
    let confirm_open = RwSignal::new(false);
    let to_reset = RwSignal::new(Vec::<ParameterId>::new());

    Effect::new(move |_| unsaved.set(table.is_dirty()));
    on_cleanup(move || unsaved.set(false));

    // Save, reset and sync share one pending state and one notice.
    let change = Change::new().on_refused(move |errors| {
        table.refuse(errors);
        if let Some(id) = table.editing() {
            request_animation_frame(move || focus_element(id.code()));
        }
    });
    let reset = move |ids: Vec<ParameterId>| {
        notice.set(None);
        let batch = ParameterBatch {
            version: table.version(),
            ids,
        };
        change.send(api::reset_parameters(&batch), move |answer| {
            table.replace_page(answer.page);
            notice.set(Some(Notice::Reset(answer.results)));
        });
    };

    let edit = Callback::new(move |id: ParameterId| {
        if table.editing() == Some(id) || !unsaved.confirm_leave(t_string!(i18n, unsaved.confirm)) {
            return;
        }
        notice.set(None);
        table.begin_edit(id);
        request_animation_frame(move || focus_element(id.code()));
    });
    let cancel = Callback::new(move |()| {
        if let Some(id) = table.editing() {
            table.end_edit();
            request_animation_frame(move || focus_element(&format!("edit-{id}")));
        }
    });
    let save = Callback::new(move |()| {
        let Some(id) = table.editing() else {
            return;
        };
        if table.edit_error().is_some() {
            focus_element(id.code());
            return;
        }
        notice.set(None);
        let save = SaveParameter {
            version: table.version(),
            value: table.edit_value(),
        };
        change.send(api::save_parameter(id, &save), move |page| {
            table.replace_page(page);
            table.end_edit();
            notice.set(Some(Notice::Saved(id)));
            request_animation_frame(move || focus_element(&format!("edit-{id}")));
        });
    });
    let ask_reset = Callback::new(move |ids: Vec<ParameterId>| {
        to_reset.set(ids);
        confirm_open.set(true);
    });
    let sync = Callback::new(move |ids: Vec<ParameterId>| {
        notice.set(None);
        let batch = ParameterBatch {
            version: table.version(),
            ids,
        };
        change.send(api::sync_parameters(&batch), move |answer| {
            table.replace_page(answer.page);
            notice.set(Some(Notice::Synced(answer.results)));
        });
    });
    let busy = move || change.pending();

    view! {
        <section class="parameters" aria-labelledby="parameters-heading">
            <h2 id="parameters-heading" class="visually-hidden">{tr!(i18n, tabs.agent_parameters)}</h2>
            <p class="hint">{tr!(i18n, parameters.intro)}</p>
            {move || notice.get().map(|last| match last {
                Notice::Saved(id) => view! {
                    <p class="notice success" role="status" data-testid="parameters-notice">
                        {t!(i18n, parameters.saved, name = move || parameter_name(id).get())}" "
                        {tr!(i18n, parameters.sync_then_sign_in)}
                    </p>
                }.into_any(),
                Notice::Reset(results) => view! {
                    <BatchNotice
                        results
                        done=(BatchOutcome::Reset, tr!(i18n, parameters.reset_done))
                        unchanged=(BatchOutcome::AlreadyDefault, tr!(i18n, parameters.already_default))
                        then=tr!(i18n, parameters.sync_then_sign_in)
                    />
                }.into_any(),
                Notice::Synced(results) => view! {
                    <BatchNotice
                        results
                        done=(BatchOutcome::Synced, tr!(i18n, parameters.synced_done))
                        unchanged=(BatchOutcome::AlreadySynced, tr!(i18n, parameters.already_synced))
                        then=tr!(i18n, parameters.sign_in_again)
                    />
                }.into_any(),
            })}
            <ChangeNotice
                change
                stale=ViewFn::from(move || tr!(i18n, parameters.stale))
                reload=Callback::new(move |()| {
                    unsaved.set(false);
                    reload.run(());
                })
            />
            <BatchToolbar table busy=Signal::derive(busy) ask_reset sync/>
            <table class="parameters-table">
                <caption class="visually-hidden">{tr!(i18n, tabs.agent_parameters)}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="select">
                            <input
                                type="checkbox"
                                id="select-all"
                                prop:checked=move || table.all_checked()
                                on:change=move |ev| table.set_all_checked(event_target_checked(&ev))
                            />
                            <label for="select-all">{tr!(i18n, parameters.select_all)}</label>
                        </th>
                        <th scope="col">{tr!(i18n, parameters.column_name)}</th>
                        <th scope="col">{tr!(i18n, parameters.column_value)}</th>
                        <th scope="col">{tr!(i18n, parameters.column_description)}</th>
                        <th scope="col">{tr!(i18n, parameters.column_operation)}</th>
                    </tr>
                </thead>
                <tbody>
                    {ParameterId::ALL
                        .into_iter()
                        .map(|id| view! { <ParameterRow id table edit cancel save ask_reset sync busy=Signal::derive(busy)/> })
                        .collect_view()}
                </tbody>
            </table>
            <ConfirmDialog
                id="confirm-reset"
                open=confirm_open
                title=ViewFn::from(move || tr!(i18n, parameters.confirm_reset_title))
                confirm_label=ViewFn::from(move || tr!(i18n, parameters.reset))
                on_confirm=Callback::new(move |()| {
                    reset(to_reset.get_untracked());
                })
            >
                <p>{tr!(i18n, parameters.confirm_reset_body)}</p>
                <ul data-testid="reset-list">
                    {move || {
                        let tenant = table.page().tenant;
                        to_reset.get().into_iter().map(|id| view! {
                            <li>{parameter_name(id)}": "{value_words(id, id.default_value(), tenant)}</li>
                        }).collect_view()
                    }}
                </ul>
            </ConfirmDialog>
        </section>
    }
}

/// What a batch did: the parameters it changed, those that already were so, and what follows.
#[component]
fn BatchNotice(
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
fn BatchToolbar(
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

#[component]
fn ParameterRow(
    id: ParameterId,
    table: ParametersTable,
    edit: Callback<ParameterId>,
    cancel: Callback<()>,
    save: Callback<()>,
    ask_reset: Callback<Vec<ParameterId>>,
    sync: Callback<Vec<ParameterId>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = id.code();
    let editing = move || table.editing() == Some(id);
    let name = parameter_name(id);
    view! {
        <tr data-parameter=code class:editing=editing>
            <td class="select">
                <input
                    type="checkbox"
                    id=format!("select-{code}")
                    prop:checked=move || table.is_checked(id)
                    on:change=move |ev| table.set_checked(id, event_target_checked(&ev))
                />
            </td>
            <th scope="row"><label for=format!("select-{code}")>{name}</label></th>
            <td class="value" data-testid="value">
                {move || if editing() {
                    view! { <ParameterEditor id table cancel save busy/> }.into_any()
                } else {
                    let page = table.page();
                    let value = page.value(id).to_owned();
                    let synced = table.parameter(id).is_some_and(|p| p.synced);
                    let unused = id == ParameterId::OpeneyeVideoDisplay && !page.openeye_integrated();
                    view! {
                        <span data-testid="value-text">{value_words(id, &value, page.tenant)}</span>
                        {(!synced).then(|| view! {
                            <span class="badge pending" data-testid="not-synced">{tr!(i18n, parameters.not_synced)}</span>
                        })}
                        {unused.then(|| view! { <p class="hint warning">{tr!(i18n, parameters.openeye_not_integrated)}</p> })}
                    }.into_any()
                }}
            </td>
            <td class="description">{parameter_description(id)}</td>
            <td class="operations">
                <button type="button" class="button link" id=format!("edit-{code}") disabled=editing on:click=move |_| edit.run(id)>
                    {tr!(i18n, parameters.edit)}<span class="visually-hidden">" "{name}</span>
                </button>
                <button type="button" class="button link" id=format!("reset-{code}") disabled=busy on:click=move |_| ask_reset.run(vec![id])>
                    {tr!(i18n, parameters.reset)}<span class="visually-hidden">" "{name}</span>
                </button>
                <button type="button" class="button link" id=format!("sync-{code}") disabled=busy on:click=move |_| sync.run(vec![id])>
                    {tr!(i18n, parameters.sync)}<span class="visually-hidden">" "{name}</span>
                </button>
            </td>
        </tr>
    }
}

/// The editor that fits the parameter: a choice for the enumerated ones, a text field checked
/// while typing for PAR-1 and PAR-4 (with a preview of the video window for PAR-4).
#[component]
pub fn ParameterEditor(
    id: ParameterId,
    table: ParametersTable,
    cancel: Callback<()>,
    save: Callback<()>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = id.code();
    let error = Signal::derive(move || table.edit_error());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.run(());
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            cancel.run(());
        }
    };
    let field = match id.kind() {
        ParameterKind::Choice(options) => {
            let tenant = table.page().tenant;
            let has_error = move || error.with(Option::is_some);
            view! {
                <div class="field" class:field-invalid=has_error>
                    <label for=code>{tr!(i18n, parameters.column_value)}</label>
                    <FieldErrorText id=format!("{code}-error") error/>
                    <select
                        id=code
                        aria-invalid=move || has_error().then_some("true")
                        aria-describedby=move || has_error().then(|| format!("{code}-error"))
                        on:change=move |ev| table.set_edit_value(event_target_value(&ev))
                    >
                        {options.iter().map(|option| {
                            let option = *option;
                            view! {
                                <option value=option selected=move || table.edit_value() == option>
                                    {value_words(id, option, tenant)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            }
            .into_any()
        }
        ParameterKind::Text => {
            let hint = match id {
                ParameterId::OpeneyeVideoDisplay => tr!(i18n, parameters.hint_video_display),
                _ => tr!(i18n, parameters.hint_callout_caller),
            };
            view! {
                <TextField
                    id=code
                    label=ViewFn::from(move || tr!(i18n, parameters.column_value))
                    hint=ViewFn::from(move || hint)
                    value=Signal::derive(move || table.edit_value())
                    on_input=Callback::new(move |value| table.set_edit_value(value))
                    error
                    input_mode=if id == ParameterId::CalloutCaller { "tel" } else { "text" }
                />
            }
            .into_any()
        }
    };
    let video = (id == ParameterId::OpeneyeVideoDisplay).then(|| {
        let display = Signal::derive(move || table.edit_value().parse::<VideoDisplay>().ok());
        let integrated = table.page().openeye_integrated();
        view! {
            {(!integrated).then(|| view! {
                <p class="notice warning" data-testid="openeye-warning">{tr!(i18n, parameters.openeye_not_integrated)}</p>
            })}
            <VideoPreview display/>
        }
    });
    view! {
        <form class="parameter-editor" novalidate on:submit=on_submit on:keydown=on_keydown>
            {field}
            {video}
            <div class="form-actions">
                <button type="submit" class="button primary" id="save-parameter" disabled=busy>
                    {move || if busy.get() {
                        tr!(i18n, common.saving).into_any()
                    } else {
                        tr!(i18n, common.save).into_any()
                    }}
                </button>
                <button type="button" class="button secondary" id="cancel-parameter" on:click=move |_| cancel.run(())>
                    {tr!(i18n, common.cancel)}
                </button>
            </div>
        </form>
    }
}
