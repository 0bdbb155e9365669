//! BEY-3 in the browser: gathers what the checks decide from. Everything here only reads: the
//! microphone permission is queried, never asked for; devices are listed, never opened; the
//! WebSocket to the registration server is closed as soon as it opens.

use leptos::prelude::window;
use pc_model::SoftphoneAccount;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{PermissionState, PermissionStatus, WebSocket};

use super::checks::{BrowserFacts, NetworkFailure, NetworkProbe, Permission, SoftphoneFacts};
use crate::api::{self, ApiError, ApiResult};
use crate::tabs::agent_info::devices::media::{can_choose_speaker, list_devices, media_devices};
use pc_model::ProblemType;

/// How long the WebSocket may take to open before the server counts as unreachable.
pub const OPEN_TIMEOUT_MS: i32 = 10_000;

/// The facts of the WebRTC checks: the softphone account, the browser, and the network.
pub async fn softphone_facts() -> ApiResult<SoftphoneFacts> {
    let account = match api::softphone_account().await {
        Ok(account) => Some(account),
        // For an agent with WebRTC the server refuses an account only for want of a server.
        Err(ApiError::Problem(problem)) if problem.problem_type == ProblemType::Forbidden => None,
        Err(error) => return Err(error),
    };
    let browser = browser_facts().await;
    let network = match &account {
        Some(SoftphoneAccount { websocket_url, .. }) => Some(open_websocket(websocket_url).await),
        None => None,
    };
    Ok(SoftphoneFacts {
        account,
        browser,
        network,
    })
}

pub async fn browser_facts() -> BrowserFacts {
    let devices = match media_devices() {
        Some(media) => list_devices(&media)
            .await
            .ok()
            .map(|(microphones, speakers)| (microphones.len(), speakers.len())),
        None => None,
    };
    BrowserFacts {
        secure: window().is_secure_context(),
        permission: microphone_permission().await,
        devices,
        sink_choice: can_choose_speaker(),
    }
}

/// `navigator.permissions.query({ name: "microphone" })`; browsers that do not know the name
/// reject it.
async fn microphone_permission() -> Permission {
    let query = || {
        let descriptor = js_sys::Object::new();
        js_sys::Reflect::set(&descriptor, &"name".into(), &"microphone".into()).ok()?;
        window()
            .navigator()
            .permissions()
            .ok()?
            .query(&descriptor)
            .ok()
    };
    let Some(promise) = query() else {
        return Permission::Unknown;
    };
    match JsFuture::from(promise).await {
        Ok(status) => match PermissionStatus::from(status).state() {
            PermissionState::Granted => Permission::Granted,
            PermissionState::Denied => Permission::Denied,
            PermissionState::Prompt => Permission::Prompt,
            _ => Permission::Unknown,
        },
        Err(_) => Permission::Unknown,
    }
}

/// Opens a WebSocket to `url` with the subprotocol `sip` (RFC 7118), as the softphone does, and
/// closes it as soon as it opens: no SIP message is sent.
pub async fn open_websocket(url: &str) -> NetworkProbe {
    let Ok(socket) = WebSocket::new_with_str(url, "sip") else {
        return NetworkProbe::Failed(NetworkFailure::BadAddress);
    };
    let started = js_sys::Date::now();
    let mut timer = None;
    let settled = js_sys::Promise::new(&mut |resolve, _| {
        // `resolve` called with a value that says what happened.
        let settle = |with: &JsValue| -> js_sys::Function {
            resolve.bind1(&JsValue::NULL, with).unchecked_into()
        };
        let (opened, closed, no_answer) = (
            settle(&JsValue::TRUE),
            settle(&JsValue::FALSE),
            settle(&JsValue::NULL),
        );
        socket.set_onopen(Some(&opened));
        socket.set_onclose(Some(&closed));
        timer = window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&no_answer, OPEN_TIMEOUT_MS)
            .ok();
    });
    let outcome = JsFuture::from(settled)
        .await
        .ok()
        .and_then(|value| value.as_bool());
    let ms = (js_sys::Date::now() - started) as u32;
    if let Some(timer) = timer {
        window().clear_timeout_with_handle(timer);
    }
    socket.set_onopen(None);
    socket.set_onclose(None);
    let _ = socket.close();
    match outcome {
        Some(true) => NetworkProbe::Opened { ms },
        Some(false) => NetworkProbe::Failed(NetworkFailure::Closed),
        None => NetworkProbe::Failed(NetworkFailure::NoAnswer),
    }
}
