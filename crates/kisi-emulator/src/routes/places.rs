//! `GET /places` and `GET /places/{id}` (kisi-api.md, "Places, locks, groups").

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::{AppState, path_id};
use crate::auth::Caller;
use crate::errors::ApiError;
use crate::lock;
use crate::paging::{Page, paged};
use crate::query::QueryParams;

pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let page = Page::from_query(&query)?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    Ok(paged(store.places.values().collect(), page))
}

/// One place; an unknown id is 403, as Kisi.
pub(crate) async fn show(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    let place = store.places.get(&id).ok_or(ApiError::Forbidden)?;
    Ok(Json(place).into_response())
}
