//! Headers on every response, and the refusal of state-changing requests from other sites.

use std::sync::{Arc, RwLock};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pc_model::ProblemType;

use crate::error::ApiError;
use crate::storage::Db;

/// Features the app has no use for are denied; the softphone's microphone goes to the app's own
/// origin only, in a frame too (where the workbench must also delegate it with `allow`).
const PERMISSIONS_POLICY: &str = "accelerometer=(), bluetooth=(), camera=(), display-capture=(), \
     fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), midi=(), payment=(), \
     publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), \
     xr-spatial-tracking=(), microphone=(self)";

/// A year, subdomains included, as the OWASP secure headers project recommends.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

pub struct SecurityHeaders {
    /// The policy's parts that never change while the server runs.
    scripts: String,
    ancestors: String,
    /// The policy as last built. RTC-1's `connect-src` follows the tenants' registration servers,
    /// which the tenant file changes while the server runs (TEN-1): each page the app is loaded
    /// in reads them again from `registration_servers`.
    csp: RwLock<HeaderValue>,
    registration_servers: Option<Db>,
    strict_transport: bool,
}

impl SecurityHeaders {
    /// `frame_ancestors`: the workbench origins allowed to frame the app (EMB-2).
    /// `script_hashes`: the inline scripts of `index.html` that may run.
    /// `registration_servers`: the tenants' SIP WebSocket addresses the softphone connects to
    /// (RTC-1); only their origins are allowed, and an address that is not one is left out.
    pub fn new(
        frame_ancestors: &[String],
        script_hashes: &[String],
        registration_servers: &[String],
    ) -> anyhow::Result<Self> {
        for origin in frame_ancestors {
            anyhow::ensure!(
                is_origin(origin),
                "frame ancestor {origin:?} is not an origin like https://workbench.example.com"
            );
        }
        let ancestors = std::iter::once("'self'".to_owned())
            .chain(frame_ancestors.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        let scripts = std::iter::once("'self'".to_owned())
            .chain(std::iter::once("'wasm-unsafe-eval'".to_owned()))
            .chain(script_hashes.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        let mut headers = SecurityHeaders {
            scripts,
            ancestors,
            csp: RwLock::new(HeaderValue::from_static("default-src 'none'")),
            registration_servers: None,
            strict_transport: false,
        };
        headers.csp = RwLock::new(headers.policy(registration_servers)?);
        Ok(headers)
    }

    /// The policy with the connect origins of `registration_servers`.
    fn policy(&self, registration_servers: &[String]) -> anyhow::Result<HeaderValue> {
        let connect = std::iter::once("'self'".to_owned())
            .chain(
                registration_servers
                    .iter()
                    .filter_map(|url| websocket_origin(url)),
            )
            .collect::<Vec<_>>()
            .join(" ");
        let (scripts, ancestors) = (&self.scripts, &self.ancestors);
        Ok(HeaderValue::from_str(&format!(
            "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data: blob:; \
             connect-src {connect}; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors {ancestors}"
        ))?)
    }

    /// Reads the registration servers from `db` again for every page (TEN-1: a running server
    /// takes up a tenant's new one without a restart).
    pub fn following(self, db: Db) -> Self {
        SecurityHeaders {
            registration_servers: Some(db),
            ..self
        }
    }

    /// The policy now in force.
    pub fn current_policy(&self) -> HeaderValue {
        self.csp
            .read()
            .map(|csp| csp.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Builds the policy again from the database's registration servers; on failure the last
    /// one stays (and the failure is logged).
    async fn refresh(&self) {
        let Some(db) = &self.registration_servers else {
            return;
        };
        match db
            .registration_servers()
            .await
            .map_err(anyhow::Error::from)
            .and_then(|servers| self.policy(&servers))
        {
            Ok(policy) => {
                if let Ok(mut csp) = self.csp.write() {
                    *csp = policy;
                }
            }
            Err(error) => {
                tracing::warn!(error = %format!("{error:#}"), "the page policy keeps its registration servers")
            }
        }
    }

    /// HSTS, for a server reached over HTTPS only (`--secure-cookies`): browsers then refuse
    /// plain HTTP to it for a year. Over plain HTTP they ignore the header anyway.
    pub fn with_strict_transport(self) -> Self {
        SecurityHeaders {
            strict_transport: true,
            ..self
        }
    }

    fn apply(&self, out: &mut HeaderMap) {
        out.insert(header::CONTENT_SECURITY_POLICY, self.current_policy());
        out.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        // The app's own requests need no referrer. The workbench origin the framed app reads
        // from `document.referrer` is unaffected: the framing page's policy decides that one.
        out.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        out.insert(
            "permissions-policy",
            HeaderValue::from_static(PERMISSIONS_POLICY),
        );
        // A window the app opens, or that opens it, gets no handle on it. Browsers ignore this
        // in frames, so the workbench can still frame the app and talk to it (EMB-6).
        out.insert(
            "cross-origin-opener-policy",
            HeaderValue::from_static("same-origin"),
        );
        if self.strict_transport {
            out.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
            );
        }
    }
}

/// `ws://host:port` of a WebSocket address, if it is one that cannot bend the policy.
fn websocket_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let origin = format!("{scheme}://{host}");
    (matches!(scheme, "ws" | "wss") && is_origin(&origin.replacen(scheme, "http", 1)))
        .then_some(origin)
}

fn is_origin(value: &str) -> bool {
    let Some((scheme, host)) = value.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

pub async fn add_security_headers(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let keeps_its_opener = path == pc_model::SSO_COMPLETE_PAGE || path.starts_with("/api/sso/");
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("text/html"));
    if is_page {
        headers.refresh().await;
    }
    headers.apply(response.headers_mut());
    if keeps_its_opener {
        // SSO-1: a popup's sign-in (its start, the provider's answer, its last page) hands its
        // ticket to the framed app that opened it, whose top-level page is another site's:
        // same-origin on any of these answers, redirects included, cuts it from its opener.
        response.headers_mut().insert(
            "cross-origin-opener-policy",
            HeaderValue::from_static("unsafe-none"),
        );
    }
    response
}

/// Refuses a state-changing request that a browser says comes from another site or origin.
/// This guards sign-in too, where no session (and so no CSRF token) exists yet.
pub async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    if !request.method().is_safe() && is_cross_origin(request.headers()) {
        return ApiError::from(ProblemType::CsrfRejected).into_response();
    }
    next.run(request).await
}

fn is_cross_origin(headers: &HeaderMap) -> bool {
    // Browsers say where a request comes from; a proxy that rewrites Host cannot confuse that.
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site != "same-origin" && site != "none";
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) != Some(host),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_requests_pass() {
        assert!(!is_cross_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!is_cross_origin(&headers(&[("host", "127.0.0.1:8080")])));
    }

    #[test]
    fn the_browsers_word_wins_over_a_rewritten_host() {
        assert!(!is_cross_origin(&headers(&[
            ("host", "backend:8080"),
            ("origin", "https://agent.example.com"),
            ("sec-fetch-site", "same-origin"),
        ])));
    }

    #[test]
    fn other_origins_and_sites_are_refused() {
        assert!(is_cross_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://evil.example"),
        ])));
        assert!(is_cross_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("sec-fetch-site", "same-site"),
        ])));
    }

    #[test]
    fn the_policy_names_the_workbench_and_the_loader() {
        let h = SecurityHeaders::new(
            &["https://workbench.example.com".into()],
            &["'sha256-abc'".into()],
            &[],
        )
        .unwrap();
        let policy = h.current_policy();
        let csp = policy.to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'self' https://workbench.example.com"));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc'"));
        assert!(csp.contains("connect-src 'self';"));
    }

    #[test]
    fn the_softphone_may_reach_the_tenants_registration_servers_and_nothing_else() {
        let h = SecurityHeaders::new(
            &[],
            &[],
            &[
                "wss://sip.northwind.example:7443/ws".into(),
                "ws://127.0.0.1:5066".into(),
                "https://not-a-websocket.example".into(),
                "wss://evil.example; script-src *".into(),
            ],
        )
        .unwrap();
        let policy = h.current_policy();
        let csp = policy.to_str().unwrap();
        assert!(
            csp.contains(
                "connect-src 'self' wss://sip.northwind.example:7443 ws://127.0.0.1:5066;"
            ),
            "{csp}"
        );
        assert!(!csp.contains("evil"), "{csp}");
        assert!(!csp.contains("not-a-websocket"), "{csp}");
    }

    fn applied(headers: &SecurityHeaders) -> HeaderMap {
        let mut out = HeaderMap::new();
        headers.apply(&mut out);
        out
    }

    #[test]
    fn the_headers_follow_the_owasp_secure_headers_project() {
        let out = applied(&SecurityHeaders::new(&[], &[], &[]).unwrap());
        assert_eq!(out["x-content-type-options"], "nosniff");
        assert_eq!(out["referrer-policy"], "no-referrer");
        assert_eq!(out["cross-origin-opener-policy"], "same-origin");
        let permissions = out["permissions-policy"].to_str().unwrap();
        let directives: Vec<&str> = permissions.split(", ").collect();
        assert!(directives.contains(&"microphone=(self)"), "{permissions}");
        for denied in ["camera", "geolocation", "display-capture", "usb", "payment"] {
            assert!(
                directives.contains(&format!("{denied}=()").as_str()),
                "{permissions}"
            );
        }
        // Only the microphone is allowed to anyone at all.
        assert_eq!(
            directives.iter().filter(|d| !d.ends_with("=()")).count(),
            1,
            "{permissions}"
        );
    }

    #[test]
    fn hsts_only_for_a_server_reached_over_https() {
        let plain = SecurityHeaders::new(&[], &[], &[]).unwrap();
        assert!(!applied(&plain).contains_key("strict-transport-security"));
        assert_eq!(
            applied(&plain.with_strict_transport())["strict-transport-security"],
            "max-age=31536000; includeSubDomains"
        );
    }

    #[test]
    fn a_frame_ancestor_cannot_inject_policy() {
        assert!(
            SecurityHeaders::new(&["https://a.example; script-src *".into()], &[], &[]).is_err()
        );
        assert!(SecurityHeaders::new(&["workbench.example.com".into()], &[], &[]).is_err());
    }
}
