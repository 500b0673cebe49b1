//! `GET /user`, `GET /users?query=`, `POST /users` (managed users), `GET/DELETE /users/{id}`
//! (kisi-api.md, "Users and access rights").

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{AppState, parse_root, path_id};
use crate::auth::Caller;
use crate::errors::ApiError;
use crate::lock;
use crate::paging::{Page, paged};
use crate::query::QueryParams;
use crate::state::users::NewUser;

pub(crate) async fn current(
    State(shared): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let user_id = caller.user_id()?;
    let store = lock(&shared.store);
    let user = store.users.get(&user_id).ok_or(ApiError::Unauthorized)?;
    Ok(Json(user).into_response())
}

pub(crate) async fn search(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let page = Page::from_query(&query)?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    let users = store.search_users(query.get("query").unwrap_or_default().trim());
    Ok(paged(users, page))
}

#[derive(Debug, Deserialize)]
struct UserFields {
    email: Option<String>,
    name: Option<String>,
    send_emails: Option<bool>,
    confirm: Option<bool>,
}

/// Creates a managed user; `confirm: true` makes it confirmed without an e-mail round trip.
pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields: UserFields = parse_root(&body, "user")?;
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    let new = NewUser {
        email: fields.email.unwrap_or_default(),
        name: fields.name.unwrap_or_default(),
        confirmed: fields.confirm.unwrap_or(false),
        managed: true,
        admin: false,
        send_emails: fields.send_emails.unwrap_or(true),
        password: None,
    };
    let user = store.add_user(new, now)?;
    Ok(Json(user).into_response())
}

/// One user; an unknown id is 403, as Kisi.
pub(crate) async fn show(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    let user = store.users.get(&id).ok_or(ApiError::Forbidden)?;
    Ok(Json(user).into_response())
}

pub(crate) async fn remove(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    store.delete_user(path_id(&id)?)?;
    Ok(StatusCode::NO_CONTENT)
}
