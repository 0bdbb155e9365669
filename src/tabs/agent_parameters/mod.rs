//! SPEC §5: the Agent Parameters tab. A table of the seven parameters: per row Edit (an editor
//! that fits the parameter, checked while typing), Reset (after a confirmation) and Sync (to the
//! cache the telephony side reads); Batch Reset and Batch Sync for the checked rows.

mod batch;
pub mod labels;
mod row;
pub mod table;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use pc_model::{
    BatchOutcome, BatchResult, ParameterBatch, ParameterId, ParametersPage, SaveParameter,
};

use self::batch::{BatchNotice, BatchToolbar};
use self::labels::{parameter_name, value_words};
pub use self::row::ParameterEditor;
use self::row::ParameterRow;
use self::table::ParametersTable;
use crate::api;
use crate::change::Change;
use crate::components::change_notice::ChangeNotice;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::remote::remote;
use crate::components::scroll_region::ScrollRegion;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::routes::linked_parameter;
use crate::unsaved::use_unsaved_changes;
use crate::workbench::protocol::SavedArea;

#[component]
pub fn AgentParametersTab() -> impl IntoView {
    let page = LocalResource::new(api::parameters);
    remote(
        page,
        move |loaded| view! { <ParametersSection loaded reload=Callback::new(move |()| page.refetch())/> },
    )
}

/// What the agent asked for last, to ask again with what the table holds now.
#[derive(Clone, Debug)]
enum LastRequest {
    Save,
    Reset(Vec<ParameterId>),
    Sync(Vec<ParameterId>),
}

/// The message above the table about the last change that was made.
#[derive(Clone, Debug, PartialEq)]
enum Notice {
    Saved(ParameterId),
    Reset(Vec<BatchResult>),
    Synced(Vec<BatchResult>),
}

#[component]
fn ParametersSection(loaded: ParametersPage, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let unsaved = use_unsaved_changes();
    let table = ParametersTable::new(loaded);
    let notice = RwSignal::new(None::<Notice>);
    let confirm_open = RwSignal::new(false);
    let to_reset = RwSignal::new(Vec::<ParameterId>::new());

    unsaved.watch(Signal::derive(move || table.is_dirty()));
    // BEY-3: a link from the softphone health panel names a parameter; its Edit button is where
    // the agent starts.
    if let Some(id) = linked_parameter(&use_location().hash.get_untracked()) {
        request_animation_frame(move || focus_element(&format!("edit-{id}")));
    }

    // Save, reset and sync share one pending state and one notice.
    let change = Change::new()
        .saves(SavedArea::AgentParameters)
        .on_refused(move |errors| {
            let placed = table.refuse(errors);
            if let Some(id) = table.editing().filter(|_| placed > 0) {
                request_animation_frame(move || focus_element(id.code()));
            }
            placed
        });
    let last = StoredValue::new(None::<LastRequest>);
    let reset = move |ids: Vec<ParameterId>| {
        notice.set(None);
        last.set_value(Some(LastRequest::Reset(ids.clone())));
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
        last.set_value(Some(LastRequest::Save));
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
        last.set_value(Some(LastRequest::Sync(ids.clone())));
        let batch = ParameterBatch {
            version: table.version(),
            ids,
        };
        change.send(api::sync_parameters(&batch), move |answer| {
            table.replace_page(answer.page);
            notice.set(Some(Notice::Synced(answer.results)));
        });
    });
    let retry = Callback::new(move |()| match last.get_value() {
        Some(LastRequest::Save) => save.run(()),
        Some(LastRequest::Reset(ids)) => reset(ids),
        Some(LastRequest::Sync(ids)) => sync.run(ids),
        None => {}
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
                retry
                stale=ViewFn::from(move || tr!(i18n, parameters.stale))
                reload=Callback::new(move |()| {
                    unsaved.discard();
                    reload.run(());
                })
            />
            <BatchToolbar table busy=Signal::derive(busy) ask_reset sync/>
            <ScrollRegion labelled_by="parameters-caption">
            <table class="parameters-table">
                <caption class="visually-hidden" id="parameters-caption">{tr!(i18n, tabs.agent_parameters)}</caption>
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
            </ScrollRegion>
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
