//! BEY-2 as an agent meets it in Chromium: save twice, open History, restore the first version,
//! save, reload and find it kept; a restore saved on top of a change made elsewhere is refused
//! as stale; a parameter's earlier value restored into its editor. With screenshots in English
//! and Chinese.

use pc_e2e::{Harness, Key, Page, DEMO_PASSWORD};

const DIALOG: &str = "#settings-history-dialog";

async fn save_nickname(h: &Page, nickname: &str) {
    h.click("#edit-settings").await;
    h.type_into("#nickname", nickname).await;
    h.click("#save-settings").await;
    h.find("#edit-settings").await;
}

fn version(dialog: &str, nth: usize) -> String {
    format!("{dialog} .version-list > li:nth-child({nth})")
}

#[tokio::test]
async fn an_agent_restores_an_earlier_version_of_the_settings_and_keeps_it() {
    let h = Harness::start().await;
    h.open_settings("alice.wang", None).await;
    save_nickname(&h, "First").await;
    save_nickname(&h, "Second").await;

    h.click("#settings-history").await;
    h.expect_text(
        &format!("{} [data-field=nickname]", version(DIALOG, 1)),
        "Session Nickname: First → Second",
    )
    .await;
    h.expect_text(
        &format!("{} [data-field=nickname]", version(DIALOG, 2)),
        "Session Nickname: — → First",
    )
    .await;
    assert!(h
        .text(&format!("{} .version-from", version(DIALOG, 1)))
        .await
        .starts_with("From 127.0.0.1"));
    h.screenshot("history-settings").await;

    h.click(&format!("{} button", version(DIALOG, 2))).await;
    h.expect_absent(&format!("{DIALOG}[open]")).await;
    h.expect_focus("id", "change-avatar").await;
    assert_eq!(h.value("#nickname").await, "First");
    h.expect_text(
        "[data-testid=version-restored]",
        "An earlier version is in the form. Check it, then save to keep it.",
    )
    .await;
    h.screenshot("history-settings-restored").await;
    h.save_settings().await;

    h.browser.refresh().await.unwrap();
    h.expect_text("[data-testid=settings-view] [data-field=nickname]", "First")
        .await;
    h.click("#settings-history").await;
    h.expect_text(
        &format!("{} [data-field=nickname]", version(DIALOG, 1)),
        "Session Nickname: Second → First",
    )
    .await;
    // Escape closes the dialog and gives focus back to History.
    h.press(Key::Escape).await;
    h.expect_absent(&format!("{DIALOG}[open]")).await;
    h.expect_focus("id", "settings-history").await;
    h.finish().await;
}

#[tokio::test]
async fn a_restore_saved_on_top_of_a_change_made_elsewhere_is_refused_as_stale() {
    let h = Harness::start().await;
    let other = h.another_page().await;
    h.open_settings("alice.wang", None).await;
    save_nickname(&h, "First").await;
    other.open_settings("alice.wang", None).await;
    save_nickname(&h, "Second").await;

    // The history is read when it opens: it has the save made elsewhere too.
    other.click("#settings-history").await;
    other
        .expect_text(
            &format!("{} [data-field=nickname]", version(DIALOG, 1)),
            "Session Nickname: First → Second",
        )
        .await;
    other.click(&format!("{} button", version(DIALOG, 2))).await;
    assert_eq!(other.value("#nickname").await, "First");
    other.click("#save-settings").await;
    other
        .expect_text(
            "[data-testid=stale] p",
            "These settings were changed in another tab or on another device since you opened them. Your changes here are not saved.",
        )
        .await;
    assert_eq!(other.value("#nickname").await, "First");
    other.close().await;
    h.finish().await;
}

#[tokio::test]
async fn the_history_reads_in_chinese() {
    let h = Harness::start().await;
    h.open_settings("alice.wang", Some("zh-CN")).await;
    save_nickname(&h, "小王").await;
    h.click("#settings-history").await;
    h.expect_text(
        &format!("{} [data-field=nickname]", version(DIALOG, 1)),
        "会话昵称: — → 小王",
    )
    .await;
    h.expect_text(&format!("{} button", version(DIALOG, 1)), "恢复")
        .await;
    h.screenshot("history-settings-zh").await;
    h.finish().await;
}

#[tokio::test]
async fn an_agent_restores_a_parameters_earlier_value_into_its_editor() {
    let h = Harness::start().await;
    h.open("/sign-in?next=agent-parameters").await;
    h.sign_in("alice.wang", DEMO_PASSWORD).await;
    h.find(".parameters-table").await;
    for value in ["manual", "automatic"] {
        h.click("#edit-answer_mode").await;
        h.select("#answer_mode", value).await;
        h.click("#save-parameter").await;
        h.expect_absent("#save-parameter").await;
    }

    h.click("#edit-answer_mode").await;
    h.screenshot("history-parameter-editor").await;
    h.click("#parameter-history").await;
    let dialog = "#parameter-history-dialog";
    h.expect_text(
        &format!("{} [data-field=answer_mode]", version(dialog, 1)),
        "Agent answer mode: Manual response → Automatic answer",
    )
    .await;
    h.screenshot("history-parameter").await;
    h.click(&format!("{} button", version(dialog, 2))).await;
    h.expect_focus("id", "answer_mode").await;
    assert_eq!(h.value("#answer_mode").await, "manual");
    h.click("#save-parameter").await;
    h.expect_absent("#save-parameter").await;

    h.browser.refresh().await.unwrap();
    h.expect_text(
        "tr[data-parameter=answer_mode] [data-testid=value-text]",
        "Manual response",
    )
    .await;
    h.finish().await;
}
