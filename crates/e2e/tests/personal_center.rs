//! The Personal Center as an agent uses it: in Chromium, against the real server and app.

use pc_e2e::{Harness, Key, DEMO_PASSWORD};

const EMPLOYEE: &str = "[data-testid=employee-details]";
const AGENT: &str = "[data-testid=agent-details]";

async fn expect_employee(h: &Harness, field: &str, value: &str) {
    h.expect_text(&format!("{EMPLOYEE} [data-field={field}]"), value)
        .await;
}

async fn expect_agent(h: &Harness, field: &str, value: &str) {
    h.expect_text(&format!("{AGENT} [data-field={field}]"), value)
        .await;
}

async fn expect_selected_tab(h: &Harness, slug: &str) {
    let tab = format!("#tab-{slug}");
    h.expect_text(&format!("{tab}[aria-selected=true]"), &h.text(&tab).await)
        .await;
    assert_eq!(h.attr(&tab, "tabindex").await.as_deref(), Some("0"));
    assert_eq!(
        h.attr("[role=tabpanel]", "aria-labelledby")
            .await
            .as_deref(),
        Some(format!("tab-{slug}").as_str())
    );
}

#[tokio::test]
async fn an_agent_signs_in_sees_who_they_are_moves_between_tabs_and_signs_out() {
    let h = Harness::start().await;
    h.open("/").await;
    h.expect_path("/sign-in?next=agent-info").await;
    h.screenshot("sign-in").await;
    h.sign_in("alice.wang", DEMO_PASSWORD).await;

    // EMP-1: every employee field from the demo data.
    h.expect_path("/agent-info").await;
    expect_employee(&h, "business_account", "alice.wang").await;
    expect_employee(&h, "username", "Alice Wang").await;
    expect_employee(&h, "phone", "+86 138 0013 8011").await;
    expect_employee(&h, "email", "alice.wang@northwind.example").await;
    expect_employee(&h, "position", "Senior Customer Service Agent").await;
    expect_employee(&h, "manager", "Grace Liu").await;

    // AGT-1: every agent field, skill queues as a list.
    expect_agent(&h, "agent_id", "1001").await;
    expect_agent(&h, "agent_type", "Versatile agent").await;
    expect_agent(&h, "role", "Agent").await;
    expect_agent(&h, "softphone_number", "70001001").await;
    expect_agent(&h, "registration_server", "sip.northwind.example:5060").await;
    let queues = h
        .browser
        .find_all(fantoccini::Locator::Css(".skill-queues li"))
        .await
        .unwrap();
    let mut names = Vec::new();
    for queue in queues {
        names.push(queue.text().await.unwrap());
    }
    assert_eq!(names, ["Billing", "Technical Support", "VIP Customers"]);
    expect_selected_tab(&h, "agent-info").await;
    h.screenshot("agent-info").await;

    // Tabs by mouse, by keyboard, and kept across a reload.
    h.click("#tab-personalized-settings").await;
    h.expect_path("/personalized-settings").await;
    expect_selected_tab(&h, "personalized-settings").await;
    h.press(Key::Right).await;
    h.expect_path("/agent-parameters").await;
    expect_selected_tab(&h, "agent-parameters").await;
    h.press(Key::Right).await;
    h.expect_path("/agent-info").await;
    h.press(Key::Left).await;
    h.expect_path("/agent-parameters").await;
    h.browser.refresh().await.unwrap();
    expect_selected_tab(&h, "agent-parameters").await;
    expect_employee(&h, "username", "Alice Wang").await;

    // Sign out: back to sign-in, and the tabs are closed to this browser.
    h.click(".topbar-actions button").await;
    h.expect_path("/sign-in?next=agent-parameters").await;
    h.expect_text(".notice", "You have signed out.").await;
    h.open("/agent-info").await;
    h.expect_path("/sign-in?next=agent-info").await;
    h.finish().await;
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_nothing_typed_is_lost() {
    let h = Harness::start().await;
    h.open("/sign-in").await;
    h.sign_in("alice.wang", "not-the-password").await;
    h.expect_text(
        ".error-summary li",
        "The business account or password is wrong. Check both and try again.",
    )
    .await;
    let account = h.find("#business_account").await;
    assert_eq!(
        account.prop("value").await.unwrap().as_deref(),
        Some("alice.wang")
    );
    let password = h.find("#password").await;
    assert_eq!(
        password.prop("value").await.unwrap().as_deref(),
        Some("not-the-password")
    );
    assert_eq!(h.path_and_query().await, "/sign-in");
    h.finish().await;
}

#[tokio::test]
async fn too_many_failed_sign_ins_say_how_long_to_wait() {
    let h = Harness::start_with(&["--sign-in-failures-per-account", "1"]).await;
    h.open("/sign-in").await;
    h.sign_in("alice.wang", "not-the-password").await;
    h.expect_text(
        ".error-summary li",
        "The business account or password is wrong. Check both and try again.",
    )
    .await;
    h.sign_in("alice.wang", "not-the-password-either").await;
    h.expect_text(
        ".error-summary li",
        "Too many failed sign-ins. To protect the account, signing in is paused. Try again in 1 min.",
    )
    .await;
    h.expect_focus("class", "error-summary").await;
    h.screenshot("sign-in-throttled").await;
    h.finish().await;
}

#[tokio::test]
async fn a_missing_field_is_named_at_the_field() {
    let h = Harness::start().await;
    h.open("/sign-in").await;
    h.type_into("#business_account", "alice.wang").await;
    h.click("form button[type=submit]").await;
    h.expect_text(
        "#password-error",
        "Error:\nEnter a value: this field is required.",
    )
    .await;
    assert_eq!(
        h.attr("#password", "aria-invalid").await.as_deref(),
        Some("true")
    );
    assert_eq!(
        h.attr("#password", "aria-describedby").await.as_deref(),
        Some("password-error")
    );
    assert_eq!(h.attr("#business_account", "aria-invalid").await, None);
    h.expect_text(
        ".error-summary a[href='#password']",
        "Password: Enter a value: this field is required.",
    )
    .await;
    h.screenshot("sign-in-errors").await;
    // The summary's link takes the agent to the field.
    h.click(".error-summary a[href='#password']").await;
    h.expect_focus("id", "password").await;
    h.finish().await;
}

#[tokio::test]
async fn the_language_follows_the_workbench_parameter_and_the_switch() {
    let h = Harness::start().await;
    h.open("/?lang=zh-CN").await;
    h.expect_path("/sign-in?lang=zh-CN&next=agent-info").await;
    h.expect_text(".sign-in-card h1", "登录个人中心").await;
    h.expect_text("label[for=business_account]", "业务账号")
        .await;
    h.sign_in("carol.chen", DEMO_PASSWORD).await;
    h.expect_path("/agent-info?lang=zh-CN").await;
    h.expect_text(".topbar h1", "个人中心").await;
    h.expect_text("#tab-agent-info", "座席信息").await;
    expect_agent(&h, "role", "质检员").await;
    assert_eq!(h.attr("html", "lang").await.as_deref(), Some("zh-CN"));
    h.screenshot("agent-info-zh-CN").await;

    // The language stays while moving between tabs and across a reload.
    h.click("#tab-agent-parameters").await;
    h.expect_path("/agent-parameters?lang=zh-CN").await;
    h.browser.refresh().await.unwrap();
    h.expect_text("#tab-agent-parameters", "座席参数").await;

    // The switch changes every string at once, and the URL with it.
    h.find("#language-switch")
        .await
        .select_by_value("en")
        .await
        .unwrap();
    h.expect_path("/agent-parameters?lang=en").await;
    h.expect_text(".topbar h1", "Personal Center").await;
    h.expect_text("#tab-agent-info", "Agent Info").await;
    h.expect_text("#employee-heading", "Employee Information")
        .await;
    h.finish().await;
}

#[tokio::test]
async fn after_one_agent_signs_out_the_next_sees_only_their_own_identity() {
    let h = Harness::start().await;
    h.open("/sign-in").await;
    h.sign_in("alice.wang", DEMO_PASSWORD).await;
    expect_agent(&h, "agent_id", "1001").await;
    h.click(".topbar-actions button").await;
    h.expect_path("/sign-in?next=agent-info").await;
    h.sign_in("bob.li", DEMO_PASSWORD).await;
    expect_agent(&h, "agent_id", "1002").await;
    expect_agent(&h, "role", "Team leader").await;
    expect_agent(&h, "agent_type", "Multimedia agent").await;
    expect_employee(&h, "username", "Bob Li").await;
    expect_employee(&h, "manager", "Grace Liu").await;
    h.expect_text(".signed-in-as strong", "bob.li").await;
    h.expect_text(".skill-queues", "Billing").await;
    h.finish().await;
}

#[tokio::test]
async fn an_expired_session_sends_the_agent_to_sign_in_and_back() {
    let h = Harness::start_with(&["--session-ttl-secs", "8"]).await;
    h.open("/sign-in").await;
    h.sign_in("david.zhao", DEMO_PASSWORD).await;
    h.expect_path("/agent-info").await;
    h.click("#tab-agent-parameters").await;
    h.expect_path("/agent-parameters").await;
    // Nothing is clicked: the app notices by itself that the session has ended.
    h.expect_path("/sign-in?next=agent-parameters").await;
    h.expect_text(
        ".notice",
        "Your session has expired. Sign in again to continue.",
    )
    .await;
    h.sign_in("david.zhao", DEMO_PASSWORD).await;
    h.expect_path("/agent-parameters").await;
    h.finish().await;
}

#[tokio::test]
async fn an_unreachable_server_shows_a_retry_that_recovers() {
    let mut h = Harness::start().await;
    h.open("/sign-in").await;
    h.find("#business_account").await; // the app has loaded
    h.server.stop();
    h.sign_in("alice.wang", DEMO_PASSWORD).await;
    h.expect_text(
        ".error-summary li",
        "The server cannot be reached. Check your network connection, then try again.",
    )
    .await;
    h.server.restart();
    h.click("form button[type=submit]").await;
    expect_agent(&h, "agent_id", "1001").await;
    h.click("#tab-personalized-settings").await;
    h.expect_path("/personalized-settings").await;

    h.server.stop();
    h.click("#tab-agent-info").await;
    h.expect_text(
        ".tab-panel .load-error p",
        "The server cannot be reached. Check your network connection, then try again.",
    )
    .await;
    h.screenshot("agent-info-unreachable").await;

    h.server.restart();
    h.click(".tab-panel .load-error button").await;
    expect_agent(&h, "agent_id", "1001").await;
    h.finish().await;
}
