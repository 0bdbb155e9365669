//! Nothing from the network may panic the app: arbitrary text and mutated real replies go through
//! every entry point that reads received text.

mod common;

use common::{registration, reply, TestRng};
use pc_sip::{digest::parse_challenge, parse_response, ParseError, Registration, Transport};
use proptest::prelude::*;

const CHALLENGE: &str = r#"WWW-Authenticate: Digest realm="northwind.example", nonce="Z7cZ1We3GPv6", opaque="x\"y", qop="auth,auth-int", algorithm=MD5, stale=FALSE"#;

/// A registration with a REGISTER in flight, and a 401 and a 200 answering it.
fn in_flight() -> (Registration, TestRng, String, String) {
    let (mut reg, mut rng) = registration(Transport::Wss);
    let request = reg.register(&mut rng);
    let unauthorized = reply(&request, "401 Unauthorized", &[CHALLENGE]);
    let ok = reply(
        &request,
        "200 OK",
        &[
            "Contact: \"A, \\\"b\\\"\" <sip:a@b.invalid;transport=ws>;expires=600;received=\"sip:127.0.0.1:1\", <sip:c@d>;expires=99999999999",
            "Expires: 600",
        ],
    );
    (reg, rng, unauthorized, ok)
}

fn feed_everything(text: &str) {
    let _ = parse_response(text);
    for line in text.split('\n') {
        let _ = parse_challenge(line.split_once(':').map_or(line, |(_, v)| v));
    }
    let (mut reg, mut rng, _, _) = in_flight();
    let _ = reg.on_message(text, 0, &mut rng);
    let _ = reg.on_message(text, u64::MAX, &mut rng);
    let _ = reg.awaiting_response();
}

/// Applies byte edits to `text` and reads the result back as (lossy) UTF-8, so edits can split
/// multi-byte characters.
fn mutate(text: &str, edits: &[(usize, u8)], truncate: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(at, byte) in edits {
        if !bytes.is_empty() {
            let at = at % bytes.len();
            match byte % 3 {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => {
                    bytes.remove(at);
                }
            }
        }
    }
    bytes.truncate(truncate);
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn status_line_edge_cases() {
    for (text, result) in [
        ("", Err(ParseError::Empty)),
        ("\r\n\r\n", Err(ParseError::Empty)),
        ("SIP/2.0 99999 Big\r\n\r\n", Err(ParseError::StatusLine)),
        ("SIP/2.0 65536 Big\r\n\r\n", Err(ParseError::StatusLine)),
        ("SIP/2.0 099 Low\r\n\r\n", Err(ParseError::StatusLine)),
        ("SIP/2.0 700 High\r\n\r\n", Err(ParseError::StatusLine)),
        ("SIP/2.0 +20 Sign\r\n\r\n", Err(ParseError::StatusLine)),
        ("SIP/2.0 ２００ Wide\r\n\r\n", Err(ParseError::StatusLine)),
        ("HTTP/1.1 200 OK\r\n\r\n", Err(ParseError::StatusLine)),
        (
            "REGISTER sip:a SIP/2.0\r\n\r\n",
            Err(ParseError::StatusLine),
        ),
        (
            "SIP/2.0 200 OK\r\n no header to continue\r\n\r\n",
            Err(ParseError::Header),
        ),
        (
            "SIP/2.0 200 OK\r\nNo colon\r\n\r\n",
            Err(ParseError::Header),
        ),
        (
            "SIP/2.0 200 OK\r\n: empty name\r\n\r\n",
            Err(ParseError::Header),
        ),
        (
            "SIP/2.0 200 OK\r\nBad Name: x\r\n\r\n",
            Err(ParseError::Header),
        ),
        ("SIP/2.0 200\r\n\r\n", Ok((200, ""))),
        (
            "\r\nSIP/2.0 404 Not  Found \r\nContent-Length: 2\r\n\r\nX:",
            Ok((404, "Not  Found")),
        ),
    ] {
        let parsed = parse_response(text);
        assert_eq!(
            parsed.as_ref().map(|r| (r.code, r.reason.as_str())),
            result.as_ref().map(|r| (r.0, r.1)),
            "{text:?}"
        );
        assert_eq!(parsed.err(), result.err(), "{text:?}");
    }
}

#[test]
fn headers_empty_values_compact_and_lists() {
    let r = parse_response(
        "SIP/2.0 200 OK\r\nSubject:\r\nM: <sip:a@b>, <sip:c@d>\r\nContact: *\r\ncontact: \r\n\
         Date: Sat, 13 Nov 2010 23:29:00 GMT\r\nX-Folded: a\r\n  b\r\n\r\n",
    )
    .unwrap();
    assert_eq!(r.header("s"), Some(""));
    assert_eq!(
        r.headers("contact").collect::<Vec<_>>(),
        ["<sip:a@b>", "<sip:c@d>", "*"]
    );
    assert_eq!(r.header("m"), Some("<sip:a@b>"));
    assert_eq!(r.header("DATE"), Some("Sat, 13 Nov 2010 23:29:00 GMT"));
    assert_eq!(r.header("x-folded"), Some("a b"));
    assert_eq!(r.header("Via"), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        feed_everything(&text);
    }

    #[test]
    fn sip_like_text_never_panics(text in r#"(SIP/2\.0 [0-9]{1,6} [A-Za-z ]{0,8}\r?\n)?([a-zA-Z-]{0,6}: ?[ -~é€]{0,40}\r?\n[ \t]?){0,6}\r?\n?"#) {
        feed_everything(&text);
    }

    #[test]
    fn mutated_401_never_panics(edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8), cut in any::<usize>()) {
        let (mut reg, mut rng, unauthorized, _) = in_flight();
        let text = mutate(&unauthorized, &edits, cut % (unauthorized.len() + 1));
        let _ = reg.on_message(&text, 0, &mut rng);
        feed_everything(&text);
    }

    #[test]
    fn mutated_200_never_panics(edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8), cut in any::<usize>()) {
        let (mut reg, mut rng, _, ok) = in_flight();
        let text = mutate(&ok, &edits, cut % (ok.len() + 1));
        let _ = reg.on_message(&text, u64::MAX, &mut rng);
        feed_everything(&text);
    }

    #[test]
    fn arbitrary_challenges_never_panic(value in r#"[Dd]igest( ?[a-zA-Z]{0,6} ?= ?("([^"\\]|\\.){0,10}"?|[a-z0-9,é]{0,6}),?){0,6}"#) {
        let _ = parse_challenge(&value);
        let (mut reg, mut rng, unauthorized, _) = in_flight();
        let text = unauthorized.replace(&CHALLENGE["WWW-Authenticate: ".len()..], &value);
        let _ = reg.on_message(&text, 0, &mut rng);
    }
}
