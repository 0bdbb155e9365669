//! Parsing of SIP responses and of the header pieces registration needs (lists, parameters, URIs).
//!
//! Hand-written rather than built on a parser library because the app is size-sensitive WebAssembly
//! and a registrar's replies use a small part of the grammar. Everything here takes untrusted text
//! from the network, so nothing may panic: no indexing, and slicing only at ASCII delimiters found
//! by `char_indices`.

/// A parse failure; the registration treats any of them as a frame to ignore.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("empty message")]
    Empty,
    #[error("not a SIP/2.0 response status line")]
    StatusLine,
    #[error("malformed header line")]
    Header,
}

/// A parsed SIP response. Header names are stored in their long form (compact forms such as `v`
/// or `m` are expanded) and compared case-insensitively. Headers whose grammar is a comma-separated
/// list (Via, Contact, …) are split into one entry per element, so a Contact header carrying two
/// bindings reads the same as two Contact headers; other headers (the authentication challenges
/// above all, whose parameters contain commas) keep one entry per header line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub code: u16,
    pub reason: String,
    headers: Vec<(String, String)>,
}

impl Response {
    /// The first value of header `name` (long or compact name, any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = long_name(name);
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` in message order, list headers split into their elements.
    pub fn headers<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        let name = long_name(name);
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The long names of the compact forms (RFC 3261 §7.3.3 and later extensions).
const COMPACT: [(&str, &str); 13] = [
    ("i", "Call-ID"),
    ("f", "From"),
    ("t", "To"),
    ("v", "Via"),
    ("m", "Contact"),
    ("l", "Content-Length"),
    ("k", "Supported"),
    ("c", "Content-Type"),
    ("e", "Content-Encoding"),
    ("s", "Subject"),
    ("o", "Event"),
    ("u", "Allow-Events"),
    ("r", "Refer-To"),
];

/// Headers whose values are comma-separated lists, split on parsing.
const LISTS: [&str; 11] = [
    "Via",
    "Contact",
    "Route",
    "Record-Route",
    "Path",
    "Service-Route",
    "Allow",
    "Supported",
    "Require",
    "Unsupported",
    "Allow-Events",
];

fn long_name(name: &str) -> &str {
    COMPACT
        .iter()
        .find(|(short, _)| short.eq_ignore_ascii_case(name))
        .map_or(name, |(_, long)| long)
}

/// Parses one SIP response (a whole WebSocket frame). The body, if any, is ignored; bare LF line
/// endings are accepted as well as CRLF; folded header lines are joined with one space.
pub fn parse_response(text: &str) -> Result<Response, ParseError> {
    let text = text.trim_start_matches(['\r', '\n']);
    let head = match (text.find("\r\n\r\n"), text.find("\n\n")) {
        (Some(a), Some(b)) => &text[..a.min(b)],
        (Some(end), None) | (None, Some(end)) => &text[..end],
        (None, None) => text,
    };
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let status = lines
        .next()
        .filter(|l| !l.is_empty())
        .ok_or(ParseError::Empty)?;
    let (code, reason) = parse_status_line(status).ok_or(ParseError::StatusLine)?;

    let mut unfolded: Vec<String> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = unfolded.last_mut().ok_or(ParseError::Header)?;
            last.push(' ');
            last.push_str(line.trim());
        } else {
            unfolded.push(line.to_owned());
        }
    }

    let mut response = Response {
        code,
        reason,
        headers: Vec::new(),
    };
    for line in &unfolded {
        let (name, value) = line.split_once(':').ok_or(ParseError::Header)?;
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(ParseError::Header);
        }
        let name = long_name(name);
        let value = value.trim();
        if LISTS.iter().any(|list| list.eq_ignore_ascii_case(name)) {
            let elements = split_list(value).into_iter();
            response
                .headers
                .extend(elements.map(|element| (name.to_owned(), element.to_owned())));
        } else {
            response.headers.push((name.to_owned(), value.to_owned()));
        }
    }
    Ok(response)
}

fn parse_status_line(line: &str) -> Option<(u16, String)> {
    let (version, rest) = line.split_once(' ')?;
    if !version.eq_ignore_ascii_case("SIP/2.0") {
        return None;
    }
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code: u16 = code.parse().ok()?;
    (100..=699)
        .contains(&code)
        .then(|| (code, reason.trim().to_owned()))
}

/// Splits a header value at the commas that are outside quoted strings and `<…>`; empty elements
/// are dropped.
pub(crate) fn split_list(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped, mut angle) = (0, false, false, false);
    for (i, c) in value.char_indices() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '<' => angle = true,
            '>' => angle = false,
            ',' if !angle => {
                parts.push(value[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(value[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// Splits `first;name=value;flag` at the semicolons outside quoted strings into the first piece
/// and the parameters (names as given, values with surrounding quotes removed).
pub(crate) fn split_params(value: &str) -> (&str, Vec<(&str, &str)>) {
    let mut pieces = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                pieces.push(value[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(value[start..].trim());
    let first = pieces.first().copied().unwrap_or("");
    let params = pieces
        .iter()
        .skip(1)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            (name.trim(), value)
        })
        .collect();
    (first, params)
}

/// The value of parameter `name` (case-insensitive) among `params`.
pub(crate) fn param<'a>(params: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// A Contact (or From/To) value split into its URI and its header parameters: `"Name" <uri>;p=v`
/// or the bare `uri;p=v` form, where the parameters belong to the header, not the URI.
pub(crate) fn split_name_addr(value: &str) -> (&str, Vec<(&str, &str)>) {
    let (mut quoted, mut escaped) = (false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => {
                let rest = &value[i + 1..];
                let (uri, after) = rest.split_once('>').unwrap_or((rest, ""));
                return (uri.trim(), split_params(after).1);
            }
            _ => {}
        }
    }
    split_params(value)
}

/// The user part and the host (without port) of a `sip:`/`sips:` URI.
pub(crate) fn uri_user_host(uri: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = uri.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("sip") && !scheme.eq_ignore_ascii_case("sips") {
        return None;
    }
    let rest = rest.split([';', '?']).next().unwrap_or("");
    let (user, host_port) = rest.rsplit_once('@')?;
    let host = host_port.split(':').next().unwrap_or("");
    Some((user, host))
}

/// A decimal number clamped to `u32::MAX` (a registrar's `expires=99999999999` must not wrap).
pub(crate) fn parse_u32_clamped(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = text.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    Some(u32::try_from(value).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_outside_quotes_and_angle_brackets() {
        assert_eq!(
            split_list(r#""Doe, \"J\"" <sip:a@b;x=1,2>;expires=5, <sip:c@d> ,"#),
            [r#""Doe, \"J\"" <sip:a@b;x=1,2>;expires=5"#, "<sip:c@d>"]
        );
    }

    #[test]
    fn name_addr_parameters_are_the_header_ones() {
        let (uri, params) = split_name_addr(
            r#""A;b" <sip:u@h;transport=ws>;expires=60;received="sip:1.2.3.4:5;x""#,
        );
        assert_eq!(uri, "sip:u@h;transport=ws");
        assert_eq!(param(&params, "EXPIRES"), Some("60"));
        assert_eq!(param(&params, "received"), Some("sip:1.2.3.4:5;x"));
        assert_eq!(param(&params, "transport"), None);
        let (uri, params) = split_name_addr("sip:u@h:5060;expires=7");
        assert_eq!(
            (uri, param(&params, "expires")),
            ("sip:u@h:5060", Some("7"))
        );
        assert_eq!(uri_user_host(uri), Some(("u", "h")));
    }

    #[test]
    fn numbers_clamp_instead_of_wrapping() {
        assert_eq!(parse_u32_clamped(" 600 "), Some(600));
        assert_eq!(parse_u32_clamped("99999999999"), Some(u32::MAX));
        assert_eq!(parse_u32_clamped(&"9".repeat(100)), Some(u32::MAX));
        assert_eq!(parse_u32_clamped("-1"), None);
        assert_eq!(parse_u32_clamped(""), None);
    }
}
