//! What a location offers and where door access is configured: plans (M1), resources (M2), products
//! (M4) and visitor policies (M5).

use serde::{Deserialize, Serialize};

use crate::ids::{PlanId, ProductId, ResourceId, VisitorPolicyId};
use crate::model::door_access::DoorAccess;

/// A membership plan. M1: subscriptions to it inherit its door access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub name: String,
    pub door_access: DoorAccess,
}

/// The kinds of resource the seed names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Room,
    Desk,
    Office,
    Equipment,
    Parking,
}

/// A bookable or rentable resource. M2: bookings of it and subscription items renting it inherit its
/// door access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub id: ResourceId,
    pub name: String,
    pub kind: ResourceKind,
    pub door_access: DoorAccess,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// Sold for one date (R9).
    DayPass,
    /// Sold as a subscription item (M4).
    Service,
}

/// A day-pass or service product. M4: it may carry a door access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub kind: ProductKind,
    pub door_access: DoorAccess,
}

/// A location's visitor policy. M5: with a door access, visits under it get a Kisi access link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorPolicy {
    pub id: VisitorPolicyId,
    pub name: String,
    pub door_access: DoorAccess,
}
