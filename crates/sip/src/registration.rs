//! The REGISTER client transaction state machine: builds requests, matches responses to the
//! request in flight, answers digest challenges and interval-too-brief replies, and reports the
//! outcome. One binding (one Call-ID) per [`Registration`], as RFC 3261 §10.2.4 asks for refreshes.

use crate::digest::{self, Challenge};
use crate::message::{
    param, parse_response, parse_u32_clamped, split_name_addr, split_params, uri_user_host,
    Response,
};
use crate::timing::refresh_delay_ms;
use std::fmt::Write;

/// Source of randomness, supplied by the caller (the app uses `crypto.getRandomValues`).
pub trait Random {
    fn next_u64(&mut self) -> u64;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// The plain password.
    Password(String),
    /// HA1 = MD5(user:realm:password), 32 lowercase hex digits, precomputed for `realm`.
    Ha1 { realm: String, ha1: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// SIP user part, e.g. `70001001`; also the digest username.
    pub user: String,
    /// SIP domain: Request-URI host and From/To host, e.g. `northwind.example`.
    pub domain: String,
    pub display_name: Option<String>,
    pub credentials: Credentials,
}

/// The WebSocket flavour, from the `ws://` or `wss://` URL; the Via says `SIP/2.0/WS` or `WSS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Ws,
    Wss,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Send this request (the REGISTER answering a 401/407 challenge, or the retry after a 423).
    Send(String),
    /// 2xx to a REGISTER: the binding holds for `expires_secs` (our Contact's `expires` in the
    /// 2xx, else its Expires header, else what we asked for); refresh at `refresh_at_ms`.
    Registered {
        expires_secs: u32,
        refresh_at_ms: u64,
    },
    /// 2xx to our `Expires: 0` REGISTER.
    Unregistered,
    /// The registrar refused; the caller shows the failure to the agent.
    Failed(Failure),
    /// A provisional 1xx, a response to another transaction, a request, or unparseable text.
    Ignored,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// 403, or a 401/407 to a request that already answered a challenge (and not `stale=true`):
    /// the registrar's code and reason phrase.
    WrongCredentials { code: u16, reason: String },
    /// The challenge's realm differs from the realm of the [`Credentials::Ha1`] we hold.
    RealmMismatch { challenge_realm: String },
    /// A challenge we cannot answer: not Digest, algorithm other than MD5, `qop` without `auth`,
    /// or malformed.
    UnsupportedChallenge { detail: String },
    /// Any other final non-2xx response: code and reason phrase.
    Rejected { code: u16, reason: String },
}

/// Challenges answered in a row within one attempt before giving up; only a registrar that keeps
/// declaring our nonces stale gets this far.
const MAX_CHALLENGES: u8 = 4;

pub struct Registration {
    account: Account,
    transport: Transport,
    /// What REGISTERs ask for; raised by a 423's Min-Expires for the rest of the registration.
    expires: u32,
    call_id: String,
    from_tag: String,
    contact_user: String,
    /// The `<random>.invalid` host of Via and Contact.
    host: String,
    cseq: u32,
    auth: Option<Auth>,
    pending: Option<Pending>,
}

/// The last challenge, kept so refreshes can carry credentials before being asked.
struct Auth {
    proxy: bool,
    challenge: Challenge,
    ha1: String,
    /// The nonce count of the last request that used this nonce.
    nc: u32,
}

/// The REGISTER in flight.
struct Pending {
    branch: String,
    cseq: u32,
    expires: u32,
    /// The (proxy?, nonce) our request carried credentials for.
    sent_nonce: Option<(bool, String)>,
    /// Whether this request answers a challenge (as opposed to carrying credentials proactively).
    answers_challenge: bool,
    /// Challenges answered so far in this attempt.
    challenges: u8,
}

impl Registration {
    /// `requested_expires` in seconds. Call-ID, From tag, the Contact user and the
    /// `<random>.invalid` host (RFC 7118 §5) are drawn once from `rng` and kept for the life of the
    /// registration.
    pub fn new(
        account: Account,
        transport: Transport,
        requested_expires: u32,
        rng: &mut impl Random,
    ) -> Self {
        Registration {
            account,
            transport,
            expires: requested_expires,
            call_id: random_token(rng, 24),
            from_tag: random_token(rng, 12),
            contact_user: random_token(rng, 8),
            host: random_token(rng, 12),
            cseq: 0,
            auth: None,
            pending: None,
        }
    }

    /// A REGISTER adding or refreshing the binding (new branch, CSeq+1), ready to send as one
    /// WebSocket text frame. Replaces any request still in flight: late answers to it are ignored.
    pub fn register(&mut self, rng: &mut impl Random) -> String {
        self.request(self.expires, false, 0, rng)
    }

    /// A REGISTER with `Expires: 0` (and `expires=0` on the Contact) removing our binding.
    pub fn unregister(&mut self, rng: &mut impl Random) -> String {
        self.request(0, false, 0, rng)
    }

    /// Requests sent without a final answer yet? (The caller times the transaction out.)
    pub fn awaiting_response(&self) -> bool {
        self.pending.is_some()
    }

    /// Feeds one received WebSocket text frame; `now_ms` is the caller's clock in milliseconds.
    pub fn on_message(&mut self, text: &str, now_ms: u64, rng: &mut impl Random) -> Event {
        let Ok(response) = parse_response(text) else {
            return Event::Ignored;
        };
        if response.code < 200 || !self.answers_pending(&response) {
            return Event::Ignored;
        }
        let Some(pending) = self.pending.take() else {
            return Event::Ignored;
        };
        let (code, reason) = (response.code, response.reason.clone());
        match code {
            200..=299 if pending.expires == 0 => Event::Unregistered,
            200..=299 => {
                let expires_secs = self.granted_expires(&response, pending.expires);
                Event::Registered {
                    expires_secs,
                    refresh_at_ms: now_ms.saturating_add(refresh_delay_ms(expires_secs)),
                }
            }
            401 | 407 => self.on_challenge(&response, &pending, rng),
            423 => match response.header("Min-Expires").and_then(parse_u32_clamped) {
                Some(min) if pending.expires != 0 && min > pending.expires => {
                    self.expires = min;
                    Event::Send(self.request(min, false, pending.challenges, rng))
                }
                _ => Event::Failed(Failure::Rejected { code, reason }),
            },
            403 => Event::Failed(Failure::WrongCredentials { code, reason }),
            _ => Event::Failed(Failure::Rejected { code, reason }),
        }
    }

    /// Whether `response` belongs to the request in flight: top Via branch, Call-ID and CSeq.
    fn answers_pending(&self, response: &Response) -> bool {
        let Some(pending) = &self.pending else {
            return false;
        };
        let branch = response
            .header("Via")
            .and_then(|via| param(&split_params(via).1, "branch").map(str::to_owned));
        let cseq = response.header("CSeq").and_then(|cseq| {
            let (number, method) = cseq.split_once(char::is_whitespace)?;
            let method = method.trim().eq_ignore_ascii_case("REGISTER");
            method.then(|| number.trim().parse::<u32>().ok()).flatten()
        });
        branch.as_deref() == Some(pending.branch.as_str())
            && response.header("Call-ID") == Some(self.call_id.as_str())
            && cseq == Some(pending.cseq)
    }

    /// The expires the registrar granted for our Contact (see [`Event::Registered`]).
    fn granted_expires(&self, response: &Response, requested: u32) -> u32 {
        let host = format!("{}.invalid", self.host);
        response
            .headers("Contact")
            .map(split_name_addr)
            .find(|(uri, _)| {
                uri_user_host(uri).is_some_and(|(user, uri_host)| {
                    user == self.contact_user && uri_host.eq_ignore_ascii_case(&host)
                })
            })
            .and_then(|(_, params)| param(&params, "expires").and_then(parse_u32_clamped))
            .or_else(|| response.header("Expires").and_then(parse_u32_clamped))
            .unwrap_or(requested)
    }

    fn on_challenge(
        &mut self,
        response: &Response,
        pending: &Pending,
        rng: &mut impl Random,
    ) -> Event {
        let (code, reason) = (response.code, response.reason.clone());
        let proxy = code == 407;
        let header = if proxy {
            "Proxy-Authenticate"
        } else {
            "WWW-Authenticate"
        };
        let mut detail = format!("{code} without a {header} header");
        let mut usable = None;
        for value in response.headers(header) {
            match digest::parse_challenge(value)
                .ok_or_else(|| format!("cannot parse {header}: {value}"))
                .and_then(check_challenge)
            {
                Ok(challenge) => {
                    usable = Some(challenge);
                    break;
                }
                Err(why) => detail = why,
            }
        }
        let Some(challenge) = usable else {
            return Event::Failed(Failure::UnsupportedChallenge { detail });
        };

        let rejected = pending
            .sent_nonce
            .as_ref()
            .is_some_and(|(sent_proxy, nonce)| {
                *sent_proxy == proxy
                    && !challenge.stale
                    && (pending.answers_challenge || *nonce == challenge.nonce)
            });
        if rejected || pending.challenges >= MAX_CHALLENGES {
            self.auth = None;
            return Event::Failed(Failure::WrongCredentials { code, reason });
        }

        let ha1 = match &self.account.credentials {
            Credentials::Password(password) => {
                digest::ha1(&self.account.user, &challenge.realm, password)
            }
            Credentials::Ha1 { realm, ha1 } if *realm == challenge.realm => {
                ha1.to_ascii_lowercase()
            }
            Credentials::Ha1 { .. } => {
                return Event::Failed(Failure::RealmMismatch {
                    challenge_realm: challenge.realm,
                })
            }
        };
        self.auth = Some(Auth {
            proxy,
            challenge,
            ha1,
            nc: 0,
        });
        Event::Send(self.request(pending.expires, true, pending.challenges + 1, rng))
    }

    /// Builds the next REGISTER and makes it the request in flight.
    fn request(
        &mut self,
        expires: u32,
        answers_challenge: bool,
        challenges: u8,
        rng: &mut impl Random,
    ) -> String {
        self.cseq = self.cseq.wrapping_add(1).max(1);
        let branch = format!("z9hG4bK{}", random_token(rng, 16));
        let via = match self.transport {
            Transport::Ws => "WS",
            Transport::Wss => "WSS",
        };
        let domain = clean(&self.account.domain);
        let aor = format!("sip:{}@{domain}", escape_user(&self.account.user));
        let name_addr = match &self.account.display_name {
            Some(name) => format!("{} <{aor}>", quote(name)),
            None => format!("<{aor}>"),
        };
        let host = &self.host;
        let mut text = format!(
            "REGISTER sip:{domain} SIP/2.0\r\n\
             Via: SIP/2.0/{via} {host}.invalid;branch={branch};rport\r\n\
             Max-Forwards: 70\r\n\
             From: {name_addr};tag={from_tag}\r\n\
             To: {name_addr}\r\n\
             Call-ID: {call_id}\r\n\
             CSeq: {cseq} REGISTER\r\n\
             Contact: <sip:{contact_user}@{host}.invalid;transport=ws>;expires={expires}\r\n\
             Expires: {expires}\r\n",
            from_tag = self.from_tag,
            call_id = self.call_id,
            cseq = self.cseq,
            contact_user = self.contact_user,
        );
        let sent_nonce = self.auth.as_mut().map(|auth| {
            auth.nc = auth.nc.wrapping_add(1).max(1);
            let cnonce = random_token(rng, 16);
            let uri = format!("sip:{domain}");
            let _ = write!(
                text,
                "{}: {}\r\n",
                if auth.proxy {
                    "Proxy-Authorization"
                } else {
                    "Authorization"
                },
                authorization(&self.account.user, &uri, auth, &cnonce)
            );
            (auth.proxy, auth.challenge.nonce.clone())
        });
        text.push_str("User-Agent: Agent Personal Center\r\nContent-Length: 0\r\n\r\n");
        self.pending = Some(Pending {
            branch,
            cseq: self.cseq,
            expires,
            sent_nonce,
            answers_challenge,
            challenges,
        });
        text
    }
}

/// Accepts MD5 (or no algorithm) and, when `qop` is offered, `auth` among the options.
fn check_challenge(challenge: Challenge) -> Result<Challenge, String> {
    if let Some(algorithm) = &challenge.algorithm {
        if !algorithm.eq_ignore_ascii_case("MD5") {
            return Err(format!("digest algorithm {algorithm} is not supported"));
        }
    }
    if !challenge.qop.is_empty() && !challenge.qop.iter().any(|q| q.eq_ignore_ascii_case("auth")) {
        return Err(format!("qop {} is not supported", challenge.qop.join(",")));
    }
    Ok(challenge)
}

/// The credentials value: `Digest username=…, …, nc=…` (RFC 2069 form without `qop`).
fn authorization(user: &str, uri: &str, auth: &Auth, cnonce: &str) -> String {
    let challenge = &auth.challenge;
    let nc = format!("{:08x}", auth.nc);
    let qop = (!challenge.qop.is_empty()).then_some((nc.as_str(), cnonce));
    let response = digest::response(&auth.ha1, &challenge.nonce, "REGISTER", uri, qop);
    let mut value = format!(
        "Digest username={}, realm={}, nonce={}, uri=\"{uri}\", response=\"{response}\", algorithm=MD5",
        quote(user),
        quote(&challenge.realm),
        quote(&challenge.nonce),
    );
    if qop.is_some() {
        let _ = write!(value, ", cnonce=\"{cnonce}\", qop=auth, nc={nc}");
    }
    if let Some(opaque) = &challenge.opaque {
        let _ = write!(value, ", opaque={}", quote(opaque));
    }
    value
}

/// A quoted string with `"` and `\` escaped; control characters (which a quoted string cannot
/// carry, and which would let a value inject header lines) are dropped.
fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars().filter(|c| !c.is_control()) {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// A host with whitespace and control characters removed, so configuration cannot inject lines.
fn clean(host: &str) -> String {
    host.chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// The user part of a SIP URI, percent-escaping what RFC 3261 §25.1 does not allow there.
fn escape_user(user: &str) -> String {
    let mut escaped = String::with_capacity(user.len());
    for byte in user.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()&=+$,;?/".contains(&byte) {
            escaped.push(char::from(byte));
        } else {
            let _ = write!(escaped, "%{byte:02X}");
        }
    }
    escaped
}

/// `len` lowercase base-36 characters from `rng`: for Call-ID, tags, branches, cnonces, hosts.
fn random_token(rng: &mut impl Random, len: usize) -> String {
    let mut token = String::with_capacity(len);
    while token.len() < len {
        let mut bits = rng.next_u64();
        // 36^12 < 2^64: twelve digits per draw, each close enough to uniform for an identifier.
        for _ in 0..12.min(len - token.len()) {
            token.push(char::from_digit((bits % 36) as u32, 36).unwrap_or('0'));
            bits /= 36;
        }
    }
    token
}
