//! OPS-7 as an agent meets it: each tab opened by a fresh page load fetches its chunk and its
//! heaviest feature works (the health checks with the media test, the e-name card's QR code
//! and its download, a parameter's version history); a chunk the server no longer has gives
//! the message with Reload, and Reload brings back what the agent typed.

use std::path::{Path, PathBuf};

use pc_e2e::{Harness, Key};
use serde_json::{json, Value};

/// The wasm files the page has fetched so far, by name without their hash.
async fn fetched_modules(h: &Harness) -> Vec<String> {
    let names = h
        .browser
        .execute(
            "return performance.getEntriesByType('resource')
                .map((entry) => new URL(entry.name).pathname.slice(1))
                .filter((name) => name.endsWith('.wasm'))
                .map((name) => name.replace(/-[0-9a-f]+(_bg)?\\.wasm$/, ''));",
            vec![],
        )
        .await
        .expect("the resources fetched");
    serde_json::from_value(names).expect("names")
}

/// Opens `path` in a page load of its own.
async fn fresh_load(h: &Harness, path: &str) {
    h.browser.goto("about:blank").await.unwrap();
    h.open(path).await;
}

#[tokio::test]
async fn each_tab_opened_by_a_page_load_fetches_its_chunk_and_its_heaviest_feature_works() {
    let h = Harness::start().await;
    h.open_agent_info("alice.wang", None).await;

    // Agent Info is the first screen: the main module only, until the health panel opens.
    fresh_load(&h, "/agent-info").await;
    h.find("[data-testid=agent-details]").await;
    h.click("#health-toggle").await;
    h.find(".health-check[data-check=registration]").await;
    assert!(
        fetched_modules(&h)
            .await
            .contains(&"split_health_checks".to_owned()),
        "{:?}",
        fetched_modules(&h).await
    );
    h.find("#media-test-run")
        .await
        .send_keys(&Key::Enter)
        .await
        .expect("press Enter on Run media test");
    // Done, or (WebKitGTK) the engine has no WebRTC and the test says so.
    h.eventually(
        "the media test ends",
        async || h.attr("#media-test-status", "data-stage").await,
        |stage| matches!(stage.as_deref(), Some("done" | "no-webrtc")),
    )
    .await;

    fresh_load(&h, "/personalized-settings").await;
    h.find("[data-testid=settings-view]").await;
    assert!(fetched_modules(&h)
        .await
        .contains(&"split_personalized_settings".to_owned()));
    h.select("#ecard-org-unit", "2").await;
    h.select("#ecard-channel", "2").await;
    h.click("#ecard-generate").await;
    h.find(".ecard-qr svg").await;
    h.click("#ecard-download-png").await;
    let png = h
        .downloaded("e-name-card-northwind-care-whatsapp-english.png")
        .await;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    fresh_load(&h, "/agent-parameters").await;
    h.find(".parameters-table tbody tr").await;
    assert!(fetched_modules(&h)
        .await
        .contains(&"split_agent_parameters".to_owned()));
    h.click("#edit-answer_mode").await;
    h.select("#answer_mode", "manual").await;
    h.click("#save-parameter").await;
    h.expect_absent("#save-parameter").await;
    h.click("#edit-answer_mode").await;
    h.click("#parameter-history").await;
    h.find("#parameter-history-dialog [data-field=answer_mode]")
        .await;
    h.finish().await;
}

/// A copy of the built app without the files of the chunk `chunk` (a new build went out and
/// the old chunk is gone).
fn app_without(chunk: &str, into: &Path) -> PathBuf {
    let dist = std::env::var_os("PC_DIST").expect("PC_DIST");
    let copy = into.join("dist");
    copy_folder(Path::new(&dist), &copy);
    for entry in std::fs::read_dir(&copy).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(&format!("{chunk}-")) {
            std::fs::remove_file(&path).unwrap();
        }
    }
    copy
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_chunk_that_cannot_be_loaded_says_so_and_reload_keeps_the_typed_nickname() {
    let folder = tempfile::tempdir().unwrap();
    let h = Harness::start_serving(app_without("split_qr_encoded", folder.path()), &[]).await;
    h.open_settings("alice.wang", Some("en")).await;
    h.click("#edit-settings").await;
    // The form puts the focus on its first control once open; typing waits for that.
    h.expect_focus("id", "change-avatar").await;
    h.type_into("#nickname", "Kept Alice").await;

    h.select("#ecard-org-unit", "2").await;
    h.select("#ecard-channel", "2").await;
    h.click("#ecard-generate").await;
    h.expect_text(
        "[data-testid=chunk-unavailable] p",
        "This part of the Personal Center could not be loaded: the network dropped, or a new \
         version was installed. Reload to go on; what you typed is kept.",
    )
    .await;
    h.scroll_to("[data-testid=chunk-unavailable]").await;
    h.screenshot("chunk-unavailable").await;

    h.click("#reload-app").await;
    h.expect_text(
        "p.notice[role=status]",
        "Your unsaved changes are back. Check them, then save.",
    )
    .await;
    assert_eq!(h.value("#nickname").await, "Kept Alice");
    // Nothing was saved: the draft is only in this browser tab.
    let saved: Value = h
        .browser
        .execute_async(
            "const [done] = arguments; fetch('/api/me/settings').then((r) => r.json()).then(done);",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(
        saved["settings"]["nickname"],
        json!("Kept Alice"),
        "{saved}"
    );
    h.finish().await;
}
