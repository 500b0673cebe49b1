//! Bookings with invitees (R6–R8): create, move, change invitees, cancel. Staff only.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use doorlink_api::bookings::{
    BookingQuery, BookingView, MoveBookingRequest, NewBookingRequest, SetInviteesRequest,
};
use doorlink_api::common::Page;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::subscriptions::CancelRequest;
use doorlink_core::{Booking, BookingId, LocationId, PersonId, ResourceId, format_local_span};
use doorlink_store::NewBooking;
use doorlink_store::bookings::BookingFilter;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::action_log::ActionNote;
use crate::auth::Staff;
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::routes::validate::Problems;
use crate::routes::{Body, Path, Query, page_bounds};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bookings, create_booking))
        .routes(routes!(get_booking))
        .routes(routes!(move_booking))
        .routes(routes!(set_invitees))
        .routes(routes!(cancel_booking))
}

pub(crate) fn booking_view(location: LocationId, b: &Booking) -> BookingView {
    BookingView {
        id: b.id.0,
        location_id: location.0,
        resource_id: b.resource.0,
        booker_id: b.booker.0,
        invitee_ids: b.invitees.iter().map(|p| p.0).collect(),
        start: b.start,
        end: b.end,
        cancelled_at: b.cancelled_at,
    }
}

/// The booking in words for the audit log, with names and the location's wall-clock time:
/// "{lead} Meeting Room A on 2026-12-04 14:00–15:00 CET for Ada Lovelace".
async fn booking_note(
    state: &AppState,
    location: LocationId,
    booking: &Booking,
    lead: &str,
) -> ActionNote {
    let store = state.store();
    let resource = match store.catalog().resource(booking.resource).await {
        Ok((_, resource)) => resource.name,
        Err(_) => "a resource".to_owned(),
    };
    let booker = match store.people().get(booking.booker).await {
        Ok(person) => person.name,
        Err(_) => "someone no longer listed".to_owned(),
    };
    let when = match store.locations().get(location).await {
        Ok(place) => format_local_span(place.time_zone, booking.start, Some(booking.end)),
        Err(_) => format!("{}–{}", booking.start, booking.end),
    };
    ActionNote {
        words: Some(format!("{lead} {resource} on {when} for {booker}")),
        subject: Some(booking.booker),
        location: Some(location),
    }
}

fn people_of(b: &Booking) -> Vec<PersonId> {
    std::iter::once(b.booker)
        .chain(b.invitees.iter().copied())
        .collect()
}

/// Bookings by start, of a resource and/or a person (as booker or invitee), narrowed by the range
/// `[from, until)` they overlap — a booking ending exactly at `from` is not listed. Paged.
#[utoipa::path(get, path = "/api/bookings", tag = "bookings", params(BookingQuery),
    responses((status = 200, body = Page<BookingView>), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn list_bookings(
    State(state): State<AppState>,
    _: Staff,
    Query(query): Query<BookingQuery>,
) -> ApiResult<Json<Page<BookingView>>> {
    let mut problems = Problems::new();
    if query.resource_id.is_none() && query.person_id.is_none() {
        problems.add(
            "resource_id",
            "give resource_id, person_id or both: whose bookings to list",
        );
    }
    if let (Some(from), Some(until)) = (query.from, query.until)
        && until <= from
    {
        problems.add(
            "until",
            format!("must be after from ({})", from.to_rfc3339()),
        );
    }
    if let Some(resource) = query.resource_id
        && state
            .store()
            .catalog()
            .resource(ResourceId(resource))
            .await
            .is_err()
    {
        problems.add("resource_id", format!("resource {resource} does not exist"));
    }
    if let Some(person) = query.person_id
        && state.store().people().get(PersonId(person)).await.is_err()
    {
        problems.add("person_id", format!("person {person} does not exist"));
    }
    problems.finish()?;
    let (offset, limit) = page_bounds(query.offset, query.limit)?;
    let filter = BookingFilter {
        resource: query.resource_id.map(ResourceId),
        person: query.person_id.map(PersonId),
        from: query.from,
        until: query.until,
    };
    let found = state
        .store()
        .bookings()
        .page(&filter, offset, limit)
        .await?;
    Ok(Json(Page {
        items: found
            .bookings
            .iter()
            .map(|(location, b)| booking_view(*location, b))
            .collect(),
        total: found.total,
        offset,
        limit,
    }))
}

fn check_times(problems: &mut Problems, start: chrono::DateTime<Utc>, end: chrono::DateTime<Utc>) {
    problems.years([("start", Some(&start)), ("end", Some(&end))]);
    if end <= start {
        problems.add(
            "end",
            format!("must be after start ({})", start.to_rfc3339()),
        );
    }
}

/// R6/R7: the booker and every invitee get the resource's door access from start − grace to
/// end + grace.
#[utoipa::path(post, path = "/api/bookings", tag = "bookings", request_body = NewBookingRequest,
    responses((status = 201, body = BookingView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_booking(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<NewBookingRequest>,
) -> ApiResult<(StatusCode, ActionNote, Json<BookingView>)> {
    let mut problems = Problems::new();
    check_times(&mut problems, request.start, request.end);
    let location = match state
        .store()
        .catalog()
        .resource(ResourceId(request.resource_id))
        .await
    {
        Ok((location, _)) => Some(location),
        Err(_) => {
            problems.add(
                "resource_id",
                format!("resource {} does not exist", request.resource_id),
            );
            None
        }
    };
    if state
        .store()
        .people()
        .get(PersonId(request.booker_id))
        .await
        .is_err()
    {
        problems.add(
            "booker_id",
            format!("person {} does not exist", request.booker_id),
        );
    }
    for &invitee in &request.invitee_ids {
        if state.store().people().get(PersonId(invitee)).await.is_err() {
            problems.add("invitee_ids", format!("person {invitee} does not exist"));
        }
    }
    problems.finish()?;
    let location = location.ok_or_else(|| ApiError::Internal("resource vanished".into()))?;
    let booking = state
        .store()
        .bookings()
        .create(&NewBooking {
            resource: ResourceId(request.resource_id),
            booker: PersonId(request.booker_id),
            invitees: request.invitee_ids.iter().copied().map(PersonId).collect(),
            start: convert::instant(request.start),
            end: convert::instant(request.end),
        })
        .await?;
    state.changed(
        ChangeKind::BookingChanged,
        Some(location),
        people_of(&booking),
        Some(booking.id.0),
    );
    let note = booking_note(&state, location, &booking, "Booked").await;
    Ok((
        StatusCode::CREATED,
        note,
        Json(booking_view(location, &booking)),
    ))
}

#[utoipa::path(get, path = "/api/bookings/{id}", tag = "bookings",
    params(("id" = i64, Path, description = "Booking id")),
    responses((status = 200, body = BookingView), (status = 404, body = ErrorBody)))]
async fn get_booking(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<BookingView>> {
    let (location, booking) = state.store().bookings().get(BookingId(id)).await?;
    Ok(Json(booking_view(location, &booking)))
}

/// R8: moving, shortening or extending a booking moves its access window.
#[utoipa::path(put, path = "/api/bookings/{id}/time", tag = "bookings",
    params(("id" = i64, Path, description = "Booking id")), request_body = MoveBookingRequest,
    responses((status = 200, body = BookingView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_booking(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<MoveBookingRequest>,
) -> ApiResult<(ActionNote, Json<BookingView>)> {
    let mut problems = Problems::new();
    check_times(&mut problems, request.start, request.end);
    problems.finish()?;
    let (location, _) = state.store().bookings().get(BookingId(id)).await?;
    let booking = state
        .store()
        .bookings()
        .reschedule(
            BookingId(id),
            convert::instant(request.start),
            convert::instant(request.end),
        )
        .await?;
    state.changed(
        ChangeKind::BookingChanged,
        Some(location),
        people_of(&booking),
        Some(id),
    );
    let note = booking_note(&state, location, &booking, "Moved the booking of").await;
    Ok((note, Json(booking_view(location, &booking))))
}

/// R7: invitees get the booker's access for the same window; removed invitees lose it.
#[utoipa::path(put, path = "/api/bookings/{id}/invitees", tag = "bookings",
    params(("id" = i64, Path, description = "Booking id")), request_body = SetInviteesRequest,
    responses((status = 200, body = BookingView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_invitees(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<SetInviteesRequest>,
) -> ApiResult<(ActionNote, Json<BookingView>)> {
    let (location, before) = state.store().bookings().get(BookingId(id)).await?;
    let mut problems = Problems::new();
    for &invitee in &request.invitee_ids {
        if state.store().people().get(PersonId(invitee)).await.is_err() {
            problems.add("invitee_ids", format!("person {invitee} does not exist"));
        }
    }
    problems.finish()?;
    let invitees: BTreeSet<PersonId> = request.invitee_ids.iter().copied().map(PersonId).collect();
    let booking = state
        .store()
        .bookings()
        .set_invitees(BookingId(id), &invitees)
        .await?;
    let mut people = people_of(&booking);
    people.extend(before.invitees);
    state.changed(ChangeKind::BookingChanged, Some(location), people, Some(id));
    let note = booking_note(&state, location, &booking, "Changed the invitees of").await;
    Ok((note, Json(booking_view(location, &booking))))
}

/// R8: cancelling revokes the access the booking gave, now or at a later instant.
#[utoipa::path(post, path = "/api/bookings/{id}/cancel", tag = "bookings",
    params(("id" = i64, Path, description = "Booking id")), request_body = CancelRequest,
    responses((status = 200, body = BookingView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel_booking(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<CancelRequest>,
) -> ApiResult<(ActionNote, Json<BookingView>)> {
    if let Some(at) = request.at
        && at < state.now()
    {
        return Err(ApiError::field("at", "must not be in the past"));
    }
    let (location, _) = state.store().bookings().get(BookingId(id)).await?;
    let booking = state
        .store()
        .bookings()
        .cancel(BookingId(id), request.at)
        .await?;
    state.changed(
        ChangeKind::BookingChanged,
        Some(location),
        people_of(&booking),
        Some(id),
    );
    let note = booking_note(&state, location, &booking, "Cancelled the booking of").await;
    Ok((note, Json(booking_view(location, &booking))))
}
