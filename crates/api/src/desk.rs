//! The front desk's day (issue 17, point 8): one location's bookings, expected visitors and day
//! passes of one day or a week, on a time axis in the location's zone, and what needs the desk now
//! (who has access, who is on hold, what failed in Kisi).
//!
//! Every moment travels twice: as an instant (RFC 3339, UTC) for arithmetic and as the location's
//! wall-clock time (`*_local`, "2026-03-29 09:30") for reading, never the reader's zone.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

use crate::catalog::ResourceKind;
use crate::kisi::KisiHealth;

/// The most days one request covers (a week).
pub const MAX_DESK_DAYS: u32 = 7;

/// `?date=&days=` of the front desk's day.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct DeskDayQuery {
    /// The first day, `YYYY-MM-DD`, a date in the location's zone; absent = today there.
    pub date: Option<String>,
    /// How many days from `date`: 1 (the day, default) to 7 (the week).
    pub days: Option<u32>,
}

/// A person as the desk reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskPerson {
    pub id: i64,
    pub name: String,
}

/// A row of the timeline: a bookable resource of the location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskResource {
    pub id: i64,
    pub name: String,
    pub kind: ResourceKind,
}

/// One whole hour on the day's axis. A day has 23, 24 or 25 of them (daylight saving time): on
/// Berlin's spring-forward day 02:00 does not exist, on its fall-back day 02:00 comes twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskHour {
    pub at: DateTime<Utc>,
    /// "02:00", wall-clock time in the location's zone.
    pub local: String,
}

/// A live booking overlapping the day (a cancelled one is not listed; one cancelled for a later
/// instant ends there, R8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskBooking {
    pub id: i64,
    pub resource_id: i64,
    pub booker: DeskPerson,
    pub invitees: Vec<DeskPerson>,
    pub start: DateTime<Utc>,
    /// The end, or the cancellation instant when the booking is cancelled from a later instant on.
    pub end: DateTime<Utc>,
    /// "2026-03-29 09:30", in the location's zone.
    pub start_local: String,
    pub end_local: String,
    /// Began on an earlier day (crosses the day's first midnight).
    pub from_earlier_day: bool,
    /// Ends on a later day (crosses the day's last midnight).
    pub into_later_day: bool,
}

/// An expected visitor of the day (R10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskVisit {
    pub id: i64,
    pub visitor: DeskPerson,
    /// The visitor policy's name.
    pub policy: String,
    pub expected_arrival: DateTime<Utc>,
    pub expected_departure: DateTime<Utc>,
    pub expected_arrival_local: String,
    pub expected_departure_local: String,
}

/// A day pass of the day (R9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskDayPass {
    pub id: i64,
    pub person: DeskPerson,
    /// The day-pass product's name.
    pub product: String,
}

/// One day of the location, midnight to midnight in its zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskDay {
    pub date: NaiveDate,
    /// The instant the day begins (local midnight) and the one the next day begins.
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The whole hours of the day in order (23, 24 or 25).
    pub hours: Vec<DeskHour>,
    /// By resource, then start.
    pub bookings: Vec<DeskBooking>,
    /// By expected arrival.
    pub visits: Vec<DeskVisit>,
    /// By name.
    pub day_passes: Vec<DeskDayPass>,
}

/// Someone whose door access Doorlink gives right now, and through what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskAccessNow {
    pub person: DeskPerson,
    /// Plain words, e.g. "membership", "booking of Meeting Room Elbe", "day pass", "visit".
    pub via: Vec<String>,
}

/// R14: someone whose door access staff put on hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskHold {
    pub person: DeskPerson,
    pub since: DateTime<Utc>,
    pub since_local: String,
}

/// Work Kisi keeps refusing: it needs a person to look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskFailure {
    /// The outbox entry (Admin › Sync lists it with its attempts).
    pub entry_id: i64,
    /// Whose access it writes; absent = the whole location.
    pub person: Option<DeskPerson>,
    /// What went wrong and what to do, in plain words.
    pub message: String,
    pub failing_since: Option<DateTime<Utc>>,
    pub failing_since_local: Option<String>,
    pub attempts: i64,
}

/// What needs the desk now, whatever day is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskNow {
    pub at: DateTime<Utc>,
    pub at_local: String,
    /// By name.
    pub access: Vec<DeskAccessNow>,
    /// By name.
    pub on_hold: Vec<DeskHold>,
    /// Longest failing first.
    pub failures: Vec<DeskFailure>,
    /// How Kisi answers the location's calls.
    pub kisi: KisiHealth,
}

/// The front desk's day (or week) at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskDayView {
    pub location_id: i64,
    /// The IANA zone every `*_local` time and every day is read in, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// The timeline's rows, by name.
    pub resources: Vec<DeskResource>,
    /// One per day asked for, in order.
    pub days: Vec<DeskDay>,
    pub now: DeskNow,
}
