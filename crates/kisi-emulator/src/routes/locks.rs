//! `GET /locks` (filters `place_id`, `ids`), `GET /locks/{id}` and `POST /locks/{id}/unlock`
//! (kisi-api.md, "Places, locks, groups"). The access rules live in `state/unlock.rs`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AppState, parse_document, path_id};
use crate::auth::Caller;
use crate::errors::ApiError;
use crate::lock;
use crate::paging::{Page, paged};
use crate::query::QueryParams;
use crate::state::Store;
use crate::state::logins::Principal;
use crate::state::unlock::{Coordinates, UnlockContext};

/// Admins see every lock; a user's own login sees the locks it may open now (an unconfirmed user
/// gets `unconfirmed_email`, as on the Access page in the seeds); an access link sees its group's.
pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let page = Page::from_query(&query)?;
    let place_id = query.number("place_id")?;
    let ids = query.ids("ids")?;
    let now = shared.clock.now();
    let store = lock(&shared.store);
    let visible = visible_lock_ids(&store, caller, now)?;
    let locks: Vec<_> = store
        .locks
        .values()
        .filter(|lock| visible.as_ref().is_none_or(|ids| ids.contains(&lock.id)))
        .filter(|lock| place_id.is_none_or(|place_id| lock.place_id == place_id))
        .filter(|lock| ids.as_ref().is_none_or(|ids| ids.contains(&lock.id)))
        .collect();
    Ok(paged(locks, page))
}

/// One lock, if the caller may see it (else 403, as for an unknown id).
pub(crate) async fn show(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let now = shared.clock.now();
    let store = lock(&shared.store);
    let visible = visible_lock_ids(&store, caller, now)?;
    store
        .locks
        .get(&id)
        .filter(|lock| visible.as_ref().is_none_or(|ids| ids.contains(&lock.id)))
        .map(|lock| Json(lock).into_response())
        .ok_or(ApiError::Forbidden)
}

/// `None`: every lock (admins). Otherwise the locks the caller may open now.
fn visible_lock_ids(
    store: &Store,
    caller: Caller,
    now: DateTime<Utc>,
) -> Result<Option<Vec<u64>>, ApiError> {
    match caller.0 {
        Principal::User { user_id, .. } => {
            let user = store.users.get(&user_id).ok_or(ApiError::Unauthorized)?;
            if user.admin {
                Ok(None)
            } else if !user.confirmed {
                Err(ApiError::UnconfirmedEmail)
            } else {
                Ok(Some(store.accessible_lock_ids(user_id, now)))
            }
        }
        Principal::Link { link_id } => Ok(Some(store.link_lock_ids(link_id, now))),
    }
}

#[derive(Debug, Default, Deserialize)]
struct UnlockBody {
    context: Option<ContextFields>,
    lock: Option<LockFields>,
}

#[derive(Debug, Deserialize)]
struct ContextFields {
    location: Option<LocationFields>,
}

#[derive(Debug, Deserialize)]
struct LocationFields {
    latitude: f64,
    longitude: f64,
}

#[derive(Debug, Deserialize)]
struct LockFields {
    proximity_proof: Option<Value>,
}

pub(crate) async fn unlock(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let lock_id = path_id(&id)?;
    let body: UnlockBody = serde_json::from_value(parse_document(&body)?)
        .map_err(|error| ApiError::invalid("body", error.to_string()))?;
    let context = UnlockContext {
        location: body
            .context
            .and_then(|context| context.location)
            .map(|l| Coordinates {
                latitude: l.latitude,
                longitude: l.longitude,
            }),
        proximity_proof: body
            .lock
            .and_then(|lock| lock.proximity_proof)
            .is_some_and(|proof| !proof.is_null()),
        at_the_door: false,
    };
    let now = shared.clock.now();
    lock(&shared.store).unlock(caller.0, lock_id, context, now)?;
    Ok(Json(json!({ "message": "Unlocked!" })).into_response())
}
