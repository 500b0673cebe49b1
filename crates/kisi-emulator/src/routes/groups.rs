//! `GET/POST /groups`, `GET/PATCH/PUT/DELETE /groups/{id}` and `GET/POST/DELETE /group_locks` (kisi-api.md, "Places, locks, groups").

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::{AppState, list_by_group, parse_root, path_id, required_id};
use crate::auth::Caller;
use crate::errors::ApiError;
use crate::lock;
use crate::paging::{Page, paged};
use crate::query::QueryParams;
use crate::state::{Group, Restrictions, Store};

/// A group as the API shows it: the stored record plus its counts.
fn group_view(store: &Store, group: &Group) -> Value {
    let mut view = serde_json::to_value(group).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut view {
        fields.insert(
            "locks_count".into(),
            store.lock_ids_of_group(group.id).count().into(),
        );
        fields.insert("members_count".into(), store.members_count(group.id).into());
    }
    view
}

pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let page = Page::from_query(&query)?;
    let ids = query.ids("ids")?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    let groups: Vec<Value> = store
        .groups
        .values()
        .filter(|group| ids.as_ref().is_none_or(|ids| ids.contains(&group.id)))
        .map(|group| group_view(&store, group))
        .collect();
    Ok(paged(groups, page))
}

#[derive(Debug, Deserialize)]
struct GroupFields {
    name: Option<String>,
    description: Option<String>,
    place_id: Option<u64>,
    #[serde(default)]
    reader_restriction_enabled: bool,
    #[serde(default)]
    geofence_restriction_enabled: bool,
    #[serde(default)]
    time_restriction_enabled: bool,
    /// Assumed: absent means app access off, so Doorlink must send `true` (it does).
    #[serde(default)]
    login_enabled: bool,
    #[serde(default)]
    primary_device_restriction_enabled: bool,
}

pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields: GroupFields = parse_root(&body, "group")?;
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    let restrictions = Restrictions {
        reader: fields.reader_restriction_enabled,
        geofence: fields.geofence_restriction_enabled,
        time: fields.time_restriction_enabled,
    };
    let group = store.create_group(
        fields.name.as_deref().unwrap_or_default(),
        fields.description.as_deref().unwrap_or_default(),
        fields.place_id,
        restrictions,
        fields.login_enabled,
        fields.primary_device_restriction_enabled,
    )?;
    Ok(Json(group_view(&store, &group)).into_response())
}

/// One group: 404 "Group is not found" if it was deleted, 403 if it never existed.
pub(crate) async fn show(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let store = lock(&shared.store);
    caller.require_admin(&store)?;
    let group = store.existing_group(id)?;
    Ok(Json(group_view(&store, group)).into_response())
}

/// What `PATCH` (Kisi's docs) or `PUT` (the official client has no `patch`) may change; absent
/// fields stay as they are.
#[derive(Debug, Deserialize)]
struct GroupChanges {
    name: Option<String>,
    description: Option<String>,
    login_enabled: Option<bool>,
    reader_restriction_enabled: Option<bool>,
    geofence_restriction_enabled: Option<bool>,
    time_restriction_enabled: Option<bool>,
    primary_device_restriction_enabled: Option<bool>,
}

/// `PATCH /groups/{id}`: 204, as Kisi's updates.
pub(crate) async fn update(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    let changes: GroupChanges = parse_root(&body, "group")?;
    if changes
        .name
        .as_deref()
        .is_some_and(|name| name.trim().is_empty())
    {
        return Err(ApiError::invalid("name", "can't be blank"));
    }
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    store.existing_group(id)?;
    let Some(group) = store.groups.get_mut(&id) else {
        return Err(ApiError::Forbidden);
    };
    let set = |field: &mut bool, value: Option<bool>| *field = value.unwrap_or(*field);
    if let Some(name) = changes.name {
        group.name = name.trim().to_owned();
    }
    if let Some(description) = changes.description {
        group.description = description;
    }
    set(&mut group.login_enabled, changes.login_enabled);
    set(
        &mut group.reader_restriction_enabled,
        changes.reader_restriction_enabled,
    );
    set(
        &mut group.geofence_restriction_enabled,
        changes.geofence_restriction_enabled,
    );
    set(
        &mut group.time_restriction_enabled,
        changes.time_restriction_enabled,
    );
    set(
        &mut group.primary_device_restriction_enabled,
        changes.primary_device_restriction_enabled,
    );
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /groups/{id}`: 204; its lock memberships, role assignments and links go with it.
pub(crate) async fn remove(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    store.delete_group(id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /group_locks?group_id=`: a deleted group answers 404, an unknown one 403.
pub(crate) async fn list_locks(
    State(shared): State<AppState>,
    caller: Caller,
    query: QueryParams,
) -> Result<Response, ApiError> {
    list_by_group(&shared, caller, &query, |store, in_group, page| {
        let group_locks: Vec<_> = store
            .group_locks
            .values()
            .filter(|gl| in_group(gl.group_id))
            .collect();
        Ok(paged(group_locks, page))
    })
}

#[derive(Debug, Deserialize)]
struct GroupLockFields {
    group_id: Option<u64>,
    lock_id: Option<u64>,
}

pub(crate) async fn add_lock(
    State(shared): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fields: GroupLockFields = parse_root(&body, "group_lock")?;
    let group_id = required_id(fields.group_id, "group_id")?;
    let lock_id = required_id(fields.lock_id, "lock_id")?;
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    let group_lock = store.add_group_lock(group_id, lock_id)?;
    Ok(Json(group_lock).into_response())
}

pub(crate) async fn remove_lock(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut store = lock(&shared.store);
    caller.require_admin(&store)?;
    store
        .group_locks
        .remove(&path_id(&id)?)
        .ok_or(ApiError::Forbidden)?;
    Ok(StatusCode::NO_CONTENT)
}
