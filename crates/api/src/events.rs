//! Live change notices sent over server-sent events (`/api/events`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    LocationChanged,
    KisiConnectionChanged,
    MappingChanged,
    PersonChanged,
    CompanyChanged,
    CatalogChanged,
    SubscriptionChanged,
    BookingChanged,
    PassChanged,
    KisiAccountChanged,
    SyncChanged,
    AccessChanged,
    /// Kisi told of something at a door (issue 15).
    DoorEventsChanged,
}

/// One notice: `{"kind":"booking_changed","location_id":1,"people":[4,7],"id":12}`. Members only
/// receive notices that name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ChangeNotice {
    pub kind: ChangeKind,
    pub location_id: Option<i64>,
    /// The people whose access may have changed; empty = no one in particular (staff only).
    pub people: Vec<i64>,
    /// The id of the changed record, if one.
    pub id: Option<i64>,
}
