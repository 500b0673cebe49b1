//! Outcome webhooks (issue 15): what happened to access, told to other systems. Admins register
//! endpoints; Doorlink posts each [`OutcomeEvent`] to every endpoint that asked for its type,
//! signed and retried until the endpoint answers 2xx. The delivery contract is written out in
//! `docs/outcome-webhooks.md`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

/// The types of outcome event, as they are spelt in `type`.
pub const OUTCOME_TYPES: &[&str] = &[
    "grant.applied",
    "grant.failed",
    "revocation.completed",
    "unlock.succeeded",
    "unlock.denied",
    "presence.changed",
];

/// One event as an endpoint receives it (the body of the POST):
/// `{"id":"…","type":"grant.applied","created_at":"…","location_id":1,"data":{…}}`.
/// `id` is the idempotency key: the same event sent again (a retry, "send again") has the same
/// `id`, so a receiver that keeps the ids it has seen acts once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutcomeEvent {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub location_id: i64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What happened, by type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", content = "data")]
pub enum Outcome {
    /// Kisi confirmed a grant Doorlink wrote (a role assignment or a visitor's access link).
    #[serde(rename = "grant.applied")]
    GrantApplied(GrantOutcome),
    /// Kisi refused a grant, or could not be reached; Doorlink tries again (the cause says why).
    #[serde(rename = "grant.failed")]
    GrantFailed(GrantOutcome),
    /// Kisi confirmed that access the rules ended is gone.
    #[serde(rename = "revocation.completed")]
    RevocationCompleted(RevocationOutcome),
    /// A door opened (Kisi's event).
    #[serde(rename = "unlock.succeeded")]
    UnlockSucceeded(DoorOutcome),
    /// Kisi refused to open a door; `cause` is Kisi's reason.
    #[serde(rename = "unlock.denied")]
    UnlockDenied(DoorOutcome),
    /// A person was checked in or out by a door (the location's presence rules).
    #[serde(rename = "presence.changed")]
    PresenceChanged(PresenceOutcome),
    /// Sent by "Send a test event" only.
    #[serde(rename = "ping")]
    Ping(PingOutcome),
}

impl Outcome {
    /// The event's `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::GrantApplied(_) => "grant.applied",
            Self::GrantFailed(_) => "grant.failed",
            Self::RevocationCompleted(_) => "revocation.completed",
            Self::UnlockSucceeded(_) => "unlock.succeeded",
            Self::UnlockDenied(_) => "unlock.denied",
            Self::PresenceChanged(_) => "presence.changed",
            Self::Ping(_) => "ping",
        }
    }
}

/// A grant Doorlink wrote into Kisi (or tried to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GrantOutcome {
    pub person_id: i64,
    pub person_name: String,
    /// What the grant opens, in words ("Members' doors", "the Kisi group Elbe").
    pub access: String,
    pub kisi_group_id: Option<i64>,
    pub valid_from: DateTime<Utc>,
    /// None: open-ended.
    pub valid_until: Option<DateTime<Utc>>,
    /// `role_assignment` or `access_link` (a visitor's).
    pub grant: String,
    /// `grant.failed` only: why, in words staff can act on.
    pub cause: Option<String>,
}

/// Access Kisi confirmed gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RevocationOutcome {
    pub person_id: i64,
    pub person_name: String,
    /// What was revoked, in words.
    pub what: String,
    /// When the change that ended the access was made.
    pub ended_at: DateTime<Utc>,
    /// When Kisi confirmed it.
    pub confirmed_at: DateTime<Utc>,
    pub millis: i64,
}

/// A door opened or refused, as Kisi reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoorOutcome {
    /// Kisi's event uuid.
    pub kisi_event: String,
    pub door: String,
    pub kisi_lock_id: Option<i64>,
    /// The person Doorlink knows the actor as, if any.
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    /// Who Kisi says acted.
    pub actor_name: String,
    pub occurred_at: DateTime<Utc>,
    /// `unlock.denied` only: Kisi's reason ("You do not have access to this lock.").
    pub cause: Option<String>,
    /// `unlock.denied` only: Kisi's error code.
    pub cause_code: Option<String>,
}

/// A person checked in or out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PresenceOutcome {
    pub person_id: i64,
    pub person_name: String,
    /// True: checked in; false: checked out.
    pub present: bool,
    /// The door whose opening changed it.
    pub door: String,
    pub at: DateTime<Utc>,
}

/// The test event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PingOutcome {
    pub message: String,
}

/// An endpoint as admins see it; its secret is shown once, when it is created or replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OutcomeEndpointView {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// The event types it receives (of [`OUTCOME_TYPES`]).
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
    /// At least one of [`OUTCOME_TYPES`].
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
