//! Who's in and attendance (issue 15), read from the doors people opened (Kisi's events) by
//! doorlink-core's presence rules; the admin sets which doors check in and out.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::State;
use chrono::Duration;
use doorlink_api::door_events::{
    AttendanceDayView, AttendanceQuery, AttendanceView, LedgerEntryView, LedgerView, NeverCameView,
    PassUsedView, PresenceSettingsRequest, PresenceSettingsView, PresenceView, PresentPersonView,
};
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::routes;
use doorlink_core::{
    AttendanceDay, Entry, KisiLockId, LocationId, NeverCame, Passage, PersonId, PresenceRules,
    attendance, format_local_span, ledger, local_midnight, who_is_in,
};
use doorlink_store::door_events::MAX_INACTIVITY_MINUTES;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admin, Staff};
use crate::error::ApiResult;
use crate::kisi_status::Audience;
use crate::routes::me::explain::explanation;
use crate::routes::me::snapshot::{Snapshot, snapshot};
use crate::routes::validate::{DaySpan, Problems, local_days};
use crate::routes::{Body, Path, Query};
use crate::state::AppState;

/// Attendance shows the last 30 days when asked for none, and reads at most 366 at once.
const ATTENDANCE_DAYS: DaySpan = DaySpan {
    default: 30,
    most: 366,
};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(presence))
        .routes(routes!(get_settings, set_settings))
        .routes(routes!(person_attendance))
        .routes(routes!(person_ledger))
}

/// The names of the location's doors as last read from Kisi.
async fn door_names(state: &AppState, location: LocationId) -> ApiResult<BTreeMap<i64, String>> {
    let view = state.store().kisi_mirror().kisi_view(location).await?;
    Ok(view
        .locks
        .into_iter()
        .map(|(id, lock)| (id.0, lock.name))
        .collect())
}

/// Who is in the location now, longest present first.
#[utoipa::path(get, path = routes::LOCATIONS_ID_PRESENCE, tag = "door-events",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = PresenceView), (status = 404, body = ErrorBody)))]
async fn presence(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<PresenceView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let now = state.now();
    let zone = location.time_zone;
    let today = local_midnight(zone, now.with_timezone(&zone).date_naive());
    let events = state.store().door_events();
    let rules = events.presence_rules(location.id).await?;
    let passages = events
        .passages(location.id, None, today, now + Duration::seconds(1))
        .await?;
    let present = who_is_in(&passages, &rules, zone, now);
    let ids: Vec<PersonId> = present.iter().map(|p| p.person).collect();
    let names = state.store().people().names(&ids).await?;
    Ok(Json(PresenceView {
        location_id: location.id.0,
        as_of: now,
        present: present
            .into_iter()
            .map(|p| PresentPersonView {
                person_id: p.person.0,
                name: names.get(&p.person).cloned().unwrap_or_default(),
                since: p.since,
                last_seen: p.last_seen,
                last_door: p.last_door,
            })
            .collect(),
        checkout: rules.checkout_words(&door_names(&state, location.id).await?),
    }))
}

fn settings_view(location: LocationId, rules: &PresenceRules) -> PresenceSettingsView {
    PresenceSettingsView {
        location_id: location.0,
        inactivity_minutes: rules
            .inactivity
            .and_then(|window| u32::try_from(window.num_minutes()).ok()),
        entrance_lock_ids: rules.entrances.iter().copied().collect(),
        exit_lock_ids: rules.exits.iter().copied().collect(),
    }
}

#[utoipa::path(get, path = routes::LOCATIONS_ID_PRESENCE_SETTINGS, tag = "door-events",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = PresenceSettingsView), (status = 404, body = ErrorBody)))]
async fn get_settings(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<PresenceSettingsView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let rules = state
        .store()
        .door_events()
        .presence_rules(location.id)
        .await?;
    Ok(Json(settings_view(location.id, &rules)))
}

/// Which doors check in and out, and the inactivity window; every field's problem is named.
#[utoipa::path(put, path = routes::LOCATIONS_ID_PRESENCE_SETTINGS, tag = "door-events",
    params(("id" = i64, Path, description = "Location id")), request_body = PresenceSettingsRequest,
    responses((status = 200, body = PresenceSettingsView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_settings(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(request): Body<PresenceSettingsRequest>,
) -> ApiResult<Json<PresenceSettingsView>> {
    let location = state.store().locations().get(LocationId(id)).await?;
    let doors = door_names(&state, location.id).await?;
    let mut problems = Problems::new();
    if request
        .inactivity_minutes
        .is_some_and(|m| m == 0 || i64::from(m) > MAX_INACTIVITY_MINUTES)
    {
        problems.add(
            "inactivity_minutes",
            format!(
                "must be between 1 and {MAX_INACTIVITY_MINUTES} minutes, or left empty to check \
                 out at midnight"
            ),
        );
    }
    // A location has a few dozen doors; more ids than that is not a form a person filled in.
    let most = doors.len().max(1) * 2;
    for (field, ids) in [
        ("entrance_lock_ids", &request.entrance_lock_ids),
        ("exit_lock_ids", &request.exit_lock_ids),
    ] {
        if ids.len() > most {
            problems.add(
                field,
                format!(
                    "names {} doors; this location has {}",
                    ids.len(),
                    doors.len()
                ),
            );
            continue;
        }
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| !doors.contains_key(id))
            .map(ToString::to_string)
            .collect();
        if !unknown.is_empty() {
            problems.add(
                field,
                format!(
                    "door {} is not in this location's Kisi directory",
                    unknown.join(", ")
                ),
            );
        }
    }
    let entrances: BTreeSet<i64> = request.entrance_lock_ids.iter().copied().collect();
    let exits: BTreeSet<i64> = request.exit_lock_ids.iter().copied().collect();
    if let Some(both) = entrances.intersection(&exits).next() {
        let name = doors.get(both).map_or("that door", String::as_str);
        problems.add(
            "exit_lock_ids",
            format!("{name} is also an entrance: a door checks people in or out, not both"),
        );
    }
    problems.finish()?;
    let rules = PresenceRules {
        entrances,
        exits,
        inactivity: request
            .inactivity_minutes
            .map(|m| Duration::minutes(i64::from(m))),
    };
    state
        .store()
        .door_events()
        .set_presence_rules(location.id, &rules)
        .await?;
    state.notify(ChangeKind::DoorEventsChanged, Some(location.id), [], None);
    Ok(Json(settings_view(location.id, &rules)))
}

/// One person's doors at one location over the local days a query asks for.
struct PersonDays {
    person: doorlink_core::Person,
    location: doorlink_core::Location,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    passages: Vec<Passage>,
}

/// The person, the location and the person's passages there over the days `query` names:
/// what attendance and the ledger both read.
async fn person_days(
    state: &AppState,
    person: PersonId,
    query: &AttendanceQuery,
) -> ApiResult<PersonDays> {
    let person = state.store().people().get(person).await?;
    let location = state
        .store()
        .locations()
        .get(LocationId(query.location_id))
        .await?;
    let zone = location.time_zone;
    let today = state.now().with_timezone(&zone).date_naive();
    let (from, to) = local_days(today, query.from, query.to, ATTENDANCE_DAYS)?;
    let passages = state
        .store()
        .door_events()
        .passages(
            location.id,
            Some(person.id),
            local_midnight(zone, from),
            local_midnight(zone, to + Duration::days(1)),
        )
        .await?;
    Ok(PersonDays {
        person,
        location,
        from,
        to,
        passages,
    })
}

/// A person's days at a location, newest first.
#[utoipa::path(get, path = routes::PEOPLE_ID_ATTENDANCE, tag = "door-events",
    params(("id" = i64, Path, description = "Person id"), AttendanceQuery),
    responses((status = 200, body = AttendanceView), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn person_attendance(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<AttendanceQuery>,
) -> ApiResult<Json<AttendanceView>> {
    let PersonDays {
        person,
        location,
        passages,
        ..
    } = person_days(&state, PersonId(id), &query).await?;
    let zone = location.time_zone;
    Ok(Json(AttendanceView {
        person_id: person.id.0,
        location_id: location.id.0,
        days: attendance(&passages, zone)
            .into_iter()
            .map(|day| attendance_day_view(&day))
            .collect(),
    }))
}

/// A person's entries against their entitlements at a location: what let them through each door
/// they opened (or "entered without a valid entitlement", with the rule that stood in the way, as
/// the Access page explains it), the day passes used, and what they paid for or booked and never
/// came to.
#[utoipa::path(get, path = routes::PEOPLE_ID_LEDGER, tag = "door-events",
    params(("id" = i64, Path, description = "Person id"), AttendanceQuery),
    responses((status = 200, body = LedgerView), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn person_ledger(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<AttendanceQuery>,
) -> ApiResult<Json<LedgerView>> {
    let PersonDays {
        person,
        location,
        from,
        to,
        passages,
    } = person_days(&state, PersonId(id), &query).await?;
    let zone = location.time_zone;
    let snapshot = snapshot(&state, location.id, person.id).await?;
    let now = state.now();
    let found = ledger(&snapshot.facts, &snapshot.view, person.id, &passages, now);
    let entries = found
        .entries
        .iter()
        .map(|(passage, entry)| ledger_entry_view(&snapshot, person.id, passage, entry))
        .rev()
        .collect();
    let passes_used = found
        .passes_used
        .iter()
        .filter_map(|(pass, at)| {
            let date = snapshot
                .facts
                .day_passes_of(person.id)
                .find(|p| p.id == *pass)?
                .date;
            Some(PassUsedView {
                day_pass_id: pass.0,
                date,
                used_at: *at,
            })
        })
        .collect();
    let never_came = found
        .never_came
        .iter()
        .filter_map(|missed| match *missed {
            NeverCame::DayPass(pass) => {
                let pass = snapshot
                    .facts
                    .day_passes_of(person.id)
                    .find(|p| p.id == pass)?;
                (pass.date >= from && pass.date <= to).then(|| NeverCameView {
                    kind: "day_pass".to_owned(),
                    id: pass.id.0,
                    what: format!("Day pass for {}", pass.date.format("%-d %B %Y")),
                })
            }
            NeverCame::Booking(booking) => {
                let booking = snapshot
                    .facts
                    .bookings_of(person.id)
                    .find(|b| b.id == booking)?;
                let day = booking.start.with_timezone(&zone).date_naive();
                let resource = snapshot
                    .facts
                    .resource(booking.resource)
                    .map_or("a resource", |r| r.name.as_str());
                (day >= from && day <= to).then(|| NeverCameView {
                    kind: "booking".to_owned(),
                    id: booking.id.0,
                    what: format!(
                        "Booking of {resource}, {}",
                        format_local_span(zone, booking.start, Some(booking.end))
                    ),
                })
            }
        })
        .collect();
    Ok(Json(LedgerView {
        person_id: person.id.0,
        location_id: location.id.0,
        entries,
        passes_used,
        never_came,
    }))
}

/// One day of a person's attendance as the JSON and the CSV export show it.
pub(crate) fn attendance_day_view(day: &AttendanceDay) -> AttendanceDayView {
    AttendanceDayView {
        date: day.date,
        first_in: day.first_in,
        last_seen: day.last_seen,
        unlocks: day.unlocks,
        refusals: day.refusals,
    }
}

/// One door a person opened or tried, and what the rules gave them there then: the one place the
/// ledger's rows are built, for the JSON and the CSV export.
pub(in crate::routes) fn ledger_entry_view(
    snapshot: &Snapshot,
    person: PersonId,
    passage: &Passage,
    entry: &Entry,
) -> LedgerEntryView {
    let (entitled, because, reason) = match entry {
        Entry::Entitled(provenances) => (
            true,
            provenances
                .iter()
                .map(|p| p.words(&snapshot.facts, person))
                .collect(),
            None,
        ),
        Entry::WithoutEntitlement => (
            false,
            Vec::new(),
            passage.lock.and_then(|lock| {
                explanation(
                    snapshot,
                    person,
                    KisiLockId(lock),
                    passage.at,
                    Audience::Staff,
                )
                .reason
            }),
        ),
    };
    LedgerEntryView {
        at: passage.at,
        door: passage.door_name.clone(),
        kisi_lock_id: passage.lock,
        opened: passage.opened,
        refusal: passage.refusal.clone(),
        entitled,
        because,
        reason,
    }
}
