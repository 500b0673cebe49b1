//! `GET /places` (kisi-api.md, "Places, locks, groups").

use axum::extract::State;
use axum::response::Response;

use super::{AppState, QueryParams};
use crate::auth::Caller;
use crate::errors::ApiError;
use crate::lock;
use crate::paging::{Page, paged};

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
