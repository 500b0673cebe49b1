//! Locations: time zone, booking grace (R6), Access-page visibility (A3). Staff read; admins write.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::locations::{LocationView, NewLocationRequest, UpdateLocationRequest};
use doorlink_core::{BookingGrace, LocationId, TimeZone};
use doorlink_store::NewLocation;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admin, Staff};
use crate::convert;
use crate::error::ApiResult;
use crate::routes::validate::Problems;
use crate::routes::{Body, Path};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_locations, create_location))
        .routes(routes!(get_location, update_location))
}

#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS, tag = "locations",
    responses((status = 200, body = Vec<LocationView>), (status = 403, body = ErrorBody)))]
async fn list_locations(
    State(state): State<AppState>,
    _: Staff,
) -> ApiResult<Json<Vec<LocationView>>> {
    let locations = state.store().locations().list().await?;
    Ok(Json(locations.iter().map(convert::location).collect()))
}

#[utoipa::path(post, path = doorlink_api::routes::LOCATIONS, tag = "locations", request_body = NewLocationRequest,
    responses((status = 201, body = LocationView), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_location(
    State(state): State<AppState>,
    _: Admin,
    Body(request): Body<NewLocationRequest>,
) -> ApiResult<(StatusCode, Json<LocationView>)> {
    let mut problems = Problems::new();
    let name = problems.text("name", &request.name);
    let zone = problems.valid(request.time_zone.parse::<TimeZone>());
    let grace = request
        .booking_grace_minutes
        .map(|m| problems.valid(BookingGrace::from_minutes(m)));
    let zone = problems.finish_with(zone)?;
    let mut new = NewLocation::new(name, zone.name());
    if let Some(Some(grace)) = grace {
        new.booking_grace = grace;
    }
    if let Some(visibility) = request.access_page_visibility {
        new.access_page_visibility = convert::visibility_from(visibility);
    }
    let location = state.store().locations().create(&new).await?;
    state.changed(
        ChangeKind::LocationChanged,
        Some(location.id),
        [],
        Some(location.id.0),
    );
    Ok((StatusCode::CREATED, Json(convert::location(&location))))
}

#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID, tag = "locations",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = LocationView), (status = 404, body = ErrorBody)))]
async fn get_location(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<LocationView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    Ok(Json(convert::location(&location)))
}

/// Changes name, zone, grace (R6) or Access-page visibility (A3); the change re-evaluates
/// everyone at the location.
#[utoipa::path(patch, path = doorlink_api::routes::LOCATIONS_ID, tag = "locations",
    params(("id" = i64, Path, description = "Location id")), request_body = UpdateLocationRequest,
    responses((status = 200, body = LocationView), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn update_location(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(request): Body<UpdateLocationRequest>,
) -> ApiResult<Json<LocationView>> {
    let mut location = state.store().locations().get(LocationId(id)).await?;
    let mut problems = Problems::new();
    if let Some(name) = &request.name {
        location.name = problems.text("name", name);
    }
    if let Some(zone) = &request.time_zone
        && let Some(zone) = problems.valid(zone.parse::<TimeZone>())
    {
        location.time_zone = zone.tz();
    }
    if let Some(minutes) = request.booking_grace_minutes
        && let Some(grace) = problems.valid(BookingGrace::from_minutes(minutes))
    {
        location.booking_grace = grace;
    }
    if let Some(visibility) = request.access_page_visibility {
        location.access_page_visibility = convert::visibility_from(visibility);
    }
    problems.finish()?;
    let saved = state.store().locations().update(&location).await?;
    state.changed(
        ChangeKind::LocationChanged,
        Some(saved.id),
        [],
        Some(saved.id.0),
    );
    Ok(Json(convert::location(&saved)))
}
