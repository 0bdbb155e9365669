//! EMB-1, EMB-6: the app inside the workbench's iframe. When framed by an allowed workbench
//! (the origins the server allows to frame it), the app reports its state to the parent window
//! and follows its requests; messages go only to that parent's origin, never to `"*"`.
//! Standalone, nothing is posted and nothing is listened to.

pub mod protocol;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use self::protocol::{
    accept, parent_origin, Incoming, Outgoing, Posted, SignInMethod, SoftphoneState,
};
use crate::api;
use crate::components::language_switch::language_url;
use crate::i18n::*;
use crate::json;
use crate::routes::with_query;
use crate::session::use_auth;
use crate::softphone::state::PhoneState;
use crate::unsaved::use_unsaved_changes;

/// The parent window, once the app knows it may talk to it.
#[derive(Clone, Copy)]
pub struct Workbench {
    parent: RwSignal<Option<String>>,
}

impl Workbench {
    fn new() -> Self {
        Workbench {
            parent: RwSignal::new(None),
        }
    }

    /// Whether the app talks to a parent (tracked).
    pub fn is_connected(&self) -> bool {
        self.parent.with(Option::is_some)
    }

    /// Posts `message` to the parent; nothing when standalone or not (yet) allowed.
    pub fn post(&self, message: &Outgoing) {
        let Some(origin) = self.parent.try_get_untracked().flatten() else {
            return;
        };
        let Ok(Some(parent)) = window().parent() else {
            return;
        };
        if let Ok(data) = json::to_value(&message.envelope()) {
            let _ = parent.post_message(&data, &origin);
        }
    }
}

/// The workbench of the page, if the app is framed by one.
pub fn use_workbench() -> Option<Workbench> {
    use_context()
}

/// Whether this page is in a frame.
pub fn is_framed() -> bool {
    match window().parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &window()),
        _ => false,
    }
}

/// Where the framing page says it is: `location.ancestorOrigins` (Chromium, Safari), then the
/// referrer.
fn parent_candidates() -> Vec<String> {
    // `ancestorOrigins` is not in every browser, nor in web-sys: read it as a plain property.
    let first_ancestor = js_sys::Reflect::get(&window().location(), &"ancestorOrigins".into())
        .and_then(|list| js_sys::Reflect::get(&list, &0.into()))
        .ok()
        .and_then(|origin| origin.as_string());
    first_ancestor
        .into_iter()
        .chain(std::iter::once(document().referrer()))
        .collect()
}

/// Provides the workbench context when the app is framed; call once, at the top of the app.
pub fn provide_workbench() {
    if is_framed() {
        provide_context(Workbench::new());
    }
}

/// Connects to the parent: learns the allowed origins from the server, then reports and
/// listens. Lives inside the router, for the language and tab requests.
#[component]
pub fn WorkbenchBridge() -> impl IntoView {
    let Some(workbench) = use_workbench() else {
        return;
    };
    let i18n = use_i18n();
    let auth = use_auth();
    let unsaved = use_unsaved_changes();
    let navigate = use_navigate();
    let location = use_location();

    leptos::task::spawn_local(async move {
        if let Ok(settings) = api::workbench().await {
            let parent = parent_origin(&parent_candidates(), &settings.origins);
            workbench.parent.set(parent);
        }
    });

    let ready = move || {
        workbench.post(&Outgoing::Ready {
            language: i18n.get_locale_untracked().as_str().to_owned(),
            signed_in: auth.session_untracked().is_some(),
        })
    };
    Effect::new(move |_| {
        if workbench.is_connected() {
            ready();
        }
    });
    Effect::new(move |held: Option<Option<(String, SignInMethod)>>| {
        let account = auth
            .session()
            .map(|s| (s.business_account, s.sign_in_method));
        // Until the parent is known nothing is told, so nothing counts as told: a session
        // taken from the page is there before the parent is found.
        if !workbench.is_connected() {
            return held.flatten();
        }
        match (&held, &account) {
            (_, Some((account, method)))
                if held.as_ref() != Some(&Some((account.clone(), *method))) =>
            {
                workbench.post(&Outgoing::SignedIn {
                    business_account: account.clone(),
                    sign_in_method: *method,
                })
            }
            (Some(Some(_)), None) => workbench.post(&Outgoing::SignedOut),
            _ => {}
        }
        account
    });
    let dirty = Memo::new(move |_| unsaved.is_dirty());
    Effect::new(move |_| {
        let dirty = dirty.get();
        if workbench.is_connected() {
            workbench.post(&Outgoing::UnsavedChanges { dirty });
        }
    });
    report_height(workbench);

    let on_message = move |event: web_sys::MessageEvent| {
        let Ok(posted) = json::from_value::<Posted>(event.data()) else {
            return;
        };
        // Only the parent the app talks to, from the origin it was found at, may ask.
        let from_parent = match (event.source(), window().parent()) {
            (Some(source), Ok(Some(parent))) => js_sys::Object::is(&source, &parent),
            _ => false,
        };
        let parent_origin: Vec<String> = workbench.parent.get_untracked().into_iter().collect();
        let Some(request) =
            accept(&event.origin(), &posted, &parent_origin).filter(|_| from_parent)
        else {
            return;
        };
        match request {
            Incoming::SetLanguage(language) => navigate(
                &language_url(&location, language.tag()),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            ),
            Incoming::OpenTab(tab) => {
                if unsaved.confirm_leave(t_string!(i18n, unsaved.confirm)) {
                    navigate(
                        &with_query(&tab.path(), &location.search.get_untracked()),
                        NavigateOptions::default(),
                    );
                }
            }
            Incoming::RequestState => ready(),
        }
    };
    let listener = window_event_listener(leptos::ev::message, on_message);
    on_cleanup(move || listener.remove());
}

/// `pc.resize` whenever the content's height changes, so the workbench can size the iframe
/// without scrollbars.
fn report_height(workbench: Workbench) {
    let Some(body) = document().body() else {
        return;
    };
    let last = StoredValue::new(0u32);
    let measured = body.clone();
    let on_resize = Closure::<dyn Fn()>::new(move || {
        let height = measured.get_bounding_client_rect().height().ceil() as u32;
        if workbench.is_connected() && last.try_get_value() != Some(height) {
            last.set_value(height);
            workbench.post(&Outgoing::Resize { height });
        }
    });
    let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(&body);
    // Until the parent is known, sizes are not sent; send the current one once it is.
    let resend = on_resize
        .as_ref()
        .unchecked_ref::<js_sys::Function>()
        .clone();
    Effect::new(move |_| {
        if workbench.is_connected() {
            let _ = resend.call0(&JsValue::NULL);
        }
    });
    // The observer and its callback live as long as the page.
    on_resize.forget();
    std::mem::forget(observer);
}

/// The softphone's registration as the workbench sees it.
pub fn softphone_state(state: &PhoneState) -> SoftphoneState {
    match state {
        PhoneState::Connecting | PhoneState::Registering => SoftphoneState::Registering,
        PhoneState::Registered { .. } => SoftphoneState::Registered,
        PhoneState::Reconnecting { .. } => SoftphoneState::Reconnecting,
        PhoneState::Failed(_) => SoftphoneState::Failed,
        PhoneState::Idle | PhoneState::Unregistering | PhoneState::Unregistered => {
            SoftphoneState::Unregistered
        }
    }
}
