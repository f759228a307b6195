//! Configuration for team use: sign-in with OpenID Connect (Microsoft Entra ID), how roles come
//! from group claims, who is always an admin, and order approvals.
use cutover_plan::roles::Role;

/// Where the identity provider is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// The embedded sandbox's identity provider (`CUTOVER_OIDC_ISSUER=sandbox`).
    Sandbox,
    /// An issuer URL, e.g. `https://login.microsoftonline.com/{tenant-id}/v2.0`.
    Url(String),
}

/// OpenID Connect sign-in.
#[derive(Clone)]
pub struct OidcConfig {
    /// `CUTOVER_OIDC_ISSUER`.
    pub issuer: Issuer,
    /// `CUTOVER_OIDC_CLIENT_ID`: the app registration's application (client) id.
    pub client_id: String,
    /// `CUTOVER_OIDC_CLIENT_SECRET`: its client secret. Never logged, never sent to a browser.
    pub client_secret: String,
    /// `CUTOVER_OIDC_GROUP_CLAIM`: the ID token claim listing groups (`groups`) or app roles (`roles`).
    pub group_claim: String,
    /// Claim values (group object ids or app-role values) and the role each gives.
    pub group_roles: Vec<(String, Role)>,
    /// `CUTOVER_OIDC_ADMINS`: sign-in names (lower case) that are always admins.
    pub admins: Vec<String>,
    /// `CUTOVER_OIDC_DEFAULT_ROLE`: the role of someone no group or admin gives one.
    pub default_role: Option<Role>,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the client secret.
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("group_claim", &self.group_claim)
            .field("group_roles", &self.group_roles)
            .field("admins", &self.admins)
            .field("default_role", &self.default_role)
            .finish_non_exhaustive()
    }
}

impl OidcConfig {
    /// The highest role the claim values give.
    #[must_use]
    pub fn role_from_groups<'a>(&self, values: impl IntoIterator<Item = &'a str>) -> Option<Role> {
        let values: Vec<&str> = values.into_iter().collect();
        self.group_roles
            .iter()
            .filter(|(g, _)| values.iter().any(|v| g.eq_ignore_ascii_case(v)))
            .map(|(_, r)| *r)
            .max()
    }

    /// Whether `email` is named in `CUTOVER_OIDC_ADMINS`.
    #[must_use]
    pub fn is_configured_admin(&self, email: &str) -> bool {
        self.admins.iter().any(|a| a.eq_ignore_ascii_case(email))
    }
}

/// Everything about team use.
#[derive(Clone, Debug)]
pub struct TeamConfig {
    /// Sign-in with OpenID Connect, when configured.
    pub oidc: Option<OidcConfig>,
    /// `CUTOVER_PUBLIC_URL`: where people reach Cutover (the redirect URI is built on it; `https`
    /// makes cookies `Secure`).
    pub public_url: Option<String>,
    /// `CUTOVER_SESSION_HOURS`: how long a sign-in lasts.
    pub session_hours: u32,
    /// `CUTOVER_ORDER_APPROVAL_SEATS`: orders of more seats need a second person's approval.
    pub order_approval_seats: Option<u32>,
}

/// Default sign-in lifetime, in hours (a working day).
pub const DEFAULT_SESSION_HOURS: u32 = 12;

impl Default for TeamConfig {
    fn default() -> Self {
        TeamConfig {
            oidc: None,
            public_url: None,
            session_hours: DEFAULT_SESSION_HOURS,
            order_approval_seats: None,
        }
    }
}

const GROUP_VARS: [(&str, Role); 4] = [
    ("CUTOVER_OIDC_VIEWER_GROUPS", Role::Viewer),
    ("CUTOVER_OIDC_EDITOR_GROUPS", Role::Editor),
    ("CUTOVER_OIDC_ORDERER_GROUPS", Role::Orderer),
    ("CUTOVER_OIDC_ADMIN_GROUPS", Role::Admin),
];

fn list(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or("")
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads team settings; `sandbox` says whether the embedded Partner Center sandbox runs (the
/// sandbox identity provider lives there). Errors are one sentence naming the variable.
pub fn from_vars<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    sandbox: bool,
) -> Result<TeamConfig, String> {
    let public_url = match get("CUTOVER_PUBLIC_URL") {
        None => None,
        Some(url) => {
            let url = url.trim_end_matches('/');
            let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
            let rest = url.split_once("://").map_or("", |(_, r)| r);
            if !scheme_ok || rest.is_empty() || rest.contains(['?', '#', ' ']) {
                return Err(
                    "CUTOVER_PUBLIC_URL must be the address people open, such as https://cutover.example.com."
                        .into(),
                );
            }
            Some(url.to_owned())
        }
    };
    let session_hours = match get("CUTOVER_SESSION_HOURS") {
        None => DEFAULT_SESSION_HOURS,
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|h| (1..=720).contains(h))
            .ok_or("CUTOVER_SESSION_HOURS must be a whole number of hours from 1 to 720.")?,
    };
    let order_approval_seats = match get("CUTOVER_ORDER_APPROVAL_SEATS") {
        None => None,
        Some(v) => Some(v.parse::<u32>().map_err(
            |_| "CUTOVER_ORDER_APPROVAL_SEATS must be a whole number of seats, such as 250.",
        )?),
    };
    let oidc = match get("CUTOVER_OIDC_ISSUER") {
        None => {
            let stray: Vec<&str> = [
                "CUTOVER_OIDC_CLIENT_ID",
                "CUTOVER_OIDC_CLIENT_SECRET",
                "CUTOVER_OIDC_ADMINS",
            ]
            .into_iter()
            .filter(|k| get(k).is_some())
            .collect();
            if !stray.is_empty() {
                return Err(format!(
                    "{} {} set but CUTOVER_OIDC_ISSUER is not: set it to your tenant's issuer (see the README's sign-in section).",
                    stray.join(", "),
                    if stray.len() == 1 { "is" } else { "are" }
                ));
            }
            None
        }
        Some(issuer) => Some(oidc(get, issuer, sandbox)?),
    };
    Ok(TeamConfig {
        oidc,
        public_url,
        session_hours,
        order_approval_seats,
    })
}

fn oidc<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    issuer: &str,
    sandbox: bool,
) -> Result<OidcConfig, String> {
    use cutover_sandbox::oidc as idp;
    let issuer = if issuer.eq_ignore_ascii_case("sandbox") {
        if !sandbox {
            return Err("CUTOVER_OIDC_ISSUER=sandbox needs the Partner Center sandbox (CUTOVER_PC_MODE=sandbox); with real Partner Center, use your tenant's issuer.".into());
        }
        Issuer::Sandbox
    } else {
        let url = issuer.trim_end_matches('/');
        if !(url.starts_with("https://") || url.starts_with("http://127.0.0.1")) {
            return Err("CUTOVER_OIDC_ISSUER must be an https:// address such as https://login.microsoftonline.com/<tenant-id>/v2.0 (or sandbox).".into());
        }
        if url.contains("/common/") || url.contains("/organizations/") || url.contains("{tenant") {
            return Err("CUTOVER_OIDC_ISSUER must name your tenant (https://login.microsoftonline.com/<tenant-id>/v2.0), not common or organizations.".into());
        }
        Issuer::Url(url.to_owned())
    };
    let sandboxed = issuer == Issuer::Sandbox;
    let client_id = get("CUTOVER_OIDC_CLIENT_ID")
        .map(str::to_owned)
        .or_else(|| sandboxed.then(|| idp::CLIENT_ID.to_owned()));
    let client_secret = get("CUTOVER_OIDC_CLIENT_SECRET")
        .map(str::to_owned)
        .or_else(|| sandboxed.then(|| idp::CLIENT_SECRET.to_owned()));
    let (Some(client_id), Some(client_secret)) = (client_id, client_secret) else {
        return Err("Sign-in with OpenID Connect needs CUTOVER_OIDC_CLIENT_ID and CUTOVER_OIDC_CLIENT_SECRET (see the README's sign-in section).".into());
    };
    let mut group_roles = Vec::new();
    for (var, role) in GROUP_VARS {
        group_roles.extend(list(get(var)).into_iter().map(|g| (g, role)));
    }
    if group_roles.is_empty() && sandboxed {
        group_roles = idp::GROUPS
            .iter()
            .zip(Role::ALL)
            .map(|((id, _), role)| ((*id).to_owned(), role))
            .collect();
    }
    let default_role = match get("CUTOVER_OIDC_DEFAULT_ROLE") {
        None | Some("none") => None,
        Some(v) => Some(Role::parse(v).ok_or_else(|| {
            format!(
                "CUTOVER_OIDC_DEFAULT_ROLE is {v:?}; use viewer, editor, orderer, admin or none."
            )
        })?),
    };
    Ok(OidcConfig {
        issuer,
        client_id,
        client_secret,
        group_claim: get("CUTOVER_OIDC_GROUP_CLAIM")
            .unwrap_or("groups")
            .to_owned(),
        group_roles,
        admins: list(get("CUTOVER_OIDC_ADMINS"))
            .into_iter()
            .map(|a| a.to_lowercase())
            .collect(),
        default_role,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn parse(pairs: &[(&str, &str)], sandbox: bool) -> Result<TeamConfig, String> {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let get = |k: &str| vars.get(k).map(String::as_str);
        from_vars(&get, sandbox)
    }

    #[test]
    fn nothing_set_means_no_sign_in_and_a_working_day_session() {
        let c = parse(&[], true).unwrap();
        assert!(c.oidc.is_none());
        assert_eq!(c.session_hours, 12);
        assert_eq!(c.order_approval_seats, None);
    }

    #[test]
    fn the_sandbox_issuer_brings_its_client_and_group_mapping() {
        let c = parse(&[("CUTOVER_OIDC_ISSUER", "sandbox")], true).unwrap();
        let o = c.oidc.unwrap();
        assert_eq!(o.issuer, Issuer::Sandbox);
        assert_eq!(o.client_id, cutover_sandbox::oidc::CLIENT_ID);
        let admin_groups = cutover_sandbox::oidc::USERS[3].groups;
        assert_eq!(
            o.role_from_groups(admin_groups.iter().copied()),
            Some(Role::Admin)
        );
        assert_eq!(o.role_from_groups(["not-a-group"]), None);
        let err = parse(&[("CUTOVER_OIDC_ISSUER", "sandbox")], false).unwrap_err();
        assert!(err.contains("CUTOVER_PC_MODE"), "{err}");
    }

    #[test]
    fn a_real_issuer_needs_https_a_tenant_and_client_credentials() {
        let err = parse(
            &[(
                "CUTOVER_OIDC_ISSUER",
                "https://login.microsoftonline.com/common/v2.0",
            )],
            true,
        )
        .unwrap_err();
        assert!(err.contains("not common"), "{err}");
        let err = parse(
            &[("CUTOVER_OIDC_ISSUER", "http://idp.example/t/v2.0")],
            true,
        )
        .unwrap_err();
        assert!(err.contains("https://"), "{err}");
        let issuer = "https://login.microsoftonline.com/8c4e0a1b-0000-4000-8000-000000000001/v2.0";
        let err = parse(&[("CUTOVER_OIDC_ISSUER", issuer)], true).unwrap_err();
        assert!(err.contains("CUTOVER_OIDC_CLIENT_SECRET"), "{err}");
        let c = parse(
            &[
                ("CUTOVER_OIDC_ISSUER", issuer),
                ("CUTOVER_OIDC_CLIENT_ID", "app-id"),
                ("CUTOVER_OIDC_CLIENT_SECRET", "top-secret-value"),
                ("CUTOVER_OIDC_ORDERER_GROUPS", "g-orders, g-leads"),
                ("CUTOVER_OIDC_ADMIN_GROUPS", "g-leads"),
                ("CUTOVER_OIDC_ADMINS", "Ada@Partner.Example"),
                ("CUTOVER_OIDC_DEFAULT_ROLE", "viewer"),
                ("CUTOVER_OIDC_GROUP_CLAIM", "roles"),
            ],
            true,
        )
        .unwrap();
        let o = c.oidc.unwrap();
        assert_eq!(o.role_from_groups(["G-ORDERS"]), Some(Role::Orderer));
        assert_eq!(
            o.role_from_groups(["g-orders", "g-leads"]),
            Some(Role::Admin)
        );
        assert!(o.is_configured_admin("ada@partner.example"));
        assert_eq!(o.default_role, Some(Role::Viewer));
        assert_eq!(o.group_claim, "roles");
        assert!(!format!("{o:?}").contains("top-secret-value"));
    }

    #[test]
    fn bad_values_are_named() {
        let err = parse(&[("CUTOVER_SESSION_HOURS", "0")], true).unwrap_err();
        assert!(err.starts_with("CUTOVER_SESSION_HOURS"), "{err}");
        let err = parse(&[("CUTOVER_ORDER_APPROVAL_SEATS", "lots")], true).unwrap_err();
        assert!(err.starts_with("CUTOVER_ORDER_APPROVAL_SEATS"), "{err}");
        let err = parse(&[("CUTOVER_PUBLIC_URL", "cutover.example.com")], true).unwrap_err();
        assert!(err.starts_with("CUTOVER_PUBLIC_URL"), "{err}");
        let err = parse(&[("CUTOVER_OIDC_CLIENT_ID", "x")], true).unwrap_err();
        assert!(err.contains("CUTOVER_OIDC_ISSUER"), "{err}");
        let err = parse(
            &[
                ("CUTOVER_OIDC_ISSUER", "sandbox"),
                ("CUTOVER_OIDC_DEFAULT_ROLE", "owner"),
            ],
            true,
        )
        .unwrap_err();
        assert!(err.contains("CUTOVER_OIDC_DEFAULT_ROLE"), "{err}");
    }
}
