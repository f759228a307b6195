//! Sign-in with OpenID Connect, as a confidential client using the authorization code flow with
//! PKCE: the discovery document, the issuer's signing keys, the authorize URL, redeeming a code
//! and validating the ID token (signature against the issuer's keys, issuer, audience, expiry and
//! nonce) with `jsonwebtoken`.
//!
//! Nothing secret is logged: not the client secret, the code, the verifier, the state, the nonce
//! or any token; failures are logged by their kind and the provider's error code only.
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::team_config::{Issuer, OidcConfig};

/// How long a call to the identity provider may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(15);
/// Keys are fetched again after this long, or sooner when a token names a key not yet seen.
const KEYS_TTL: Duration = Duration::from_secs(24 * 3600);
/// But not more often than this for unknown key ids (a forged `kid` must not hammer the issuer).
const KEYS_MIN_REFRESH: Duration = Duration::from_secs(60);
/// Clock skew tolerated on `exp`, `nbf` and `iat`.
const LEEWAY_SECS: u64 = 120;

/// Why a sign-in failed. `Display` is a sentence for the person signing in; [`SignInError::code`]
/// is a short name for the URL and the logs.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The identity provider could not be reached or answered nonsense.
    #[error("The sign-in service could not be reached ({0}); try again in a moment.")]
    Unreachable(String),
    /// The token endpoint refused the code (used already, expired, wrong verifier …).
    #[error("The sign-in service refused this sign-in ({error}); start again.")]
    Refused {
        /// The OAuth error (`invalid_grant`, …).
        error: String,
        /// The provider's own error number (Entra's AADSTS code), when it gave one.
        code: Option<u64>,
    },
    /// The ID token's signature does not verify against the issuer's keys.
    #[error("The sign-in answer was not signed by your identity provider; start again.")]
    BadSignature,
    /// Signed with a key the issuer does not publish.
    #[error(
        "The sign-in answer was signed with a key your identity provider does not publish; start again."
    )]
    UnknownKey,
    /// `aud` is not this app.
    #[error("The sign-in answer was meant for another application; start again.")]
    WrongAudience,
    /// `iss` is not the configured issuer.
    #[error(
        "The sign-in answer came from another directory than the one Cutover trusts; start again."
    )]
    WrongIssuer,
    /// `exp` has passed (or `nbf` has not come).
    #[error(
        "The sign-in answer has expired (check that this server's clock is right); start again."
    )]
    Expired,
    /// `nonce` is not the one this sign-in sent.
    #[error("The sign-in answer belongs to another sign-in; start again.")]
    WrongNonce,
    /// Missing or malformed claims.
    #[error("The sign-in answer could not be read ({0}); start again.")]
    Malformed(String),
}

impl SignInError {
    /// A short name for URLs and logs.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            SignInError::Unreachable(_) => "unreachable",
            SignInError::Refused { .. } => "refused",
            SignInError::BadSignature => "bad_signature",
            SignInError::UnknownKey => "unknown_key",
            SignInError::WrongAudience => "wrong_audience",
            SignInError::WrongIssuer => "wrong_issuer",
            SignInError::Expired => "expired",
            SignInError::WrongNonce => "wrong_nonce",
            SignInError::Malformed(_) => "malformed",
        }
    }
}

/// What Cutover takes from a valid ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `oid` (Entra's id of the person across applications), else `sub`.
    pub subject: String,
    /// `name`, else the sign-in name.
    pub name: String,
    /// `preferred_username`, else `email`, else the subject.
    pub email: String,
    /// The values of the configured group claim (group object ids or app roles).
    pub groups: Vec<String>,
    /// True when Entra left the groups out because there are too many (the "overage" claim).
    pub groups_overage: bool,
}

/// The endpoints the discovery document names.
#[derive(Debug, Clone, Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

struct Keys {
    fetched: Instant,
    by_id: HashMap<String, DecodingKey>,
}

/// The relying party: Cutover's side of sign-in. One per process.
pub struct OidcClient {
    config: OidcConfig,
    http: reqwest::Client,
    metadata: Metadata,
    keys: RwLock<Option<Keys>>,
}

impl std::fmt::Debug for OidcClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcClient")
            .field("issuer", &self.metadata.issuer)
            .field("client_id", &self.config.client_id)
            .finish_non_exhaustive()
    }
}

/// A fresh random secret (256 bits, base64url).
pub fn random_secret() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| format!("the operating system gave no random bytes ({e})"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The PKCE S256 challenge of a verifier.
#[must_use]
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn is_allowed_endpoint(url: &str) -> bool {
    url.starts_with("https://")
        || url.starts_with("http://127.0.0.1:")
        || url.starts_with("http://localhost:")
}

impl OidcClient {
    /// Reads the issuer's discovery document (`{issuer}/.well-known/openid-configuration`).
    /// `sandbox_base` is the embedded sandbox's address, for the sandbox issuer.
    pub async fn discover(
        config: OidcConfig,
        sandbox_base: Option<&str>,
    ) -> Result<OidcClient, String> {
        let issuer = match (&config.issuer, sandbox_base) {
            (Issuer::Url(url), _) => url.clone(),
            (Issuer::Sandbox, Some(base)) => cutover_sandbox::oidc::issuer(base),
            (Issuer::Sandbox, None) => {
                return Err(
                    "CUTOVER_OIDC_ISSUER=sandbox needs the embedded Partner Center sandbox.".into(),
                );
            }
        };
        let http = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("The sign-in client could not be set up ({e})."))?;
        let url = format!("{issuer}/.well-known/openid-configuration");
        let fail = |why: String| {
            format!(
                "Sign-in is not available: the discovery document at {url} {why}. Check CUTOVER_OIDC_ISSUER."
            )
        };
        let resp = http
            .get(&url)
            .send()
            .await
            .map_err(|e| fail(format!("could not be read ({e})")))?;
        if !resp.status().is_success() {
            return Err(fail(format!("answered {}", resp.status())));
        }
        let metadata: Metadata = resp
            .json()
            .await
            .map_err(|e| fail(format!("is not a discovery document ({e})")))?;
        if metadata.issuer.trim_end_matches('/') != issuer {
            return Err(fail(format!(
                "names the issuer {}, not the one configured",
                metadata.issuer
            )));
        }
        for endpoint in [
            &metadata.authorization_endpoint,
            &metadata.token_endpoint,
            &metadata.jwks_uri,
        ] {
            if !is_allowed_endpoint(endpoint) {
                return Err(fail(format!(
                    "names an endpoint that is not https ({endpoint})"
                )));
            }
        }
        let client = OidcClient {
            config,
            http,
            metadata,
            keys: RwLock::new(None),
        };
        client
            .refresh_keys()
            .await
            .map_err(|e| fail(format!("names signing keys that could not be read ({e})")))?;
        Ok(client)
    }

    /// The issuer ID tokens must name.
    #[must_use]
    pub fn issuer(&self) -> &str {
        &self.metadata.issuer
    }

    /// The configuration (roles from groups, admins, default role).
    #[must_use]
    pub fn config(&self) -> &OidcConfig {
        &self.config
    }

    /// Where to send the browser to sign in.
    #[must_use]
    pub fn authorize_url(
        &self,
        redirect_uri: &str,
        state: &str,
        nonce: &str,
        code_verifier: &str,
        login_hint: Option<&str>,
    ) -> String {
        let challenge = pkce_challenge(code_verifier);
        let mut query = vec![
            ("client_id", self.config.client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", redirect_uri),
            ("response_mode", "query"),
            ("scope", "openid profile email"),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        if let Some(hint) = login_hint {
            query.push(("login_hint", hint));
        }
        let query = serde_urlencoded::to_string(&query).unwrap_or_default();
        let sep = if self.metadata.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{sep}{query}", self.metadata.authorization_endpoint)
    }

    /// Redeems an authorization code for tokens and returns the validated identity.
    pub async fn redeem(
        &self,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
        nonce: &str,
    ) -> Result<Identity, SignInError> {
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.as_str()),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", code_verifier),
            ("scope", "openid profile email"),
        ];
        let resp = self
            .http
            .post(&self.metadata.token_endpoint)
            .form(&form)
            .send()
            .await
            .map_err(|e| SignInError::Unreachable(e.without_url().to_string()))?;
        let status = resp.status();
        let body: Value = resp.json().await.map_err(|_| {
            SignInError::Unreachable(format!("the token endpoint answered {status} without JSON"))
        })?;
        if !status.is_success() {
            return Err(SignInError::Refused {
                error: body["error"]
                    .as_str()
                    .unwrap_or("unknown_error")
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(40)
                    .collect(),
                code: body["error_codes"][0].as_u64(),
            });
        }
        let id_token = body["id_token"]
            .as_str()
            .ok_or_else(|| SignInError::Malformed("no ID token in the answer".into()))?;
        self.validate(id_token, nonce).await
    }

    /// Validates an ID token: RS256 signature by one of the issuer's keys, issuer, audience,
    /// expiry (and not-before, issued-at) and nonce. A key id not seen yet makes the keys be
    /// fetched again (the issuer may have rolled them), at most once a minute.
    pub async fn validate(&self, id_token: &str, nonce: &str) -> Result<Identity, SignInError> {
        let header = decode_header(id_token)
            .map_err(|_| SignInError::Malformed("not a signed JWT".into()))?;
        if header.alg != Algorithm::RS256 {
            return Err(SignInError::Malformed(format!(
                "signed with {:?}, not RS256",
                header.alg
            )));
        }
        let kid = header
            .kid
            .ok_or_else(|| SignInError::Malformed("no key id".into()))?;
        if !self.has_key(&kid) && self.keys_may_refresh() {
            // Best effort: if the issuer cannot be reached, the old keys still decide.
            let _ = self.refresh_keys().await;
        }
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        let key = keys
            .as_ref()
            .and_then(|k| k.by_id.get(&kid))
            .ok_or(SignInError::UnknownKey)?;
        validate_with_key(
            id_token,
            key,
            &self.metadata.issuer,
            &self.config.client_id,
            nonce,
            &self.config.group_claim,
        )
    }

    fn has_key(&self, kid: &str) -> bool {
        self.keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_some_and(|k| k.by_id.contains_key(kid) && k.fetched.elapsed() < KEYS_TTL)
    }

    fn keys_may_refresh(&self) -> bool {
        self.keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_none_or(|k| k.fetched.elapsed() >= KEYS_MIN_REFRESH)
    }

    async fn refresh_keys(&self) -> Result<(), String> {
        let resp = self
            .http
            .get(&self.metadata.jwks_uri)
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        if !resp.status().is_success() {
            return Err(format!("the key set answered {}", resp.status()));
        }
        let body: Value = resp.json().await.map_err(|e| e.to_string())?;
        let by_id = parse_jwks(&body);
        if by_id.is_empty() {
            return Err("the key set holds no RSA signing key".into());
        }
        tracing::info!(
            keys = by_id.len(),
            "sign-in: read the identity provider's signing keys"
        );
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Some(Keys {
            fetched: Instant::now(),
            by_id,
        });
        Ok(())
    }
}

/// The RSA signing keys of a JWKS, by key id; keys that cannot be read are skipped (Entra lists
/// fields `jsonwebtoken` does not know, and may list keys of other kinds).
fn parse_jwks(body: &Value) -> HashMap<String, DecodingKey> {
    body["keys"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|k| k["kty"] == "RSA" && k["use"].as_str().is_none_or(|u| u == "sig"))
        .filter_map(|k| {
            let kid = k["kid"].as_str()?.to_owned();
            let jwk: Jwk = serde_json::from_value(k.clone()).ok()?;
            Some((kid, DecodingKey::from_jwk(&jwk).ok()?))
        })
        .collect()
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    oid: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    preferred_username: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    iat: Option<i64>,
    #[serde(flatten)]
    rest: HashMap<String, Value>,
}

/// Validates `token` against one key; the pure part of [`OidcClient::validate`].
pub fn validate_with_key(
    token: &str,
    key: &DecodingKey,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    group_claim: &str,
) -> Result<Identity, SignInError> {
    use jsonwebtoken::errors::ErrorKind;
    let mut v = Validation::new(Algorithm::RS256);
    v.set_issuer(&[issuer]);
    v.set_audience(&[client_id]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.validate_nbf = true;
    v.leeway = LEEWAY_SECS;
    let data = decode::<Claims>(token, key, &v).map_err(|e| match e.kind() {
        ErrorKind::InvalidSignature => SignInError::BadSignature,
        ErrorKind::InvalidAudience => SignInError::WrongAudience,
        ErrorKind::InvalidIssuer => SignInError::WrongIssuer,
        ErrorKind::ExpiredSignature | ErrorKind::ImmatureSignature => SignInError::Expired,
        ErrorKind::MissingRequiredClaim(c) => SignInError::Malformed(format!("no {c} claim")),
        _ => SignInError::Malformed("the claims could not be read".into()),
    })?;
    let c = data.claims;
    let now = i64::try_from(crate::clock::unix_now()).unwrap_or(i64::MAX);
    if c.iat.is_some_and(|iat| iat > now + LEEWAY_SECS as i64) {
        return Err(SignInError::Expired);
    }
    // Constant time is not needed: the nonce is checked after the signature, and a wrong one
    // ends this sign-in.
    if c.nonce.as_deref() != Some(nonce) {
        return Err(SignInError::WrongNonce);
    }
    let subject = c.oid.filter(|o| !o.is_empty()).unwrap_or(c.sub);
    let email = c
        .preferred_username
        .or(c.email)
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| subject.clone());
    let name = c
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| email.clone());
    let groups: Vec<String> = c
        .rest
        .get(group_claim)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|g| g.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let groups_overage = c
        .rest
        .get("_claim_names")
        .is_some_and(|n| n.get(group_claim).is_some());
    Ok(Identity {
        subject,
        name: clean(&name),
        email: clean(&email),
        groups,
        groups_overage,
    })
}

/// Claims are shown as text and recorded as actors: no control characters, bounded.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_challenge_is_the_base64url_sha256_of_the_verifier() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn random_secrets_are_256_bits_and_differ() {
        let a = random_secret().unwrap();
        let b = random_secret().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn unreadable_keys_are_skipped() {
        let body = serde_json::json!({"keys": [
            {"kty": "RSA", "kid": "bad", "n": "!!", "e": "AQAB"},
            {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "", "y": ""},
            {"kty": "RSA", "kid": "good", "use": "sig", "x5t": "good", "issuer": "x",
             "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw",
             "e": "AQAB"}
        ]});
        let keys = parse_jwks(&body);
        assert_eq!(keys.keys().collect::<Vec<_>>(), vec!["good"]);
    }
}
