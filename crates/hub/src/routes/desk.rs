//! The front desk's day (issue 17, point 8): `GET /api/locations/{id}/desk-day` assembles one day
//! (or a week) of the location from its facts — every live booking on a time axis with the booker
//! and invitees, expected visitors, day passes — and what needs the desk now: who has door access,
//! who is on hold (R14), which work Kisi keeps refusing and how Kisi answers (reusing the honest
//! status of `kisi_status`). Staff only.
//!
//! Days are the location's (R1): midnight to midnight in its zone, 23 or 25 hours long on the days
//! the clocks change, whatever zone the reader's computer is in.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use doorlink_api::desk::{
    DeskAccessNow, DeskBooking, DeskDay, DeskDayPass, DeskDayQuery, DeskDayView, DeskFailure,
    DeskHold, DeskHour, DeskNow, DeskPerson, DeskResource, DeskVisit, MAX_DESK_DAYS,
};
use doorlink_api::error::ErrorBody;
use doorlink_core::{
    Booking, LocationFacts, LocationId, PersonId, end_of_local_day, grants_for_person,
    local_midnight,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::error::ApiResult;
use crate::kisi_status;
use crate::routes::catalog::resource_view;
use crate::routes::validate::Problems;
use crate::routes::{Path, Query};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(desk_day))
}

/// The location's day (`days=1`, the default) or week (`days=7`) from `date` (its today when
/// absent): bookings per resource on a time axis, visitors and day passes of each day, and what
/// needs the desk now. Every moment is an instant and the location's wall-clock time.
#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_DESK_DAY, tag = "bookings",
    params(("id" = i64, Path, description = "Location id"), DeskDayQuery),
    responses((status = 200, body = DeskDayView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn desk_day(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<DeskDayQuery>,
) -> ApiResult<Json<DeskDayView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let zone = location.time_zone;
    let now = state.now();
    let (first, days) = checked_range(&query, zone, now)?;
    let revision = state.store().data_revision().await?;
    let facts = state
        .facts_cache()
        .location(state.store(), location.id, revision)
        .await?;
    let days = (0..days)
        .filter_map(|offset| first.checked_add_days(Days::new(u64::from(offset))))
        .map(|date| day(&facts, date))
        .collect();
    let mut resources: Vec<DeskResource> = facts
        .records()
        .resources
        .iter()
        .map(|r| {
            let view = resource_view(location.id, r);
            DeskResource {
                id: view.id,
                name: view.name,
                kind: view.kind,
            }
        })
        .collect();
    resources.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(Json(DeskDayView {
        location_id: location.id.0,
        time_zone: zone.name().to_owned(),
        resources,
        days,
        now: desk_now(&state, &facts, now).await?,
    }))
}

/// The first day and how many, checked at the edge: a field-named 422 for a date that is not
/// `YYYY-MM-DD`, lies outside the years the hub accepts, or a `days` out of 1 to 7.
fn checked_range(
    query: &DeskDayQuery,
    zone: Tz,
    now: DateTime<Utc>,
) -> ApiResult<(NaiveDate, u32)> {
    let mut problems = Problems::new();
    let first = match query.date.as_deref() {
        None => now.with_timezone(&zone).date_naive(),
        Some(text) => match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(date) if text.trim().len() == 10 => {
                problems.year("date", &date);
                date
            }
            _ => {
                let shown: String = text.chars().take(40).collect();
                problems.add(
                    "date",
                    format!(
                        "must be a date written YYYY-MM-DD, e.g. 2026-03-29 (it is \"{shown}\")"
                    ),
                );
                now.date_naive()
            }
        },
    };
    let days = query.days.unwrap_or(1);
    if !(1..=MAX_DESK_DAYS).contains(&days) {
        problems.add(
            "days",
            format!("must be between 1 and {MAX_DESK_DAYS} (it is {days})"),
        );
    }
    // The years check also keeps the week's last day inside what chrono and the zone represent.
    problems.finish()?;
    Ok((first, days))
}

/// "2026-03-29 09:30" in the location's zone.
fn local(zone: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

fn person(facts: &LocationFacts, id: PersonId) -> DeskPerson {
    DeskPerson {
        id: id.0,
        name: facts
            .person(id)
            .map_or_else(|| format!("person {id}"), |p| p.name.clone()),
    }
}

/// Until when a booking holds its resource: its end, or the later cancellation instant (R8);
/// `None` when it was cancelled before it began (it is not shown).
fn live_end(booking: &Booking) -> Option<DateTime<Utc>> {
    let end = booking
        .cancelled_at
        .map_or(booking.end, |at| at.min(booking.end));
    (end > booking.start).then_some(end)
}

/// The whole hours of `[start, end)`, labelled with the location's wall-clock time: 23 on a
/// spring-forward day (no 02:00 in Berlin), 25 on a fall-back day (02:00 twice).
fn hours(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<DeskHour> {
    let mut hours = Vec::with_capacity(25);
    let mut at = start;
    while at < end {
        hours.push(DeskHour {
            at,
            local: at.with_timezone(&zone).format("%H:%M").to_string(),
        });
        at += TimeDelta::hours(1);
    }
    hours
}

/// One day of the location: the live bookings, visits and day passes it holds.
fn day(facts: &LocationFacts, date: NaiveDate) -> DeskDay {
    let zone = facts.location().time_zone;
    let (starts_at, ends_at) = (local_midnight(zone, date), end_of_local_day(zone, date));
    let records = facts.records();
    let mut bookings: Vec<DeskBooking> = records
        .bookings
        .iter()
        .filter_map(|b| live_end(b).map(|end| (b, end)))
        .filter(|(b, end)| b.start < ends_at && *end > starts_at)
        .map(|(b, end)| DeskBooking {
            id: b.id.0,
            resource_id: b.resource.0,
            booker: person(facts, b.booker),
            invitees: b.invitees.iter().map(|&p| person(facts, p)).collect(),
            start: b.start,
            end,
            start_local: local(zone, b.start),
            end_local: local(zone, end),
            from_earlier_day: b.start < starts_at,
            into_later_day: end > ends_at,
        })
        .collect();
    bookings.sort_by_key(|b| (b.resource_id, b.start, b.id));
    let mut visits: Vec<DeskVisit> = records
        .visits
        .iter()
        .filter_map(|v| {
            let departure = v
                .cancelled_at
                .map_or(v.expected_departure, |at| at.min(v.expected_departure));
            (departure > v.expected_arrival
                && v.expected_arrival < ends_at
                && departure > starts_at)
                .then(|| DeskVisit {
                    id: v.id.0,
                    visitor: person(facts, v.visitor),
                    policy: facts.visitor_policy(v.policy).map_or_else(
                        || format!("visitor policy {}", v.policy),
                        |p| p.name.clone(),
                    ),
                    expected_arrival: v.expected_arrival,
                    expected_departure: departure,
                    expected_arrival_local: local(zone, v.expected_arrival),
                    expected_departure_local: local(zone, departure),
                })
        })
        .collect();
    visits.sort_by_key(|v| (v.expected_arrival, v.id));
    let mut day_passes: Vec<DeskDayPass> = records
        .day_passes
        .iter()
        .filter(|d| d.date == date)
        .map(|d| DeskDayPass {
            id: d.id.0,
            person: person(facts, d.person),
            product: facts
                .product(d.product)
                .map_or_else(|| format!("product {}", d.product), |p| p.name.clone()),
        })
        .collect();
    day_passes.sort_by(|a, b| a.person.name.cmp(&b.person.name).then(a.id.cmp(&b.id)));
    DeskDay {
        date,
        starts_at,
        ends_at,
        hours: hours(zone, starts_at, ends_at),
        bookings,
        visits,
        day_passes,
    }
}

/// Who Doorlink gives door access right now (A1: a window open at `now`), with what gives it;
/// people on hold (R14) or disconnected from Kisi (R15) have none.
fn access_now(facts: &LocationFacts, now: DateTime<Utc>) -> Vec<DeskAccessNow> {
    let mut access: Vec<DeskAccessNow> = facts
        .people()
        .filter(|p| facts.hold_of(p.id).is_none() && facts.disconnection_of(p.id).is_none())
        .filter_map(|p| {
            let via: BTreeSet<String> = grants_for_person(facts, p.id)
                .iter()
                .filter(|g| g.window.contains(now))
                .map(|g| g.provenance.words(facts, p.id))
                .collect();
            (!via.is_empty()).then(|| DeskAccessNow {
                person: person(facts, p.id),
                via: via.into_iter().collect(),
            })
        })
        .collect();
    access.sort_by(|a, b| a.person.name.cmp(&b.person.name));
    access
}

async fn desk_now(
    state: &AppState,
    facts: &LocationFacts,
    now: DateTime<Utc>,
) -> ApiResult<DeskNow> {
    let location = facts.location().id;
    let zone = facts.location().time_zone;
    let mut on_hold: Vec<DeskHold> = facts
        .records()
        .holds
        .iter()
        .map(|h| DeskHold {
            person: person(facts, h.person),
            since: h.since,
            since_local: local(zone, h.since),
        })
        .collect();
    on_hold.sort_by(|a, b| a.person.name.cmp(&b.person.name));
    let mut failures = Vec::new();
    for entry in state.store().outbox().entries(Some(location)).await? {
        let Some(message) = entry.last_error.clone() else {
            continue;
        };
        let who = match entry.scope.person() {
            None => None,
            Some(id) if facts.person(id).is_some() => Some(person(facts, id)),
            Some(id) => Some(DeskPerson {
                id: id.0,
                name: state
                    .store()
                    .people()
                    .get(id)
                    .await
                    .map_or_else(|_| format!("person {id}"), |p| p.name),
            }),
        };
        let since = entry.failing_since;
        failures.push(DeskFailure {
            entry_id: entry.id.0,
            person: who,
            message,
            failing_since: since,
            failing_since_local: since.map(|at| local(zone, at)),
            attempts: entry.attempts,
        });
    }
    failures.sort_by_key(|f| (f.failing_since, f.entry_id));
    Ok(DeskNow {
        at: now,
        at_local: local(zone, now),
        access: access_now(facts, now),
        on_hold,
        failures,
        kisi: kisi_status::health(state, location).await?,
    })
}
