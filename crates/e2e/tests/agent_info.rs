//! The Agent Info actions (AGT-2 … AGT-6) as agents of different tenants meet them in Chromium:
//! the right client downloads for each demo agent, a softphone password reset with an SMS code
//! read from the server's outbox (a wrong code refused first), Unregister after a confirmation,
//! and the phone numbers changed in a dialog, refused at the field when wrong, kept after a reload;
//! a code the SMS gateway never took is reported in the dialog, which offers to send it again.

use pc_e2e::{free_port, Harness, Key};

#[tokio::test]
async fn each_demo_agent_sees_the_downloads_its_tenant_and_webrtc_allow() {
    // (agent, VRC shown, OpenEye shown)
    let cases = [
        // Northwind records screens and has a VRC address; WebRTC on for Alice.
        (
            "alice.wang",
            Some("https://downloads.northwind.example/vrc/VRC-Setup.exe"),
            None,
        ),
        // Bob: same tenant, WebRTC off.
        (
            "bob.li",
            Some("https://downloads.northwind.example/vrc/VRC-Setup.exe"),
            Some("https://downloads.northwind.example/openeye/OpenEye-Setup.exe"),
        ),
        // Contoso: no VRC address; WebRTC off.
        (
            "carol.chen",
            None,
            Some("https://downloads.contoso.example/openeye/OpenEye-Setup.exe"),
        ),
        // Fabrikam inspects screens, has a VRC address; WebRTC on for David.
        (
            "david.zhao",
            Some("https://downloads.fabrikam.example/vrc/VRC-Setup.exe"),
            None,
        ),
    ];
    for (account, vrc, openeye) in cases {
        let h = Harness::start().await;
        h.open_agent_info(account, None).await;
        for (css, expected) in [("#download-vrc", vrc), ("#download-openeye", openeye)] {
            match expected {
                Some(url) => assert_eq!(
                    h.attr(css, "href").await.as_deref(),
                    Some(url),
                    "{account} {css}"
                ),
                None => h.expect_absent(css).await,
            }
        }
        if account == "bob.li" {
            h.expect_text("#download-vrc", "Download VRC").await;
            h.expect_text("#download-openeye", "Download OpenEye").await;
            h.screenshot("agent-info-actions-bob").await;
        }
        h.finish().await;
    }
}

#[tokio::test]
async fn an_agent_changes_phone_numbers_by_keyboard_and_finds_them_after_a_reload() {
    let h = Harness::start().await;
    h.open_agent_info("alice.wang", None).await;
    h.expect_text("[data-field=fixed_line]", "+861068001001")
        .await;
    h.click("#modify-phones").await;
    h.expect_focus("id", "fixed_line").await;
    h.type_into("#fixed_line", "010-6800").await;
    h.type_into("#mobile", "+8613900001111").await;
    let message = h.text("#fixed_line-error").await;
    assert!(message.contains("digits only"), "{message}");
    assert_eq!(
        h.attr("#fixed_line", "aria-invalid").await.as_deref(),
        Some("true")
    );
    assert!(h
        .attr("#fixed_line", "aria-describedby")
        .await
        .unwrap()
        .contains("fixed_line-error"));
    h.screenshot("agent-phones-dialog-error").await;
    h.click("#phones-save").await;
    // Refused at the field: the dialog stays, focus goes to the number at fault.
    h.expect_focus("id", "fixed_line").await;
    h.type_into("#fixed_line", "+861068009999").await;
    h.press(Key::Enter).await;
    h.expect_text("[data-testid=phones-saved]", "Phone numbers saved.")
        .await;
    h.expect_text("[data-field=fixed_line]", "+861068009999")
        .await;
    h.expect_text("[data-field=mobile]", "+8613900001111").await;
    h.expect_focus("id", "modify-phones").await;

    h.browser.refresh().await.unwrap();
    h.expect_text("[data-field=fixed_line]", "+861068009999")
        .await;
    h.expect_text("[data-field=mobile]", "+8613900001111").await;

    // Escape closes the dialog without saving.
    h.click("#modify-phones").await;
    h.expect_focus("id", "fixed_line").await;
    h.type_into("#fixed_line", "110").await;
    h.press(Key::Escape).await;
    h.expect_focus("id", "modify-phones").await;
    h.expect_text("[data-field=fixed_line]", "+861068009999")
        .await;
    h.finish().await;
}

#[tokio::test]
async fn the_actions_in_chinese() {
    let h = Harness::start().await;
    h.open_agent_info("bob.li", Some("zh-CN")).await;
    h.expect_text("#download-vrc", "下载 VRC").await;
    h.expect_text("#modify-phones", "修改").await;
    h.screenshot("agent-info-actions-zh-CN").await;
    h.click("#modify-phones").await;
    h.expect_text("label[for=fixed_line]", "固定电话号码").await;
    h.screenshot("agent-phones-dialog-zh-CN").await;
    h.press(Key::Escape).await;
    h.expect_focus("id", "modify-phones").await;
    h.click("#reset-password").await;
    h.expect_text("label[for=new_password]", "新密码").await;
    h.type_into("#new_password", "abc").await;
    h.screenshot("agent-password-dialog-zh-CN").await;
    h.finish().await;
}

#[tokio::test]
async fn an_agent_unregisters_the_softphone_after_confirming() {
    let h = Harness::start().await;
    h.open_agent_info("bob.li", None).await;
    h.expect_text("[data-testid=registration-state]", "Registered")
        .await;
    assert!(h.exists("[data-testid=registration-changed-at]").await);
    // Cancel first: nothing happens.
    h.click("#unregister").await;
    h.expect_focus("id", "confirm-unregister-confirm").await;
    h.screenshot("agent-unregister-confirm").await;
    h.press(Key::Escape).await;
    h.expect_focus("id", "unregister").await;
    h.expect_text("[data-testid=registration-state]", "Registered")
        .await;
    // Then confirm by keyboard.
    h.press(Key::Enter).await;
    h.expect_focus("id", "confirm-unregister-confirm").await;
    h.press(Key::Enter).await;
    h.expect_text("[data-testid=registration-state]", "Not registered")
        .await;
    h.expect_absent("#unregister").await;
    h.expect_focus("id", "registration-status").await;
    h.screenshot("agent-info-unregistered").await;
    h.browser.refresh().await.unwrap();
    h.expect_text("[data-testid=registration-state]", "Not registered")
        .await;
    h.finish().await;
}

#[tokio::test]
async fn an_agent_resets_the_softphone_password_with_an_sms_code() {
    let h = Harness::start().await;
    h.open_agent_info("alice.wang", None).await;
    h.click("#reset-password").await;
    h.expect_focus("id", "new_password").await;
    h.type_into("#new_password", "softphone").await;
    h.find(".password-checklist li.met[data-rule=allowed]")
        .await;
    assert!(
        !h.exists(".password-checklist li.met[data-rule=kinds]")
            .await
    );
    h.type_into("#new_password", "Softphone.2026").await;
    h.find(".password-checklist li.met[data-rule=kinds]").await;
    h.type_into("#confirm_password", "Softphone.2026").await;
    h.find(".password-checklist li.met[data-rule=match]").await;

    h.click("#send-code").await;
    let sent = h.text("[data-testid=code-sent]").await;
    assert!(sent.contains("+8613****8011"), "{sent}");
    assert!(h.text("#send-code").await.starts_with("Send again in"));
    h.expect_focus("id", "verification_code").await;
    h.screenshot("agent-password-dialog").await;
    let code = h.code_in_outbox().await;

    // A wrong code first: refused at the field, with the tries left.
    let wrong = if code == "000000" { "000001" } else { "000000" };
    h.type_into("#verification_code", wrong).await;
    h.press(Key::Enter).await;
    h.expect_focus("id", "verification_code").await;
    let refusal = h.text("#verification_code-error").await;
    assert!(refusal.contains("4 tries left"), "{refusal}");
    assert_eq!(
        h.attr("#verification_code", "aria-invalid")
            .await
            .as_deref(),
        Some("true")
    );
    h.screenshot("agent-password-wrong-code").await;

    h.type_into("#verification_code", &code).await;
    h.press(Key::Enter).await;
    h.expect_text(
        "[data-testid=password-reset-done]",
        "The softphone password has been reset.",
    )
    .await;
    h.expect_focus("id", "reset-password").await;
    h.finish().await;
}

#[tokio::test]
async fn a_code_that_could_not_be_sent_is_reported_with_a_way_to_send_it_again() {
    // An SMS gateway nobody listens on: every attempt fails at once.
    let gateway = format!("http://127.0.0.1:{}/sms", free_port());
    for (lang, screenshot, undelivered, again) in [
        (
            None,
            "agent-password-code-undelivered",
            "The code could not be sent to +8613****8011. Ask for a new one.",
            "Send the code again",
        ),
        (
            Some("zh-CN"),
            "agent-password-code-undelivered-zh-CN",
            "验证码未能发送到 +8613****8011，请重新获取。",
            "重新发送验证码",
        ),
    ] {
        let h = Harness::start_with(&[
            "--sms-gateway-url",
            &gateway,
            "--delivery-attempts",
            "2",
            "--delivery-backoff-secs",
            "1",
        ])
        .await;
        h.open_agent_info("alice.wang", lang).await;
        h.click("#reset-password").await;
        h.click("#send-code").await;
        h.find("[data-testid=code-sent]").await;
        h.expect_text("[data-testid=code-undelivered] .field-error", undelivered)
            .await;
        h.expect_text("#send-code-again", again).await;
        h.screenshot(screenshot).await;
        // No minute to wait: the code never arrived.
        h.click("#send-code-again").await;
        h.find("[data-testid=code-sent]").await;
        h.find("[data-testid=code-undelivered]").await;
        h.finish().await;
    }
}

#[tokio::test]
async fn without_two_factor_the_dialog_asks_for_no_code() {
    let h = Harness::start().await;
    h.open_agent_info("david.zhao", None).await;
    h.click("#reset-password").await;
    h.expect_focus("id", "new_password").await;
    assert!(!h.exists("#verification_code").await);
    h.type_into("#new_password", "Softphone.2026").await;
    h.type_into("#confirm_password", "Softphone.2026").await;
    h.press(Key::Enter).await;
    h.find("[data-testid=password-reset-done]:not([hidden])")
        .await;
    h.finish().await;
}

#[tokio::test]
async fn a_phone_change_based_on_numbers_changed_in_another_browser_is_refused() {
    let h = Harness::start().await;
    h.open_agent_info("alice.wang", None).await;
    h.click("#modify-phones").await;
    h.expect_focus("id", "fixed_line").await;
    h.type_into("#fixed_line", "+861068002002").await;

    // Meanwhile, on another device, the numbers change.
    let other = h.another_page().await;
    other.open_agent_info("alice.wang", None).await;
    other.click("#modify-phones").await;
    other.expect_focus("id", "fixed_line").await;
    other.type_into("#fixed_line", "+861068003003").await;
    other.press(Key::Enter).await;
    other
        .expect_text("[data-field=fixed_line]", "+861068003003")
        .await;
    other.close().await;

    h.click("#phones-save").await;
    h.find("#phones-dialog [data-testid=stale]").await;
    // Nothing typed is lost; the page behind the dialog shows the numbers as they are now.
    assert_eq!(
        h.find("#fixed_line")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("+861068002002")
    );
    h.expect_text("[data-field=fixed_line]", "+861068003003")
        .await;
    h.finish().await;
}
