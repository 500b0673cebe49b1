//! The HTTP surface: one file per Kisi family, plus the control API under [`CONTROL_PREFIX`].

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::{delete, get, post};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

use axum::response::Response;

use crate::auth::{Caller, authenticate};
use crate::control::Shared;
use crate::errors::ApiError;
use crate::lock;
use crate::paging::Page;
use crate::query::QueryParams;
use crate::state::Store;

mod control;
mod events;
mod group_links;
mod groups;
mod locks;
mod logins;
mod members;
mod places;
mod role_assignments;
mod users;

/// Where the emulator-only control API lives; real Kisi has nothing here.
pub(crate) const CONTROL_PREFIX: &str = "/__emulator";

pub(crate) type AppState = Arc<Shared>;

pub(crate) fn router(shared: AppState) -> Router {
    let kisi = Router::new()
        .route("/logins", get(logins::list).post(logins::create))
        .route("/login", delete(logins::sign_out))
        .route("/user", get(users::current))
        .route("/users", get(users::search).post(users::create))
        .route("/users/{id}", get(users::show).delete(users::remove))
        .route("/members", get(members::list).post(members::create))
        .route("/roles", get(members::roles))
        .route("/places", get(places::list))
        .route("/places/{id}", get(places::show))
        .route("/locks", get(locks::list))
        .route("/locks/{id}", get(locks::show))
        .route("/locks/{id}/unlock", post(locks::unlock))
        .route("/groups", get(groups::list).post(groups::create))
        .route(
            "/groups/{id}",
            get(groups::show)
                .patch(groups::update)
                .put(groups::update)
                .delete(groups::remove),
        )
        .route(
            "/group_locks",
            get(groups::list_locks).post(groups::add_lock),
        )
        .route("/group_locks/{id}", delete(groups::remove_lock))
        .route(
            "/role_assignments",
            get(role_assignments::list).post(role_assignments::create),
        )
        .route("/role_assignments/{id}", delete(role_assignments::remove))
        .route(
            "/group_links",
            get(group_links::list).post(group_links::create),
        )
        .route("/group_links/{id}", delete(group_links::remove))
        .route("/events", get(events::list))
        .fallback(|| async { ApiError::RouteNotFound })
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            authenticate,
        ));
    Router::new()
        .nest(CONTROL_PREFIX, control::router())
        .merge(kisi)
        .with_state(shared)
}

/// A list that may be filtered by `group_id` (group links, group locks, role assignments): reads the
/// page and the filter, requires an admin, answers 404 for a deleted group and 403 for one Kisi
/// never had (kisi-api.md), then pages what `rows` picks, given the store and whether a row's group
/// passes the filter.
pub(crate) fn list_by_group(
    shared: &AppState,
    caller: Caller,
    query: &QueryParams,
    rows: impl FnOnce(&Store, &dyn Fn(u64) -> bool, Page) -> Result<Response, ApiError>,
) -> Result<Response, ApiError> {
    let page = Page::from_query(query)?;
    let group_id = query.number("group_id")?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    if let Some(group_id) = group_id {
        store.existing_group(group_id)?;
    }
    rows(&store, &|group| group_id.is_none_or(|id| id == group), page)
}

/// The resource under `root` in a JSON body (`{"group": {...}}`); problems are 422s naming the
/// field. An empty body counts as `{}`.
pub(crate) fn parse_root<T: DeserializeOwned>(body: &[u8], root: &str) -> Result<T, ApiError> {
    let document = parse_document(body)?;
    let resource = document
        .get(root)
        .cloned()
        .ok_or_else(|| ApiError::invalid(root, "is missing"))?;
    serde_json::from_value(resource).map_err(|error| ApiError::invalid(root, error.to_string()))
}

/// The whole JSON body as a value (an empty body is `{}`).
pub(crate) fn parse_document(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    let document: Value = serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid("body", format!("is not valid JSON: {error}")))?;
    if !document.is_object() {
        return Err(ApiError::invalid("body", "must be a JSON object"));
    }
    Ok(document)
}

/// An id in a path. Anything that is not a number is an id that does not exist: 403, as Kisi.
pub(crate) fn path_id(raw: &str) -> Result<u64, ApiError> {
    raw.parse().map_err(|_| ApiError::Forbidden)
}

/// A required id field of a payload.
pub(crate) fn required_id(value: Option<u64>, field: &str) -> Result<u64, ApiError> {
    value.ok_or_else(|| ApiError::invalid(field, "can't be blank"))
}

/// An optional ISO-8601 time field (`null`, absent or `""` mean "open").
pub(crate) fn optional_time(
    value: Option<&str>,
    field: &str,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|time| Some(time.with_timezone(&Utc)))
            .map_err(|_| {
                ApiError::invalid(
                    field,
                    "must be an ISO-8601 time such as 2026-03-02T09:00:00Z",
                )
            }),
    }
}
