//! Whole exchanges against scripted Kamailio replies: challenges, refreshes, failures, matching.

mod common;

use common::{
    account, auth_param, contact_uri, expected_response, has_header, header, registration, reply,
    TestRng, PASSWORD, USER,
};
use pc_sip::{digest, refresh_delay_ms, Credentials, Event, Failure, Registration, Transport};

const NOW: u64 = 1_700_000_000_000;
const CHALLENGE: &str = r#"WWW-Authenticate: Digest realm="northwind.example", nonce="Z7cZ1We3GPv6mdkFH1CMvtDvGaq7fA3e", qop="auth""#;
const HA1: &str = "750fd90ed14c8b85a584bb6a562cfffe"; // MD5("70001001:northwind.example:s3cret"), see digest.rs

fn sent(event: Event) -> String {
    match event {
        Event::Send(text) => text,
        other => panic!("expected Send, got {other:?}"),
    }
}

/// REGISTER, 401, answered REGISTER: returns the registration and the answered request.
fn challenged() -> (Registration, TestRng, String) {
    let (mut reg, mut rng) = registration(Transport::Wss);
    let first = reg.register(&mut rng);
    let answer = sent(reg.on_message(
        &reply(&first, "401 Unauthorized", &[CHALLENGE]),
        NOW,
        &mut rng,
    ));
    (reg, rng, answer)
}

fn ok_for(request: &str) -> String {
    let ours = contact_uri(request);
    reply(
        request,
        "200 OK",
        &[
            &format!("Contact: <{ours}>;expires=600;received=\"sip:127.0.0.1:50412;transport=WS\""),
            "Contact: <sip:h3k1q9@1b2c3d.invalid;transport=ws>;expires=37",
            "Expires: 900",
        ],
    )
}

#[test]
fn full_exchange_with_digest_then_registered() {
    let (mut reg, mut rng) = registration(Transport::Wss);
    let first = reg.register(&mut rng);
    let event = reg.on_message(&reply(&first, "100 Trying", &[]), NOW, &mut rng);
    assert_eq!(event, Event::Ignored);
    assert!(reg.awaiting_response());

    let answer = sent(reg.on_message(
        &reply(&first, "401 Unauthorized", &[CHALLENGE]),
        NOW,
        &mut rng,
    ));
    assert_eq!(header(&answer, "Call-ID"), header(&first, "Call-ID"));
    assert_eq!(header(&answer, "From"), header(&first, "From"));
    assert_eq!(header(&answer, "CSeq"), "2 REGISTER");
    assert_ne!(header(&answer, "Via"), header(&first, "Via"));
    assert!(!has_header(&answer, "Proxy-Authorization"));
    let auth = header(&answer, "Authorization");
    assert_eq!(auth_param(&auth, "username").as_deref(), Some(USER));
    assert_eq!(
        auth_param(&auth, "realm").as_deref(),
        Some("northwind.example")
    );
    assert_eq!(
        auth_param(&auth, "nonce").as_deref(),
        Some("Z7cZ1We3GPv6mdkFH1CMvtDvGaq7fA3e")
    );
    assert_eq!(
        auth_param(&auth, "uri").as_deref(),
        Some("sip:northwind.example")
    );
    assert_eq!(auth_param(&auth, "algorithm").as_deref(), Some("MD5"));
    assert_eq!(auth_param(&auth, "qop").as_deref(), Some("auth"));
    assert_eq!(auth_param(&auth, "nc").as_deref(), Some("00000001"));
    assert!(auth_param(&auth, "cnonce").is_some_and(|c| !c.is_empty()));
    assert!(
        auth.contains(r#"uri="sip:northwind.example""#) && auth.contains(", qop=auth, nc=00000001")
    );
    assert_eq!(
        auth_param(&auth, "response"),
        Some(expected_response(&auth, HA1))
    );

    let event = reg.on_message(&ok_for(&answer), NOW, &mut rng);
    assert_eq!(
        event,
        Event::Registered {
            expires_secs: 600,
            refresh_at_ms: NOW + refresh_delay_ms(600)
        }
    );
    assert!(!reg.awaiting_response());
}

#[test]
fn our_contact_is_picked_among_several_in_one_header() {
    let (mut reg, mut rng, answer) = challenged();
    let ours = contact_uri(&answer);
    let ok = reply(
        &answer,
        "200 OK",
        &[&format!(
            "Contact: \"Other, Desk\" <sip:x@y.invalid;transport=ws>;expires=42, <{ours}>;expires=321;+sip.instance=\"<urn:uuid:1,2>\""
        )],
    );
    let event = reg.on_message(&ok, NOW, &mut rng);
    assert_eq!(
        event,
        Event::Registered {
            expires_secs: 321,
            refresh_at_ms: NOW + refresh_delay_ms(321)
        }
    );
}

#[test]
fn granted_expires_falls_back_to_expires_header_then_request() {
    let (mut reg, mut rng, answer) = challenged();
    let ok = reply(
        &answer,
        "200 OK",
        &["Contact: <sip:other@z.invalid>;expires=5", "Expires: 120"],
    );
    assert!(matches!(
        reg.on_message(&ok, NOW, &mut rng),
        Event::Registered {
            expires_secs: 120,
            ..
        }
    ));

    let again = reg.register(&mut rng);
    let ok = reply(&again, "200 OK", &[]);
    assert!(matches!(
        reg.on_message(&ok, NOW, &mut rng),
        Event::Registered {
            expires_secs: 600,
            ..
        }
    ));
}

#[test]
fn huge_expires_clamps_to_u32() {
    let (mut reg, mut rng, answer) = challenged();
    let ok = reply(
        &answer,
        "200 OK",
        &[&format!(
            "Contact: <{}>;expires=99999999999",
            contact_uri(&answer)
        )],
    );
    assert_eq!(
        reg.on_message(&ok, u64::MAX - 5, &mut rng),
        Event::Registered {
            expires_secs: u32::MAX,
            refresh_at_ms: u64::MAX
        }
    );
}

#[test]
fn refresh_carries_credentials_proactively_and_a_fresh_401_is_answered() {
    let (mut reg, mut rng, answer) = challenged();
    reg.on_message(&ok_for(&answer), NOW, &mut rng);

    let refresh = reg.register(&mut rng);
    assert_eq!(header(&refresh, "CSeq"), "3 REGISTER");
    assert_eq!(header(&refresh, "Call-ID"), header(&answer, "Call-ID"));
    let auth = header(&refresh, "Authorization");
    assert_eq!(auth_param(&auth, "nc").as_deref(), Some("00000002"));
    assert_eq!(
        auth_param(&auth, "response"),
        Some(expected_response(&auth, HA1))
    );

    // The nonce expired meanwhile: Kamailio challenges again with a new one.
    let new =
        r#"WWW-Authenticate: Digest realm="northwind.example", nonce="second-nonce", qop="auth""#;
    let reanswer =
        sent(reg.on_message(&reply(&refresh, "401 Unauthorized", &[new]), NOW, &mut rng));
    let auth = header(&reanswer, "Authorization");
    assert_eq!(auth_param(&auth, "nonce").as_deref(), Some("second-nonce"));
    assert_eq!(auth_param(&auth, "nc").as_deref(), Some("00000001"));
    assert_eq!(
        auth_param(&auth, "response"),
        Some(expected_response(&auth, HA1))
    );
    assert!(matches!(
        reg.on_message(&ok_for(&reanswer), NOW, &mut rng),
        Event::Registered { .. }
    ));
}

#[test]
fn forbidden_is_wrong_credentials() {
    let (mut reg, mut rng, answer) = challenged();
    let event = reg.on_message(&reply(&answer, "403 Forbidden", &[]), NOW, &mut rng);
    assert_eq!(
        event,
        Event::Failed(Failure::WrongCredentials {
            code: 403,
            reason: "Forbidden".into()
        })
    );
    assert!(!reg.awaiting_response());
}

#[test]
fn second_401_for_the_same_nonce_is_wrong_credentials() {
    let (mut reg, mut rng, answer) = challenged();
    let event = reg.on_message(
        &reply(&answer, "401 Unauthorized", &[CHALLENGE]),
        NOW,
        &mut rng,
    );
    assert_eq!(
        event,
        Event::Failed(Failure::WrongCredentials {
            code: 401,
            reason: "Unauthorized".into()
        })
    );
}

#[test]
fn new_nonce_without_stale_after_answering_is_wrong_credentials() {
    // Kamailio's default config re-challenges a wrong password with a fresh nonce.
    let (mut reg, mut rng, answer) = challenged();
    let new = r#"WWW-Authenticate: Digest realm="northwind.example", nonce="fresh", qop="auth""#;
    let event = reg.on_message(&reply(&answer, "401 Unauthorized", &[new]), NOW, &mut rng);
    assert!(
        matches!(
            event,
            Event::Failed(Failure::WrongCredentials { code: 401, .. })
        ),
        "{event:?}"
    );
}

#[test]
fn stale_nonce_is_answered_again() {
    let (mut reg, mut rng, answer) = challenged();
    let stale = r#"WWW-Authenticate: Digest realm="northwind.example", nonce="renewed", qop="auth", stale=true"#;
    let again = sent(reg.on_message(&reply(&answer, "401 Unauthorized", &[stale]), NOW, &mut rng));
    let auth = header(&again, "Authorization");
    assert_eq!(auth_param(&auth, "nonce").as_deref(), Some("renewed"));
    assert_eq!(
        auth_param(&auth, "response"),
        Some(expected_response(&auth, HA1))
    );
    assert_eq!(header(&again, "CSeq"), "3 REGISTER");
}

#[test]
fn endless_stale_challenges_give_up() {
    let (mut reg, mut rng, mut request) = challenged();
    for round in 0.. {
        let stale = format!(
            r#"WWW-Authenticate: Digest realm="northwind.example", nonce="n{round}", qop="auth", stale=true"#
        );
        match reg.on_message(
            &reply(&request, "401 Unauthorized", &[&stale]),
            NOW,
            &mut rng,
        ) {
            Event::Send(next) => request = next,
            Event::Failed(Failure::WrongCredentials { code: 401, .. }) => {
                assert!(round < 10);
                return;
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn proxy_challenge_is_answered_with_proxy_authorization() {
    let (mut reg, mut rng) = registration(Transport::Ws);
    let first = reg.register(&mut rng);
    let challenge = r#"Proxy-Authenticate: Digest realm="northwind.example", nonce="pxy", opaque="op\"q", qop="auth-int,auth""#;
    let answer = sent(reg.on_message(
        &reply(&first, "407 Proxy Authentication Required", &[challenge]),
        NOW,
        &mut rng,
    ));
    assert!(!has_header(&answer, "Authorization"));
    let auth = header(&answer, "Proxy-Authorization");
    assert!(auth.ends_with(r#", opaque="op\"q""#), "{auth}");
    let auth = auth.replace(r#", opaque="op\"q""#, "");
    assert_eq!(auth_param(&auth, "nonce").as_deref(), Some("pxy"));
    assert_eq!(
        auth_param(&auth, "response"),
        Some(expected_response(&auth, HA1))
    );
    assert!(matches!(
        reg.on_message(&ok_for(&answer), NOW, &mut rng),
        Event::Registered { .. }
    ));
}

#[test]
fn challenge_without_qop_gets_the_rfc2069_answer() {
    let (mut reg, mut rng) = registration(Transport::Ws);
    let first = reg.register(&mut rng);
    let challenge = r#"WWW-Authenticate: Digest realm="northwind.example", nonce="abc123""#;
    let answer = sent(reg.on_message(
        &reply(&first, "401 Unauthorized", &[challenge]),
        NOW,
        &mut rng,
    ));
    let auth = header(&answer, "Authorization");
    assert_eq!(auth_param(&auth, "qop"), None);
    assert_eq!(auth_param(&auth, "cnonce"), None);
    // Independently computed, see digest.rs rfc2069_form_without_qop.
    assert_eq!(
        auth_param(&auth, "response").as_deref(),
        Some("40f7d33f6a5e7828c372216c4e6b570d")
    );
}

#[test]
fn unanswerable_challenges_are_unsupported() {
    for challenge in [
        r#"WWW-Authenticate: Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth""#,
        r#"WWW-Authenticate: Digest realm="r", nonce="n", qop="auth-int""#,
        r#"WWW-Authenticate: Basic realm="r""#,
        r#"WWW-Authenticate: Digest realm="r", nonce="n"#,
        "X-Nothing: here",
    ] {
        let (mut reg, mut rng) = registration(Transport::Ws);
        let first = reg.register(&mut rng);
        let event = reg.on_message(
            &reply(&first, "401 Unauthorized", &[challenge]),
            NOW,
            &mut rng,
        );
        assert!(
            matches!(event, Event::Failed(Failure::UnsupportedChallenge { .. })),
            "{challenge}: {event:?}"
        );
    }
}

#[test]
fn the_md5_challenge_is_chosen_among_several() {
    let (mut reg, mut rng) = registration(Transport::Ws);
    let first = reg.register(&mut rng);
    let sha = r#"WWW-Authenticate: Digest realm="northwind.example", nonce="s", algorithm=SHA-256, qop="auth""#;
    let md5 = r#"WWW-Authenticate: Digest realm="northwind.example", nonce="m", algorithm=MD5, qop="auth""#;
    let answer = sent(reg.on_message(
        &reply(&first, "401 Unauthorized", &[sha, md5]),
        NOW,
        &mut rng,
    ));
    assert_eq!(
        auth_param(&header(&answer, "Authorization"), "nonce").as_deref(),
        Some("m")
    );
}

#[test]
fn ha1_credentials_answer_for_their_realm_only() {
    let mut rng = TestRng(3);
    let ha1 = Credentials::Ha1 {
        realm: "northwind.example".into(),
        ha1: HA1.to_uppercase(),
    };
    let mut reg = Registration::new(account(ha1), Transport::Wss, 600, &mut rng);
    let first = reg.register(&mut rng);
    let answer = sent(reg.on_message(
        &reply(&first, "401 Unauthorized", &[CHALLENGE]),
        NOW,
        &mut rng,
    ));
    let auth = header(&answer, "Authorization");
    assert_eq!(
        auth_param(&auth, "response"),
        Some(expected_response(&auth, HA1))
    );

    let other = Credentials::Ha1 {
        realm: "southwind.example".into(),
        ha1: HA1.into(),
    };
    let mut reg = Registration::new(account(other), Transport::Wss, 600, &mut rng);
    let first = reg.register(&mut rng);
    let event = reg.on_message(
        &reply(&first, "401 Unauthorized", &[CHALLENGE]),
        NOW,
        &mut rng,
    );
    assert_eq!(
        event,
        Event::Failed(Failure::RealmMismatch {
            challenge_realm: "northwind.example".into()
        })
    );
}

#[test]
fn password_digest_matches_ha1_digest() {
    assert_eq!(digest::ha1(USER, "northwind.example", PASSWORD), HA1);
}

#[test]
fn interval_too_brief_retries_with_min_expires_and_keeps_it() {
    let (mut reg, mut rng, answer) = challenged();
    let retry = sent(reg.on_message(
        &reply(&answer, "423 Interval Too Brief", &["Min-Expires: 3600"]),
        NOW,
        &mut rng,
    ));
    assert_eq!(header(&retry, "Expires"), "3600");
    assert!(header(&retry, "Contact").ends_with(";expires=3600"));
    assert_eq!(header(&retry, "CSeq"), "3 REGISTER");
    assert!(has_header(&retry, "Authorization"));
    let ok = reply(
        &retry,
        "200 OK",
        &[&format!("Contact: <{}>;expires=3600", contact_uri(&retry))],
    );
    assert!(matches!(
        reg.on_message(&ok, NOW, &mut rng),
        Event::Registered {
            expires_secs: 3600,
            ..
        }
    ));
    assert_eq!(header(&reg.register(&mut rng), "Expires"), "3600");
}

#[test]
fn interval_too_brief_without_a_usable_min_expires_is_rejected() {
    for extra in [&[][..], &["Min-Expires: 60"], &["Min-Expires: soon"]] {
        let (mut reg, mut rng) = registration(Transport::Ws);
        let first = reg.register(&mut rng);
        let event = reg.on_message(
            &reply(&first, "423 Interval Too Brief", extra),
            NOW,
            &mut rng,
        );
        assert_eq!(
            event,
            Event::Failed(Failure::Rejected {
                code: 423,
                reason: "Interval Too Brief".into()
            })
        );
    }
}

#[test]
fn other_final_responses_are_rejected_with_code_and_reason() {
    for (status, code, reason) in [
        ("404 Not Found", 404, "Not Found"),
        ("503 Service Unavailable", 503, "Service Unavailable"),
        ("302 Moved Temporarily", 302, "Moved Temporarily"),
        ("600 Busy Everywhere", 600, "Busy Everywhere"),
    ] {
        let (mut reg, mut rng) = registration(Transport::Ws);
        let first = reg.register(&mut rng);
        let event = reg.on_message(&reply(&first, status, &[]), NOW, &mut rng);
        assert_eq!(
            event,
            Event::Failed(Failure::Rejected {
                code,
                reason: reason.into()
            })
        );
    }
}

#[test]
fn unregister_is_answered_with_credentials_and_confirmed() {
    let (mut reg, mut rng, answer) = challenged();
    reg.on_message(&ok_for(&answer), NOW, &mut rng);
    let bye = reg.unregister(&mut rng);
    assert_eq!(header(&bye, "Expires"), "0");
    let stale = r#"WWW-Authenticate: Digest realm="northwind.example", nonce="later", qop="auth""#;
    let bye_answer =
        sent(reg.on_message(&reply(&bye, "401 Unauthorized", &[stale]), NOW, &mut rng));
    assert_eq!(header(&bye_answer, "Expires"), "0");
    assert!(header(&bye_answer, "Contact").ends_with(";expires=0"));
    let auth = header(&bye_answer, "Authorization");
    assert_eq!(
        auth_param(&auth, "response"),
        Some(expected_response(&auth, HA1))
    );
    let ok = reply(&bye_answer, "200 OK", &[]);
    assert_eq!(reg.on_message(&ok, NOW, &mut rng), Event::Unregistered);
    assert!(!reg.awaiting_response());
}

#[test]
fn responses_to_other_transactions_are_ignored() {
    let (mut reg, mut rng) = registration(Transport::Ws);
    let first = reg.register(&mut rng);
    let ok = reply(&first, "200 OK", &[]);
    let branch = header(&first, "Via")
        .split(";branch=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let call_id = header(&first, "Call-ID");
    for wrong in [
        ok.replace(&branch, "z9hG4bKother"),
        ok.replace(&call_id, "someone-else"),
        ok.replace("CSeq: 1 REGISTER", "CSeq: 7 REGISTER"),
        ok.replace("CSeq: 1 REGISTER", "CSeq: 1 INVITE"),
        format!(
            "REGISTER sip:{} SIP/2.0\r\nVia: {}\r\n\r\n",
            common::DOMAIN,
            header(&first, "Via")
        ),
        "OPTIONS sip:x@y.invalid SIP/2.0\r\nCall-ID: 1\r\n\r\n".into(),
        "not sip at all".into(),
        String::new(),
    ] {
        assert_eq!(
            reg.on_message(&wrong, NOW, &mut rng),
            Event::Ignored,
            "{wrong}"
        );
        assert!(reg.awaiting_response());
    }
    // A response to the previous REGISTER once a new one is in flight.
    let second = reg.register(&mut rng);
    assert_eq!(reg.on_message(&ok, NOW, &mut rng), Event::Ignored);
    assert!(matches!(
        reg.on_message(&reply(&second, "200 OK", &[]), NOW, &mut rng),
        Event::Registered { .. }
    ));
    // Nothing in flight any more: even a duplicate of the right answer is ignored.
    assert_eq!(
        reg.on_message(&reply(&second, "200 OK", &[]), NOW, &mut rng),
        Event::Ignored
    );
}

#[test]
fn compact_forms_case_and_folding_are_understood() {
    let (mut reg, mut rng, answer) = challenged();
    let via = header(&answer, "Via");
    let text = format!(
        "SIP/2.0 200 OK\r\nv: {via}\r\nfROM: {}\r\nt: {};tag=1\r\ni: {}\r\ncseq: {}\r\n\
         m: <sip:other@q.invalid>;expires=1,\r\n <{}>\r\n\t;expires=480\r\nl: 0\r\n\r\n",
        header(&answer, "From"),
        header(&answer, "To"),
        header(&answer, "Call-ID"),
        header(&answer, "CSeq"),
        contact_uri(&answer),
    );
    assert!(matches!(
        reg.on_message(&text, NOW, &mut rng),
        Event::Registered {
            expires_secs: 480,
            ..
        }
    ));
}

#[test]
fn bare_lf_line_endings_are_accepted() {
    let (mut reg, mut rng, answer) = challenged();
    let text = ok_for(&answer).replace("\r\n", "\n");
    assert!(matches!(
        reg.on_message(&text, NOW, &mut rng),
        Event::Registered {
            expires_secs: 600,
            ..
        }
    ));
}
