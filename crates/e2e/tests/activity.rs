//! SEC-4 as an agent meets it: a failed sign-in to their account, the pause of signing in that
//! followed (SEC-1) and their own changes show in Recent activity on the Agent Info tab, in
//! English and Chinese.

use pc_e2e::{Harness, Key};

const SECTION: &str = "[data-testid=recent-activity]";

#[tokio::test]
async fn a_failed_sign_in_a_pause_and_the_agent_s_changes_show_in_recent_activity() {
    // One failure per account, then a one-second pause.
    let h = Harness::start_with(&[
        "--sign-in-failures-per-account",
        "1",
        "--sign-in-lock-secs",
        "1",
    ])
    .await;
    h.open("/sign-in").await;
    h.sign_in("bob.li", "Not-the-password1").await;
    h.find(".error-summary a").await;
    h.sign_in("bob.li", "Not-the-password2").await;
    h.expect_text(
        ".error-summary li",
        "Too many failed sign-ins. To protect the account, signing in is paused. Try again in 1 s.",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    h.open_agent_info("bob.li", None).await;
    h.find(&format!("{SECTION} tr[data-kind=sign_in_failed]"))
        .await;
    h.expect_text(
        &format!("{SECTION} tr[data-kind=sign_in_paused] td:nth-child(2)"),
        "Sign-in paused: too many failed attempts",
    )
    .await;
    h.find(&format!("{SECTION} tr[data-kind=signed_in]")).await;

    h.click("#modify-phones").await;
    h.type_into("#fixed_line", "+861068002222").await;
    h.press(Key::Enter).await;
    h.find("[data-testid=phones-saved]").await;
    h.click("#refresh-activity").await;
    h.expect_text(
        &format!("{SECTION} tr[data-kind=phone_numbers_saved] li[data-field=fixed_line] .new"),
        "+861068002222",
    )
    .await;
    h.scroll_to(SECTION).await;
    h.screenshot("agent-activity").await;

    h.open("/agent-info?lang=zh-CN").await;
    h.expect_text(&format!("{SECTION} h3"), "最近活动").await;
    h.find(&format!("{SECTION} tr[data-kind=phone_numbers_saved]"))
        .await;
    h.expect_text(
        &format!("{SECTION} tr[data-kind=sign_in_paused] td:nth-child(2)"),
        "登录已暂停：失败次数过多",
    )
    .await;
    h.scroll_to(SECTION).await;
    h.screenshot("agent-activity-zh-CN").await;
    h.finish().await;
}
