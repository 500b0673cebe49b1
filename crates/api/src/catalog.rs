//! What a location offers: plans (M1), resources (M2), products (M4), visitor policies (M5).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::common::DoorAccess;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Room,
    Desk,
    Office,
    Equipment,
    Parking,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    DayPass,
    Service,
}

/// A plan, resource, product or visitor policy with its door access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct PlanView {
    pub id: i64,
    pub location_id: i64,
    pub name: String,
    pub door_access: DoorAccess,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlanRequest {
    pub location_id: i64,
    pub name: String,
    #[serde(default)]
    pub door_access: DoorAccess,
}

/// `PATCH /api/plans/{id}`: the fields to change; absent ones stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePlanRequest {
    pub name: Option<String>,
    pub door_access: Option<DoorAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ResourceView {
    pub id: i64,
    pub location_id: i64,
    pub name: String,
    pub kind: ResourceKind,
    pub door_access: DoorAccess,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewResourceRequest {
    pub location_id: i64,
    pub name: String,
    pub kind: ResourceKind,
    #[serde(default)]
    pub door_access: DoorAccess,
}

/// `PATCH /api/resources/{id}`: the fields to change; absent ones stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateResourceRequest {
    pub name: Option<String>,
    pub kind: Option<ResourceKind>,
    pub door_access: Option<DoorAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub location_id: i64,
    pub name: String,
    pub kind: ProductKind,
    pub door_access: DoorAccess,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProductRequest {
    pub location_id: i64,
    pub name: String,
    pub kind: ProductKind,
    #[serde(default)]
    pub door_access: DoorAccess,
}

/// `PATCH /api/products/{id}`: the fields to change; absent ones stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProductRequest {
    pub name: Option<String>,
    pub kind: Option<ProductKind>,
    pub door_access: Option<DoorAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct VisitorPolicyView {
    pub id: i64,
    pub location_id: i64,
    pub name: String,
    pub door_access: DoorAccess,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVisitorPolicyRequest {
    pub location_id: i64,
    pub name: String,
    #[serde(default)]
    pub door_access: DoorAccess,
}

/// `PATCH /api/visitor-policies/{id}`: the fields to change; absent ones stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateVisitorPolicyRequest {
    pub name: Option<String>,
    pub door_access: Option<DoorAccess>,
}
