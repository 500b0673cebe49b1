//! The front desk's visitors (issue 17, point 9): a visitor registered by name and e-mail with a
//! host (R10), the expected visitors and day passes of a day (R9), and each visit's Kisi access link.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

use crate::passes::{DayPassView, VisitView};
use crate::people::PersonView;

/// Register a visitor: no person record is needed first. The person with this e-mail (a member,
/// a returning visitor) is the visitor; otherwise one is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterVisitorRequest {
    /// At most 200 characters.
    pub name: String,
    /// At most 254 characters.
    pub email: String,
    /// The person at the location who expects the visitor.
    pub host_id: i64,
    /// The visitor policy (its door access gives the visit its Kisi access link, M5).
    pub policy_id: i64,
    pub expected_arrival: DateTime<Utc>,
    pub expected_departure: DateTime<Utc>,
}

/// The visit with whether its visitor was created for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct RegisteredVisitorView {
    pub visit: VisitView,
    pub visitor: PersonView,
    /// `false` when the e-mail already belonged to a person, who is the visitor now.
    pub visitor_created: bool,
}

/// `?location_id=&date=`: the day (in the location's time zone) whose visitors the desk expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitorsQuery {
    pub location_id: i64,
    /// Absent = today at the location.
    pub date: Option<NaiveDate>,
}

/// Where a visit is in its day, by the location's clock (R10's window, grace included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    /// The access window has not opened yet.
    Expected,
    /// The access window is open now.
    OnSite,
    /// The window is over, or the visit was ended early or cancelled.
    Ended,
}

/// Whether the visitor's Kisi access link can be handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessLinkState {
    /// Kisi created the link: `url` and `qr_svg` carry it.
    Ready,
    /// The sync has not created it in Kisi yet (or Kisi is failing): it comes without a reload.
    BeingPrepared,
    /// Kisi holds a link but Doorlink never received its address (adopted after a lost answer);
    /// Kisi e-mailed it to the visitor.
    NotReceived,
    /// The visit is over or its policy has no door access: no link.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AccessLinkView {
    pub state: AccessLinkState,
    pub url: Option<String>,
    /// The link as a QR code, an SVG document.
    pub qr_svg: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ExpectedVisitView {
    pub visit: VisitView,
    pub visitor: PersonView,
    pub policy_name: String,
    pub status: VisitStatus,
    pub access_link: AccessLinkView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DeskDayPassView {
    pub pass: DayPassView,
    pub holder: PersonView,
    pub product_name: String,
}

/// The desk's day: expected visitors and day passes, cancelled ones included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct VisitorsDayView {
    pub location_id: i64,
    pub date: NaiveDate,
    /// The location's IANA zone: every time on the page is shown in it.
    pub time_zone: String,
    pub visits: Vec<ExpectedVisitView>,
    pub day_passes: Vec<DeskDayPassView>,
}
