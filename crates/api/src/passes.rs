//! Day passes (R9), visits (R10) and manual grants (M6, R11).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::common::DoorAccess;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DayPassView {
    pub id: i64,
    pub location_id: i64,
    pub person_id: i64,
    pub product_id: i64,
    pub date: NaiveDate,
    /// A cancelled pass is kept and grants nothing (R9).
    pub cancelled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDayPassRequest {
    pub person_id: i64,
    pub product_id: i64,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct VisitView {
    pub id: i64,
    pub location_id: i64,
    pub visitor_id: i64,
    pub policy_id: i64,
    pub expected_arrival: DateTime<Utc>,
    pub expected_departure: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The person at the location who expects the visitor (absent for visits made without one).
    pub host: Option<crate::people::PersonView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVisitRequest {
    pub visitor_id: i64,
    pub policy_id: i64,
    pub expected_arrival: DateTime<Utc>,
    pub expected_departure: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ManualGrantView {
    pub id: i64,
    pub location_id: i64,
    pub person_id: i64,
    pub door_access: DoorAccess,
    pub starts_at: DateTime<Utc>,
    /// Absent = indefinite (R11).
    pub ends_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewManualGrantRequest {
    pub location_id: i64,
    pub person_id: i64,
    pub door_access: DoorAccess,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
}

/// Ends a manual grant now or at a later instant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndGrantRequest {
    pub at: Option<DateTime<Utc>>,
}
