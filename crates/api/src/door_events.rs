//! What happened at the doors (issue 15): Kisi's events as Doorlink keeps them, and the webhook
//! an admin sets up in Kisi to send them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

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
