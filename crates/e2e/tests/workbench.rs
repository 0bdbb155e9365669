//! EMB-1, EMB-2, EMB-5, EMB-6 as a workbench on another site meets the app: the demo workbench
//! page on `http://localhost:W` frames the app on `http://127.0.0.1:P` (two sites), the agent
//! signs in and saves inside the iframe, and the two windows talk with the `pc.*` messages.

use pc_e2e::{free_port, Harness, DEMO_PASSWORD};
use serde_json::Value;

/// The app with the demo workbench: `(harness, workbench URL, app origin)`.
async fn start() -> (Harness, String, String) {
    let port = free_port();
    let workbench = format!("http://localhost:{port}");
    let h = Harness::start_with(&[
        "--frame-ancestors",
        &workbench,
        "--demo-workbench",
        &format!("127.0.0.1:{port}"),
    ])
    .await;
    let app = h.base_url.clone();
    (h, workbench, app)
}

async fn open_workbench(h: &Harness, url: &str) {
    h.browser.goto(url).await.expect("open the workbench");
}

/// Opens the workbench and signs Alice in inside its iframe, up to Agent Info.
async fn sign_in_framed(h: &Harness, workbench: &str) {
    open_workbench(h, workbench).await;
    in_app(h).await;
    h.find("#business_account").await;
    h.sign_in("alice.wang", DEMO_PASSWORD).await;
    h.find("[data-testid=agent-details]").await;
}

/// Switches the browser into the iframe; the page helpers then act inside the app.
async fn in_app(h: &Harness) {
    let frame = h.find("#pc").await;
    frame.enter_frame().await.expect("enter the app's frame");
}

/// Scrolls the workbench page, as an agent does, until the element `css` of the app in the
/// frame is in the middle of the window, and goes back into the frame. WebKit's WebDriver
/// clicks an element of a frame without scrolling the page that holds the frame.
async fn scroll_workbench_to(h: &Harness, css: &str) {
    let element = h.find(css).await;
    let top = h
        .browser
        .execute(
            "return arguments[0].getBoundingClientRect().top;",
            vec![serde_json::to_value(element).expect("element reference")],
        )
        .await
        .expect("where the element is in the frame");
    in_workbench(h).await;
    h.browser
        .execute(
            "const frame = document.getElementById('pc').getBoundingClientRect();
             window.scrollBy(0, frame.top + arguments[0] - window.innerHeight / 2);",
            vec![top],
        )
        .await
        .expect("scroll the workbench");
    in_app(h).await;
}

async fn in_workbench(h: &Harness) {
    h.browser
        .enter_parent_frame()
        .await
        .expect("back to the workbench");
}

/// Scrolls the workbench to the element of the app in the frame and clicks it. The frame may
/// still move as the workbench resizes it (pc.resize), and WebKit's WebDriver then refuses the
/// click as not interactable: the agent would scroll and click again, and so does this.
async fn click_framed(h: &Harness, css: &str) {
    for attempt in 1..=3 {
        scroll_workbench_to(h, css).await;
        match h.find(css).await.click().await {
            Ok(_) => return,
            Err(error) if attempt < 3 => {
                eprintln!("click {css} again after: {error:?}");
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
            Err(error) => {
                in_workbench(h).await;
                h.screenshot("failure-click").await;
                panic!("click {css}: {error}")
            }
        }
    }
}

/// Every message the workbench received, with the origin it came from.
async fn received(h: &Harness) -> Vec<(String, Value)> {
    in_workbench(h).await;
    let script = "return Array.from(document.querySelectorAll('#messages li'))
        .map((li) => [li.dataset.origin, JSON.parse(li.textContent)]);";
    let found = h
        .browser
        .execute(script, vec![])
        .await
        .expect("read the messages");
    serde_json::from_value(found).expect("origin and message pairs")
}

/// Waits for a message of `kind` for which `matches` holds, and returns it.
async fn expect_message(
    h: &Harness,
    app: &str,
    kind: &str,
    matches: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..400 {
        let found = received(h)
            .await
            .into_iter()
            .find(|(origin, message)| message["type"] == kind && matches(message) && origin == app);
        if let Some((_, message)) = found {
            assert_eq!(message["v"], 1, "{message}");
            return message;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    h.screenshot("failure").await;
    panic!(
        "no {kind} message as expected from {app}; got {:?}",
        received(h).await
    );
}

/// Whether the frame holds the app's page (its static `index.html`), or anything else.
async fn frame_holds_the_app(h: &Harness) -> bool {
    let probe = "return document.querySelector('link[rel=icon][href=\"/favicon.svg\"]') !== null;";
    let holds = match h.find("#pc").await.enter_frame().await {
        Ok(()) => h.browser.execute(probe, vec![]).await.ok() == Some(Value::Bool(true)),
        Err(_) => false,
    };
    in_workbench(h).await;
    holds
}

/// Waits until the iframe is as tall as the last height the app reported.
async fn expect_frame_sized(h: &Harness) {
    let mut style = String::new();
    for _ in 0..400 {
        let last = received(h)
            .await
            .into_iter()
            .rev()
            .find(|(_, message)| message["type"] == "pc.resize")
            .map(|(_, message)| message["height"].clone());
        style = h.attr("#pc", "style").await.unwrap_or_default();
        if last.is_some_and(|height| style.contains(&format!("height: {height}px"))) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the iframe does not follow the reported height: {style}");
}

/// Waits until the app in the frame is at `expected` (path and query). WebDriver's current URL
/// is the top page's, so the frame is asked itself.
async fn expect_app_path(h: &Harness, expected: &str) {
    let script = "return location.pathname + location.search;";
    let mut seen = Value::Null;
    for _ in 0..400 {
        seen = h
            .browser
            .execute(script, vec![])
            .await
            .expect("the frame's location");
        if seen == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the app is not at {expected} but at {seen}");
}

async fn frame_loaded(h: &Harness) {
    h.expect_attr("#pc", "data-loads").await;
}

#[tokio::test]
async fn framed_by_a_workbench_on_another_site_the_agent_signs_in_saves_and_finds_it_kept() {
    let (h, workbench, app) = start().await;
    open_workbench(&h, &workbench).await;
    let ready = expect_message(&h, &app, "pc.ready", |_| true).await;
    assert_eq!(ready["signedIn"], false);
    assert_eq!(ready["language"], "en");
    frame_loaded(&h).await;
    assert!(frame_holds_the_app(&h).await);

    in_app(&h).await;
    h.find("#business_account").await;
    h.sign_in("alice.wang", DEMO_PASSWORD).await;
    h.find("[data-testid=agent-details]").await;
    expect_message(&h, &app, "pc.signedIn", |m| {
        m["businessAccount"] == "alice.wang" && m["signInMethod"] == "password"
    })
    .await;

    // The iframe takes the height the app reports, and follows it when the content grows.
    let first = expect_message(&h, &app, "pc.resize", |_| true).await;
    in_app(&h).await;
    h.click("#tab-personalized-settings").await;
    click_framed(&h, "#edit-settings").await;
    // The form opens with the focus on its first control, the avatar button, in the next
    // animation frame, which WebKit runs late in a framed page: typing before that has the
    // focus taken from the nickname mid-word, and a typed space opens the avatar chooser.
    h.expect_focus("id", "change-avatar").await;
    // The workbench resizes the frame for the opened form: typing before the page has settled
    // can click the avatar button the field has just moved away from (WebKit).
    h.find("#nickname").await;
    in_workbench(&h).await;
    expect_frame_sized(&h).await;
    in_app(&h).await;
    scroll_workbench_to(&h, "#nickname").await;
    h.type_into("#nickname", "Framed Alice").await;
    expect_message(&h, &app, "pc.unsavedChanges", |m| m["dirty"] == true).await;
    expect_message(&h, &app, "pc.resize", |m| m["height"] != first["height"]).await;
    expect_frame_sized(&h).await;
    h.screenshot("workbench-editing").await;

    in_app(&h).await;
    click_framed(&h, "#save-settings").await;
    h.expect_text(".notice.success", "Your settings have been saved.")
        .await;
    let saved = expect_message(&h, &app, "pc.saved", |_| true).await;
    assert_eq!(saved["area"], "personalizedSettings");
    assert_eq!(saved["signInAgain"], false);
    expect_message(&h, &app, "pc.unsavedChanges", |m| m["dirty"] == false).await;

    // Reloading the workbench: the session cookie came back to the iframe (CHIPS), so the
    // agent is still signed in and sees what was saved.
    open_workbench(&h, &workbench).await;
    expect_message(&h, &app, "pc.signedIn", |m| {
        m["businessAccount"] == "alice.wang"
    })
    .await;
    in_app(&h).await;
    h.click("#tab-personalized-settings").await;
    h.expect_text(
        "[data-testid=settings-view] [data-field=nickname]",
        "Framed Alice",
    )
    .await;
    in_workbench(&h).await;
    h.screenshot("workbench").await;
    h.finish().await;
}

#[tokio::test]
async fn the_workbench_chooses_the_language_and_the_tab_and_asks_for_the_state() {
    let (h, workbench, app) = start().await;
    sign_in_framed(&h, &workbench).await;

    in_workbench(&h).await;
    h.click("[data-language=zh-CN]").await;
    in_app(&h).await;
    h.expect_text("#tab-agent-info", "座席信息").await;

    in_workbench(&h).await;
    h.click("[data-tab=agent-parameters]").await;
    in_app(&h).await;
    expect_app_path(&h, "/agent-parameters?lang=zh-CN").await;
    h.find(".parameters-table").await;

    in_workbench(&h).await;
    h.click("#request-state").await;
    expect_message(&h, &app, "pc.ready", |m| {
        m["language"] == "zh-CN" && m["signedIn"] == true
    })
    .await;
    h.screenshot("workbench-zh-CN").await;
    h.finish().await;
}

#[tokio::test]
async fn messages_from_another_origin_or_not_of_the_protocol_change_nothing() {
    let (h, workbench, app) = start().await;
    sign_in_framed(&h, &workbench).await;
    in_workbench(&h).await;

    // From the allowed workbench, but not version 1, not a known value, not an object.
    let malformed = r#"
        const app = document.getElementById('pc').contentWindow;
        for (const message of [
            { type: 'pc.setLanguage', v: 2, language: 'zh-CN' },
            { type: 'pc.setLanguage', v: 1, language: 'fr' },
            { type: 'pc.setLanguage', language: 'zh-CN' },
            { type: 'pc.openTab', v: 1, tab: '//evil.example' },
            { type: 'pc.signOut', v: 1 },
            'pc.setLanguage', 42, null, [1, 2],
        ]) app.postMessage(message, '*');
        // From a frame of another origin (a data: URL has an opaque one), a valid request.
        const intruder = document.createElement('iframe');
        intruder.src = 'data:text/html,<script>top.frames[0].postMessage('
            + '{type:"pc.setLanguage",v:1,language:"zh-CN"},"*");'
            + 'top.frames[0].postMessage({type:"pc.openTab",v:1,tab:"agent-parameters"},"*")</script>';
        intruder.onload = () => { document.body.dataset.intruder = 'done'; };
        document.body.append(intruder);
    "#;
    h.browser
        .execute(malformed, vec![])
        .await
        .expect("post the messages");
    h.expect_attr("body", "data-intruder").await;
    h.click("#request-state").await;
    let state = expect_message(&h, &app, "pc.ready", |m| m["signedIn"] == true).await;
    assert_eq!(state["language"], "en");
    in_app(&h).await;
    expect_app_path(&h, "/agent-info").await;
    h.expect_text("#tab-agent-info", "Agent Info").await;
    h.finish().await;
}

#[tokio::test]
async fn a_page_on_an_origin_not_allowed_cannot_frame_the_app() {
    let port = free_port();
    // Only localhost:port may frame the app; the same page opened as 127.0.0.1:port may not.
    let h = Harness::start_with(&[
        "--frame-ancestors",
        &format!("http://localhost:{port}"),
        "--demo-workbench",
        &format!("127.0.0.1:{port}"),
    ])
    .await;
    open_workbench(&h, &format!("http://127.0.0.1:{port}")).await;
    frame_loaded(&h).await;
    assert!(!frame_holds_the_app(&h).await);
    assert!(received(&h).await.is_empty());
    h.finish().await;
}
