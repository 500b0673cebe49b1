//! People and companies with their members (R5).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PersonView {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// `?search=&offset=&limit=` of the people list, sorted by name.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Part of a name or e-mail, any case (`%` and `_` are plain characters); absent or blank =
    /// everybody.
    pub search: Option<String>,
    /// How many people to skip (default 0).
    pub offset: Option<u32>,
    /// How many people to return, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// One person in a location's People list, with their standing there (issue 17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PersonStandingView {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// The plans of their subscriptions running now (own or their company's), by name.
    pub plans: Vec<String>,
    /// R14: since when their door access here is on hold.
    pub on_hold_since: Option<DateTime<Utc>>,
}

/// Which people a location's People list keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StandingFilter {
    /// On a plan now.
    Members,
    /// On no plan now.
    NoPlan,
    /// Door access on hold (R14).
    OnHold,
}

/// `?search=&standing=&offset=&limit=` of a location's People list, sorted by name.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct LocationPeopleQuery {
    /// Part of a name or e-mail, any case; absent or blank = everybody.
    pub search: Option<String>,
    /// Keep only members, people on no plan, or people on hold; absent = everybody.
    pub standing: Option<StandingFilter>,
    /// How many people to skip (default 0).
    pub offset: Option<u32>,
    /// How many people to return, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPersonRequest {
    pub name: String,
    pub email: String,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePersonRequest {
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct CompanyView {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyRequest {
    pub name: String,
}

/// One interval of a person's membership in a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct MembershipView {
    pub person_id: i64,
    pub company_id: i64,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

/// R5: when the person leaves the company (default: now). A membership that has not begun by
/// then (a future join) is deleted outright.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct RemoveMemberQuery {
    pub leaves_at: Option<DateTime<Utc>>,
}

/// R5: the person gains the company's access at once (or from `joined_at`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberRequest {
    pub person_id: i64,
    /// Default: now.
    pub joined_at: Option<DateTime<Utc>>,
}
