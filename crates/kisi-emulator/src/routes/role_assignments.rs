//! `POST/GET/DELETE /role_assignments` (kisi-api.md, "Users and access rights"): how Doorlink
//! makes Kisi itself enforce an access window.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{AppState, list_by_group, optional_time, parse_root, path_id, required_id};
use crate::auth::Caller;
use crate::errors::ApiError;
use crate::lock;
use crate::paging::paged;
use crate::query::QueryParams;
use crate::state::AssignmentSource;
use crate::state::access::NewRoleAssignment;

#[derive(Debug, Deserialize)]
struct RoleAssignmentFields {
    user_id: Option<u64>,
    role_id: Option<String>,
    group_id: Option<u64>,
    valid_from: Option<String>,
    valid_until: Option<String>,
}

pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields: RoleAssignmentFields = parse_root(&body, "role_assignment")?;
    let new = NewRoleAssignment {
        user_id: required_id(fields.user_id, "user_id")?,
        group_id: required_id(fields.group_id, "group_id")?,
        role_id: fields
            .role_id
            .filter(|role| !role.trim().is_empty())
            .ok_or_else(|| ApiError::invalid("role_id", "can't be blank"))?,
        valid_from: optional_time(fields.valid_from.as_deref(), "valid_from")?,
        valid_until: optional_time(fields.valid_until.as_deref(), "valid_until")?,
        source: AssignmentSource::Api,
    };
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    let assignment = store.add_role_assignment(new, now)?;
    Ok(Json(assignment).into_response())
}

/// Filters `user_id` and `group_id`; naming a deleted group answers 404, an unknown one 403.
pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let user_id = query.number("user_id")?;
    list_by_group(&shared, caller, &query, |store, in_group, page| {
        if user_id.is_some_and(|user_id| !store.users.contains_key(&user_id)) {
            return Err(ApiError::Forbidden);
        }
        let assignments: Vec<_> = store
            .role_assignments
            .values()
            .filter(|a| user_id.is_none_or(|user_id| a.user_id == user_id))
            .filter(|a| in_group(a.group_id))
            .collect();
        Ok(paged(assignments, page))
    })
}

pub(crate) async fn remove(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    store
        .remove_role_assignment(path_id(&id)?)
        .ok_or(ApiError::Forbidden)?;
    Ok(StatusCode::NO_CONTENT)
}
