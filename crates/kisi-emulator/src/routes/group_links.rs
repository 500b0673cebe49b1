//! `POST/GET/DELETE /group_links`: visitor access links (kisi-api.md, "Users and access rights").
//! A link's `secret` works as a `KISI-LOGIN` key for its group's locks within its window.

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
use crate::state::access::NewGroupLink;

#[derive(Debug, Deserialize)]
struct GroupLinkFields {
    name: Option<String>,
    group_id: Option<u64>,
    email: Option<String>,
    valid_from: Option<String>,
    valid_until: Option<String>,
}

pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields: GroupLinkFields = parse_root(&body, "group_link")?;
    let new = NewGroupLink {
        name: fields.name.unwrap_or_default(),
        group_id: required_id(fields.group_id, "group_id")?,
        email: fields.email.filter(|email| !email.trim().is_empty()),
        valid_from: optional_time(fields.valid_from.as_deref(), "valid_from")?,
        valid_until: optional_time(fields.valid_until.as_deref(), "valid_until")?,
    };
    let now = shared.clock.now();
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    let link = store.add_group_link(new, now)?;
    Ok(Json(link).into_response())
}

pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    list_by_group(&shared, caller, &query, |store, in_group, page| {
        let links: Vec<_> = store
            .group_links
            .values()
            .filter(|link| in_group(link.group_id))
            .collect();
        Ok(paged(links, page))
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
        .group_links
        .remove(&path_id(&id)?)
        .ok_or(ApiError::Forbidden)?;
    Ok(StatusCode::NO_CONTENT)
}
