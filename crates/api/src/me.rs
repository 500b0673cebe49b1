//! What the person signed in sees: their Access page (A1–A5), explanations, unlocks (A4) and
//! their own Kisi login for the desktop app.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

use crate::common::{Cause, Reason, Window};

/// One lock on the Access page with the window that makes it available and why (A1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct LockAccess {
    pub lock_id: i64,
    pub name: String,
    pub window: Window,
    /// Provenance in plain words, naming things (times in the location's zone): "Hot Desk plan of
    /// Acme GmbH", "booking of Meeting Room Spree, 14:00–15:00", "manual grant, no end date".
    pub why: Vec<String>,
    /// A Kisi restriction that will refuse a remote unlock (reader, geofence).
    pub restriction: Option<Reason>,
    /// For a door open now: Kisi last reported it locked down or offline (`door_locked_down`,
    /// `door_offline`; the message says as of when Doorlink read it, at most one reconcile
    /// interval ago). Pressing still asks Kisi. `null`: neither, or Kisi did not say.
    pub door_state: Option<Reason>,
}

/// Issue 17: whether Kisi confirmed what a view states about a person's access at a location.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KisiConfirmationState {
    /// Kisi confirmed every change of this person (nothing is waiting to be written).
    Confirmed,
    /// A change is queued and not yet written to Kisi (also: not known, an older hub's answer).
    #[default]
    Pending,
    /// Writing the person's access to Kisi fails; it is retried after a back-off.
    Failing,
}

/// Issue 17: what Kisi confirmed of a person's access at one location, from the person's outbox
/// entry (waiting, failing) and Doorlink's mirror of Kisi (what is written there).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiConfirmation {
    pub state: KisiConfirmationState,
    /// When `failing`: since the first failed attempt in a row.
    pub failing_since: Option<DateTime<Utc>>,
    /// For the reader of the view: words for members on their own page, the error and its fix
    /// for staff. Empty when confirmed.
    pub message: String,
}

/// The Access page at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct LocationAccess {
    pub location_id: i64,
    pub location_name: String,
    /// The location's IANA time zone: "until 16:30" is read in it, whatever the viewer's zone.
    pub time_zone: String,
    /// A3: false when the page is for members only and the person is not one.
    pub visible: bool,
    pub open_now: Vec<LockAccess>,
    pub upcoming: Vec<LockAccess>,
    /// A5: why locks are missing; never empty when `open_now` is.
    pub reasons: Vec<Reason>,
    /// Issue 17: whether Kisi confirmed the doors listed here. Absent from an older hub's answer
    /// (the desktop's cache): read as not confirmed.
    #[serde(default)]
    pub kisi: KisiConfirmation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct MyAccess {
    pub person_id: i64,
    pub checked_at: DateTime<Utc>,
    pub locations: Vec<LocationAccess>,
}

/// Issue 17, point 4: a door of a location, by name (no one's access, no other people).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DoorName {
    pub lock_id: i64,
    pub name: String,
}

/// The doors of one location the person cannot open now, to ask about: "A door you expected
/// isn't here?" (the answer is `GET /api/me/locks/{lock_id}/explain`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct LocationOtherDoors {
    pub location_id: i64,
    pub location_name: String,
    /// The location's IANA time zone, in which "opens …" is read.
    pub time_zone: String,
    /// By name.
    pub doors: Vec<DoorName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct MyOtherDoors {
    pub locations: Vec<LocationOtherDoors>,
}

/// `?location_id=` narrows to one location.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct LocationFilter {
    pub location_id: Option<i64>,
}

/// A5: may the person open this lock now, and if not, the first rule in the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct LockExplanation {
    pub lock_id: i64,
    pub location_id: i64,
    pub may_open: bool,
    /// When `may_open`: until when and why.
    pub window: Option<Window>,
    pub why: Vec<String>,
    /// When not: the first rule standing in the way.
    pub reason: Option<Reason>,
    /// False when the answer rests on Kisi state Doorlink has not read yet.
    pub verified_in_kisi: bool,
    /// Issue 17: whether Kisi confirmed the person's access at this location.
    #[serde(default)]
    pub kisi: KisiConfirmation,
}

/// Optional context of an unlock: where the person is (geofenced locks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockRequest {
    pub location_id: Option<i64>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A4: the outcome of pressing a lock, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct UnlockOutcome {
    pub lock_id: i64,
    pub unlocked: bool,
    pub message: String,
    /// When refused: the reason and what to do.
    pub reason: Option<Reason>,
}

impl UnlockOutcome {
    /// Kisi opened the lock: its own message, or "Unlocked" when it said nothing (the hub's and
    /// the desktop's unlocks word success alike).
    pub fn unlocked(lock_id: i64, kisi_message: String) -> Self {
        Self {
            lock_id,
            unlocked: true,
            message: if kisi_message.is_empty() {
                "Unlocked".to_owned()
            } else {
                kisi_message
            },
            reason: None,
        }
    }
}

/// How old an [`UnlockReport`] may be: the hub refuses older ones and the desktop drops them
/// from its queue.
pub const UNLOCK_REPORT_MAX_AGE_DAYS: i64 = 30;
/// How far ahead of the hub's clock an [`UnlockReport`] may be dated (a device clock running fast).
pub const UNLOCK_REPORT_MAX_AHEAD_HOURS: i64 = 24;

/// A4: the desktop app unlocks straight with Kisi and reports each outcome afterwards, so the
/// admin's audit log shows it beside the hub's own unlocks. Sent again from the desktop's queue
/// when the hub was unreachable, so `at` may lie in the past (up to 30 days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockReport {
    pub lock_id: i64,
    pub location_id: i64,
    pub unlocked: bool,
    /// `Reason.cause` when Kisi (or the app) refused.
    pub cause: Option<Cause>,
    /// What the person was told ("Unlocked", Kisi's refusal).
    pub message: String,
    /// When the person pressed the lock.
    pub at: DateTime<Utc>,
}

/// The person's own Kisi login for the desktop app, which unlocks straight with Kisi (A4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiLoginView {
    pub location_id: i64,
    pub base_url: String,
    pub kisi_user_id: i64,
    pub email: String,
    /// Keep it in the OS keychain; never log it.
    pub secret: String,
}
