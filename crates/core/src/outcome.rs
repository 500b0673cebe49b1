//! Outcome events (issue 15): what happened to access, as Doorlink tells other systems through
//! the admins' outcome webhooks. This is the body each endpoint receives, documented in
//! `docs/outcome-webhooks.md`; the store keeps an event in the same write as what caused it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The types of outcome event, as they are spelt in `type`.
pub const TYPES: &[&str] = &[
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeEvent {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub location_id: i64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What happened, by type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantOutcome {
    pub person_id: i64,
    pub person_name: String,
    /// What the grant opens, in words (`group "Room Elbe"`, or `lock "Front door"` for a single
    /// door's grant).
    pub access: String,
    /// None for a single door's grant.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PingOutcome {
    pub message: String,
}
