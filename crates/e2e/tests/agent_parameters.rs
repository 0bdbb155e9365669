//! SPEC §5 (PAR-1 … PAR-7) as an agent meets it in Chromium: edit and save, reload and find it
//! kept and "not yet synced", batch sync into the cache, batch reset after a confirmation,
//! invalid values explained at the field, a stale change refused.

use pc_e2e::{Harness, Key, Page, DEMO_PASSWORD};
use serde_json::Value;

async fn open_parameters(h: &Page, account: &str) {
    h.open("/sign-in?next=agent-parameters").await;
    h.sign_in(account, DEMO_PASSWORD).await;
    h.expect_path("/agent-parameters").await;
    h.find(".parameters-table").await;
}

fn row(id: &str) -> String {
    format!("tr[data-parameter={id}]")
}

async fn expect_value(h: &Page, id: &str, expected: &str) {
    h.expect_text(&format!("{} [data-testid=value-text]", row(id)), expected)
        .await;
}

async fn is_pending(h: &Page, id: &str) -> bool {
    h.exists(&format!("{} [data-testid=not-synced]", row(id)))
        .await
}

async fn save_text(h: &Page, id: &str, value: &str) {
    h.click(&format!("#edit-{id}")).await;
    h.expect_focus("id", id).await;
    h.type_into(&format!("#{id}"), value).await;
    h.click("#save-parameter").await;
    h.expect_absent("#save-parameter").await;
}

async fn save_choice(h: &Page, id: &str, value: &str) {
    h.click(&format!("#edit-{id}")).await;
    h.select(&format!("#{id}"), value).await;
    h.click("#save-parameter").await;
    h.expect_absent("#save-parameter").await;
}

/// What the cache the telephony side reads holds, through the API as the signed-in agent.
async fn cache(h: &Page) -> Vec<(String, String)> {
    let script = r#"
        const done = arguments[0];
        fetch('/api/me/parameters/cache').then(r => r.json()).then(done, e => done(String(e)));
    "#;
    let answer = h.browser.execute_async(script, vec![]).await.unwrap();
    let Value::Array(entries) = answer else {
        panic!("cache answer: {answer}")
    };
    entries
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_agent_saves_several_parameters_and_finds_them_kept_but_not_yet_synced() {
    let h = Harness::start().await;
    open_parameters(&h, "alice.wang").await;
    // The seven rows, defaults in words; "Consistent with tenant" says what the tenant has.
    let rows = h
        .browser
        .find_all(fantoccini::Locator::Css(".parameters-table tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 7);
    expect_value(&h, "callout_caller", "Not set").await;
    expect_value(
        &h,
        "answer_mode",
        "Consistent with tenant (tenant: Manual response)",
    )
    .await;
    expect_value(
        &h,
        "integrate_openeye",
        "Consistent with the tenant level (tenant: Yes)",
    )
    .await;
    expect_value(&h, "skill_queue_signin_mode", "Specified").await;
    assert!(!is_pending(&h, "callout_caller").await);

    save_text(&h, "callout_caller", "+8613800138000").await;
    let notice = h.text("[data-testid=parameters-notice]").await;
    assert!(notice.contains("“Callout Caller” is saved."), "{notice}");
    assert!(
        notice.contains("take effect after you sign in again"),
        "{notice}"
    );
    // Focus goes back to the row's Edit button.
    h.expect_focus("id", "edit-callout_caller").await;
    save_choice(&h, "answer_mode", "automatic").await;

    // PAR-4: typed loosely, previewed while typing, saved canonically.
    h.click("#edit-openeye_video_display").await;
    h.type_into("#openeye_video_display", " 0, 0, 800, 380, pip, fit")
        .await;
    h.find("[data-testid=video-preview]").await;
    h.screenshot("parameters-edit-video").await;
    h.press(Key::Enter).await;
    h.expect_absent("#save-parameter").await;

    h.open("/agent-parameters").await;
    expect_value(&h, "callout_caller", "+8613800138000").await;
    expect_value(&h, "answer_mode", "Automatic answer").await;
    expect_value(&h, "openeye_video_display", "0,0,800,380,PiP,Fit").await;
    for id in ["callout_caller", "answer_mode", "openeye_video_display"] {
        assert!(is_pending(&h, id).await, "{id} should wait for a sync");
    }
    assert!(!is_pending(&h, "ring_when_maximized").await);
    assert_eq!(
        h.text(&format!("{} [data-testid=not-synced]", row("answer_mode")))
            .await,
        "Not yet synced"
    );
    h.screenshot("parameters-saved").await;
    assert!(cache(&h).await.is_empty());
    h.finish().await;
}

#[tokio::test]
async fn batch_sync_puts_the_checked_rows_in_the_cache_and_batch_reset_asks_first() {
    let h = Harness::start().await;
    open_parameters(&h, "alice.wang").await;
    // Nothing checked: the batch buttons are off and say why.
    assert_eq!(
        h.attr("#batch-sync", "disabled").await.as_deref(),
        Some("true")
    );
    assert_eq!(
        h.text("#batch-hint").await,
        "Check one or more rows to reset or sync them together."
    );
    save_text(&h, "callout_caller", "+8613800138000").await;
    save_choice(&h, "ring_when_maximized", "yes").await;
    save_choice(&h, "skill_queue_signin_mode", "automatic").await;

    h.click("#select-callout_caller").await;
    // The name is the checkbox's label: clicking it checks the row too.
    h.click(&format!("{} th label", row("ring_when_maximized")))
        .await;
    h.expect_text("#batch-hint", "2 checked.").await;
    h.click("#batch-sync").await;
    h.expect_text(
        "[data-testid=parameters-notice]",
        "Synced to the cache: “Callout Caller”, “Whether to play audio and video call alert tones when the browser is maximized”. The changes take effect after you sign in again.",
    )
    .await;
    assert!(!is_pending(&h, "callout_caller").await);
    assert!(!is_pending(&h, "ring_when_maximized").await);
    assert!(is_pending(&h, "skill_queue_signin_mode").await);
    assert_eq!(
        cache(&h).await,
        [
            ("callout_caller".to_owned(), "+8613800138000".to_owned()),
            ("ring_when_maximized".to_owned(), "yes".to_owned()),
        ]
    );

    // Batch reset of the same rows asks first, listing each row's default.
    h.click("#batch-reset").await;
    h.expect_text(
        "[data-testid=reset-list]",
        "Callout Caller: Not set\nWhether to play audio and video call alert tones when the browser is maximized: No",
    )
    .await;
    h.screenshot("parameters-confirm-reset").await;
    // Escape closes the dialog and nothing is reset.
    h.press(Key::Escape).await;
    h.expect_absent("#confirm-reset[open]").await;
    expect_value(&h, "callout_caller", "+8613800138000").await;

    h.click("#batch-reset").await;
    h.click("#confirm-reset-confirm").await;
    h.expect_text(
        "[data-testid=parameters-notice]",
        "Reset to the default: “Callout Caller”, “Whether to play audio and video call alert tones when the browser is maximized”. Sync to put it in the cache that the telephony side reads; changes take effect after you sign in again.",
    )
    .await;
    expect_value(&h, "callout_caller", "Not set").await;
    expect_value(&h, "ring_when_maximized", "No").await;
    // The cache still has the old values until the defaults are synced.
    assert!(is_pending(&h, "callout_caller").await);
    assert_eq!(cache(&h).await[0].1, "+8613800138000");
    h.click("#batch-sync").await;
    h.expect_absent(&format!(
        "{} [data-testid=not-synced]",
        row("callout_caller")
    ))
    .await;
    assert_eq!(
        cache(&h).await,
        [
            ("callout_caller".to_owned(), String::new()),
            ("ring_when_maximized".to_owned(), "no".to_owned()),
        ]
    );
    h.screenshot("parameters-batch").await;
    h.finish().await;
}

#[tokio::test]
async fn invalid_values_are_explained_at_the_field_and_nothing_typed_is_lost() {
    let h = Harness::start().await;
    open_parameters(&h, "alice.wang").await;
    h.click("#edit-callout_caller").await;
    h.type_into("#callout_caller", "010-1234").await;
    h.expect_text(
        "#callout_caller-error",
        "Error:\nEnter a phone number: digits only, with an optional leading +, 3 to 24 characters.",
    )
    .await;
    assert_eq!(
        h.attr("#callout_caller", "aria-invalid").await.as_deref(),
        Some("true")
    );
    // Save refuses, keeps the field and what was typed, and leaves focus on it.
    h.click("#save-parameter").await;
    h.expect_focus("id", "callout_caller").await;
    assert_eq!(h.value("#callout_caller").await, "010-1234");
    h.screenshot("parameters-invalid").await;
    h.click("#cancel-parameter").await;
    expect_value(&h, "callout_caller", "Not set").await;

    h.click("#edit-openeye_video_display").await;
    h.type_into("#openeye_video_display", "0,0,800,0,PiP,Fit")
        .await;
    h.expect_text(
        "#openeye_video_display-error",
        "Error:\nThe height must be a whole number from 1 to 10000.",
    )
    .await;
    h.type_into("#openeye_video_display", "0,0,800,380,PiP,Fit")
        .await;
    h.expect_absent("#openeye_video_display-error").await;
    h.click("#save-parameter").await;
    expect_value(&h, "openeye_video_display", "0,0,800,380,PiP,Fit").await;
    h.finish().await;
}

#[tokio::test]
async fn a_change_from_a_tab_that_is_behind_is_refused_until_it_loads_the_latest() {
    let h = Harness::start().await;
    open_parameters(&h, "alice.wang").await;
    let other = h.another_page().await;
    open_parameters(&other, "alice.wang").await;
    save_choice(&other, "webrtc_auto_register", "no").await;

    // The stale save keeps the editor and its choice; the notice explains.
    h.click("#edit-answer_mode").await;
    h.select("#answer_mode", "manual").await;
    h.click("#save-parameter").await;
    let stale = h.text("[data-testid=stale]").await;
    assert_eq!(h.value("#answer_mode").await, "manual");
    assert!(stale.contains("changed in another tab"), "{stale}");
    h.click("[data-testid=stale] button").await;
    expect_value(&h, "webrtc_auto_register", "No").await;
    save_choice(&h, "answer_mode", "manual").await;
    expect_value(&h, "answer_mode", "Manual response").await;
    other.close().await;
    h.finish().await;
}

#[tokio::test]
async fn leaving_the_tab_with_an_unsaved_edit_asks_first() {
    let h = Harness::start().await;
    open_parameters(&h, "alice.wang").await;
    h.click("#edit-callout_caller").await;
    h.type_into("#callout_caller", "+86100").await;
    h.click("#tab-agent-info").await;
    assert_eq!(
        h.browser.get_alert_text().await.unwrap(),
        "You have unsaved changes. Leave without saving them?"
    );
    h.browser.dismiss_alert().await.unwrap();
    h.expect_path("/agent-parameters").await;
    assert_eq!(h.value("#callout_caller").await, "+86100");
    h.finish().await;
}

#[tokio::test]
async fn the_parameters_read_in_chinese() {
    let h = Harness::start().await;
    h.open("/sign-in?next=agent-parameters&lang=zh-CN").await;
    h.sign_in("carol.chen", DEMO_PASSWORD).await;
    h.expect_path("/agent-parameters?lang=zh-CN").await;
    h.expect_text(".parameters-table thead th:nth-child(2)", "参数名称")
        .await;
    expect_value(&h, "answer_mode", "与租户一致（租户：自动应答）").await;
    h.expect_text("#batch-sync", "批量同步").await;
    h.click("#edit-openeye_video_display").await;
    h.type_into("#openeye_video_display", "0,0,800").await;
    h.expect_text(
        "#openeye_video_display-error",
        "错误：\n请输入以逗号分隔的六项：x,y,宽,高,布局,模式，例如 0,0,800,380,PiP,Fit。您输入了 3 项。",
    )
    .await;
    h.screenshot("parameters-zh").await;
    h.finish().await;
}

/// A workbench may give the app a narrow iframe: the parameters table then scrolls sideways in
/// its own named region, which the keyboard can focus to scroll, and no tab widens the page; in
/// a common iframe width the table fits whole.
#[tokio::test]
async fn in_a_narrow_iframe_the_table_scrolls_in_its_own_region_not_the_page() {
    let h = Harness::start().await;
    h.browser.set_window_size(420, 900).await.unwrap();
    open_parameters(&h, "alice.wang").await;
    let page_width = "return [document.documentElement.scrollWidth, \
        document.documentElement.clientWidth]";
    for (tab, content) in [
        ("agent-parameters", ".parameters-table"),
        ("personalized-settings", "[data-testid=settings-view]"),
        // The widest content of Agent Info, which comes last: the recent activity.
        (
            "agent-info",
            "[data-testid=recent-activity] [role=region] table",
        ),
    ] {
        h.open(&format!("/{tab}")).await;
        h.find(content).await;
        let widths: (u32, u32) =
            serde_json::from_value(h.browser.execute(page_width, vec![]).await.unwrap()).unwrap();
        assert_eq!(widths.0, widths.1, "{tab} widens the page: {widths:?}");
    }
    h.open("/agent-parameters").await;
    let region = ".table-scroll[role=region][tabindex='0'][aria-labelledby=parameters-caption]";
    h.find(region).await;
    let (scroll_width, client_width): (u32, u32) = serde_json::from_value(
        h.browser
            .execute(
                "const r = document.querySelector('.table-scroll'); \
                 return [r.scrollWidth, r.clientWidth]",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(scroll_width > client_width, "{scroll_width} {client_width}");
    h.expect_text("#parameters-caption", "Agent Parameters")
        .await;
    h.screenshot("agent-parameters-narrow").await;

    // A common workbench iframe: the employee panel goes above the tabs, and the whole table,
    // Operation column included, fits without scrolling.
    h.browser.set_window_size(860, 900).await.unwrap();
    let fits = "const r = document.querySelector('.table-scroll'); \
        return r.scrollWidth <= r.clientWidth";
    // WebKit lays the page out for the new size a moment after the resize answers.
    h.eventually(
        "the whole table fits in an 860 px window",
        async || h.browser.execute(fits, vec![]).await.unwrap(),
        |fits| *fits == Value::Bool(true),
    )
    .await;
    h.screenshot("agent-parameters-iframe").await;
    h.finish().await;
}
