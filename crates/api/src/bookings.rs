//! Bookings with invitees (R6–R8).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct BookingView {
    pub id: i64,
    pub location_id: i64,
    pub resource_id: i64,
    pub booker_id: i64,
    pub invitee_ids: Vec<i64>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBookingRequest {
    pub resource_id: i64,
    pub booker_id: i64,
    #[serde(default)]
    pub invitee_ids: Vec<i64>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// R8: moving or resizing moves the access window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBookingRequest {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// R7: the invitees get the booker's access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetInviteesRequest {
    pub invitee_ids: Vec<i64>,
}

/// Which bookings to list, by start, cancelled ones included: a resource's and/or a person's (at
/// least one of the two), narrowed to a range by `from`/`until`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct BookingQuery {
    pub resource_id: Option<i64>,
    /// As booker or invitee.
    pub person_id: Option<i64>,
    /// With `until`: bookings whose `[start, end)` overlaps `[from, until)` (RFC 3339 instants);
    /// a booking ending exactly at `from` is not listed.
    pub from: Option<DateTime<Utc>>,
    /// Must be after `from`; a booking starting exactly at `until` is not listed.
    pub until: Option<DateTime<Utc>>,
    pub offset: Option<u32>,
    pub limit: Option<u32>,
}
