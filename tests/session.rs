//! EMB-5 on the app's side, in a real browser: the bearer token a sign-in hands out is sent
//! with every later request, reads and writes alike, and is forgotten at sign-out. The page's
//! `fetch` is replaced by one that records each request's `Authorization` header and answers
//! like the server, so the test sees exactly what the API client sends.

use pc_app::api;
use pc_model::session::SessionInfo;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SESSION_JSON: &str =
    r#"{"business_account":"alice","csrf_token":"csrf-1","expires_at":4102444800}"#;

/// Replaces `window.fetch`; returns the list the stub appends each request's `Authorization`
/// header to (`null` when there is none).
fn record_authorization() -> js_sys::Array {
    let seen = js_sys::Array::new();
    let stub = js_sys::Function::new_with_args(
        "seen, body",
        "return (request) => { seen.push(request.headers.get('authorization')); \
         return Promise.resolve(request.method === 'DELETE' ? new Response(null, { status: 204 }) \
         : new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })); };",
    )
    .call2(&JsValue::NULL, &seen, &SESSION_JSON.into())
    .unwrap();
    js_sys::Reflect::set(&leptos::prelude::window(), &"fetch".into(), &stub).unwrap();
    seen
}

fn session(bearer_token: Option<&str>) -> SessionInfo {
    SessionInfo {
        business_account: "alice".into(),
        csrf_token: "csrf-1".into(),
        expires_at: 4_102_444_800,
        bearer_token: bearer_token.map(Into::into),
        sign_in_method: pc_model::SignInMethod::Password,
    }
}

fn recorded(seen: &js_sys::Array) -> Vec<Option<String>> {
    seen.iter().map(|header| header.as_string()).collect()
}

#[wasm_bindgen_test]
async fn a_bearer_token_from_sign_in_goes_with_every_request_until_sign_out() {
    let seen = record_authorization();

    api::keep_session(Some(&session(Some("token-1"))));
    api::current_session().await.unwrap();
    let signed_out = api::sign_out(false).send(Some("csrf-1")).await.unwrap();
    assert_eq!(
        signed_out, None,
        "a password session has no provider to sign out at"
    );
    assert_eq!(
        recorded(&seen),
        [Some("Bearer token-1".into()), Some("Bearer token-1".into())],
        "a read and a write both carry the token"
    );

    api::keep_session(None);
    api::current_session().await.unwrap();
    assert_eq!(recorded(&seen)[2], None, "signed out, no token is sent");

    // A sign-in that kept the cookie hands out no token, and one kept before is forgotten.
    api::keep_session(Some(&session(Some("token-2"))));
    api::keep_session(Some(&session(None)));
    api::current_session().await.unwrap();
    assert_eq!(recorded(&seen)[3], None);
}
