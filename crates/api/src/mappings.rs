//! Door-access mappings (M1–M6) and their warnings (C4 orphaned, M8 shared group).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::common::DoorAccess;

/// One place where a door access is configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct MappingView {
    /// `plan`, `resource`, `product`, `visitor_policy`, `subscription_item` or `manual_grant`.
    pub kind: String,
    /// The id of the plan, resource, product, policy, item or grant.
    pub id: i64,
    /// For a subscription item: its subscription.
    pub subscription_id: Option<i64>,
    pub door_access: DoorAccess,
    /// Plain-words warnings: a group deleted in Kisi (C4), a group shared with others (M8), a group
    /// whose app access is off or that allows only the primary device (A4).
    pub warnings: Vec<String>,
}
