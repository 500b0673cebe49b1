//! Locations: time zone, booking grace, Access-page visibility (A3), Kisi place (A2).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A3: who may use the Access page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    MembersOnly,
    Public,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct LocationView {
    pub id: i64,
    pub name: String,
    /// An IANA zone name, e.g. `Europe/Berlin`.
    pub time_zone: String,
    pub booking_grace_minutes: u32,
    pub access_page_visibility: Visibility,
    /// A2: the Kisi place whose locks are shown; absent = "Not selected" (all places).
    pub kisi_place_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLocationRequest {
    pub name: String,
    pub time_zone: String,
    /// Default 30 (R6).
    pub booking_grace_minutes: Option<i64>,
    /// Default `members_only`.
    pub access_page_visibility: Option<Visibility>,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLocationRequest {
    pub name: Option<String>,
    pub time_zone: Option<String>,
    pub booking_grace_minutes: Option<i64>,
    pub access_page_visibility: Option<Visibility>,
}
