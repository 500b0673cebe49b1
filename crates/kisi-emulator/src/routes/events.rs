//! `GET /events`: the unlock log, newest first. Kisi does not document its filters (kisi-api.md:
//! Doorlink must not rely on any); the emulator takes `actor_id`, `object_id` (a lock), `type` and
//! `place_id`, plus paging.

use axum::extract::State;
use axum::response::Response;

use super::AppState;
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
    let actor_id = query.number("actor_id")?;
    let object_id = query.number("object_id")?;
    let kind = query.get("type");
    let place_id = query.number("place_id")?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    let events: Vec<_> = store
        .events
        .iter()
        .rev()
        .filter(|event| actor_id.is_none_or(|id| event.actor_id == id))
        .filter(|event| object_id.is_none_or(|id| event.object_id == id))
        .filter(|event| kind.is_none_or(|kind| event.kind == kind))
        .filter(|event| place_id.is_none_or(|id| event.place_id == Some(id)))
        .collect();
    Ok(paged(events, page))
}
