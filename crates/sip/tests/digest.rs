//! Digest arithmetic against published and independently computed vectors, and challenge parsing.

use pc_sip::digest::{self, parse_challenge, Challenge};

// RFC 2617 §3.5.
const HA1_MUFASA: &str = "939e7578ed9e3c518a452acee763bce9";
const NONCE: &str = "dcd98b7102dd2f0e8b11d0f600bfb0c093";

#[test]
fn rfc2617_example_vector() {
    let ha1 = digest::ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
    let response = digest::response(
        &ha1,
        NONCE,
        "GET",
        "/dir/index.html",
        Some(("00000001", "0a4f113b")),
    );
    assert_eq!(response, "6629fae49393a05397450978507c4ef1");
}

#[test]
fn ha1_vectors() {
    // python3 -c "import hashlib; print(hashlib.md5(b'Mufasa:testrealm@host.com:Circle Of Life').hexdigest())"
    assert_eq!(
        digest::ha1("Mufasa", "testrealm@host.com", "Circle Of Life"),
        HA1_MUFASA
    );
    // python3 -c "import hashlib; print(hashlib.md5(b'70001001:northwind.example:s3cret').hexdigest())"
    assert_eq!(
        digest::ha1("70001001", "northwind.example", "s3cret"),
        "750fd90ed14c8b85a584bb6a562cfffe"
    );
}

#[test]
fn rfc2069_form_without_qop() {
    // python3: m=lambda s: hashlib.md5(s.encode()).hexdigest()
    //   m(HA1 + ':dcd98b7102dd2f0e8b11d0f600bfb0c093:' + m('GET:/dir/index.html'))
    assert_eq!(
        digest::response(HA1_MUFASA, NONCE, "GET", "/dir/index.html", None),
        "670fd8c2df070c60b045671b8b24ff02"
    );
    // m('750fd90ed14c8b85a584bb6a562cfffe:abc123:' + m('REGISTER:sip:northwind.example'))
    assert_eq!(
        digest::response(
            "750fd90ed14c8b85a584bb6a562cfffe",
            "abc123",
            "REGISTER",
            "sip:northwind.example",
            None
        ),
        "40f7d33f6a5e7828c372216c4e6b570d"
    );
}

#[test]
fn parses_kamailio_challenge() {
    let c = parse_challenge(
        r#"Digest realm="northwind.example", nonce="ZmR5Y2hhbGxlbmdlAA==", qop="auth""#,
    )
    .unwrap();
    assert_eq!(
        c,
        Challenge {
            realm: "northwind.example".into(),
            nonce: "ZmR5Y2hhbGxlbmdlAA==".into(),
            opaque: None,
            algorithm: None,
            qop: vec!["auth".into()],
            stale: false,
        }
    );
}

#[test]
fn parses_any_order_case_tokens_escapes_and_lists() {
    let c = parse_challenge(
        "digest  QOP=\"auth-int, auth\",stale=TRUE , Algorithm=MD5,\topaque=\"o\\\"p\", \
         NONCE=\"n,1\", domain=\"sip:a sip:b\", Realm=\"r \\\\ x\"",
    )
    .unwrap();
    assert_eq!(c.realm, r"r \ x");
    assert_eq!(c.nonce, "n,1");
    assert_eq!(c.opaque.as_deref(), Some("o\"p"));
    assert_eq!(c.algorithm.as_deref(), Some("MD5"));
    assert_eq!(c.qop, ["auth-int", "auth"]);
    assert!(c.stale);
}

#[test]
fn stops_at_a_second_challenge() {
    let c = parse_challenge(r#"Digest realm="a", nonce="b", Basic realm="c""#).unwrap();
    assert_eq!((c.realm.as_str(), c.nonce.as_str()), ("a", "b"));
}

#[test]
fn rejects_what_cannot_be_answered() {
    for bad in [
        "",
        "Digest",
        r#"Basic realm="a""#,
        r#"Digest nonce="n""#,
        r#"Digest realm="r""#,
        r#"Digest realm="r", nonce="unterminated"#,
        r#"Digest realm="r", nonce="n\"#,
        r#"Digest realm="r", ="n""#,
        r#"Digestive realm="r", nonce="n""#,
    ] {
        assert_eq!(parse_challenge(bad), None, "{bad}");
    }
}
