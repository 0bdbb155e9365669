//! AGT-5: whether the softphone number is registered, since when, and **Unregister** after a
//! confirmation. The status is read again every 30 seconds and after Unregister, so it follows
//! the registrar without a reload.

use leptos::prelude::*;
use pc_model::RegistrationStatus;

use crate::api;
use crate::change::Change;
use crate::components::change_notice::ChangeNotice;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::focus::focus_element;
use crate::i18n::*;
use crate::time::local_time;

const REFRESH: std::time::Duration = std::time::Duration::from_secs(30);

#[component]
pub fn SoftphoneRegistration(initial: RegistrationStatus) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(initial);
    let confirm_open = RwSignal::new(false);
    let unregister = Change::new();
    if let Ok(timer) = set_interval_with_handle(
        move || {
            leptos::task::spawn_local(async move {
                if let Ok(latest) = api::registration().await {
                    status.set(latest);
                }
            });
        },
        REFRESH,
    ) {
        on_cleanup(move || timer.clear());
    }
    let on_confirm = Callback::new(move |()| {
        unregister.send(api::unregister(), move |latest| {
            status.set(latest);
            // The Unregister button is gone: keep focus on the status that changed.
            request_animation_frame(|| focus_element("registration-status"));
        });
    });
    let locale = move || i18n.get_locale().as_str();
    let since = move || {
        status.get().changed_at.map(|seconds| {
            let (shown, iso) = local_time(seconds, locale());
            view! {
                " · "{tr!(i18n, agent_info.status_changed_at)}" "
                <time datetime=iso data-testid="registration-changed-at">{shown}</time>
            }
        })
    };
    view! {
        <section class="agent-section" aria-labelledby="registration-title">
            <h3 id="registration-title">{tr!(i18n, agent_info.softphone_status)}</h3>
            <p id="registration-status" tabindex="-1" role="status">
                <span
                    class="status-badge"
                    class:registered=move || status.get().registered
                    data-testid="registration-state"
                >
                    {move || if status.get().registered {
                        tr!(i18n, agent_info.registered).into_any()
                    } else {
                        tr!(i18n, agent_info.not_registered).into_any()
                    }}
                </span>
                {since}
            </p>
            <ChangeNotice change=unregister/>
            <Show when=move || status.get().registered>
                <button
                    type="button"
                    class="button secondary"
                    id="unregister"
                    disabled=move || unregister.pending()
                    on:click=move |_| confirm_open.set(true)
                >
                    {tr!(i18n, agent_info.unregister)}
                </button>
            </Show>
            <ConfirmUnregister open=confirm_open on_confirm/>
        </section>
    }
}

/// AGT-5: "Unregister the softphone number?", for the registrar's and the browser's softphone.
#[component]
pub fn ConfirmUnregister(open: RwSignal<bool>, on_confirm: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ConfirmDialog
            id="confirm-unregister"
            open
            title=ViewFn::from(move || tr!(i18n, agent_info.confirm_unregister_title))
            confirm_label=ViewFn::from(move || tr!(i18n, agent_info.unregister))
            on_confirm
        >
            <p>{tr!(i18n, agent_info.confirm_unregister_text)}</p>
        </ConfirmDialog>
    }
}
