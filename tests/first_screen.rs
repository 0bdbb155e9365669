//! OPS-6 on the app's side, in a real browser: the answers the server put into the page are
//! read instead of asking the API, each once, and a sign-in forgets those not taken yet. The
//! page's `fetch` is replaced by one that counts requests and answers like the server.

use pc_app::api;
use pc_model::first_screen::ISLAND_ID;
use pc_model::session::SessionInfo;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SESSION_JSON: &str =
    r#"{"business_account":"bob","csrf_token":"csrf-2","expires_at":4102444800}"#;

/// Replaces `window.fetch`; returns the list the stub appends each requested URL to.
fn record_requests() -> js_sys::Array {
    let seen = js_sys::Array::new();
    let stub = js_sys::Function::new_with_args(
        "seen, body",
        "return (request) => { seen.push(new URL(request.url).pathname); \
         return Promise.resolve(new Response(body, { status: 200, \
         headers: { 'content-type': 'application/json' } })); };",
    )
    .call2(&JsValue::NULL, &seen, &SESSION_JSON.into())
    .unwrap();
    js_sys::Reflect::set(&leptos::prelude::window(), &"fetch".into(), &stub).unwrap();
    seen
}

/// Puts an island as the server writes it into the page, with a `<` written `\u003c`.
fn serve_island() {
    let document = leptos::prelude::document();
    let island = document.create_element("script").unwrap();
    island.set_attribute("type", "application/json").unwrap();
    island.set_id(ISLAND_ID);
    island.set_text_content(Some(
        r#"{"/api/session":{"business_account":"alice\u003c/script>","csrf_token":"csrf-1","expires_at":4102444800},
            "/api/me/employee":{"not":"read"}}"#,
    ));
    document.head().unwrap().append_child(&island).unwrap();
}

fn paths(seen: &js_sys::Array) -> Vec<String> {
    seen.iter().filter_map(|path| path.as_string()).collect()
}

#[wasm_bindgen_test]
async fn the_pages_answers_are_taken_once_and_forgotten_at_a_sign_in() {
    serve_island();
    let seen = record_requests();

    let session: SessionInfo = api::current_session().await.unwrap();
    assert_eq!(session.business_account, "alice</script>");
    assert_eq!(session.csrf_token, "csrf-1");
    assert!(paths(&seen).is_empty(), "read from the page");
    assert!(
        leptos::prelude::document()
            .get_element_by_id(ISLAND_ID)
            .is_none(),
        "the island is taken out of the page"
    );

    let again = api::current_session().await.unwrap();
    assert_eq!(
        again.business_account, "bob",
        "the second read asks the API"
    );
    assert_eq!(paths(&seen), ["/api/session"]);

    // Another agent signs in: the employee answer left in the island was alice's.
    api::keep_session(Some(&again));
    let employee = api::employee().await;
    assert!(employee.is_err(), "bob's answer is no employee");
    assert_eq!(paths(&seen), ["/api/session", "/api/me/employee"]);
}
