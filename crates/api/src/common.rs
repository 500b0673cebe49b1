//! Shapes shared by every family: pages of lists, door access, plain-words reasons.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

/// The largest page any list returns.
pub const MAX_PAGE_SIZE: u32 = 200;
/// The page size when the request names none.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// `?offset=&limit=` of a paged list.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items to skip (default 0).
    pub offset: Option<u32>,
    /// How many items to return, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items the whole list has.
    pub total: u32,
    pub offset: u32,
    pub limit: u32,
}

/// Kisi groups and/or single Kisi locks (M7). Both empty = "Not selected".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoorAccess {
    #[serde(default)]
    pub groups: Vec<i64>,
    #[serde(default)]
    pub locks: Vec<i64>,
}

/// A reason standing between a person and a door, with the fix in plain words (A5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Reason {
    /// The cause, one stable code.
    pub cause: Cause,
    /// What stands in the way, e.g. `lock "Front door" requires the Kisi Reader`.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

/// The stable code of every reason the product gives: the rules' denial causes (core's
/// `DenialCause`, A5) and Kisi's refusals of an unlock (core's `UnlockRefusal`, A4). A cause both
/// name (a reader restriction) has one code. The hub maps both onto this in `convert`, exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    UnknownPerson,
    DisconnectedFromKisi,
    OnHold,
    NoBookingOrSubscription,
    NoDoorAccessOnPlan,
    NoDoorAccessOnResource,
    NoDoorAccessOnProduct,
    ItemAccessNotSelected,
    SubscriptionNotStarted,
    NotInCompany,
    NotABeneficiary,
    InviteeOfNonRoomBooking,
    NotYetOpen,
    AccessEnded,
    LockNotInGroups,
    GroupHasNoLocks,
    GroupDeleted,
    GroupNotYetSynced,
    HiddenByPlaceFilter,
    ReaderRestriction,
    GeofenceRestriction,
    TimeRestriction,
    DoorLockedDown,
    DoorOffline,
    UnconfirmedKisiEmail,
    EmailMismatch,
    NotInKisiYet,
    AccessPageMembersOnly,
    NoCurrentAccess,
    KisiLoginRefused,
    KisiUnreachable,
    RateLimited,
    KisiFailed,
}

/// A half-open window of access `[from, until)`; `until` absent = open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Window {
    pub from: chrono::DateTime<chrono::Utc>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

/// The answer of a write that has nothing else to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct Done {
    pub message: String,
}
