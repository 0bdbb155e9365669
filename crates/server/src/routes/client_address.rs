//! The address a request comes from, for the sign-in throttle (SEC-1) and the audit trail
//! (SEC-4).

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderValue;

use crate::state::AppState;

/// The client's address: from the trusted proxy's header when one is configured
/// (`--trusted-proxy-header`) and the request carries it, else the TCP peer's. `None` when the
/// app is served without connection info (in-process tests); the throttle then counts all
/// such requests as coming from one address.
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let forwarded = state
            .config
            .trusted_proxy_header
            .as_ref()
            .and_then(|name| parts.headers.get_all(name).iter().next_back())
            .and_then(last_forwarded);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip());
        Ok(ClientAddress(forwarded.or(peer)))
    }
}

impl ClientAddress {
    /// As the audit trail shows it: the address, or `unknown`.
    pub fn shown(&self) -> String {
        self.0
            .map(|address| address.to_string())
            .unwrap_or_else(|| "unknown".to_owned())
    }
}

/// The last address of an `X-Forwarded-For`-style list: the one the trusted proxy added. Those
/// before it were sent by the client (or proxies nobody vouches for) and could be anything.
fn last_forwarded(value: &HeaderValue) -> Option<IpAddr> {
    let last = value.to_str().ok()?.rsplit(',').next()?.trim();
    last.parse::<IpAddr>()
        .ok()
        .or_else(|| last.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last(value: &str) -> Option<IpAddr> {
        last_forwarded(&HeaderValue::from_str(value).unwrap())
    }

    #[test]
    fn the_address_the_proxy_added_counts() {
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(last("203.0.113.7"), Some(client));
        assert_eq!(last("198.51.100.1, 203.0.113.7"), Some(client));
        assert_eq!(last("forged,203.0.113.7 "), Some(client));
        assert_eq!(last("203.0.113.7:4711"), Some(client));
        assert_eq!(last("[2001:db8::1]:4711"), "2001:db8::1".parse().ok());
    }

    #[test]
    fn an_unreadable_last_address_is_none() {
        assert_eq!(last("203.0.113.7, unknown"), None);
        assert_eq!(last(""), None);
    }
}
