//! Subscriptions with items, beneficiaries, end and cancellation (R1–R5, M3).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::common::DoorAccess;

/// Who holds a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum HolderRef {
    Person(i64),
    Company(i64),
}

/// What one item sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum ItemRef {
    Plan(i64),
    ResourceRental(i64),
    Service(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Paid,
    Unpaid,
    Overdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SubscriptionItemView {
    pub id: i64,
    pub sells: ItemRef,
    /// M3: the item's own door access, replacing the inherited one; absent = inherited.
    pub access_override: Option<DoorAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SubscriptionView {
    pub id: i64,
    pub location_id: i64,
    pub holder: HolderRef,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub items: Vec<SubscriptionItemView>,
    pub beneficiaries: Vec<i64>,
    /// R4: shown only; access never depends on it.
    pub payment_status: PaymentStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItemRequest {
    pub sells: ItemRef,
    pub access_override: Option<DoorAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscriptionRequest {
    pub location_id: i64,
    pub holder: HolderRef,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub items: Vec<NewItemRequest>,
    #[serde(default)]
    pub beneficiaries: Vec<i64>,
    pub payment_status: Option<PaymentStatus>,
}

/// R2: the last day (a full day); `null` = open-ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetEndRequest {
    pub end: Option<NaiveDate>,
}

/// R3 / R8: cancel now, or at a later instant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    pub at: Option<DateTime<Utc>>,
}

/// R5: only these company members get access; empty = every member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBeneficiariesRequest {
    pub beneficiaries: Vec<i64>,
}

/// M3: `null` = inherit again; an empty door access = "Not selected".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetItemOverrideRequest {
    pub access_override: Option<DoorAccess>,
}

/// Whose subscriptions to list: a person's own or a company's (exactly one).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    TS,
    ToSchema,
    utoipa::IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct SubscriptionQuery {
    pub person_id: Option<i64>,
    pub company_id: Option<i64>,
}
