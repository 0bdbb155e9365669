//! SSO-1 as an agent meets it: signing in through the contact center's OpenID Provider (a real
//! one, panva's oidc-provider, with its own login and consent pages), standalone and inside the
//! demo workbench's cross-site iframe through a popup.

use fantoccini::wd::WindowHandle;
use pc_e2e::identity_provider::{IdentityProvider, DISPLAY_NAME};
use pc_e2e::{free_port, Harness, Page};

/// The server with the northwind tenant's provider declared, and the provider.
async fn start(server_args: &[&str]) -> (Harness, IdentityProvider) {
    let h = Harness::start_with(server_args).await;
    let provider = IdentityProvider::start(&h.base_url);
    provider.declare_for_northwind(&h);
    (h, provider)
}

/// At the provider's own pages: its login form (any password), then its consent page.
async fn sign_in_at_provider(page: &Page, login: &str) {
    page.type_into("input[name=login]", login).await;
    page.type_into("input[name=password]", "the provider's password")
        .await;
    page.click("button[type=submit]").await;
    consent_at_provider(page).await;
}

async fn consent_at_provider(page: &Page) {
    page.eventually(
        "the provider's consent page",
        async || page.exists("input[name=prompt][value=consent]").await,
        |shown| *shown,
    )
    .await;
    page.click("button[type=submit]").await;
}

#[tokio::test]
async fn an_agent_signs_in_through_the_provider_and_next_time_with_one_click() {
    let (h, provider) = start(&[]).await;
    h.open("/sign-in").await;
    h.expect_text(
        ".sso-providers .button.sso",
        &format!("Sign in with {DISPLAY_NAME}"),
    )
    .await;
    h.screenshot("sso-sign-in").await;
    h.click(".sso-providers .button.sso").await;
    h.eventually(
        "the provider's login page",
        async || h.browser.current_url().await.unwrap().to_string(),
        |url| url.starts_with(&provider.issuer),
    )
    .await;
    sign_in_at_provider(&h, "alice.wang").await;
    h.expect_text(
        "[data-testid=employee-details] [data-field=business_account]",
        "alice.wang",
    )
    .await;
    h.expect_path("/agent-info").await;

    // A new day in the same browser: the Personal Center's session is gone (its cookies are
    // the app's site's only), the provider's is not, as when the agent signed in to the
    // workbench through it.
    h.browser
        .delete_all_cookies()
        .await
        .expect("forget the app's cookies");
    h.open("/agent-info").await;
    h.find("#business_account").await;
    h.click(".sso-providers .button.sso").await;
    h.expect_text(
        "[data-testid=employee-details] [data-field=business_account]",
        "alice.wang",
    )
    .await;
    h.finish().await;
}

#[tokio::test]
async fn a_provider_user_who_is_not_an_agent_here_is_told_to_ask_the_administrator() {
    let (h, _provider) = start(&[]).await;
    h.open("/sign-in").await;
    h.click(".sso-providers .button.sso").await;
    sign_in_at_provider(&h, "mallory").await;
    h.expect_text(
        "#sso-outcome",
        "Your account is not set up in this contact center. Ask your administrator.",
    )
    .await;
    h.expect_path("/sign-in?sso=not-provisioned").await;
    h.find("#business_account").await;
    h.screenshot("sso-not-provisioned").await;
    h.open("/sign-in?sso=not-provisioned&lang=zh-CN").await;
    h.expect_text(
        "#sso-outcome",
        "您的账号尚未在本联络中心开通，请联系管理员。",
    )
    .await;
    h.screenshot("sso-not-provisioned-zh-CN").await;
    h.finish().await;
}

/// The window that is not `main`, once the app has opened it.
async fn popup_of(h: &Harness, main: &WindowHandle) -> WindowHandle {
    let mut popup = None;
    h.eventually(
        "a popup window",
        async || {
            let windows = h.browser.windows().await.expect("the windows");
            popup = windows.into_iter().find(|window| window != main);
            popup.is_some()
        },
        |opened| *opened,
    )
    .await;
    popup.expect("the popup")
}

#[tokio::test]
async fn inside_the_workbench_iframe_the_agent_signs_in_through_a_popup() {
    let port = free_port();
    let workbench = format!("http://localhost:{port}");
    let (h, _provider) = start(&[
        "--frame-ancestors",
        &workbench,
        "--demo-workbench",
        &format!("127.0.0.1:{port}"),
    ])
    .await;
    h.browser
        .goto(&workbench)
        .await
        .expect("open the workbench");
    let frame = h.find("#pc").await;
    frame.enter_frame().await.expect("enter the app's frame");
    let main = h.browser.window().await.expect("the workbench window");
    h.click(".sso-providers .button.sso").await;
    h.expect_text(
        "#sso-waiting",
        "Finish signing in in the window that opened. This page waits for it.",
    )
    .await;

    let popup = popup_of(&h, &main).await;
    h.browser
        .switch_to_window(popup)
        .await
        .expect("switch to the popup");
    sign_in_at_provider(&h, "alice.wang").await;
    // The popup hands its ticket to the frame and closes itself.
    h.eventually(
        "the popup closed by itself",
        async || h.browser.windows().await.expect("the windows").len(),
        |count| *count == 1,
    )
    .await;
    h.browser
        .switch_to_window(main.clone())
        .await
        .expect("back to the workbench");
    let frame = h.find("#pc").await;
    frame.enter_frame().await.expect("enter the app's frame");
    h.expect_text(
        "[data-testid=employee-details] [data-field=business_account]",
        "alice.wang",
    )
    .await;
    // The whole workbench (Firefox takes no screenshot from inside a cross-origin frame).
    h.browser
        .enter_parent_frame()
        .await
        .expect("back to the workbench");
    h.screenshot("sso-workbench-signed-in").await;
    // The workbench learnt how the agent signed in (pc.signedIn's signInMethod).
    h.expect_text("#signed-in", "alice.wang (SSO)").await;

    // Signing out goes on to the provider's sign-out, in a popup that closes when it is done.
    let frame = h.find("#pc").await;
    frame.enter_frame().await.expect("enter the app's frame");
    h.click(".topbar-actions button.secondary").await;
    h.find("#business_account").await;
    let popup = popup_of(&h, &main).await;
    h.browser
        .switch_to_window(popup)
        .await
        .expect("switch to the sign-out popup");
    h.click("button[name=logout][value=yes]").await;
    h.eventually(
        "the sign-out popup closed by itself",
        async || h.browser.windows().await.expect("the windows").len(),
        |count| *count == 1,
    )
    .await;
    h.browser
        .switch_to_window(main)
        .await
        .expect("back to the workbench");
    h.finish().await;
}

#[tokio::test]
async fn signing_out_at_the_provider_ends_the_open_page_s_session() {
    let (h, provider) = start(&[]).await;
    h.open("/sign-in").await;
    h.click(".sso-providers .button.sso").await;
    sign_in_at_provider(&h, "alice.wang").await;
    h.find("[data-testid=employee-details]").await;
    let app = h.browser.window().await.expect("the app's window");

    // In another window of the same browser, the agent signs out at the provider, which tells
    // the server over the back channel.
    let provider_window = h
        .browser
        .new_window(false)
        .await
        .expect("a new window")
        .handle;
    h.browser
        .switch_to_window(provider_window)
        .await
        .expect("to the new window");
    h.browser
        .goto(&format!("{}/session/end", provider.issuer))
        .await
        .expect("open the provider's sign-out page");
    h.click("button[name=logout][value=yes]").await;
    h.eventually(
        "the provider's signed-out page",
        async || h.browser.current_url().await.unwrap().path().to_owned(),
        |path| path.ends_with("/session/end/success"),
    )
    .await;
    h.browser
        .close_window()
        .await
        .expect("close the provider's window");
    h.browser
        .switch_to_window(app)
        .await
        .expect("back to the app");

    // The open page's next request finds the session gone.
    h.click("#tab-personalized-settings").await;
    h.expect_text(
        ".sign-in-card .notice",
        "Your session has expired. Sign in again to continue.",
    )
    .await;
    h.finish().await;
}

#[tokio::test]
async fn sign_out_ends_the_agent_s_session_at_the_provider_too() {
    let (h, provider) = start(&[]).await;
    h.open("/sign-in").await;
    h.click(".sso-providers .button.sso").await;
    sign_in_at_provider(&h, "alice.wang").await;
    h.find("[data-testid=employee-details]").await;

    h.click(".topbar-actions button.secondary").await;
    // The provider's own sign-out page, then back to the sign-in page.
    h.eventually(
        "the provider's sign-out page",
        async || h.browser.current_url().await.unwrap().to_string(),
        |url| url.starts_with(&format!("{}/session/end", provider.issuer)),
    )
    .await;
    h.click("button[name=logout][value=yes]").await;
    h.expect_path("/sign-in").await;
    h.find("#business_account").await;

    // Signed out at the provider as well: it asks who is signing in again.
    h.click(".sso-providers .button.sso").await;
    h.find("input[name=login]").await;
    h.finish().await;
}
