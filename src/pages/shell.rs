//! The signed-in page: top bar, employee panel (EMP-1) on the left, the three tabs on the right.
//! It checks the session on arrival, notices when it ends, and sends the agent to sign in.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use pc_model::{SessionInfo, SignInMethod};

use super::sign_in::sign_in_url;
use crate::api::{self, ApiError};
use crate::change::Change;
use crate::components::change_notice::ChangeNotice;
use crate::components::employee_panel::EmployeePanel;
use crate::components::language_switch::LanguageSwitch;
use crate::components::load_error::LoadError;
use crate::components::tab_list::{tab_id, TabList, PANEL_ID};
use crate::i18n::*;
use crate::routes::{with_query, Tab};
use crate::session::use_auth;
use crate::softphone::Softphone;
use crate::unsaved::use_unsaved_changes;
use crate::workbench::protocol::Outgoing;
use crate::workbench::{softphone_state, use_workbench};

#[component]
pub fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let location = use_location();
    let check = LocalResource::new(api::current_session);

    Effect::new(move |_| match check.get() {
        Some(Ok(session)) => {
            let held = auth.session_untracked().map(|s| s.business_account);
            if held.is_some_and(|account| account != session.business_account) {
                // Another tab of this browser signed in as someone else: show nothing of the
                // previous agent, start again as the current one.
                let _ = window().location().reload();
            } else {
                auth.signed_in(session);
            }
        }
        Some(Err(error)) if error.is_unauthenticated() => auth.expired(),
        _ => {}
    });

    // Without a session, the only place to go is the sign-in page, which brings the agent back.
    Effect::new(move |_| {
        let refused = matches!(check.get(), Some(Err(error)) if error.is_unauthenticated());
        if auth.session().is_none() && (refused || auth.notice().is_some()) {
            let tab = Tab::from_path(&location.pathname.get_untracked());
            let lang = location.query.get_untracked().get("lang");
            navigate(
                &sign_in_url(tab, lang.as_deref()),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    recheck_when_the_session_ends(check);

    let signed_in = Memo::new(move |_| auth.session().is_some());
    view! {
        {move || {
            if signed_in.get() {
                view! { <SignedInLayout/> }.into_any()
            } else {
                match check.get() {
                    Some(Err(error)) if !error.is_unauthenticated() => {
                        let retry = Callback::new(move |()| check.refetch());
                        view! { <main class="page-message"><LoadError error retry/></main> }.into_any()
                    }
                    _ => view! { <p class="loading page-message" role="status">{tr!(i18n, loading)}</p> }
                        .into_any(),
                }
            }
        }}
    }
}

/// Asks the server again when the session should have ended, so an expired session sends the
/// agent to sign in even while they are only reading; also when the agent comes back to this
/// browser tab, and again later when the server could not be reached.
fn recheck_when_the_session_ends(check: LocalResource<Result<SessionInfo, ApiError>>) {
    const RETRY_MS: i64 = 30_000;
    /// Timers are i32 milliseconds in the browser; longer waits are taken in steps.
    const LONGEST_WAIT_MS: i64 = 60 * 60 * 1000;
    let auth = use_auth();
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let unreachable = matches!(check.get(), Some(Err(error)) if !error.is_unauthenticated());
        let Some(session) = auth.session() else {
            timer.set_value(None);
            return;
        };
        let left_ms = session.expires_at * 1000 - now_ms();
        // A clock ahead of the server's would re-ask at once, again and again: wait a while.
        let wait_ms = if unreachable || left_ms <= 0 {
            RETRY_MS
        } else {
            (left_ms + 1000).min(LONGEST_WAIT_MS)
        };
        let handle = set_timeout_with_handle(
            move || check.refetch(),
            Duration::from_millis(wait_ms as u64),
        )
        .ok();
        timer.set_value(handle);
    });
    let on_return = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            check.refetch();
        }
    });
    on_cleanup(move || {
        on_return.remove();
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
    });
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[component]
fn SignedInLayout() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let location = use_location();
    let unsaved = use_unsaved_changes();
    // RTC-2: the softphone registers on sign-in and ends with it, or when the page goes away.
    let softphone = Softphone::signed_in();
    provide_context(softphone);
    // OPS-7: the other tabs and features load in the background, once the first screen is up.
    Effect::new(move |_| crate::chunks::prefetch_when_idle());
    if let Some(workbench) = use_workbench() {
        let state = Memo::new(move |_| softphone_state(&softphone.state()));
        Effect::new(move |_| {
            let state = state.get();
            if workbench.is_connected() {
                workbench.post(&Outgoing::Softphone { state });
            }
        });
    }
    let page_hide = window_event_listener(leptos::ev::pagehide, move |_| softphone.end());
    on_cleanup(move || {
        page_hide.remove();
        softphone.end();
    });
    let leave_question = move || t_string!(i18n, unsaved.confirm);

    let before_unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if unsaved.is_dirty() {
            ev.prevent_default();
            ev.set_return_value(leave_question());
        }
    });
    on_cleanup(move || before_unload.remove());

    let selected =
        Memo::new(move |_| Tab::from_path(&location.pathname.get()).unwrap_or(Tab::AgentInfo));
    let on_select = Callback::new(move |tab: Tab| {
        if tab == selected.get_untracked() || !unsaved.confirm_leave(leave_question()) {
            return;
        }
        navigate(
            &with_query(&tab.path(), &location.search.get_untracked()),
            NavigateOptions::default(),
        );
    });

    // SSO-8: framed, the provider's sign-out shows in a popup (it refuses frames). Browsers open
    // a popup only during the click, so it opens then, empty, and goes to the provider's page
    // once the server has answered, or closes if there is none.
    let sign_out_popup = StoredValue::new_local(None::<web_sys::Window>);
    let close_sign_out_popup = move || {
        if let Some(popup) = sign_out_popup.try_update_value(Option::take).flatten() {
            let _ = popup.close();
        }
    };
    let sign_out = Change::new().on_failed(move |_| close_sign_out_popup());
    let on_sign_out = move || {
        if unsaved.confirm_leave(leave_question()) {
            let framed = crate::workbench::is_framed();
            let through_provider = auth
                .session_untracked()
                .is_some_and(|session| session.sign_in_method == SignInMethod::Sso);
            if framed && through_provider {
                sign_out_popup.set_value(open_sign_out_popup());
            }
            sign_out.send(api::sign_out(framed), move |signed_out| {
                api::keep_session(None);
                auth.signed_out();
                match (signed_out, framed) {
                    (Some(signed_out), false) => {
                        let _ = window().location().assign(&signed_out.end_session_url);
                    }
                    (Some(signed_out), true) => {
                        match sign_out_popup.try_update_value(Option::take).flatten() {
                            Some(popup) => {
                                let _ = popup.location().set_href(&signed_out.end_session_url);
                            }
                            None => {
                                open_sign_out_popup().map(|popup| {
                                    popup.location().set_href(&signed_out.end_session_url)
                                });
                            }
                        }
                    }
                    (None, _) => close_sign_out_popup(),
                }
            });
        }
    };
    let business_account = move || auth.session().map(|s| s.business_account);

    view! {
        <div class="shell">
            <header class="topbar">
                <h1>{tr!(i18n, app_title)}</h1>
                <div class="topbar-actions">
                    <span class="signed-in-as">
                        {tr!(i18n, signed_in_as)}" "<strong>{business_account}</strong>
                    </span>
                    <LanguageSwitch/>
                    <button
                        type="button"
                        class="button secondary"
                        on:click=move |_| on_sign_out()
                        disabled=move || sign_out.pending()
                    >
                        {tr!(i18n, sign_out)}
                    </button>
                </div>
            </header>
            <Show when=move || sign_out.not_made()>
                <div class="banner"><ChangeNotice change=sign_out/></div>
            </Show>
            <div class="layout">
                <EmployeePanel/>
                <main class="main">
                    <TabList selected=selected on_select=on_select/>
                    <div
                        role="tabpanel"
                        id=PANEL_ID
                        class="tab-panel"
                        aria-labelledby=move || tab_id(selected.get())
                        tabindex="0"
                    >
                        <Outlet/>
                    </div>
                </main>
            </div>
        </div>
    }
}

/// The popup the provider's sign-out shows in, still empty.
fn open_sign_out_popup() -> Option<web_sys::Window> {
    window()
        .open_with_url_and_target_and_features("", "pc-sso", "popup,width=520,height=680")
        .ok()
        .flatten()
}
