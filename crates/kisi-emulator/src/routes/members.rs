//! `GET/POST /members` (Kisi's newer organization model: "create people with `POST /members`")
//! and `GET /roles`. In the emulator a member is its organization's view of a user, with the
//! user's id (assumed; Kisi may number members apart from users).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AppState, parse_root};
use crate::auth::Caller;
use crate::errors::ApiError;
use crate::lock;
use crate::paging::{Page, paged};
use crate::query::QueryParams;
use crate::state::User;
use crate::state::users::NewUser;

/// Kisi's role ids (assumed beyond `group_basic`, the one Doorlink hands out): the least-privilege
/// roles the docs name, and the group roles.
/// (`group_basic` and `group_manager` are confirmed: docs, "Assign access rights".)
const ROLES: [(&str, &str); 6] = [
    ("group_basic", "Basic"),
    ("group_manager", "Manager"),
    ("organization_owner", "Owner"),
    ("organization_administrator", "Administrator"),
    ("organization_observer", "Observer"),
    ("organization_access_manager", "Access manager"),
];

/// The shape of Kisi's "Fetch members" example: the member, and its user nested.
fn member_view(user: &User) -> Value {
    json!({
        "id": user.id,
        "name": user.name,
        "user_id": user.id,
        "access_enabled": user.access_enabled,
        "created_at": user.created_at,
        "user": { "id": user.id, "name": user.name, "email": user.email, "confirmed": user.confirmed },
    })
}

pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let page = Page::from_query(&query)?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    // `query` filters by name or e-mail, as Kisi's "Fetch members" guide uses it.
    let members: Vec<Value> = store
        .search_users(query.get("query").unwrap_or_default().trim())
        .into_iter()
        .map(member_view)
        .collect();
    Ok(paged(members, page))
}

#[derive(Debug, Deserialize)]
struct MemberFields {
    email: Option<String>,
    name: Option<String>,
}

/// A member as `POST /users` makes a managed user: confirmed, no Kisi e-mails (assumed).
pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields: MemberFields = parse_root(&body, "member")?;
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    let new = NewUser {
        email: fields.email.unwrap_or_default(),
        name: fields.name.unwrap_or_default(),
        confirmed: true,
        managed: true,
        admin: false,
        send_emails: false,
        password: None,
    };
    let user = store.add_user(new, now)?;
    Ok(Json(member_view(&user)).into_response())
}

/// `GET /roles`: every role.
pub(crate) async fn roles(caller: Caller, query: QueryParams) -> Result<Response, ApiError> {
    let page = Page::from_query(&query)?;
    caller.user_id()?;
    let roles: Vec<Value> = ROLES
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    Ok(paged(roles, page))
}
