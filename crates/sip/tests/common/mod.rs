//! Shared fixtures: a deterministic `Random`, accounts, and a fake Kamailio that answers the
//! requests the crate builds the way Kamailio 5.6 does (Via echoed with `received`/`rport`,
//! To tag added, `Server` header).
#![allow(dead_code)] // Each test file uses its own subset.

use md5::{Digest, Md5};
use pc_sip::{Account, Credentials, Random, Registration, Transport};

/// SplitMix64: deterministic, so every run sends the same text.
pub struct TestRng(pub u64);

impl Random for TestRng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

pub const DOMAIN: &str = "northwind.example";
pub const USER: &str = "70001001";
pub const PASSWORD: &str = "s3cret";

pub fn account(credentials: Credentials) -> Account {
    Account {
        user: USER.into(),
        domain: DOMAIN.into(),
        display_name: Some("Ada Agent".into()),
        credentials,
    }
}

pub fn registration(transport: Transport) -> (Registration, TestRng) {
    let mut rng = TestRng(7);
    let account = account(Credentials::Password(PASSWORD.into()));
    (Registration::new(account, transport, 600, &mut rng), rng)
}

/// The value of the first header `name` in a request we built (exact name, as we write them).
pub fn header(request: &str, name: &str) -> String {
    request
        .split("\r\n")
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in\n{request}"))
        .to_owned()
}

pub fn has_header(request: &str, name: &str) -> bool {
    request
        .split("\r\n")
        .any(|l| l.starts_with(&format!("{name}: ")))
}

/// A parameter of a `Digest …` credentials value, quotes removed (test values have no escapes).
pub fn auth_param(value: &str, name: &str) -> Option<String> {
    let value = value.strip_prefix("Digest ")?;
    value.split(", ").find_map(|p| {
        let (n, v) = p.split_once('=')?;
        (n == name).then(|| v.trim_matches('"').to_owned())
    })
}

/// A reply to `request` as Kamailio writes it; `extra` header lines go before Content-Length.
pub fn reply(request: &str, status: &str, extra: &[&str]) -> String {
    let via = header(request, "Via").replace(";rport", ";rport=50412;received=127.0.0.1");
    let mut text = format!(
        "SIP/2.0 {status}\r\nVia: {via}\r\nFrom: {}\r\nTo: {};tag=37GkEhwl6\r\nCall-ID: {}\r\nCSeq: {}\r\n",
        header(request, "From"),
        header(request, "To"),
        header(request, "Call-ID"),
        header(request, "CSeq"),
    );
    for line in extra {
        text.push_str(line);
        text.push_str("\r\n");
    }
    text.push_str("Server: kamailio (5.6.4 (x86_64/linux))\r\nContent-Length: 0\r\n\r\n");
    text
}

/// Our Contact URI as sent in `request` (between `<` and `>`).
pub fn contact_uri(request: &str) -> String {
    let contact = header(request, "Contact");
    contact[contact.find('<').unwrap() + 1..contact.find('>').unwrap()].to_owned()
}

/// MD5 hex computed here with the md-5 crate directly, independent of `pc_sip::digest`.
pub fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Recomputes the request-digest of a `Digest …` credentials value from its own fields.
pub fn expected_response(credentials: &str, ha1: &str) -> String {
    let p = |n| auth_param(credentials, n).unwrap_or_else(|| panic!("no {n} in {credentials}"));
    let ha2 = md5_hex(&format!("REGISTER:{}", p("uri")));
    match auth_param(credentials, "qop") {
        Some(qop) => md5_hex(&format!(
            "{ha1}:{}:{}:{}:{qop}:{ha2}",
            p("nonce"),
            p("nc"),
            p("cnonce")
        )),
        None => md5_hex(&format!("{ha1}:{}:{ha2}", p("nonce"))),
    }
}
