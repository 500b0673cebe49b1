//! What happened at the doors (issue 15): Kisi's events as Doorlink keeps them, and the webhook
//! an admin sets up in Kisi to send them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

use crate::common::Reason;

/// A location's Kisi webhook as staff see it; the secret is never shown again after set-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiWebhookView {
    pub location_id: i64,
    /// The path to give Kisi's "Event Webhook" integration, after this hub's public address
    /// (`/api/kisi/webhooks/3`).
    pub path: String,
    /// The whole URL, when the hub knows its public address (`public_url`).
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Every event Kisi listed up to this instant is kept (none yet: the backfill has not run).
    pub backfilled_through: Option<DateTime<Utc>>,
    pub events_kept: u64,
    /// When the newest kept event happened.
    pub latest_event_at: Option<DateTime<Utc>>,
}

/// The answer to setting up (or replacing) the webhook: the secret, shown this once, to paste as
/// the integration's signature key in Kisi.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiWebhookSetUp {
    pub webhook: KisiWebhookView,
    pub secret: String,
}

/// What the hub answers Kisi for one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct WebhookReceipt {
    /// 1 when the event is new here, 0 otherwise.
    pub stored: usize,
    /// 1 when the event was kept before (a second delivery, or found by the backfill).
    pub duplicates: usize,
    /// 1 when the event is about a door or place of another location.
    pub elsewhere: usize,
}

/// What reading Kisi's events list did (the backfill, on demand or every few minutes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct BackfillView {
    /// Events Kisi listed since the last complete reading (less a few minutes of overlap).
    pub listed: usize,
    /// Of those, kept now: deliveries that never came.
    pub stored: usize,
    /// Of those, kept before.
    pub duplicates: usize,
    /// Of those, about other locations' doors.
    pub elsewhere: usize,
    /// False when Kisi listed more than one reading takes; the next one goes on from the same
    /// instant.
    pub complete: bool,
}

/// One event at a door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DoorEventView {
    pub id: i64,
    pub uuid: String,
    /// Kisi's type (`lock.unlock`).
    pub kind: String,
    /// Whether the door opened.
    pub opened: bool,
    pub kisi_lock_id: Option<i64>,
    pub lock_name: String,
    /// `User`, `GroupLink`, … as Kisi names who acted.
    pub actor_type: String,
    pub actor_name: String,
    /// The person Doorlink knows the actor as, if any.
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// `webhook` or `backfill`.
    pub source: String,
}

/// A page of events, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DoorEventPage {
    pub events: Vec<DoorEventView>,
    /// Pass as `before` for the next (older) page; none when this is the last.
    pub next_before: Option<i64>,
}

/// Which events to list.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct DoorEventsQuery {
    pub person_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub before: Option<i64>,
    pub limit: Option<u32>,
}

/// Someone in the location now (checked in by an unlock at an entrance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PresentPersonView {
    pub person_id: i64,
    pub name: String,
    /// The unlock that checked them in.
    pub since: DateTime<Utc>,
    /// Their latest unlock at this location.
    pub last_seen: DateTime<Utc>,
    pub last_door: String,
}

/// Who's in: the front desk's live list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PresenceView {
    pub location_id: i64,
    pub as_of: DateTime<Utc>,
    /// Longest-present first.
    pub present: Vec<PresentPersonView>,
    /// How people are checked out here, in words ("at the exit door, else after 4 hours without
    /// an unlock, else at midnight").
    pub checkout: String,
}

/// How a location checks people in and out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PresenceSettingsView {
    pub location_id: i64,
    /// After this long without an unlock a person counts as gone; none: only the exit door or
    /// midnight checks them out.
    pub inactivity_minutes: Option<u32>,
    /// Doors whose unlock checks in; empty: every door of the location does.
    pub entrance_lock_ids: Vec<i64>,
    /// Doors whose unlock checks out.
    pub exit_lock_ids: Vec<i64>,
}

/// The admin's change to how a location checks people in and out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PresenceSettingsRequest {
    pub inactivity_minutes: Option<u32>,
    pub entrance_lock_ids: Vec<i64>,
    pub exit_lock_ids: Vec<i64>,
}

/// One day a person came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AttendanceDayView {
    /// The location's local date.
    pub date: NaiveDate,
    pub first_in: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Doors opened that day.
    pub unlocks: u32,
    /// Attempts Kisi refused that day.
    pub refusals: u32,
}

/// A person's attendance at a location, newest day first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AttendanceView {
    pub person_id: i64,
    pub location_id: i64,
    pub days: Vec<AttendanceDayView>,
}

/// Which attendance to show.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct AttendanceQuery {
    pub location_id: i64,
    /// The first local date (default: 30 days ago).
    pub from: Option<NaiveDate>,
    /// The last local date (default: today).
    pub to: Option<NaiveDate>,
}

/// A door a person opened or tried, and what the rules gave them there then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct LedgerEntryView {
    pub at: DateTime<Utc>,
    pub door: String,
    pub kisi_lock_id: Option<i64>,
    /// False: "denied at the door" (Kisi refused; `refusal` says why).
    pub opened: bool,
    /// Kisi's reason for a refusal.
    pub refusal: Option<String>,
    /// Opened and false: "entered without a valid entitlement" (nothing Doorlink granted opened this door
    /// then: a card Kisi issued by hand, a grant made in Kisi, a revocation not yet applied).
    /// Refused and true: locked out although Doorlink granted the door (look at the Sync page).
    pub entitled: bool,
    /// What let them through, in words (as the Access page says it).
    pub because: Vec<String>,
    /// Without an entitlement: the first rule that stood in the way then, as the Access page
    /// explains a closed door.
    pub reason: Option<Reason>,
}

/// Something paid for or booked that was never used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct NeverCameView {
    /// `day_pass` or `booking`.
    pub kind: String,
    pub id: i64,
    /// In words ("Day pass for 2 March", "Booking of Elbe, 2 March 09:00–11:00").
    pub what: String,
}

/// A day pass and the door it was first used at (R9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PassUsedView {
    pub day_pass_id: i64,
    pub date: NaiveDate,
    pub used_at: DateTime<Utc>,
}

/// A person's entries against their entitlements at a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct LedgerView {
    pub person_id: i64,
    pub location_id: i64,
    pub entries: Vec<LedgerEntryView>,
    pub passes_used: Vec<PassUsedView>,
    pub never_came: Vec<NeverCameView>,
}

/// Which days of occupancy to chart.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct OccupancyQuery {
    /// The first local date (default: 27 days before `to`, four weeks in all).
    pub from: Option<NaiveDate>,
    /// The last local date (default: today). At most 92 days in all.
    pub to: Option<NaiveDate>,
}

/// One local day of a location's occupancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OccupancyDayView {
    pub date: NaiveDate,
    /// People checked in at any moment of each local hour, 24 numbers from 00:00 (23 or 25 on
    /// the days the clocks change).
    pub hours: Vec<u32>,
    /// The most people in at once that day.
    pub peak: u32,
    /// Different people who came that day.
    pub visitors: u32,
}

/// A location's occupancy by hour and day, checked in and out by its presence rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OccupancyView {
    pub location_id: i64,
    /// IANA zone the hours and dates are in.
    pub time_zone: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Oldest day first, every day of the range (days nobody came have zeros).
    pub days: Vec<OccupancyDayView>,
}

/// A date range for a CSV export (attendance, the ledger, the audit log), local dates.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The first local date (default: 30 days before `to`).
    pub from: Option<NaiveDate>,
    /// The last local date, included (default: today). At most 366 days in all.
    pub to: Option<NaiveDate>,
}
