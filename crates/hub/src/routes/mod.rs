//! The routes, one file per family, and the extractors they share (JSON body, query and path
//! whose rejections become the one error shape).

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use doorlink_api::common::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page};
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{ApiError, ApiResult, json_problem};
use crate::forwarded;
use crate::state::AppState;

pub(crate) mod accounts;
pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod bookings;
pub(crate) mod catalog;
pub(crate) mod companies;
pub(crate) mod desk;
pub(crate) mod door_events;
pub(crate) mod events;
pub(crate) mod kisi;
pub(crate) mod kisi_users;
pub(crate) mod locations;
pub(crate) mod mappings;
pub(crate) mod me;
pub(crate) mod outcomes;
pub(crate) mod passes;
pub(crate) mod people;
pub(crate) mod person_access;
pub(crate) mod presence;
pub(crate) mod reports;
pub(crate) mod subscriptions;
pub(crate) mod support;
pub(crate) mod sync;
pub(crate) mod unlock_reports;
pub(crate) mod validate;
pub(crate) mod visitors;

/// Every API route with its OpenAPI description.
pub(crate) fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::router())
        .merge(accounts::router())
        .merge(me::router())
        .merge(unlock_reports::router())
        .merge(locations::router())
        .merge(kisi::router())
        .merge(mappings::router())
        .merge(people::router())
        .merge(person_access::router())
        .merge(companies::router())
        .merge(catalog::router())
        .merge(subscriptions::router())
        .merge(bookings::router())
        .merge(desk::router())
        .merge(passes::router())
        .merge(visitors::router())
        .merge(kisi_users::router())
        .merge(sync::router())
        .merge(audit::router())
        .merge(support::router())
        .merge(events::router())
        .merge(door_events::router())
        .merge(presence::router())
        .merge(outcomes::router())
        .merge(reports::router())
}

/// A JSON body; a malformed one is a 422 naming the field by its path (`items[0].kind`), one over
/// [`crate::MAX_BODY_BYTES`] a 413 before it is parsed.
#[derive(Debug)]
pub(crate) struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(str::trim)
            .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
        if !is_json {
            return Err(ApiError::field(
                "body",
                "must be JSON sent with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge {
                        limit_bytes: crate::MAX_BODY_BYTES,
                    }
                } else {
                    ApiError::field("body", rejection.body_text())
                }
            })?;
        // Every request body is an object; serde would also take a struct as a list of its fields.
        if bytes.trim_ascii_start().first() != Some(&b'{') {
            return Err(ApiError::field(
                "body",
                "must be a JSON object ({ … }), not a list, a string, a number or nothing",
            ));
        }
        let mut json = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut json).map_err(json_problem)?;
        json.end()
            .map_err(|error| ApiError::field("body", error.to_string()))?;
        Ok(Self(value))
    }
}

/// Query parameters; malformed ones are a 422 naming the parameter.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub(crate) struct Query<T>(pub T);

/// Path parameters; a malformed id is a 422.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub(crate) struct Path<T>(pub T);

/// The client's address when the hub runs on a socket (absent under `oneshot` tests): the peer,
/// or behind a trusted proxy the client it names (see [`crate::forwarded`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(Self(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(
            |info| {
                forwarded::client_address(
                    info.0.ip(),
                    &parts.headers,
                    &state.config().trusted_proxies,
                )
            },
        )))
    }
}

/// The `offset` and `limit` of a page request with their defaults, refusing a limit out of range.
pub(crate) fn page_bounds(offset: Option<u32>, limit: Option<u32>) -> ApiResult<(u32, u32)> {
    let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(ApiError::field(
            "limit",
            format!("must be between 1 and {MAX_PAGE_SIZE} (it is {limit})"),
        ));
    }
    Ok((offset.unwrap_or(0), limit))
}

/// The locations a `location_id` filter names: that one, or all of them. An unknown location is a
/// problem of the field; any other store error stays what it is (a locked database is no "does not
/// exist").
pub(crate) async fn filtered_locations(
    state: &AppState,
    filter: Option<i64>,
) -> ApiResult<Vec<doorlink_core::LocationId>> {
    let Some(id) = filter else {
        let all = state.store().locations().list().await?;
        return Ok(all.into_iter().map(|l| l.id).collect());
    };
    let mut problems = validate::Problems::new();
    let found = state
        .store()
        .locations()
        .get(doorlink_core::LocationId(id))
        .await;
    let location = problems.found("location_id", found)?;
    Ok(vec![problems.finish_with(location)?.id])
}

/// Checks `offset`/`limit` and cuts one page out of a full list.
pub(crate) fn page_of<T>(
    items: Vec<T>,
    offset: Option<u32>,
    limit: Option<u32>,
) -> ApiResult<Page<T>> {
    let (offset, limit) = page_bounds(offset, limit)?;
    let total = u32::try_from(items.len()).unwrap_or(u32::MAX);
    let items = items
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    Ok(Page {
        items,
        total,
        offset,
        limit,
    })
}
