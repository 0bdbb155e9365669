//! SEC-4 as an agent meets it: a failed sign-in to their account and their own changes show in
//! Recent activity on the Agent Info tab, in English and Chinese.

use pc_e2e::{Harness, Key};

const SECTION: &str = "[data-testid=recent-activity]";

async fn show_activity(h: &Harness) {
    h.find(SECTION).await;
    h.browser
        .execute(
            "document.querySelector('[data-testid=recent-activity]').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll to the activity");
}

#[tokio::test]
async fn a_failed_sign_in_and_the_agent_s_changes_show_in_recent_activity() {
    let h = Harness::start().await;
    h.open("/sign-in").await;
    h.sign_in("bob.li", "Not-the-password1").await;
    h.find(".error-summary a").await;
    h.open_agent_info("bob.li", None).await;
    h.find(&format!("{SECTION} tr[data-kind=sign_in_failed]"))
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
    show_activity(&h).await;
    h.screenshot("agent-activity").await;

    h.open("/agent-info?lang=zh-CN").await;
    h.expect_text(&format!("{SECTION} h3"), "最近活动").await;
    h.find(&format!("{SECTION} tr[data-kind=phone_numbers_saved]"))
        .await;
    show_activity(&h).await;
    h.screenshot("agent-activity-zh-CN").await;
    h.finish().await;
}
