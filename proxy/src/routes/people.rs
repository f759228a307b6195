//! `/api/people`: who signed in, the role each has and why; admins give and take roles.
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cutover_plan::roles::Role;
use cutover_plan::wire::{PeopleList, PersonInfo, RoleSource, SetRole};

use super::session::Actor;
use super::{Failure, body_rejected, json_response};
use crate::store::Person;
use crate::team_config::OidcConfig;
use crate::{AppState, clock};

/// The role someone has now, and where it comes from: named an admin in the configuration,
/// given by an admin in Cutover, from their groups at the last sign-in, or the default.
#[must_use]
pub fn effective_role(config: &OidcConfig, person: &Person) -> (Option<Role>, RoleSource) {
    if config.is_configured_admin(&person.email) {
        (Some(Role::Admin), RoleSource::Configured)
    } else if let Some(r) = person.assigned {
        (Some(r), RoleSource::Assigned)
    } else if let Some(r) = person.group_role {
        (Some(r), RoleSource::Group)
    } else if let Some(r) = config.default_role {
        (Some(r), RoleSource::Default)
    } else {
        (None, RoleSource::None)
    }
}

fn info(config: &OidcConfig, p: Person) -> PersonInfo {
    let (role, source) = effective_role(config, &p);
    PersonInfo {
        subject: p.subject,
        name: p.name,
        email: p.email,
        assigned: p.assigned,
        role,
        source,
        first_seen_at: p.first_seen_at,
        last_seen_at: p.last_seen_at,
    }
}

fn without_sign_in() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "sign_in_not_configured",
        "People and roles need sign-in with an identity provider (CUTOVER_OIDC_ISSUER); with no login or one access key, everyone is an admin.",
    )
}

/// `GET /api/people`.
pub async fn list(State(state): State<Arc<AppState>>) -> Result<Response, Failure> {
    let oidc = state.oidc.as_ref().ok_or_else(without_sign_in)?;
    let people = state.store.people().await?;
    let people = people.into_iter().map(|p| info(oidc.config(), p)).collect();
    Ok(json_response(StatusCode::OK, &PeopleList { people }))
}

/// `PUT /api/people/{subject}` with `{"role": "editor"}` (or `null` to let groups decide).
pub async fn set_role(
    State(state): State<Arc<AppState>>,
    actor: Option<Extension<Actor>>,
    Path(subject): Path<String>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let oidc = state.oidc.as_ref().ok_or_else(without_sign_in)?;
    let raw = raw.map_err(|r| Failure::from(body_rejected(r)))?;
    let request: SetRole = serde_json::from_slice(&raw).map_err(|_| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Send the role as {\"role\": \"viewer\"}, \"editor\", \"orderer\", \"admin\" or null.",
        )
    })?;
    let actor = Actor::of(actor);
    let people = state.store.people().await?;
    if people
        .iter()
        .any(|p| p.subject == subject && p.email.eq_ignore_ascii_case(&actor))
    {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "own_role",
            "You cannot change your own role; ask another admin.",
        ));
    }
    let (_, person) = state
        .store
        .set_role(&subject, request.role, &actor, &clock::now_utc())
        .await?;
    Ok(json_response(StatusCode::OK, &info(oidc.config(), person)))
}
