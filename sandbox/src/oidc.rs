//! An OpenID Connect provider shaped like Microsoft Entra ID's v2.0 endpoints, for signing in to
//! Cutover on loopback: a discovery document, signing keys (JWKS), an authorize step that lets the
//! tester pick one of a few users (or takes `login_hint`), and a token endpoint that redeems an
//! authorization code once, checking the client's secret, the redirect URI and the PKCE verifier.
//!
//! ID tokens are RS256 JWTs signed with a 2048-bit key made the first time one is needed in this
//! process (so a token from an earlier run never verifies). A control route can spoil the next ID token in one
//! way (another audience, issuer or nonce, expired, a bad signature) so the relying party's checks
//! can be seen to refuse it.
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::base64url;

/// The directory (tenant) id of the emulated identity provider; part of its issuer.
pub const TENANT: &str = "5a4d1c7e-0000-4000-8000-00000000c0de";
/// The client id of the app registration the sandbox knows (Cutover's, in sandbox mode).
pub const CLIENT_ID: &str = "cutover-sandbox-sign-in";
/// That registration's client secret (a placeholder: the sandbox is not a real directory).
pub const CLIENT_SECRET: &str = "sandbox-sign-in-secret";
/// An authorization code works this long, as in Entra ID.
const CODE_LIFETIME: Duration = Duration::from_secs(600);
/// ID tokens are valid this long.
const ID_TOKEN_SECS: i64 = 3600;

/// A security group of the emulated directory: (object id, display name).
pub type Group = (&'static str, &'static str);

/// The groups that map to Cutover's roles in sandbox mode, least first.
pub const GROUPS: [Group; 4] = [
    ("c0ffee00-0000-4000-8000-000000000001", "Cutover viewers"),
    ("c0ffee00-0000-4000-8000-000000000002", "Cutover editors"),
    ("c0ffee00-0000-4000-8000-000000000003", "Cutover orderers"),
    ("c0ffee00-0000-4000-8000-000000000004", "Cutover admins"),
];

/// A person in the emulated directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct User {
    /// Object id (`oid`).
    pub oid: &'static str,
    /// Display name (`name`).
    pub name: &'static str,
    /// Sign-in name (`preferred_username`, also `email`).
    pub username: &'static str,
    /// Object ids of the groups they are in (`groups`).
    pub groups: &'static [&'static str],
}

/// One user per role, a second orderer (for approvals), and one in no Cutover group.
pub const USERS: [User; 6] = [
    User {
        oid: "0e5a7f10-0000-4000-8000-000000000001",
        name: "Vera Viewer",
        username: "viewer@partner.example",
        groups: &[GROUPS[0].0],
    },
    User {
        oid: "0e5a7f10-0000-4000-8000-000000000002",
        name: "Eddie Editor",
        username: "editor@partner.example",
        groups: &[GROUPS[1].0],
    },
    User {
        oid: "0e5a7f10-0000-4000-8000-000000000003",
        name: "Olga Orderer",
        username: "orderer@partner.example",
        groups: &[GROUPS[2].0],
    },
    User {
        oid: "0e5a7f10-0000-4000-8000-000000000004",
        name: "Ada Admin",
        username: "admin@partner.example",
        groups: &[GROUPS[3].0, GROUPS[0].0],
    },
    User {
        oid: "0e5a7f10-0000-4000-8000-000000000005",
        name: "Otto Orderer",
        username: "orderer2@partner.example",
        groups: &[GROUPS[2].0],
    },
    User {
        oid: "0e5a7f10-0000-4000-8000-000000000006",
        name: "Nora Newcomer",
        username: "newcomer@partner.example",
        groups: &[],
    },
];

/// The user signing in as `hint` (sign-in name, ignoring case), if there is one.
pub fn user_by_hint(hint: &str) -> Option<&'static User> {
    USERS
        .iter()
        .find(|u| u.username.eq_ignore_ascii_case(hint.trim()))
}

/// A way to spoil the next ID token, for relying-party tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tamper {
    /// `aud` names another application.
    Audience,
    /// `iss` names another tenant.
    Issuer,
    /// `exp` (and `iat`) two hours in the past.
    Expired,
    /// `nonce` is not the one the client sent.
    Nonce,
    /// The signature is over different bytes.
    Signature,
    /// Signed by a key that is not in the JWKS.
    UnknownKey,
}

impl Tamper {
    /// Reads the control route's name for it.
    pub fn parse(text: &str) -> Option<Tamper> {
        Some(match text {
            "audience" => Tamper::Audience,
            "issuer" => Tamper::Issuer,
            "expired" => Tamper::Expired,
            "nonce" => Tamper::Nonce,
            "signature" => Tamper::Signature,
            "unknown-key" => Tamper::UnknownKey,
            _ => return None,
        })
    }
}

/// What an authorization code stands for.
#[derive(Debug, Clone)]
struct Code {
    user: &'static User,
    client_id: String,
    redirect_uri: String,
    code_challenge: String,
    nonce: Option<String>,
    issued: Instant,
    redeemed: bool,
}

/// What the authorize step was asked, once checked.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: String,
}

/// Why a token request is refused: (HTTP status, OAuth error, AADSTS number, sentence).
pub type Refusal = (u16, &'static str, u32, String);

/// The provider: codes, and the next token's spoiling. The signing keys belong to the process
/// (made once, the first time a token or the JWKS is asked for: RSA key generation takes a
/// moment, and tests start many sandboxes).
#[derive(Default)]
pub struct Provider {
    codes: Mutex<HashMap<String, Code>>,
    tamper: Mutex<Option<Tamper>>,
}

/// The key every ID token is signed with, and one the JWKS never lists (for `unknown-key`).
static KEY: OnceLock<Signer> = OnceLock::new();
static STRAY_KEY: OnceLock<Signer> = OnceLock::new();

struct Signer {
    pair: KeyPair,
    kid: String,
}

impl Signer {
    fn generate() -> Signer {
        // Key generation only fails if the system has no randomness; nothing works then.
        let pair = KeyPair::generate(KeySize::Rsa2048).expect("an RSA key can be generated");
        let n = pair
            .public_key()
            .modulus()
            .big_endian_without_leading_zero();
        let kid = base64url::encode(&Sha256::digest(n)[..12]);
        Signer { pair, kid }
    }

    fn jwk(&self) -> Value {
        let public = self.pair.public_key();
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": base64url::encode(public.modulus().big_endian_without_leading_zero()),
            "e": base64url::encode(public.exponent().big_endian_without_leading_zero()),
        })
    }

    fn sign(&self, header: &Value, claims: &Value) -> String {
        let message = format!(
            "{}.{}",
            base64url::encode(header.to_string().as_bytes()),
            base64url::encode(claims.to_string().as_bytes())
        );
        let mut signature = vec![0u8; self.pair.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.pair
            .sign(&RSA_PKCS1_SHA256, &rng, message.as_bytes(), &mut signature)
            .expect("a generated RSA key signs");
        format!("{message}.{}", base64url::encode(&signature))
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // Without OS randomness nothing here is safe; an all-zero code is at least still single-use.
    let _ = getrandom::fill(&mut bytes);
    base64url::encode(&bytes)
}

/// The issuer for a provider reached at `base` (`http://127.0.0.1:port`).
pub fn issuer(base: &str) -> String {
    format!("{base}/{TENANT}/v2.0")
}

/// The discovery document (`/.well-known/openid-configuration`).
pub fn discovery(base: &str) -> Value {
    json!({
        "issuer": issuer(base),
        "authorization_endpoint": format!("{base}/{TENANT}/oauth2/v2.0/authorize"),
        "token_endpoint": format!("{base}/{TENANT}/oauth2/v2.0/token"),
        "jwks_uri": format!("{base}/{TENANT}/discovery/v2.0/keys"),
        "end_session_endpoint": format!("{base}/{TENANT}/oauth2/v2.0/logout"),
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "name", "preferred_username", "email", "oid", "tid", "groups", "ver"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
    })
}

impl Provider {
    fn key(&self) -> &'static Signer {
        KEY.get_or_init(Signer::generate)
    }

    /// The signing keys (`jwks_uri`), with Entra's extra fields.
    pub fn jwks(&self, base: &str) -> Value {
        let mut jwk = self.key().jwk();
        jwk["issuer"] = Value::String(issuer(base));
        json!({ "keys": [jwk] })
    }

    /// Spoils the next ID token.
    pub fn tamper_next(&self, how: Tamper) {
        *lock(&self.tamper) = Some(how);
    }

    /// Checks an authorize request's parameters; the error is a sentence for the error page.
    pub fn check_authorize(params: &HashMap<String, String>) -> Result<Authorization, String> {
        let get = |k: &str| params.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let client_id = get("client_id").ok_or(
            "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
        )?;
        if client_id != CLIENT_ID {
            return Err(format!(
                "AADSTS700016: Application with identifier '{client_id}' was not found in the directory '{TENANT}'."
            ));
        }
        if get("response_type") != Some("code") {
            return Err("AADSTS700054: response_type must be 'code' for this application.".into());
        }
        let redirect_uri = get("redirect_uri").ok_or(
            "AADSTS900144: The request body must contain the following parameter: 'redirect_uri'.",
        )?;
        let loopback = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
            .iter()
            .any(|p| redirect_uri.starts_with(p));
        if !(loopback || redirect_uri.starts_with("https://")) {
            return Err(format!(
                "AADSTS50011: The redirect URI '{redirect_uri}' does not match the redirect URIs configured for the application."
            ));
        }
        if !get("scope").is_some_and(|s| s.split(' ').any(|s| s == "openid")) {
            return Err("AADSTS900144: The scope must include 'openid'.".into());
        }
        let code_challenge = get("code_challenge").ok_or(
            "AADSTS9002325: Proof Key for Code Exchange is required for this application.",
        )?;
        if get("code_challenge_method") != Some("S256") {
            return Err("AADSTS501491: code_challenge_method must be S256.".into());
        }
        Ok(Authorization {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            state: get("state").map(str::to_owned),
            nonce: get("nonce").map(str::to_owned),
            code_challenge: code_challenge.to_owned(),
        })
    }

    /// Signs `user` in for `auth`: a fresh, single-use authorization code.
    pub fn issue_code(&self, auth: &Authorization, user: &'static User) -> String {
        let code = random_token();
        let mut codes = lock(&self.codes);
        codes.retain(|_, c| c.issued.elapsed() < CODE_LIFETIME * 6);
        codes.insert(
            code.clone(),
            Code {
                user,
                client_id: auth.client_id.clone(),
                redirect_uri: auth.redirect_uri.clone(),
                code_challenge: auth.code_challenge.clone(),
                nonce: auth.nonce.clone(),
                issued: Instant::now(),
                redeemed: false,
            },
        );
        code
    }

    /// Redeems an authorization code (the `authorization_code` grant): the token response, or why
    /// not. A code works once; a second try is refused like Entra ID refuses it.
    pub fn redeem(
        &self,
        form: &HashMap<String, String>,
        base: &str,
        now: i64,
    ) -> Result<Value, Refusal> {
        let get = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let missing = |p: &str| {
            (
                400,
                "invalid_request",
                900_144,
                format!("The request body must contain the following parameter: '{p}'."),
            )
        };
        let code = get("code").ok_or_else(|| missing("code"))?;
        let client_id = get("client_id").ok_or_else(|| missing("client_id"))?;
        if client_id != CLIENT_ID {
            return Err((
                400,
                "unauthorized_client",
                700_016,
                format!(
                    "Application with identifier '{client_id}' was not found in the directory '{TENANT}'."
                ),
            ));
        }
        if get("client_secret") != Some(CLIENT_SECRET) {
            return Err((
                401,
                "invalid_client",
                7_000_215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.".into(),
            ));
        }
        let grant = {
            let mut codes = lock(&self.codes);
            let Some(grant) = codes.get_mut(code) else {
                return Err((
                    400,
                    "invalid_grant",
                    70_000,
                    "Provided grant is invalid or malformed.".into(),
                ));
            };
            if grant.redeemed {
                return Err((
                    400,
                    "invalid_grant",
                    54_005,
                    "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.".into(),
                ));
            }
            if grant.issued.elapsed() > CODE_LIFETIME {
                return Err((
                    400,
                    "invalid_grant",
                    70_008,
                    "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.".into(),
                ));
            }
            if grant.client_id != client_id
                || Some(grant.redirect_uri.as_str()) != get("redirect_uri")
            {
                return Err((
                    400,
                    "invalid_grant",
                    50_148,
                    "The redirect URI or client id does not match the one the authorization code was issued to.".into(),
                ));
            }
            let verifier = get("code_verifier").unwrap_or_default();
            let challenge = base64url::encode(&Sha256::digest(verifier.as_bytes()));
            if challenge != grant.code_challenge {
                return Err((
                    400,
                    "invalid_grant",
                    501_481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request.".into(),
                ));
            }
            // Redeemed whatever happens next: a code is good for one try only.
            grant.redeemed = true;
            grant.clone()
        };
        let tamper = lock(&self.tamper).take();
        Ok(json!({
            "token_type": "Bearer",
            "scope": "openid profile email",
            "expires_in": ID_TOKEN_SECS,
            "ext_expires_in": ID_TOKEN_SECS,
            "access_token": random_token(),
            "id_token": self.id_token(&grant, base, now, tamper),
        }))
    }

    fn id_token(&self, grant: &Code, base: &str, now: i64, tamper: Option<Tamper>) -> String {
        let user = grant.user;
        let (iat, exp) = match tamper {
            Some(Tamper::Expired) => (now - 3 * ID_TOKEN_SECS, now - 2 * ID_TOKEN_SECS),
            _ => (now, now + ID_TOKEN_SECS),
        };
        let mut claims = json!({
            "ver": "2.0",
            "iss": issuer(base),
            "aud": grant.client_id,
            "iat": iat,
            "nbf": iat,
            "exp": exp,
            // Entra's `sub` is pairwise per application; `oid` is the person across applications.
            "sub": base64url::encode(&Sha256::digest(format!("{}|{}", user.oid, grant.client_id))),
            "oid": user.oid,
            "tid": TENANT,
            "name": user.name,
            "preferred_username": user.username,
            "email": user.username,
            "groups": user.groups,
        });
        if let Some(nonce) = &grant.nonce {
            claims["nonce"] = Value::String(nonce.clone());
        }
        match tamper {
            Some(Tamper::Audience) => claims["aud"] = json!("another-application"),
            Some(Tamper::Issuer) => {
                claims["iss"] = json!(format!("{base}/00000000-0000-4000-8000-00000000beef/v2.0"))
            }
            Some(Tamper::Nonce) => claims["nonce"] = json!("a-nonce-from-another-sign-in"),
            _ => {}
        }
        let signer = match tamper {
            Some(Tamper::UnknownKey) => STRAY_KEY.get_or_init(Signer::generate),
            _ => self.key(),
        };
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": signer.kid});
        let token = signer.sign(&header, &claims);
        if tamper == Some(Tamper::Signature) {
            // Same header and signature, different claims: the signature no longer matches.
            let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
            claims["name"] = json!("Mallory");
            parts[1] = base64url::encode(claims.to_string().as_bytes());
            return parts.join(".");
        }
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authorize(verifier: &str) -> Authorization {
        let params: HashMap<String, String> = [
            ("client_id", CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1:9/api/auth/callback"),
            ("scope", "openid profile email"),
            ("state", "s1"),
            ("nonce", "n1"),
            ("code_challenge_method", "S256"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .chain([(
            "code_challenge".to_owned(),
            base64url::encode(&Sha256::digest(verifier.as_bytes())),
        )])
        .collect();
        Provider::check_authorize(&params).unwrap()
    }

    fn form(code: &str, verifier: &str) -> HashMap<String, String> {
        [
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("redirect_uri", "http://127.0.0.1:9/api/auth/callback"),
            ("code", code),
            ("code_verifier", verifier),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    fn claims(token: &str) -> Value {
        let payload = token.split('.').nth(1).unwrap();
        serde_json::from_slice(&base64url::decode(payload).unwrap()).unwrap()
    }

    #[test]
    fn a_code_is_redeemed_once_with_the_right_verifier() {
        let p = Provider::default();
        let auth = authorize("verifier-1");
        let code = p.issue_code(&auth, &USERS[1]);
        let wrong = p.redeem(&form(&code, "verifier-2"), "http://x", 1000);
        assert_eq!(wrong.unwrap_err().2, 501_481);
        let ok = p
            .redeem(&form(&code, "verifier-1"), "http://x", 1000)
            .unwrap();
        let c = claims(ok["id_token"].as_str().unwrap());
        assert_eq!(c["preferred_username"], "editor@partner.example");
        assert_eq!(c["nonce"], "n1");
        assert_eq!(c["aud"], CLIENT_ID);
        assert_eq!(c["iss"], format!("http://x/{TENANT}/v2.0"));
        let again = p.redeem(&form(&code, "verifier-1"), "http://x", 1000);
        assert_eq!(again.unwrap_err().2, 54_005);
    }

    #[test]
    fn a_wrong_secret_or_redirect_uri_is_refused() {
        let p = Provider::default();
        let code = p.issue_code(&authorize("v"), &USERS[0]);
        let mut f = form(&code, "v");
        f.insert("client_secret".into(), "guess".into());
        assert_eq!(p.redeem(&f, "http://x", 0).unwrap_err().1, "invalid_client");
        let mut f = form(&code, "v");
        f.insert("redirect_uri".into(), "http://127.0.0.1:9/elsewhere".into());
        assert_eq!(p.redeem(&f, "http://x", 0).unwrap_err().2, 50_148);
    }

    #[test]
    fn authorize_needs_pkce_a_known_client_and_an_acceptable_redirect() {
        let mut params: HashMap<String, String> = [
            ("client_id", CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", "http://evil.example/cb"),
            ("scope", "openid"),
            ("code_challenge", "abc"),
            ("code_challenge_method", "S256"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert!(
            Provider::check_authorize(&params)
                .unwrap_err()
                .contains("AADSTS50011")
        );
        params.insert("redirect_uri".into(), "http://127.0.0.1:1/cb".into());
        assert!(Provider::check_authorize(&params).is_ok());
        params.remove("code_challenge");
        assert!(
            Provider::check_authorize(&params)
                .unwrap_err()
                .contains("Proof Key")
        );
        params.insert("code_challenge".into(), "abc".into());
        params.insert("client_id".into(), "someone-else".into());
        assert!(
            Provider::check_authorize(&params)
                .unwrap_err()
                .contains("700016")
        );
    }

    #[test]
    fn a_tampered_token_differs_in_exactly_the_way_asked_once() {
        let p = Provider::default();
        p.tamper_next(Tamper::Audience);
        let code = p.issue_code(&authorize("v"), &USERS[0]);
        let t = p.redeem(&form(&code, "v"), "http://x", 0).unwrap();
        assert_eq!(
            claims(t["id_token"].as_str().unwrap())["aud"],
            "another-application"
        );
        let code = p.issue_code(&authorize("v"), &USERS[0]);
        let t = p.redeem(&form(&code, "v"), "http://x", 0).unwrap();
        assert_eq!(claims(t["id_token"].as_str().unwrap())["aud"], CLIENT_ID);
    }

    #[test]
    fn every_role_has_a_user_and_hints_find_them() {
        assert_eq!(
            user_by_hint(" Admin@Partner.Example ").map(|u| u.name),
            Some("Ada Admin")
        );
        assert!(user_by_hint("mallory@partner.example").is_none());
        for (group, _) in GROUPS {
            assert!(USERS.iter().any(|u| u.groups.contains(&group)));
        }
    }
}
