//! The media test (BEY-3), run by keyboard, against a real STUN/TURN server: Debian's coturn
//! with the TURN REST API, Chromium's fake microphone (a beeping tone). With the right shared
//! secret the browser finds relay candidates and its loopback call goes through the relay
//! carrying the microphone; with a wrong one it finds none, and the panel says so; a tenant
//! without STUN or TURN servers is told that only host candidates can be found.

use pc_e2e::browser::Engine;
use pc_e2e::turn::{TurnServer, TURN_SECRET};
use pc_e2e::{Harness, Key};

const STATUS: &str = "#media-test-status";
const REACH: &str = "#media-test-reach";

/// Opens the Softphone health panel, which the media test ends, and runs the media test, all by
/// keyboard, as `account`; waits until it has finished. Answers false where the engine has no
/// WebRTC, after checking that the panel says so and tells the agent what to use instead.
async fn run_media_test(h: &Harness, account: &str, lang: Option<&str>) -> bool {
    h.open_agent_info(account, lang).await;
    h.find("#health-toggle")
        .await
        .send_keys(&Key::Enter)
        .await
        .expect("press Enter on Softphone health");
    h.expect_attr("#health-toggle[aria-expanded=true]", "id")
        .await;
    h.find("#media-test-run")
        .await
        .send_keys(&Key::Enter)
        .await
        .expect("press Enter on Run media test");
    if !Engine::under_test().has_webrtc() {
        h.find(&format!("{STATUS}[data-stage=no-webrtc]")).await;
        let why = match lang {
            Some("zh-CN") => "此浏览器不支持 WebRTC，无法承载您的通话。请使用最新版的 Chrome、Edge、Firefox 或 Safari 作为软电话。",
            _ => "This browser has no WebRTC, so it cannot carry your calls. Use a current Chrome, Edge, Firefox or Safari as your softphone.",
        };
        h.expect_text("#media-test-no-webrtc[role=alert]", why)
            .await;
        h.expect_absent("[data-testid=media-test-candidates]").await;
        h.scroll_to("#media-test").await;
        h.screenshot(&format!(
            "media-test-no-webrtc{}",
            lang.map(|l| format!("-{l}")).unwrap_or_default()
        ))
        .await;
        return false;
    }
    h.find(&format!("{STATUS}[data-stage=done]")).await;
    true
}

/// A screenshot of the media test's section, scrolled near the top of the window below the
/// health panel's last checks.
/// The app with the demo TURN server `turn`, told `secret` as the TURN secret (the wrong one
/// makes its credentials fail).
async fn with_turn_server(turn: &TurnServer, secret: &str) -> Harness {
    Harness::start_with(&[
        "--demo-turn-server",
        &turn.address(),
        "--demo-turn-secret",
        secret,
    ])
    .await
}

async fn screenshot(h: &Harness, name: &str) {
    h.browser
        .execute(
            "document.getElementById('media-test-title').scrollIntoView(); window.scrollBy(0, -160)",
            vec![],
        )
        .await
        .unwrap();
    h.screenshot(name).await;
}

#[tokio::test]
async fn with_the_right_credentials_relay_candidates_are_found_and_the_call_carries_the_microphone()
{
    let turn = TurnServer::start();
    let h = with_turn_server(&turn, TURN_SECRET).await;
    if !run_media_test(&h, "david.zhao", None).await {
        return h.finish().await;
    }

    h.find("[data-testid=media-test-candidates] [data-kind=relay][data-found=true]")
        .await;
    h.find("[data-testid=media-test-candidates] [data-kind=host][data-found=true]")
        .await;
    h.find(&format!("{REACH}[data-reach=relayed]")).await;
    let millis: u64 = number(&h, "#media-test-gathering-time", "data-millis").await;
    assert!(millis < 10_000, "{millis}");

    // The loopback call went through the relay, as Opus, and the tone came back.
    h.find("#media-test-path[data-relayed=true]").await;
    h.expect_text("#media-test-codec", "audio/opus").await;
    let level: f64 = number(&h, "#media-test-level", "data-level").await;
    assert!(level > 0.0, "{level}");
    assert!(!h.exists("[data-issue=no-audio]").await);
    assert!(!h.exists("[data-issue=silent]").await);
    let round_trip = h.text("#media-test-round-trip").await;
    assert!(round_trip.ends_with(" ms"), "{round_trip}");
    screenshot(&h, "media-test-relayed").await;
    h.finish().await;
}

#[tokio::test]
async fn with_wrong_credentials_no_relay_candidates_are_found_and_the_panel_says_so() {
    let turn = TurnServer::start();
    let h = with_turn_server(&turn, "not-the-turn-servers-secret").await;
    if !run_media_test(&h, "david.zhao", None).await {
        return h.finish().await;
    }

    h.find("[data-testid=media-test-candidates] [data-kind=relay][data-found=false]")
        .await;
    h.find(&format!("{REACH}[data-reach=no-relay][role=alert]"))
        .await;
    let said = h.text(REACH).await;
    assert!(
        said.starts_with("No relay candidates: the TURN server refused the credentials"),
        "{said}"
    );
    // Forced through the relay, the call cannot connect.
    h.find("#media-test-call-failed[data-failure=not-connected]")
        .await;
    screenshot(&h, "media-test-no-relay").await;
    h.finish().await;
}

#[tokio::test]
async fn without_stun_or_turn_servers_only_host_candidates_are_found_and_the_call_is_direct() {
    let h = Harness::start().await;
    if !run_media_test(&h, "david.zhao", Some("zh-CN")).await {
        return h.finish().await;
    }

    h.find("[data-testid=media-test-candidates] [data-kind=host][data-found=true]")
        .await;
    h.find(&format!("{REACH}[data-reach=host-only]")).await;
    let said = h.text(REACH).await;
    assert!(
        said.starts_with("未配置 STUN/TURN —— 仅有本机候选。"),
        "{said}"
    );
    h.find("#media-test-path[data-relayed=false]").await;
    let level: f64 = number(&h, "#media-test-level", "data-level").await;
    assert!(level > 0.0, "{level}");
    screenshot(&h, "media-test-host-only-zh").await;
    h.finish().await;
}

/// The number the page shows in `attribute` of `css`.
async fn number<T: std::str::FromStr>(h: &Harness, css: &str, attribute: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    h.attr(css, attribute)
        .await
        .unwrap_or_else(|| panic!("{css} has no {attribute}"))
        .parse()
        .unwrap()
}
