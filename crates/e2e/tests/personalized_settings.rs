//! PER-1 … PER-8 and SPEC §8 as an agent meets them in Chromium.

use pc_e2e::{Harness, Page, DEMO_PASSWORD};

/// PER-4: adds a greeting and waits for the focus to move to its start hour, as it does after
/// the next frame, so that what is typed next goes to the new row.
async fn add_greeting(h: &Page, index: usize) {
    h.click("#add-greeting").await;
    h.expect_focus("id", &format!("greeting-{index}-start"))
        .await;
}

#[tokio::test]
async fn an_agent_edits_every_setting_saves_and_finds_it_kept_after_a_reload() {
    let h = Harness::start().await;
    h.open_settings("alice.wang", None).await;
    h.expect_text(
        "[data-testid=settings-view] [data-field=nickname]",
        "Not set",
    )
    .await;
    h.click("#edit-settings").await;

    // PER-1: the chooser offers exactly eight avatars.
    h.click("#change-avatar").await;
    let options = h
        .browser
        .find_all(fantoccini::Locator::Css(".avatar-option"))
        .await
        .unwrap();
    assert_eq!(options.len(), 8);
    h.screenshot("settings-avatar-dialog").await;
    h.click(".avatar-option:has(input[value='5'])").await;
    h.click(".avatar-dialog button[type=submit]").await;
    assert_eq!(
        h.attr(".settings-form img.avatar", "alt").await.as_deref(),
        Some("Avatar 5: Coral")
    );

    h.type_into("#nickname", "小王 Alice").await;
    h.type_into("#work_email", "alice.care@northwind.example")
        .await;
    add_greeting(&h, 0).await;
    h.select("#greeting-0-start", "8").await;
    h.select("#greeting-0-end", "12").await;
    h.type_into("#greeting-0-text", "Good morning, how can I help?")
        .await;
    add_greeting(&h, 1).await;
    h.select("#greeting-1-start", "12").await;
    h.select("#greeting-1-end", "0").await;
    h.type_into("#greeting-1-text", "Good afternoon!").await;
    h.type_into("#signature", "Alice Wang\nNorthwind Customer Care")
        .await;
    // Which signature is in effect, and what the tenant's is.
    h.expect_text(
        "[data-testid=signature-in-effect]",
        "In effect: your signature. The tenant signature, used when you have none:\nBest regards,\nNorthwind Customer Care",
    )
    .await;
    h.click("#follow_ou_concurrency").await;
    h.type_into("#multimedia_concurrency", "7").await;
    h.expect_text(
        ".settings-form [data-testid=effective-concurrency]",
        "In effect: 7 sessions (your own setting)",
    )
    .await;
    h.screenshot("settings-edit").await;
    h.save_settings().await;

    h.browser.refresh().await.unwrap();
    let view = "[data-testid=settings-view]";
    h.expect_text(&format!("{view} [data-field=nickname]"), "小王 Alice")
        .await;
    assert_eq!(
        h.attr(&format!("{view} [data-field=avatar] img"), "alt")
            .await
            .as_deref(),
        Some("Avatar 5: Coral")
    );
    assert!(h
        .text(&format!("{view} [data-field=work_email]"))
        .await
        .starts_with("alice.care@northwind.example"));
    h.expect_text(
        &format!("{view} [data-field=greetings]"),
        "08:00–12:00 Good morning, how can I help?\n12:00–00:00 Good afternoon!",
    )
    .await;
    let signature = h.text(&format!("{view} [data-field=signature]")).await;
    assert!(
        signature.starts_with("Alice Wang\nNorthwind Customer Care"),
        "{signature:?}"
    );
    h.expect_text(&format!("{view} [data-field=follow_ou_concurrency]"), "No")
        .await;
    h.expect_text(
        &format!("{view} [data-field=multimedia_concurrency]"),
        "7\nIn effect: 7 sessions (your own setting)",
    )
    .await;
    h.screenshot("settings-view").await;
    h.finish().await;
}

#[tokio::test]
async fn each_kind_of_bad_input_is_explained_at_its_field_and_nothing_typed_is_lost() {
    let h = Harness::start().await;
    h.open_settings("alice.wang", None).await;
    h.click("#edit-settings").await;

    // Checked while typing.
    h.type_into("#nickname", "Ann#1 (care)").await;
    h.expect_text("#nickname-error", "Error:\nRemove these characters: # ( )")
        .await;
    assert_eq!(
        h.attr("#nickname", "aria-invalid").await.as_deref(),
        Some("true")
    );
    assert_eq!(
        h.attr("#nickname", "aria-describedby").await.as_deref(),
        Some("nickname-hint nickname-error")
    );
    h.type_into("#work_email", "alice@").await;
    h.expect_text(
        "#work_email-error",
        "Error:\nEnter an email address like name@example.com.",
    )
    .await;
    h.click("#follow_ou_concurrency").await;
    h.type_into("#multimedia_concurrency", "99").await;
    h.expect_text(
        "#multimedia_concurrency-error",
        "Error:\nEnter a whole number from 1 to 60.",
    )
    .await;

    // Two greetings that overlap; the strip shows where.
    add_greeting(&h, 0).await;
    h.select("#greeting-0-start", "8").await;
    h.select("#greeting-0-end", "12").await;
    h.type_into("#greeting-0-text", "Morning").await;
    add_greeting(&h, 1).await;
    h.select("#greeting-1-start", "10").await;
    h.select("#greeting-1-end", "14").await;
    h.type_into("#greeting-1-text", "Hello <there>").await;
    h.expect_text(
        "#greeting-1-end-error",
        "Error:\nThis time range overlaps greeting 1.",
    )
    .await;
    h.expect_text(
        "#greeting-1-text-error",
        "Error:\nRemove these characters: < >",
    )
    .await;
    assert!(
        h.exists("[data-testid=hour-strip] .hour.overlap[data-hour='10']")
            .await
    );
    assert!(
        h.exists("[data-testid=hour-strip] .hour.overlap[data-hour='11']")
            .await
    );
    assert!(
        !h.exists("[data-testid=hour-strip] .hour.overlap[data-hour='12']")
            .await
    );
    h.screenshot("settings-errors").await;

    // Save is refused in the app: the summary takes focus and lists every problem.
    h.click("#save-settings").await;
    h.expect_focus("class", "error-summary").await;
    let problems = h
        .browser
        .find_all(fantoccini::Locator::Css(".error-summary li"))
        .await
        .unwrap();
    // nickname, email, concurrency, both overlapping greetings, and the greeting text
    assert_eq!(problems.len(), 6);
    h.click(".error-summary a[href='#greeting-1-end']").await;
    h.expect_focus("id", "greeting-1-end").await;

    // Everything typed is still there.
    assert_eq!(h.value("#nickname").await, "Ann#1 (care)");
    assert_eq!(h.value("#work_email").await, "alice@");
    assert_eq!(h.value("#multimedia_concurrency").await, "99");
    assert_eq!(h.value("#greeting-1-text").await, "Hello <there>");
    h.finish().await;
}

#[tokio::test]
async fn an_address_bound_to_another_agent_is_refused_by_the_server_at_its_field() {
    let h = Harness::start().await;
    h.open_settings("carol.chen", None).await;
    h.click("#edit-settings").await;
    h.type_into("#work_email", "care@shared.example").await;
    h.save_settings().await;
    h.click(".topbar-actions button").await;

    h.open_settings("alice.wang", None).await;
    h.click("#edit-settings").await;
    h.type_into("#nickname", "Alice").await;
    h.type_into("#work_email", "Care@Shared.example").await;
    h.click("#save-settings").await;
    h.expect_text(
        "#work_email-error",
        "Error:\nThis email address is already bound to another agent. Use another address.",
    )
    .await;
    // The refusal moves the focus to the error summary, after the next frame.
    h.expect_focus("class", "error-summary").await;
    assert_eq!(h.value("#work_email").await, "Care@Shared.example");
    assert_eq!(h.value("#nickname").await, "Alice");
    // Another address is accepted.
    h.type_into("#work_email", "alice.care@northwind.example")
        .await;
    h.expect_absent("#work_email-error").await;
    h.save_settings().await;
    h.finish().await;
}

#[tokio::test]
async fn of_two_browsers_editing_at_once_the_second_save_is_refused_as_stale() {
    let h = Harness::start().await;
    let other = h.another_page().await;
    h.open_settings("alice.wang", None).await;
    other.open_settings("alice.wang", None).await;
    h.click("#edit-settings").await;
    other.click("#edit-settings").await;

    h.type_into("#nickname", "First").await;
    h.save_settings().await;

    other.type_into("#nickname", "Second").await;
    other.click("#save-settings").await;
    other
        .expect_text(
            "[data-testid=stale] p",
            "These settings were changed in another tab or on another device since you opened them. Your changes here are not saved.",
        )
        .await;
    assert_eq!(other.value("#nickname").await, "Second");
    other.screenshot("settings-stale").await;
    other.click("[data-testid=stale] button").await;
    other
        .expect_text("[data-testid=settings-view] [data-field=nickname]", "First")
        .await;
    // On top of the latest version, the change goes through.
    other.click("#edit-settings").await;
    other.type_into("#nickname", "Second").await;
    other.save_settings().await;
    other.close().await;
    h.finish().await;
}

#[tokio::test]
async fn an_agent_without_a_business_account_binding_sees_no_concurrency() {
    let h = Harness::start().await;
    h.open_settings("bob.li", None).await;
    assert!(!h.exists("[data-field=multimedia_concurrency]").await);
    assert!(!h.exists("[data-field=follow_ou_concurrency]").await);
    h.click("#edit-settings").await;
    h.find("#nickname").await;
    assert!(!h.exists("#multimedia_concurrency").await);
    assert!(!h.exists("#follow_ou_concurrency").await);
    h.finish().await;
}

#[tokio::test]
async fn leaving_with_unsaved_changes_asks_first() {
    let h = Harness::start().await;
    h.open_settings("alice.wang", None).await;
    h.click("#edit-settings").await;
    h.type_into("#nickname", "Unsaved").await;
    h.click("#tab-agent-info").await;
    assert_eq!(
        h.browser.get_alert_text().await.unwrap(),
        "You have unsaved changes. Leave without saving them?"
    );
    h.browser.dismiss_alert().await.unwrap();
    assert_eq!(h.path_and_query().await, "/personalized-settings");
    assert_eq!(h.value("#nickname").await, "Unsaved");

    h.click("#tab-agent-info").await;
    h.browser.accept_alert().await.unwrap();
    h.expect_path("/agent-info").await;
    h.finish().await;
}

#[tokio::test]
async fn the_settings_and_their_messages_read_in_chinese() {
    let h = Harness::start().await;
    h.open("/sign-in?lang=zh-CN&next=personalized-settings")
        .await;
    h.sign_in("alice.wang", DEMO_PASSWORD).await;
    h.expect_path("/personalized-settings?lang=zh-CN").await;
    h.expect_text(
        "[data-testid=settings-view] [data-field=nickname]",
        "未设置",
    )
    .await;
    h.expect_text(
        "[data-testid=settings-view] [data-testid=effective-concurrency]",
        "当前生效：5 个会话（来自您的组织机构）",
    )
    .await;
    h.screenshot("settings-view-zh-CN").await;
    h.click("#edit-settings").await;
    h.expect_text("label[for=nickname]", "会话昵称").await;
    h.type_into("#nickname", "小王!").await;
    h.expect_text("#nickname-error", "错误：\n请删除以下字符：!")
        .await;
    add_greeting(&h, 0).await;
    h.expect_text(
        "#greeting-0-text-error",
        "错误：\n请输入内容：此项为必填项。",
    )
    .await;
    h.screenshot("settings-edit-zh-CN").await;
    h.finish().await;
}

#[tokio::test]
async fn cancel_discards_the_changes_and_signing_out_asks_first() {
    let h = Harness::start().await;
    h.open_settings("alice.wang", None).await;
    h.click("#edit-settings").await;
    h.expect_focus("id", "change-avatar").await;
    h.type_into("#nickname", "Discarded").await;
    h.click("#cancel-settings").await;
    h.expect_text(
        "[data-testid=settings-view] [data-field=nickname]",
        "Not set",
    )
    .await;
    h.expect_focus("id", "edit-settings").await;

    h.click("#edit-settings").await;
    h.type_into("#nickname", "Unsaved").await;
    h.click(".topbar-actions button").await;
    assert_eq!(
        h.browser.get_alert_text().await.unwrap(),
        "You have unsaved changes. Leave without saving them?"
    );
    h.browser.dismiss_alert().await.unwrap();
    assert_eq!(h.value("#nickname").await, "Unsaved");
    h.finish().await;
}

#[tokio::test]
async fn what_was_typed_comes_back_after_signing_in_again_when_the_session_ended() {
    let h = Harness::start_with(&["--session-ttl-secs", "10"]).await;
    h.open_settings("alice.wang", None).await;
    h.click("#edit-settings").await;
    h.type_into("#nickname", "Kept").await;
    // The session ends while the agent is typing; the app sends them to sign in.
    h.expect_path("/sign-in?next=personalized-settings").await;
    h.expect_text(
        ".notice",
        "Your session has expired. Sign in again to continue.",
    )
    .await;
    h.sign_in("alice.wang", DEMO_PASSWORD).await;
    h.expect_path("/personalized-settings").await;
    h.expect_text(
        ".settings .notice",
        "Your unsaved changes are back. Check them, then save.",
    )
    .await;
    assert_eq!(h.value("#nickname").await, "Kept");
    h.save_settings().await;
    h.expect_text("[data-testid=settings-view] [data-field=nickname]", "Kept")
        .await;
    h.finish().await;
}

#[tokio::test]
async fn the_customer_preview_follows_the_typing_and_the_chosen_hour() {
    let h = Harness::start().await;
    h.open_settings("alice.wang", None).await;
    // Saved: no nickname, so customers see the username; no own signature, so the tenant's.
    h.expect_text("[data-testid=preview-name]", "Alice Wang")
        .await;
    h.click("#edit-settings").await;
    h.type_into("#nickname", "Ally").await;
    h.expect_text("[data-testid=preview-name]", "Ally").await;

    add_greeting(&h, 0).await;
    h.type_into("#greeting-0-text", "Hello, night owl").await;
    h.select("#preview-hour", "0").await;
    h.expect_text("[data-testid=preview-greeting]", "Hello, night owl")
        .await;
    h.select("#preview-hour", "5").await;
    h.expect_text(
        "[data-testid=preview-greeting]",
        "No greeting for a session started at 05:00.",
    )
    .await;

    h.expect_text(
        "[data-testid=preview-signature-source]",
        "The tenant's signature is in effect: you have none of your own.",
    )
    .await;
    h.type_into("#signature", "Ally, Northwind Care").await;
    h.expect_text("[data-testid=preview-signature]", "Ally, Northwind Care")
        .await;
    h.expect_text(
        "[data-testid=preview-signature-source]",
        "Your own signature is in effect.",
    )
    .await;
    h.screenshot("settings-preview").await;

    h.click("#cancel-settings").await;
    h.open_settings("alice.wang", Some("zh-CN")).await;
    h.expect_text("#preview-heading", "客户看到的内容").await;
    h.screenshot("settings-preview-zh-CN").await;
    h.finish().await;
}
