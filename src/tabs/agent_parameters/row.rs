//! One row of the parameters table: its value, Edit, Reset and Sync, and the editor that fits the
//! parameter while it is edited.

use leptos::prelude::*;
use pc_model::parameters::{ParameterKind, VideoDisplay};
use pc_model::ParameterId;

use super::labels::{parameter_description, parameter_name, value_words};
use super::table::ParametersTable;
use crate::api;
use crate::components::field_error::FieldErrorText;
use crate::components::text_field::TextField;
use crate::components::version_history::VersionHistory;
use crate::components::video_preview::VideoPreview;
use crate::focus::focus_element;
use crate::i18n::*;

#[component]
pub fn ParameterRow(
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
/// while typing for PAR-1 and PAR-4 (with a preview of the video window for PAR-4). Its History
/// (BEY-2) restores an earlier value into it.
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
    let history_open = RwSignal::new(false);
    let restore = Callback::new(move |version: pc_model::ParameterVersion| {
        table.set_edit_value(version.value);
        request_animation_frame(move || focus_element(code));
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
                <button type="button" class="button link" id="parameter-history" on:click=move |_| history_open.set(true)>
                    {tr!(i18n, history.open)}<span class="visually-hidden">" "{parameter_name(id)}</span>
                </button>
            </div>
        </form>
        // Outside the editor's form: Escape in the dialog closes the dialog, not the editor.
        <VersionHistory
            id="parameter-history-dialog"
            open=history_open
            title=ViewFn::from(move || view! { {tr!(i18n, history.parameter_title)}": "{parameter_name(id)} })
            load=move || api::parameter_history(id)
            on_restore=restore
        />
    }
}
