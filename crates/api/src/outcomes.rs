//! Outcome webhooks (issue 15): admins register endpoints; Doorlink posts each outcome event
//! (`doorlink_core::outcome`) to every endpoint that asked for its type, signed and retried until
//! the endpoint answers 2xx. The delivery contract is written out in `docs/outcome-webhooks.md`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

/// An endpoint as admins see it; its secret is shown once, when it is created or replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OutcomeEndpointView {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// The event types it receives (`grant.applied`, …).
    pub events: Vec<String>,
    /// Only this location's events; none: every location's.
    pub location_id: Option<i64>,
    /// Paused endpoints are sent nothing (their events are not kept for later).
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    /// Deliveries waiting for their first try or a retry.
    pub pending: u64,
    /// Deliveries given up on after every attempt failed.
    pub failed: u64,
    pub last_delivered_at: Option<DateTime<Utc>>,
}

/// Registers or changes an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OutcomeEndpointRequest {
    /// `https://…` (or `http://…`), at most 2,000 characters.
    pub url: String,
    /// At most 200 characters.
    #[serde(default)]
    pub description: String,
    /// At least one of `grant.applied`, `grant.failed`, `revocation.completed`,
    /// `unlock.succeeded`, `unlock.denied`, `presence.changed`.
    pub events: Vec<String>,
    #[serde(default)]
    pub location_id: Option<i64>,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

/// A new endpoint, or a new secret: the secret is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OutcomeEndpointSecret {
    pub endpoint: OutcomeEndpointView,
    /// Check each delivery's `Doorlink-Signature` with it (see `docs/outcome-webhooks.md`).
    pub secret: String,
}

/// One event's delivery to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OutcomeDeliveryView {
    pub id: i64,
    pub endpoint_id: i64,
    /// The event's id (its idempotency key).
    pub event_id: String,
    pub event_type: String,
    pub location_id: i64,
    /// `pending`, `delivered` or `failed` (given up after every attempt).
    pub status: String,
    pub attempts: u32,
    /// The HTTP status of the last attempt, if the endpoint answered.
    pub last_status_code: Option<u16>,
    /// What went wrong on the last attempt, in words.
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The body as sent.
    pub body: String,
}

/// A page of deliveries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OutcomeDeliveryPage {
    pub deliveries: Vec<OutcomeDeliveryView>,
    /// Pass as `before` for the next (older) page.
    pub next_before: Option<i64>,
}

/// Which deliveries to list.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct OutcomeDeliveriesQuery {
    /// `pending`, `delivered` or `failed`.
    pub status: Option<String>,
    pub before: Option<i64>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}
