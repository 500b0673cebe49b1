//! Bookings with invitees (R6–R8): create, move, change invitees, cancel. Staff only.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
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

/// After a booking was written: tells open pages (the booker, every invitee and `also` — those who
/// lost its access) and answers with the audit log's words and the booking's view.
async fn changed(
    state: &AppState,
    location: LocationId,
    booking: &Booking,
    also: impl IntoIterator<Item = PersonId>,
    lead: &str,
) -> (ActionNote, Json<BookingView>) {
    let people: Vec<PersonId> = std::iter::once(booking.booker)
        .chain(booking.invitees.iter().copied())
        .chain(also)
        .collect();
    state.changed(
        ChangeKind::BookingChanged,
        Some(location),
        people,
        Some(booking.id.0),
    );
    let note = booking_note(state, location, booking, lead).await;
    (note, Json(booking_view(location, booking)))
}

/// Bookings by start, of a resource and/or a person (as booker or invitee), narrowed by the range
/// `[from, until)` they overlap — a booking ending exactly at `from` is not listed. Paged.
#[utoipa::path(get, path = doorlink_api::routes::BOOKINGS, tag = "bookings", params(BookingQuery),
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
    if let Some(resource) = query.resource_id {
        let found = state.store().catalog().resource(ResourceId(resource)).await;
        problems.found("resource_id", found)?;
    }
    if let Some(person) = query.person_id {
        let found = state.store().people().get(PersonId(person)).await;
        problems.found("person_id", found)?;
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

/// A `NewBookingRequest` checked at the edge, every refused field named in one answer: the times
/// by core's `Booking::new` (R6) and the years the hub accepts, the resource, the booker and the
/// invitees by the store (one query for all invitees; only the store's NotFound becomes a field's
/// problem, any other store error is the answer as it is).
struct CheckedBooking {
    location: LocationId,
    new: NewBooking,
}

impl CheckedBooking {
    async fn of(state: &AppState, request: &NewBookingRequest) -> ApiResult<Self> {
        let store = state.store();
        let resource = ResourceId(request.resource_id);
        let booker = PersonId(request.booker_id);
        let invitees: Vec<PersonId> = request.invitee_ids.iter().copied().map(PersonId).collect();
        let mut problems = Problems::new();
        problems.years([("start", Some(&request.start)), ("end", Some(&request.end))]);
        let booking = problems.valid(Booking::new(
            BookingId(0),
            resource,
            booker,
            convert::instant(request.start),
            convert::instant(request.end),
        ));
        let location = problems
            .found("resource_id", store.catalog().resource(resource).await)?
            .map(|(location, _)| location);
        problems.found("booker_id", store.people().get(booker).await)?;
        problems.unknown_people("invitee_ids", store.people().missing(&invitees).await?);
        let (location, booking) = problems.finish_with(location.zip(booking))?;
        Ok(Self {
            location,
            new: NewBooking {
                resource,
                booker,
                invitees: invitees.into_iter().collect(),
                start: booking.start,
                end: booking.end,
            },
        })
    }
}

/// R6/R7: the booker and every invitee get the resource's door access from start − grace to
/// end + grace.
#[utoipa::path(post, path = doorlink_api::routes::BOOKINGS, tag = "bookings", request_body = NewBookingRequest,
    responses((status = 201, body = BookingView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_booking(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<NewBookingRequest>,
) -> ApiResult<(StatusCode, ActionNote, Json<BookingView>)> {
    let CheckedBooking { location, new } = CheckedBooking::of(&state, &request).await?;
    let booking = state.store().bookings().create(&new).await?;
    let (note, view) = changed(&state, location, &booking, [], "Booked").await;
    Ok((StatusCode::CREATED, note, view))
}

#[utoipa::path(get, path = doorlink_api::routes::BOOKINGS_ID, tag = "bookings",
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
#[utoipa::path(put, path = doorlink_api::routes::BOOKINGS_ID_TIME, tag = "bookings",
    params(("id" = i64, Path, description = "Booking id")), request_body = MoveBookingRequest,
    responses((status = 200, body = BookingView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_booking(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<MoveBookingRequest>,
) -> ApiResult<(ActionNote, Json<BookingView>)> {
    let (location, current) = state.store().bookings().get(BookingId(id)).await?;
    let mut problems = Problems::new();
    problems.years([("start", Some(&request.start)), ("end", Some(&request.end))]);
    let moved = Booking {
        start: convert::instant(request.start),
        end: convert::instant(request.end),
        ..current
    };
    problems.valid(moved.validate());
    problems.finish()?;
    let booking = state
        .store()
        .bookings()
        .reschedule(moved.id, moved.start, moved.end)
        .await?;
    Ok(changed(&state, location, &booking, [], "Moved the booking of").await)
}

/// R7: invitees get the booker's access for the same window; removed invitees lose it.
#[utoipa::path(put, path = doorlink_api::routes::BOOKINGS_ID_INVITEES, tag = "bookings",
    params(("id" = i64, Path, description = "Booking id")), request_body = SetInviteesRequest,
    responses((status = 200, body = BookingView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_invitees(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<SetInviteesRequest>,
) -> ApiResult<(ActionNote, Json<BookingView>)> {
    let (location, before) = state.store().bookings().get(BookingId(id)).await?;
    let asked: Vec<PersonId> = request.invitee_ids.iter().copied().map(PersonId).collect();
    let mut problems = Problems::new();
    problems.unknown_people("invitee_ids", state.store().people().missing(&asked).await?);
    problems.finish()?;
    let invitees: BTreeSet<PersonId> = asked.into_iter().collect();
    let booking = state
        .store()
        .bookings()
        .set_invitees(BookingId(id), &invitees)
        .await?;
    let lead = "Changed the invitees of";
    Ok(changed(&state, location, &booking, before.invitees, lead).await)
}

/// R8: cancelling revokes the access the booking gave, now or at a later instant.
#[utoipa::path(post, path = doorlink_api::routes::BOOKINGS_ID_CANCEL, tag = "bookings",
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
    Ok(changed(&state, location, &booking, [], "Cancelled the booking of").await)
}
