//! BEY-3: the Softphone health panel in the engine under test. With Kamailio up a WebRTC agent fixes what the
//! panel finds (PAR-3 through its link to Agent Parameters, the microphone through Devices) and
//! then every check passes; with Kamailio down the network check fails with the reason; an agent
//! without WebRTC sees PAR-6 Yes as a contradiction until it is No.

use std::time::{Duration, Instant};

use pc_e2e::browser::Engine;
use pc_e2e::registrar::server_with_registrar;
use pc_e2e::{Harness, Key, Page};

fn check(id: &str) -> String {
    format!(".health-check[data-check={id}]")
}

/// Each check's ID and status, in the panel's order, once no run is going on.
async fn statuses(h: &Page) -> Vec<(String, String)> {
    let script = r#"
        if (document.querySelector('#health-summary[data-running=true]')) return null;
        return [...document.querySelectorAll('.health-check')]
            .map(li => [li.dataset.check, li.dataset.status]);
    "#;
    let answer = h.browser.execute(script, vec![]).await.unwrap();
    serde_json::from_value::<Option<Vec<(String, String)>>>(answer)
        .unwrap()
        .unwrap_or_default()
}

/// Waits until the panel shows `wanted` of the checks' statuses.
async fn expect_statuses(h: &Page, what: &str, wanted: impl Fn(&[(String, String)]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let seen = statuses(h).await;
        if !seen.is_empty() && wanted(&seen) {
            return;
        }
        if Instant::now() > deadline {
            h.screenshot("failure").await;
            panic!(
                "{what}, but the panel shows {seen:?} (target/screenshots/{}/failure.png)",
                Engine::under_test().name()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The check whose fix has the keyboard focus, if one has.
async fn focused_check(h: &Page) -> Option<String> {
    let script = "return document.activeElement.matches('[data-testid=fix]') \
        ? document.activeElement.closest('.health-check').dataset.check : null";
    let answer = h.browser.execute(script, vec![]).await.unwrap();
    serde_json::from_value(answer).unwrap()
}

/// Waits until the registration check shows `status`, then finds the keyboard focus still on
/// the fix of the check `focused`.
async fn expect_registration_with_focus_kept(h: &Page, status: &str, focused: &str) {
    expect_statuses(h, &format!("the registration check is {status}"), |s| {
        status_of(s, "registration") == Some(status)
    })
    .await;
    assert_eq!(focused_check(h).await.as_deref(), Some(focused));
}

fn status_of<'a>(statuses: &'a [(String, String)], id: &str) -> Option<&'a str> {
    statuses
        .iter()
        .find(|(check, _)| check == id)
        .map(|(_, status)| status.as_str())
}

async fn open_panel(h: &Page) {
    h.click("#health-toggle").await;
    h.expect_attr("#health-toggle[aria-expanded=true]", "id")
        .await;
}

async fn run_again(h: &Page) {
    h.click("#health-run").await;
}

async fn show_panel(h: &Page, screenshot: &str) {
    h.browser
        .execute(
            "document.getElementById('health-toggle').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    h.screenshot(screenshot).await;
}

#[tokio::test]
async fn with_the_registrar_up_a_webrtc_agent_fixes_what_is_found_and_every_check_passes() {
    let (h, mut registrar) = server_with_registrar().await;
    h.open_agent_info("alice.wang", None).await;
    h.find("[data-testid=registration-state][data-state=registered]")
        .await;
    open_panel(&h).await;
    // Northwind integrates OpenEye, and Alice's PAR-3 follows the tenant: a contradiction.
    expect_statuses(&h, "PAR-3 resolving to Yes is a problem", |s| {
        status_of(s, "openeye-integration") == Some("problem")
            && status_of(s, "registration") == Some("passed")
            && status_of(s, "network") == Some("passed")
    })
    .await;
    let reason = h
        .text(&format!(
            "{} [data-testid=reason]",
            check("openeye-integration")
        ))
        .await;
    assert!(reason.contains("two softphones"), "{reason}");
    // Running the checks changed nothing: the registration is the one made at sign-in.
    let now = h.text("[data-testid=since-sign-in]").await;
    assert!(
        now.contains("registrations 1, failures 0, reconnects 0"),
        "{now}"
    );

    // The registration changing while the panel is open (the registrar goes away and comes
    // back) leaves the keyboard focus on another check's fix where it was.
    let openeye_fix = format!("{} a[data-testid=fix]", check("openeye-integration"));
    h.browser
        .execute(
            &format!("document.querySelector('{openeye_fix}').focus()"),
            vec![],
        )
        .await
        .unwrap();
    registrar.stop();
    expect_registration_with_focus_kept(&h, "problem", "openeye-integration").await;
    registrar.restart();
    expect_registration_with_focus_kept(&h, "passed", "openeye-integration").await;

    h.click(&openeye_fix).await;
    h.expect_path("/agent-parameters").await;
    h.expect_focus("id", "edit-integrate_openeye").await;
    h.press(Key::Enter).await;
    h.select("#integrate_openeye", "no").await;
    h.click("#save-parameter").await;
    h.expect_absent("#save-parameter").await;

    h.click("#tab-agent-info").await;
    open_panel(&h).await;
    expect_statuses(&h, "PAR-3 No is no longer a problem", |s| {
        status_of(s, "openeye-integration") == Some("passed")
    })
    .await;
    // Chromium has not asked for the microphone yet: Devices is where the agent allows it.
    if status_of(&statuses(&h).await, "microphone-permission") == Some("problem") {
        h.click(&format!(
            "{} button[data-testid=fix]",
            check("microphone-permission")
        ))
        .await;
        h.expect_focus("id", "audio-check").await;
        h.press(Key::Enter).await;
        h.find("#audio-level").await;
        run_again(&h).await;
    }
    // Where the engine lists no speakers the check cannot run, and says why.
    let speaker = if Engine::under_test().lists_speakers() {
        "passed"
    } else {
        "not-run"
    };
    expect_statuses(&h, "every check passes", |s| {
        s.len() == 10
            && s.iter().all(|(id, status)| match id.as_str() {
                "speaker" => status == speaker,
                _ => status == "passed",
            })
    })
    .await;
    if speaker == "not-run" {
        h.expect_text(
            &format!("{} [data-testid=reason]", check("speaker")),
            "This browser does not list speakers, so calls use the default speaker.",
        )
        .await;
    }
    h.expect_text("#health-summary", "All 10 checks found no problem.")
        .await;
    let network = h
        .text(&format!("{} [data-testid=reason]", check("network")))
        .await;
    assert!(
        network.starts_with("Opened in ") && network.ends_with(" ms."),
        "{network}"
    );
    let now = h.text("[data-testid=registration-now]").await;
    assert!(now.starts_with("Now: Registered · 127.0.0.1:"), "{now}");
    assert!(now.contains(" · since "), "{now}");
    assert!(now.contains(" · Refreshes at "), "{now}");
    show_panel(&h, "softphone-health-passed").await;
    h.finish().await;
}

#[tokio::test]
async fn with_the_registrar_down_the_network_check_fails_with_the_reason() {
    let (h, mut registrar) = server_with_registrar().await;
    h.open_agent_info("david.zhao", None).await;
    h.find("[data-testid=registration-state][data-state=registered]")
        .await;
    registrar.stop();
    h.find("[data-testid=registration-state][data-state=reconnecting]")
        .await;
    open_panel(&h).await;
    expect_statuses(&h, "the network check fails", |s| {
        status_of(s, "network") == Some("problem")
            && status_of(s, "registration") == Some("problem")
    })
    .await;
    let server = registrar.websocket_url().replace("ws://", "");
    let reason = h
        .text(&format!("{} [data-testid=reason]", check("network")))
        .await;
    assert_eq!(
        reason,
        format!(
            "No WebSocket to {server} could be opened: the connection was refused or closed before it opened."
        )
    );
    let fix = h
        .text(&format!("{} [data-testid=fix]", check("network")))
        .await;
    assert!(fix.contains("ask your administrator"), "{fix}");
    let history = h.text("[data-testid=since-sign-in]").await;
    assert!(history.contains("registrations 1, failures 0"), "{history}");
    assert!(!history.contains("reconnects 0"), "{history}");
    show_panel(&h, "softphone-health-registrar-down").await;

    // The same in Chinese.
    h.open("/agent-info?lang=zh-CN").await;
    h.find("[data-testid=registration-state]").await;
    open_panel(&h).await;
    expect_statuses(&h, "the network check fails in Chinese too", |s| {
        status_of(s, "network") == Some("problem")
    })
    .await;
    let reason = h
        .text(&format!("{} [data-testid=reason]", check("network")))
        .await;
    assert_eq!(
        reason,
        format!("无法打开到 {server} 的 WebSocket：连接被拒绝，或在打开前已关闭。")
    );
    h.expect_text("#health-toggle", "软电话健康检查").await;
    // No space after the full-width colon, as Chinese typography has it.
    let now = h.text("[data-testid=registration-now]").await;
    assert!(
        now.starts_with("当前：") && !now.starts_with("当前： "),
        "{now}"
    );
    let history = h.text("[data-testid=since-sign-in]").await;
    assert!(
        history.starts_with("自签入以来：") && !history.starts_with("自签入以来： "),
        "{history}"
    );
    show_panel(&h, "softphone-health-registrar-down-zh-CN").await;
    h.finish().await;
}

#[tokio::test]
async fn par_6_yes_for_an_agent_without_webrtc_is_a_contradiction_until_it_is_no() {
    let h = Harness::start().await;
    h.open_agent_info("bob.li", None).await;
    open_panel(&h).await;
    // Without WebRTC only the settings that concern Bob are checked; PAR-6 is Yes by default.
    expect_statuses(&h, "PAR-6 Yes is a contradiction", |s| {
        s == [
            ("auto-register".to_owned(), "problem".to_owned()),
            ("video-display".to_owned(), "passed".to_owned()),
        ]
    })
    .await;
    let reason = h
        .text(&format!("{} [data-testid=reason]", check("auto-register")))
        .await;
    assert!(reason.contains("WebRTC is off for you"), "{reason}");
    h.expect_text("#health-summary", "Problems found: 1.").await;
    show_panel(&h, "softphone-health-par6").await;

    h.click(&format!("{} a[data-testid=fix]", check("auto-register")))
        .await;
    h.expect_focus("id", "edit-webrtc_auto_register").await;
    h.press(Key::Enter).await;
    h.select("#webrtc_auto_register", "no").await;
    h.click("#save-parameter").await;
    h.expect_absent("#save-parameter").await;
    h.click("#tab-agent-info").await;
    open_panel(&h).await;
    expect_statuses(&h, "PAR-6 No is no contradiction", |s| {
        s.iter().all(|(_, status)| status == "passed")
    })
    .await;

    // And back to Yes from the keyboard: Run checks again sees it.
    h.open("/agent-parameters?lang=zh-CN#webrtc_auto_register")
        .await;
    h.expect_focus("id", "edit-webrtc_auto_register").await;
    h.press(Key::Enter).await;
    h.select("#webrtc_auto_register", "yes").await;
    h.click("#save-parameter").await;
    h.expect_absent("#save-parameter").await;
    h.click("#tab-agent-info").await;
    open_panel(&h).await;
    expect_statuses(&h, "PAR-6 Yes is a contradiction again", |s| {
        status_of(s, "auto-register") == Some("problem")
    })
    .await;
    h.expect_text("#health-summary", "发现问题：1 项。").await;
    show_panel(&h, "softphone-health-par6-zh-CN").await;
    h.finish().await;
}
