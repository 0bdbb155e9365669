//! HTTP digest authentication as SIP uses it (RFC 2617, with the RFC 2069 form for challenges
//! without `qop`), MD5 only: that is what Kamailio's `auth` module offers by default.
//!
//! Kept apart from the registration state machine so the arithmetic can be checked against the
//! RFC's published vectors on its own.

use md5::{Digest, Md5};

/// `MD5(user:realm:password)` as 32 lowercase hex digits.
pub fn ha1(user: &str, realm: &str, password: &str) -> String {
    md5_hex(&[user, realm, password])
}

/// The request-digest of RFC 2617 §3.2.2.1: with `qop_auth = Some((nc, cnonce))` the `qop=auth`
/// form, with `None` the RFC 2069 form `MD5(HA1:nonce:HA2)`.
pub fn response(
    ha1: &str,
    nonce: &str,
    method: &str,
    uri: &str,
    qop_auth: Option<(&str, &str)>,
) -> String {
    let ha2 = md5_hex(&[method, uri]);
    match qop_auth {
        Some((nc, cnonce)) => md5_hex(&[ha1, nonce, nc, cnonce, "auth", &ha2]),
        None => md5_hex(&[ha1, nonce, &ha2]),
    }
}

/// One `Digest` challenge from a `WWW-Authenticate` or `Proxy-Authenticate` header, with quoted
/// values unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    pub algorithm: Option<String>,
    /// The `qop` options, e.g. `["auth", "auth-int"]`; empty when the challenge has no `qop`.
    pub qop: Vec<String>,
    pub stale: bool,
}

/// Parses `Digest realm="…", nonce="…", qop="auth,auth-int", …`: parameters in any order, names
/// case-insensitive, values tokens or quoted strings with `\` escapes. `None` when the scheme is
/// not Digest, the syntax is broken, or `realm` or `nonce` is missing. Parsing stops at a second
/// challenge in the same value. Never panics.
pub fn parse_challenge(header_value: &str) -> Option<Challenge> {
    let mut chars = header_value.trim_start().chars().peekable();
    let scheme = take_token(&mut chars);
    if !scheme.eq_ignore_ascii_case("digest") {
        return None;
    }
    let (mut realm, mut nonce, mut opaque, mut algorithm, mut qop, mut stale) =
        (None, None, None, None, Vec::new(), false);
    loop {
        skip_while(&mut chars, |c| c == ',' || c.is_whitespace());
        if chars.peek().is_none() {
            break;
        }
        let name = take_token(&mut chars);
        if name.is_empty() {
            return None;
        }
        skip_while(&mut chars, char::is_whitespace);
        if chars.peek() != Some(&'=') {
            // `Digest realm=…, Basic …`: the next challenge starts here.
            break;
        }
        chars.next();
        skip_while(&mut chars, char::is_whitespace);
        let value = if chars.peek() == Some(&'"') {
            chars.next();
            take_quoted(&mut chars)?
        } else {
            take_token(&mut chars)
        };
        match name.to_ascii_lowercase().as_str() {
            "realm" => realm = realm.or(Some(value)),
            "nonce" => nonce = nonce.or(Some(value)),
            "opaque" => opaque = opaque.or(Some(value)),
            "algorithm" => algorithm = algorithm.or(Some(value)),
            "qop" => {
                qop = value
                    .split(',')
                    .map(str::trim)
                    .filter(|q| !q.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            "stale" => stale = value.eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    Some(Challenge {
        realm: realm?,
        nonce: nonce?,
        opaque,
        algorithm,
        qop,
        stale,
    })
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_while(chars: &mut Chars<'_>, skip: impl Fn(char) -> bool) {
    while chars.next_if(|&c| skip(c)).is_some() {}
}

/// A token in the sense of RFC 3261 §25.1, loosely: anything up to a separator we care about.
fn take_token(chars: &mut Chars<'_>) -> String {
    let mut token = String::new();
    while let Some(c) = chars.next_if(|&c| !(c.is_whitespace() || c == ',' || c == '=' || c == '"'))
    {
        token.push(c);
    }
    token
}

/// The rest of a quoted string whose opening `"` is consumed; `None` if it never closes.
fn take_quoted(chars: &mut Chars<'_>) -> Option<String> {
    let mut value = String::new();
    loop {
        match chars.next()? {
            '"' => return Some(value),
            '\\' => value.push(chars.next()?),
            c => value.push(c),
        }
    }
}

fn md5_hex(parts: &[&str]) -> String {
    let mut md5 = Md5::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            md5.update(b":");
        }
        md5.update(part.as_bytes());
    }
    md5.finalize()
        .iter()
        .flat_map(|b| [b >> 4, b & 0xf])
        .map(|n| char::from_digit(u32::from(n), 16).unwrap_or('0'))
        .collect()
}
