//! SSO-1: the OpenID Connect relying party (authorization code flow with PKCE, `state` and
//! `nonce`, confidential client). Each tenant's provider is discovered once and kept; its keys
//! are fetched again, once, when a token names a key the set does not hold, so a provider's key
//! rotation needs no restart. The ID token is checked fully: signature (never `alg: none`),
//! `iss`, `aud`, `azp`, `exp` and `iat` with a small clock skew, and `nonce`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, TimeDelta, Utc};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJsonWebKey, CoreJsonWebKeySet,
    CoreJwsSigningAlgorithm,
};
use openidconnect::url::Url;
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IdTokenVerifier,
    IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, SignatureVerificationError,
};
use tokio::sync::Mutex;

use super::tenant_file::SsoMatch;

/// How far the provider's clock may be from ours.
pub const CLOCK_SKEW: TimeDelta = TimeDelta::seconds(60);
/// An ID token issued longer ago than this is stale: its sign-in was not this one.
pub const ID_TOKEN_MAX_AGE: TimeDelta = TimeDelta::minutes(10);
/// How long a discovery document is kept before it is fetched again.
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);
/// Keys are fetched again at most this often, however many tokens name unknown keys.
const KEYS_REFETCH_INTERVAL: Duration = Duration::from_secs(10);
/// The provider's answers that take longer than this fail the sign-in.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
/// Signatures accepted: the asymmetric ones; never `none`, never a MAC with the client secret.
const ALLOWED_ALGORITHMS: [CoreJwsSigningAlgorithm; 6] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
];

/// A tenant's provider, as stored from the tenant file.
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Besides `openid`.
    pub scopes: Vec<String>,
    pub agent_claim: String,
    pub matched_to: SsoMatch,
}

/// A sign-in begun: where to send the browser, and what its return must match.
pub struct Begun {
    pub authorization_url: Url,
    pub pending: PendingLogin,
}

/// What is kept between the start of a sign-in and the provider's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Who the provider says signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// The provider's `sub`.
    pub subject: String,
    /// The value of the tenant's agent claim, to be matched to a provisioned agent.
    pub agent_claim_value: String,
    /// The provider's session, for back-channel logout.
    pub session_id: Option<String>,
}

/// Why a sign-in through the provider did not end in an identity.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SsoFailure {
    /// The provider could not be reached or answered something unusable.
    #[error("the identity provider cannot be used: {0}")]
    Provider(String),
    /// The ID token names a key the provider's key set does not hold.
    #[error("the ID token is signed with an unknown key")]
    UnknownKey,
    /// The ID token failed a check.
    #[error("the ID token is refused: {0}")]
    Token(String),
    /// The ID token lacks the tenant's agent claim, or it is not a string.
    #[error("the ID token has no {0} claim")]
    MissingClaim(String),
}

/// The discovered providers, by issuer, with their keys.
pub struct Providers {
    http: reqwest::Client,
    discovered: Mutex<HashMap<String, Arc<Discovered>>>,
}

struct Discovered {
    metadata: ProviderMetadataWithLogout,
    fetched_at: Instant,
    /// When a token naming an unknown key last made the keys be fetched again.
    keys_refetched_at: Option<Instant>,
}

impl Providers {
    pub fn new() -> reqwest::Result<Providers> {
        Ok(Providers {
            // Never following redirects: the provider's endpoints are the ones it declares.
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(PROVIDER_TIMEOUT)
                .build()?,
            discovered: Mutex::new(HashMap::new()),
        })
    }

    /// Starts a sign-in: the provider's authorization URL with a fresh `state`, `nonce` and PKCE
    /// challenge (S256).
    pub async fn begin(
        &self,
        config: &ProviderConfig,
        redirect_uri: &str,
    ) -> Result<Begun, SsoFailure> {
        let discovered = self.discovered(&config.issuer).await?;
        let client = client(config, &discovered.metadata, redirect_uri)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in &config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (authorization_url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Begun {
            authorization_url,
            pending: PendingLogin {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
            },
        })
    }

    /// Ends a sign-in: redeems the code with the PKCE verifier and checks the ID token; a token
    /// signed with an unknown key makes the keys be fetched again, once.
    pub async fn finish(
        &self,
        config: &ProviderConfig,
        redirect_uri: &str,
        code: &str,
        pending: &PendingLogin,
    ) -> Result<VerifiedIdentity, SsoFailure> {
        let discovered = self.discovered(&config.issuer).await?;
        let client = client(config, &discovered.metadata, redirect_uri)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|error| SsoFailure::Provider(error.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|error| SsoFailure::Provider(format!("the token request failed: {error}")))?;
        let id_token = openidconnect::TokenResponse::id_token(&response)
            .ok_or_else(|| SsoFailure::Provider("the token answer has no ID token".into()))?;
        let nonce = Nonce::new(pending.nonce.clone());
        let checked = verify_id_token(
            config,
            discovered.metadata.jwks(),
            id_token,
            &nonce,
            Utc::now(),
        );
        match checked {
            Err(SsoFailure::UnknownKey) => {
                let keys = self.refetch_keys(&config.issuer, &discovered).await?;
                verify_id_token(config, &keys, id_token, &nonce, Utc::now())
            }
            other => other,
        }
    }

    /// OpenID Connect RP-Initiated Logout 1.0: where the browser goes to sign out at the
    /// provider too, coming back to `post_logout_redirect_uri`; `None` if the provider has no
    /// end-session endpoint (or cannot be reached now).
    pub async fn end_session_url(
        &self,
        config: &ProviderConfig,
        post_logout_redirect_uri: &str,
    ) -> Option<Url> {
        let discovered = self.discovered(&config.issuer).await.ok()?;
        let endpoint = discovered
            .metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let back = PostLogoutRedirectUrl::new(post_logout_redirect_uri.to_owned()).ok()?;
        Some(
            LogoutRequest::from(endpoint)
                .set_client_id(ClientId::new(config.client_id.clone()))
                .set_post_logout_redirect_uri(back)
                .http_get_url(),
        )
    }

    /// Checks a logout token the provider sent; a token signed with an unknown key makes the
    /// keys be fetched again, once.
    pub async fn logged_out(
        &self,
        config: &ProviderConfig,
        token: &str,
    ) -> Result<LoggedOut, SsoFailure> {
        let token: LogoutToken = token
            .parse()
            .map_err(|error: serde_json::Error| SsoFailure::Token(error.to_string()))?;
        let discovered = self.discovered(&config.issuer).await?;
        match verify_logout_token(config, discovered.metadata.jwks(), &token, Utc::now()) {
            Err(SsoFailure::UnknownKey) => {
                let keys = self.refetch_keys(&config.issuer, &discovered).await?;
                verify_logout_token(config, &keys, &token, Utc::now())
            }
            other => other,
        }
    }

    async fn discovered(&self, issuer: &str) -> Result<Arc<Discovered>, SsoFailure> {
        let mut discovered = self.discovered.lock().await;
        if let Some(known) = discovered.get(issuer) {
            if known.fetched_at.elapsed() < DISCOVERY_TTL {
                return Ok(known.clone());
            }
        }
        let issuer_url = IssuerUrl::new(issuer.to_owned())
            .map_err(|error| SsoFailure::Provider(error.to_string()))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer_url, &self.http)
            .await
            .map_err(|error| SsoFailure::Provider(format!("discovery failed: {error}")))?;
        let known = Arc::new(Discovered {
            metadata,
            fetched_at: Instant::now(),
            keys_refetched_at: None,
        });
        discovered.insert(issuer.to_owned(), known.clone());
        Ok(known)
    }

    /// The provider's keys fetched again, unless they were fetched moments ago.
    async fn refetch_keys(
        &self,
        issuer: &str,
        seen: &Discovered,
    ) -> Result<CoreJsonWebKeySet, SsoFailure> {
        let mut discovered = self.discovered.lock().await;
        if let Some(refetched_at) = discovered
            .get(issuer)
            .and_then(|known| known.keys_refetched_at)
        {
            // Another sign-in fetched them since this one began, or moments ago.
            if Some(refetched_at) != seen.keys_refetched_at
                || refetched_at.elapsed() < KEYS_REFETCH_INTERVAL
            {
                let known = &discovered[issuer];
                return Ok(known.metadata.jwks().clone());
            }
        }
        let keys = CoreJsonWebKeySet::fetch_async(seen.metadata.jwks_uri(), &self.http)
            .await
            .map_err(|error| {
                SsoFailure::Provider(format!("the keys cannot be fetched: {error}"))
            })?;
        let metadata = seen.metadata.clone().set_jwks(keys.clone());
        discovered.insert(
            issuer.to_owned(),
            Arc::new(Discovered {
                metadata,
                fetched_at: seen.fetched_at,
                keys_refetched_at: Some(Instant::now()),
            }),
        );
        Ok(keys)
    }
}

fn client(
    config: &ProviderConfig,
    metadata: &ProviderMetadataWithLogout,
    redirect_uri: &str,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    SsoFailure,
> {
    let redirect = RedirectUrl::new(redirect_uri.to_owned())
        .map_err(|error| SsoFailure::Provider(format!("the redirect URI: {error}")))?;
    Ok(CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(config.client_id.clone()),
        Some(ClientSecret::new(config.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// Checks an ID token against the provider's keys, the client and the sign-in's `nonce`, at
/// `now`; answers who signed in.
pub fn verify_id_token(
    config: &ProviderConfig,
    keys: &CoreJsonWebKeySet,
    id_token: &CoreIdToken,
    nonce: &Nonce,
    now: DateTime<Utc>,
) -> Result<VerifiedIdentity, SsoFailure> {
    let verifier = verifier(config, keys, now)?;
    let claims = id_token.claims(&verifier, nonce).map_err(failure)?;
    // OpenID Connect Core §3.1.3.7 steps 4 and 5, which the library leaves to its caller.
    let several_audiences = claims.audiences().len() > 1;
    match claims.authorized_party() {
        Some(party) if party.as_str() != config.client_id => {
            return Err(SsoFailure::Token(format!(
                "the authorized party is {:?}, not this client",
                party.as_str()
            )));
        }
        None if several_audiences => {
            return Err(SsoFailure::Token(
                "several audiences and no authorized party".into(),
            ));
        }
        _ => {}
    }
    let payload = verified_payload(id_token)?;
    let agent_claim_value = match payload.get(&config.agent_claim) {
        Some(serde_json::Value::String(value)) if !value.trim().is_empty() => value.clone(),
        _ => return Err(SsoFailure::MissingClaim(config.agent_claim.clone())),
    };
    Ok(VerifiedIdentity {
        subject: claims.subject().as_str().to_owned(),
        agent_claim_value,
        session_id: payload
            .get("sid")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
    })
}

/// The checks an ID token or a logout token of the provider goes through at `now`: its keys,
/// the asymmetric algorithms, this client as audience, `exp` and `iat` within the skew.
fn verifier<'a>(
    config: &ProviderConfig,
    keys: &CoreJsonWebKeySet,
    now: DateTime<Utc>,
) -> Result<IdTokenVerifier<'a, CoreJsonWebKey>, SsoFailure> {
    let issuer = IssuerUrl::new(config.issuer.clone())
        .map_err(|error| SsoFailure::Provider(error.to_string()))?;
    Ok(IdTokenVerifier::new_confidential_client(
        ClientId::new(config.client_id.clone()),
        ClientSecret::new(config.client_secret.clone()),
        issuer,
        keys.clone(),
    )
    .set_allowed_algs(ALLOWED_ALGORITHMS)
    // `exp` is compared with this time: a token is taken until CLOCK_SKEW after it expired.
    .set_time_fn(move || now - CLOCK_SKEW)
    .set_issue_time_verifier_fn(move |issued_at| {
        if issued_at > now + CLOCK_SKEW {
            Err(format!("issued in the future ({issued_at})"))
        } else if issued_at < now - ID_TOKEN_MAX_AGE {
            Err(format!("issued too long ago ({issued_at})"))
        } else {
            Ok(())
        }
    }))
}

fn failure(error: ClaimsVerificationError) -> SsoFailure {
    match error {
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        ) => SsoFailure::UnknownKey,
        ClaimsVerificationError::SignatureVerification(signature) => {
            SsoFailure::Token(format!("signature: {signature}"))
        }
        other => SsoFailure::Token(other.to_string()),
    }
}

/// The event a logout token announces (OpenID Connect Back-Channel Logout 1.0 §2.4).
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// The claims of a logout token besides the ones an ID token has.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
pub struct LogoutClaims {
    #[serde(default)]
    pub events: serde_json::Map<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

impl openidconnect::AdditionalClaims for LogoutClaims {}

/// A logout token: signed like an ID token, with `events` and `sid`, `typ` `logout+jwt`.
pub type LogoutToken = openidconnect::IdToken<
    LogoutClaims,
    openidconnect::core::CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// Whom a provider's logout token signs out: its user, in one of its sessions or all of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedOut {
    pub subject: String,
    pub session_id: Option<String>,
}

/// The issuer a logout token says it comes from, read before its signature is checked, to find
/// the provider whose keys check it.
pub fn claimed_issuer(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    claims.get("iss")?.as_str().map(str::to_owned)
}

/// Checks a logout token (Back-Channel Logout 1.0 §2.6) against the provider's keys and this
/// client at `now`: signed, for this client, fresh, announcing the logout event, with no nonce.
pub fn verify_logout_token(
    config: &ProviderConfig,
    keys: &CoreJsonWebKeySet,
    token: &LogoutToken,
    now: DateTime<Utc>,
) -> Result<LoggedOut, SsoFailure> {
    let jose_type = |name: &str| {
        openidconnect::JsonWebTokenType::new(name.into())
            .normalize()
            .map_err(|error| SsoFailure::Token(error.to_string()))
    };
    let verifier = verifier(config, keys, now)?
        .set_allowed_jose_types([jose_type("logout+jwt")?, jose_type("JWT")?]);
    let no_nonce = |nonce: Option<&Nonce>| match nonce {
        None => Ok(()),
        Some(_) => Err("a logout token carries no nonce".to_owned()),
    };
    let claims = token.claims(&verifier, no_nonce).map_err(failure)?;
    let extra = claims.additional_claims();
    if !extra.events.contains_key(BACKCHANNEL_LOGOUT_EVENT) {
        return Err(SsoFailure::Token("no back-channel logout event".into()));
    }
    Ok(LoggedOut {
        subject: claims.subject().as_str().to_owned(),
        session_id: extra.sid.clone(),
    })
}

/// The claims of a token whose signature was checked, as JSON: any claim the tenant names,
/// not only the standard ones.
fn verified_payload(
    id_token: &CoreIdToken,
) -> Result<serde_json::Map<String, serde_json::Value>, SsoFailure> {
    let compact = id_token.to_string();
    let payload = compact
        .split('.')
        .nth(1)
        .and_then(|part| URL_SAFE_NO_PAD.decode(part).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    payload.ok_or_else(|| SsoFailure::Token("the claims are not a JSON object".into()))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use openidconnect::core::{CoreIdTokenClaims, CoreRsaPrivateSigningKey};
    use openidconnect::{
        Audience, EmptyAdditionalClaims, EndUserUsername, JsonWebKeyId, PrivateSigningKey,
        StandardClaims, SubjectIdentifier,
    };
    use rsa::pkcs1::EncodeRsaPrivateKey;

    use super::*;

    const ISSUER: &str = "https://login.contoso.example/";
    const CLIENT: &str = "personal-center";

    fn config() -> ProviderConfig {
        ProviderConfig {
            issuer: ISSUER.into(),
            client_id: CLIENT.into(),
            client_secret: "client-secret".into(),
            scopes: vec!["profile".into()],
            agent_claim: "preferred_username".into(),
            matched_to: SsoMatch::UserName,
        }
    }

    fn signing_key(kid: &str) -> CoreRsaPrivateSigningKey {
        let key =
            rsa::RsaPrivateKey::new(&mut argon2::password_hash::rand_core::OsRng, 2048).unwrap();
        let pem = key.to_pkcs1_pem(rsa::pkcs8::LineEnding::LF).unwrap();
        CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(kid.into()))).unwrap()
    }

    /// One key pair for the whole module: RSA key generation is slow.
    fn key() -> &'static CoreRsaPrivateSigningKey {
        static KEY: std::sync::OnceLock<CoreRsaPrivateSigningKey> = std::sync::OnceLock::new();
        KEY.get_or_init(|| signing_key("key-1"))
    }

    fn keys() -> CoreJsonWebKeySet {
        CoreJsonWebKeySet::new(vec![key().as_verification_key()])
    }

    struct Token {
        issuer: String,
        audiences: Vec<String>,
        issued_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        nonce: Option<String>,
        username: Option<String>,
        authorized_party: Option<String>,
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    impl Default for Token {
        fn default() -> Self {
            Token {
                issuer: ISSUER.into(),
                audiences: vec![CLIENT.into()],
                issued_at: now() - TimeDelta::seconds(5),
                expires_at: now() + TimeDelta::minutes(5),
                nonce: Some("the-nonce".into()),
                username: Some("ana@contoso.example".into()),
                authorized_party: None,
            }
        }
    }

    impl Token {
        fn signed_by(self, key: &CoreRsaPrivateSigningKey) -> CoreIdToken {
            let mut standard = StandardClaims::new(SubjectIdentifier::new("sub-123".into()));
            if let Some(username) = self.username {
                standard = standard.set_preferred_username(Some(EndUserUsername::new(username)));
            }
            let claims = CoreIdTokenClaims::new(
                IssuerUrl::new(self.issuer).unwrap(),
                self.audiences.into_iter().map(Audience::new).collect(),
                self.expires_at,
                self.issued_at,
                standard,
                EmptyAdditionalClaims {},
            )
            .set_nonce(self.nonce.map(Nonce::new))
            .set_authorized_party(self.authorized_party.map(ClientId::new));
            CoreIdToken::new(
                claims,
                key,
                CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                None,
                None,
            )
            .unwrap()
        }

        fn signed(self) -> CoreIdToken {
            self.signed_by(key())
        }
    }

    fn verify(token: &CoreIdToken) -> Result<VerifiedIdentity, SsoFailure> {
        verify_id_token(
            &config(),
            &keys(),
            token,
            &Nonce::new("the-nonce".into()),
            now(),
        )
    }

    fn refused(token: &CoreIdToken) -> String {
        match verify(token) {
            Err(SsoFailure::Token(reason)) => reason,
            other => panic!("not refused as a bad token: {other:?}"),
        }
    }

    #[test]
    fn a_good_token_names_the_agent_by_the_tenants_claim() {
        let identity = verify(&Token::default().signed()).unwrap();
        assert_eq!(identity.subject, "sub-123");
        assert_eq!(identity.agent_claim_value, "ana@contoso.example");
        let by_subject = ProviderConfig {
            agent_claim: "sub".into(),
            ..config()
        };
        let identity = verify_id_token(
            &by_subject,
            &keys(),
            &Token::default().signed(),
            &Nonce::new("the-nonce".into()),
            now(),
        )
        .unwrap();
        assert_eq!(identity.agent_claim_value, "sub-123");
    }

    #[test]
    fn another_audience_or_issuer_is_refused() {
        let token = Token {
            audiences: vec!["another-app".into()],
            ..Token::default()
        };
        assert!(refused(&token.signed()).contains("audiences"));
        let token = Token {
            issuer: "https://evil.example/".into(),
            ..Token::default()
        };
        assert!(refused(&token.signed()).contains("issuer"));
    }

    #[test]
    fn several_audiences_need_this_client_as_authorized_party() {
        let token = Token {
            audiences: vec![CLIENT.into(), CLIENT.into()],
            ..Token::default()
        };
        assert_eq!(
            refused(&token.signed()),
            "several audiences and no authorized party"
        );
        let token = Token {
            authorized_party: Some("another-app".into()),
            ..Token::default()
        };
        assert!(refused(&token.signed()).contains("authorized party"));
        let token = Token {
            audiences: vec![CLIENT.into(), CLIENT.into()],
            authorized_party: Some(CLIENT.into()),
            ..Token::default()
        };
        assert!(verify(&token.signed()).is_ok());
    }

    #[test]
    fn expiry_and_issue_time_allow_only_the_clock_skew() {
        let just_expired = Token {
            expires_at: now() - CLOCK_SKEW + TimeDelta::seconds(1),
            ..Token::default()
        };
        assert!(verify(&just_expired.signed()).is_ok(), "within the skew");
        let expired = Token {
            expires_at: now() - CLOCK_SKEW - TimeDelta::seconds(1),
            ..Token::default()
        };
        assert!(refused(&expired.signed()).contains("expired"));
        let future = Token {
            issued_at: now() + CLOCK_SKEW + TimeDelta::seconds(1),
            ..Token::default()
        };
        assert!(refused(&future.signed()).contains("future"));
        let stale = Token {
            issued_at: now() - ID_TOKEN_MAX_AGE - TimeDelta::seconds(1),
            ..Token::default()
        };
        assert!(refused(&stale.signed()).contains("too long ago"));
    }

    #[test]
    fn a_token_of_another_sign_in_is_refused_by_its_nonce() {
        let token = Token {
            nonce: Some("another-sign-in".into()),
            ..Token::default()
        };
        assert!(refused(&token.signed()).contains("nonce"));
        let token = Token {
            nonce: None,
            ..Token::default()
        };
        assert!(refused(&token.signed()).contains("nonce"));
    }

    #[test]
    fn a_tampered_token_is_refused() {
        let compact = Token::default().signed().to_string();
        let mut parts: Vec<String> = compact.split('.').map(str::to_owned).collect();
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
        claims["preferred_username"] = "admin@contoso.example".into();
        parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
        let tampered = CoreIdToken::from_str(&parts.join(".")).unwrap();
        assert!(matches!(verify(&tampered), Err(SsoFailure::Token(_))));
    }

    #[test]
    fn an_unsigned_token_is_refused() {
        let compact = Token::default().signed().to_string();
        let claims = compact.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
        let unsigned = format!("{header}.{claims}.");
        let token = CoreIdToken::from_str(&unsigned).unwrap();
        assert_eq!(refused(&token), "signature: No signature found");
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256"}"#);
        let mac = format!("{header}.{claims}.AAAA");
        let token = CoreIdToken::from_str(&mac).unwrap();
        assert!(refused(&token).contains("algorithm"), "{}", refused(&token));
    }

    #[test]
    fn a_token_signed_with_a_key_not_in_the_set_names_the_key_unknown() {
        let rotated = signing_key("key-2");
        assert_eq!(
            verify(&Token::default().signed_by(&rotated)),
            Err(SsoFailure::UnknownKey)
        );
    }

    #[test]
    fn a_token_without_the_agent_claim_is_refused_by_name() {
        let token = Token {
            username: None,
            ..Token::default()
        };
        assert_eq!(
            verify(&token.signed()),
            Err(SsoFailure::MissingClaim("preferred_username".into()))
        );
    }
}
