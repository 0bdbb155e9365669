//! The browser softphone (RTC-1, RTC-2, AGT-5) against a real registrar: Kamailio over
//! WebSocket with digest authentication against the HA1s in the server's database, its
//! registrations read through JSON-RPC. As a WebRTC agent in Chromium: sign-in registers,
//! Unregister and Register end and renew it at the registrar, after a password reset the
//! registrar refuses the old password and accepts the new one, a credential that is no longer
//! the stored one shows the registrar's refusal, signing out and closing the page end it, a
//! registrar outage is survived by reconnecting, and PAR-6 = No waits for Register.

use pc_e2e::browser::Engine;
use pc_e2e::registrar::{server_with_registrar, Registrar, ALICE_SIP, DAVID_SIP};
use pc_e2e::{Harness, Key, Page};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

const STATE: &str = "[data-testid=registration-state]";
const DETAIL: &str = "[data-testid=registration-detail]";

async fn database(h: &Harness) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(h.database())
        .connect()
        .await
        .expect("open the server's database")
}

/// David's softphone password as a reset to `password` would have stored it, e.g. on another
/// device (`None`: never set).
async fn set_davids_sip_password(h: &Harness, password: Option<&str>) {
    let realm = "fabrikam.example";
    let mut db = database(h).await;
    sqlx::query("UPDATE agents SET sip_ha1 = ?, sip_ha1_realm = ? WHERE softphone_number = ?")
        .bind(password.map(|password| pc_sip::digest::ha1(DAVID_SIP.0, realm, password)))
        .bind(password.map(|_| realm))
        .bind(DAVID_SIP.0)
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
}

async fn expect_state(h: &Page, state: &str) {
    h.find(&format!("{STATE}[data-state={state}]")).await;
}

#[tokio::test]
async fn sign_in_registers_and_unregister_and_register_end_and_renew_it_at_the_registrar() {
    let (h, registrar) = server_with_registrar().await;
    h.open_agent_info("david.zhao", None).await;
    expect_state(&h, "registered").await;
    h.expect_text(STATE, "Registered").await;
    let contacts = registrar.expect_contacts(DAVID_SIP.0, 1).await;
    // RFC 7118: the browser has no address of its own to offer.
    assert!(contacts[0].contains(".invalid"), "{contacts:?}");
    assert!(contacts[0].contains("transport=ws"), "{contacts:?}");
    let detail = h.text(DETAIL).await;
    let server = registrar.websocket_url().replace("ws://", "");
    assert!(detail.contains(&format!("with {server}.")), "{detail}");
    assert!(detail.contains("Refreshes at"), "{detail}");
    let refresh_at = h.attr(DETAIL, "data-refresh-at").await.unwrap();
    assert!(refresh_at.ends_with('Z'), "{refresh_at}");
    h.screenshot("softphone-registered").await;

    h.click("#unregister").await;
    h.expect_focus("id", "confirm-unregister-confirm").await;
    h.press(Key::Enter).await;
    expect_state(&h, "unregistered").await;
    h.expect_text(STATE, "Not registered").await;
    registrar.expect_contacts(DAVID_SIP.0, 0).await;
    h.expect_focus("id", "registration-status").await;

    h.click("#register").await;
    expect_state(&h, "registered").await;
    registrar.expect_contacts(DAVID_SIP.0, 1).await;

    // RTC-3 in the real app: the engine's fake microphone is named and heard once checked.
    h.click("#audio-check").await;
    h.find("#audio-level").await;
    let mut names = String::new();
    let fake_microphone = Engine::under_test().fake_microphone_name();
    for _ in 0..100 {
        names = h.text("#audio-microphone option:checked").await;
        if names.contains(fake_microphone) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(names.contains(fake_microphone), "{names}");
    h.browser
        .execute(
            "document.getElementById('audio-devices-title').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    h.screenshot("softphone-devices").await;
    h.finish().await;
}

/// David registers; then his password is reset elsewhere and the registrar restarts, so that
/// the page reconnects with the credential it holds, which is no longer the stored one.
async fn refused_after_a_reset_elsewhere(h: &Harness, registrar: &mut Registrar) {
    expect_state(h, "registered").await;
    set_davids_sip_password(h, Some("Reset@Elsewhere1")).await;
    registrar.restart();
    expect_state(h, "failed").await;
}

#[tokio::test]
async fn after_a_reset_in_the_app_the_registrar_refuses_the_old_password_and_takes_the_new() {
    let (h, mut registrar) = server_with_registrar().await;
    h.open_agent_info("alice.wang", None).await;
    expect_state(&h, "registered").await;
    registrar.expect_contacts(ALICE_SIP.0, 1).await;

    // AGT-4 with the SMS code of Alice's tenant.
    let new_password = "Softphone.2026";
    h.click("#reset-password").await;
    h.expect_focus("id", "new_password").await;
    h.type_into("#new_password", new_password).await;
    h.type_into("#confirm_password", new_password).await;
    h.click("#send-code").await;
    h.expect_focus("id", "verification_code").await;
    h.type_into("#verification_code", &h.code_in_outbox().await)
        .await;
    h.press(Key::Enter).await;
    h.find("[data-testid=password-reset-done]:not([hidden])")
        .await;

    // The page still holds the HA1 of the old password: after an outage it reconnects with it.
    registrar.restart();
    expect_state(&h, "failed").await;
    let detail = h.text(DETAIL).await;
    assert!(detail.contains("403 Forbidden"), "{detail}");
    assert_eq!(registrar.contacts(ALICE_SIP.0), Vec::<String>::new());

    // Register fetches the account afresh: the new password's HA1.
    h.click("#register").await;
    expect_state(&h, "registered").await;
    registrar.expect_contacts(ALICE_SIP.0, 1).await;
    h.finish().await;
}

#[tokio::test]
async fn a_credential_that_is_no_longer_the_stored_one_shows_the_registrars_refusal() {
    let (h, mut registrar) = server_with_registrar().await;
    h.open_agent_info("david.zhao", None).await;
    refused_after_a_reset_elsewhere(&h, &mut registrar).await;
    h.expect_text(STATE, "Registration failed").await;
    let detail = h.text(DETAIL).await;
    assert!(detail.contains("403 Forbidden"), "{detail}");
    assert!(detail.contains("Reset the softphone password"), "{detail}");
    assert_eq!(registrar.contacts(DAVID_SIP.0), Vec::<String>::new());
    h.find("#register").await;
    h.expect_absent("#unregister").await;
    h.screenshot("softphone-wrong-password").await;
    h.finish().await;
}

#[tokio::test]
async fn a_new_softphone_password_lets_the_agent_register() {
    let (h, registrar) = server_with_registrar().await;
    set_davids_sip_password(&h, None).await;
    h.open_agent_info("david.zhao", None).await;
    expect_state(&h, "failed").await;
    let detail = h.text(DETAIL).await;
    assert!(detail.contains("No softphone password"), "{detail}");
    h.click("#reset-password").await;
    h.expect_focus("id", "new_password").await;
    h.type_into("#new_password", DAVID_SIP.1).await;
    h.type_into("#confirm_password", DAVID_SIP.1).await;
    h.press(Key::Enter).await;
    h.find("[data-testid=password-reset-done]:not([hidden])")
        .await;
    h.click("#register").await;
    expect_state(&h, "registered").await;
    registrar.expect_contacts(DAVID_SIP.0, 1).await;
    h.finish().await;
}

#[tokio::test]
async fn signing_out_ends_the_registration() {
    let (h, registrar) = server_with_registrar().await;
    h.open_agent_info("alice.wang", None).await;
    expect_state(&h, "registered").await;
    registrar.expect_contacts(ALICE_SIP.0, 1).await;
    h.click(".topbar-actions button").await;
    h.find("#business_account").await;
    registrar.expect_contacts(ALICE_SIP.0, 0).await;
    h.finish().await;
}

#[tokio::test]
async fn closing_the_page_ends_the_registration() {
    let (h, registrar) = server_with_registrar().await;
    h.open_agent_info("david.zhao", None).await;
    expect_state(&h, "registered").await;
    registrar.expect_contacts(DAVID_SIP.0, 1).await;
    h.browser.clone().close_window().await.unwrap();
    registrar.expect_contacts(DAVID_SIP.0, 0).await;
}

#[tokio::test]
async fn a_registrar_outage_is_survived_by_reconnecting() {
    let (h, mut registrar) = server_with_registrar().await;
    h.open_agent_info("david.zhao", None).await;
    expect_state(&h, "registered").await;
    registrar.stop();
    expect_state(&h, "reconnecting").await;
    let detail = h.text(DETAIL).await;
    assert!(detail.contains("Trying again at"), "{detail}");
    h.screenshot("softphone-reconnecting").await;
    registrar.restart();
    expect_state(&h, "registered").await;
    registrar.expect_contacts(DAVID_SIP.0, 1).await;
    h.finish().await;
}

#[tokio::test]
async fn the_state_and_the_registrars_reason_are_shown_in_chinese() {
    let (h, mut registrar) = server_with_registrar().await;
    h.open_agent_info("david.zhao", Some("zh-CN")).await;
    refused_after_a_reset_elsewhere(&h, &mut registrar).await;
    h.expect_text(STATE, "注册失败").await;
    let detail = h.text(DETAIL).await;
    assert!(detail.contains("403 Forbidden"), "{detail}");
    assert!(detail.contains("重置软电话密码"), "{detail}");
    h.expect_text("#register", "注册").await;
    h.screenshot("softphone-wrong-password-zh-CN").await;
    h.finish().await;
}

#[tokio::test]
async fn with_auto_registration_off_the_agent_registers_with_the_button() {
    let (h, registrar) = server_with_registrar().await;
    let mut db = database(&h).await;
    sqlx::query(
        "INSERT INTO parameter_cache (agent_id, parameter, value, synced_at)
         VALUES (3001, 'webrtc_auto_register', 'no', 0)",
    )
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();
    h.open_agent_info("david.zhao", None).await;
    h.find("#register").await;
    expect_state(&h, "unregistered").await;
    assert_eq!(registrar.contacts(DAVID_SIP.0), Vec::<String>::new());
    h.click("#register").await;
    expect_state(&h, "registered").await;
    registrar.expect_contacts(DAVID_SIP.0, 1).await;
    h.finish().await;
}
