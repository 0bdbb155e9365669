//! The REGISTER text: every header Kamailio needs, RFC 7118 transport details, and what must stay
//! or change across refreshes.

mod common;

use common::{account, header, registration, TestRng};
use pc_sip::{Credentials, Registration, Transport};

#[test]
fn register_has_every_header_with_crlf() {
    let (mut reg, mut rng) = registration(Transport::Wss);
    let text = reg.register(&mut rng);
    assert!(text.ends_with("\r\n\r\n"), "{text}");
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "bare LF in {text}"
    );
    assert!(
        !text.replace("\r\n", "").contains('\r'),
        "bare CR in {text}"
    );
    let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(lines[0], "REGISTER sip:northwind.example SIP/2.0");

    let via = header(&text, "Via");
    let host = via
        .strip_prefix("SIP/2.0/WSS ")
        .and_then(|v| v.split(';').next())
        .unwrap();
    assert!(
        host.ends_with(".invalid") && host.len() > ".invalid".len(),
        "{via}"
    );
    assert!(
        via.contains(";branch=z9hG4bK") && via.ends_with(";rport"),
        "{via}"
    );
    assert_eq!(header(&text, "Max-Forwards"), "70");
    let from = header(&text, "From");
    let (from_addr, tag) = from.split_once(";tag=").unwrap();
    assert_eq!(from_addr, "\"Ada Agent\" <sip:70001001@northwind.example>");
    assert!(!tag.is_empty());
    assert_eq!(
        header(&text, "To"),
        "\"Ada Agent\" <sip:70001001@northwind.example>"
    );
    assert!(!header(&text, "Call-ID").is_empty());
    assert_eq!(header(&text, "CSeq"), "1 REGISTER");
    let contact = header(&text, "Contact");
    assert!(
        contact.starts_with("<sip:")
            && contact.ends_with(&format!("@{host};transport=ws>;expires=600")),
        "{contact}"
    );
    assert_eq!(header(&text, "Expires"), "600");
    assert_eq!(header(&text, "User-Agent"), "Agent Personal Center");
    assert_eq!(header(&text, "Content-Length"), "0");
    assert!(!text.contains("Authorization"));
    assert!(reg.awaiting_response());
}

#[test]
fn via_names_the_transport_and_contact_always_says_ws() {
    let (mut ws, mut rng) = registration(Transport::Ws);
    let text = ws.register(&mut rng);
    assert!(header(&text, "Via").starts_with("SIP/2.0/WS "));
    assert!(header(&text, "Contact").contains(";transport=ws>"));
    let (mut wss, mut rng) = registration(Transport::Wss);
    let text = wss.register(&mut rng);
    assert!(header(&text, "Via").starts_with("SIP/2.0/WSS "));
    assert!(header(&text, "Contact").contains(";transport=ws>"));
}

#[test]
fn display_names_are_quoted_and_escaped_or_left_out() {
    let mut rng = TestRng(1);
    let mut acc = account(Credentials::Password("p".into()));
    acc.display_name = Some("O\"Brien \\ Desk\r\nX-Injected: 1".into());
    let text = Registration::new(acc.clone(), Transport::Ws, 600, &mut rng).register(&mut rng);
    assert_eq!(
        header(&text, "To"),
        r#""O\"Brien \\ DeskX-Injected: 1" <sip:70001001@northwind.example>"#
    );
    assert!(!text.contains("\r\nX-Injected"));

    acc.display_name = None;
    let text = Registration::new(acc, Transport::Ws, 600, &mut rng).register(&mut rng);
    assert_eq!(header(&text, "To"), "<sip:70001001@northwind.example>");
}

#[test]
fn refreshes_keep_call_id_and_tag_and_bump_cseq_with_a_new_branch() {
    let (mut reg, mut rng) = registration(Transport::Wss);
    let first = reg.register(&mut rng);
    let second = reg.register(&mut rng);
    let third = reg.unregister(&mut rng);
    for later in [&second, &third] {
        assert_eq!(header(later, "Call-ID"), header(&first, "Call-ID"));
        assert_eq!(header(later, "From"), header(&first, "From"));
        assert_eq!(
            header(later, "Contact").split(';').next(),
            header(&first, "Contact").split(';').next()
        );
    }
    assert_eq!(header(&second, "CSeq"), "2 REGISTER");
    assert_eq!(header(&third, "CSeq"), "3 REGISTER");
    let branch = |t: &str| {
        header(t, "Via")
            .split(";branch=")
            .nth(1)
            .unwrap()
            .to_owned()
    };
    assert_ne!(branch(&first), branch(&second));
    assert_ne!(branch(&second), branch(&third));
}

#[test]
fn unregister_asks_for_expires_zero() {
    let (mut reg, mut rng) = registration(Transport::Ws);
    let text = reg.unregister(&mut rng);
    assert_eq!(header(&text, "Expires"), "0");
    assert!(header(&text, "Contact").ends_with(";transport=ws>;expires=0"));
}

#[test]
fn registrations_draw_their_identities_from_the_rng() {
    let acc = account(Credentials::Password("p".into()));
    let a = Registration::new(acc.clone(), Transport::Ws, 600, &mut TestRng(1))
        .register(&mut TestRng(1));
    let b = Registration::new(acc, Transport::Ws, 600, &mut TestRng(2)).register(&mut TestRng(2));
    for name in ["Call-ID", "From", "Via", "Contact"] {
        assert_ne!(header(&a, name), header(&b, name), "{name}");
    }
}
