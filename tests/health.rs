//! BEY-3 in headless Chromium (`webdriver.json`: fake microphones, no permission prompt): what
//! the softphone health checks learn from the browser, and the WebSocket probe of the
//! registration server, which tells a refused connection from an address that is no WebSocket address.

use pc_app::tabs::agent_info::health::checks::{NetworkFailure, NetworkProbe};
use pc_app::tabs::agent_info::health::probe::{browser_facts, open_websocket};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_browser_tells_a_secure_page_its_devices_and_the_speaker_choice() {
    let facts = browser_facts().await;
    assert!(facts.secure, "the test page is served from localhost");
    let (microphones, _) = facts.devices.expect("Chromium lists devices");
    assert!(microphones >= 1, "{facts:?}");
    assert!(facts.sink_choice, "Chromium has setSinkId");
}

#[wasm_bindgen_test]
async fn a_refused_websocket_and_an_address_that_is_no_websocket_are_told_apart() {
    // Port 1 is never listened on: the connection is refused at once.
    assert_eq!(
        open_websocket("ws://127.0.0.1:1").await,
        NetworkProbe::Failed(NetworkFailure::Closed)
    );
    assert_eq!(
        // Browsers resolve relative addresses and turn http(s) into ws(s); other schemes fail.
        open_websocket("ftp://sip.example:7443").await,
        NetworkProbe::Failed(NetworkFailure::BadAddress)
    );
}
