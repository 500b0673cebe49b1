//! Door-access mappings (M1–M7): which Kisi groups and single locks a plan, resource, product,
//! visitor policy, subscription-item override or manual grant opens. Stored as rows of
//! `door_access_targets`, one per target, each with exactly one owner.

use std::collections::HashMap;

use doorlink_core::{
    AccessTarget, DoorAccess, LocationId, ManualGrantId, PlanId, ProductId, ResourceId,
    SubscriptionItemId, VisitorPolicyId,
};
use sqlx::{AnyConnection, FromRow};

use crate::codec::{target, target_parts};
use crate::error::{Result, StoreError};

/// What carries a door access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MappingOwner {
    Plan(PlanId),
    Resource(ResourceId),
    Product(ProductId),
    VisitorPolicy(VisitorPolicyId),
    /// M3: the override of one subscription item.
    SubscriptionItem(SubscriptionItemId),
    ManualGrant(ManualGrantId),
}

impl MappingOwner {
    /// The owner's column in `door_access_targets` (a fixed set, so safe to put in SQL text).
    fn column(self) -> &'static str {
        match self {
            MappingOwner::Plan(_) => "plan_id",
            MappingOwner::Resource(_) => "resource_id",
            MappingOwner::Product(_) => "product_id",
            MappingOwner::VisitorPolicy(_) => "visitor_policy_id",
            MappingOwner::SubscriptionItem(_) => "subscription_item_id",
            MappingOwner::ManualGrant(_) => "manual_grant_id",
        }
    }

    fn id(self) -> i64 {
        match self {
            MappingOwner::Plan(id) => id.0,
            MappingOwner::Resource(id) => id.0,
            MappingOwner::Product(id) => id.0,
            MappingOwner::VisitorPolicy(id) => id.0,
            MappingOwner::SubscriptionItem(id) => id.0,
            MappingOwner::ManualGrant(id) => id.0,
        }
    }
}

#[derive(FromRow)]
struct TargetRow {
    plan_id: Option<i64>,
    resource_id: Option<i64>,
    product_id: Option<i64>,
    visitor_policy_id: Option<i64>,
    subscription_item_id: Option<i64>,
    manual_grant_id: Option<i64>,
    target_kind: String,
    kisi_id: i64,
}

impl TargetRow {
    fn owner(&self) -> Result<MappingOwner> {
        let owner = if let Some(id) = self.plan_id {
            MappingOwner::Plan(PlanId(id))
        } else if let Some(id) = self.resource_id {
            MappingOwner::Resource(ResourceId(id))
        } else if let Some(id) = self.product_id {
            MappingOwner::Product(ProductId(id))
        } else if let Some(id) = self.visitor_policy_id {
            MappingOwner::VisitorPolicy(VisitorPolicyId(id))
        } else if let Some(id) = self.subscription_item_id {
            MappingOwner::SubscriptionItem(SubscriptionItemId(id))
        } else if let Some(id) = self.manual_grant_id {
            MappingOwner::ManualGrant(ManualGrantId(id))
        } else {
            return Err(StoreError::corrupt(
                "door_access_targets",
                "plan_id",
                "a row without an owner",
            ));
        };
        Ok(owner)
    }

    fn target(&self) -> Result<AccessTarget> {
        target("door_access_targets", &self.target_kind, self.kisi_id)
    }
}

const TARGET_COLUMNS: &str = "plan_id, resource_id, product_id, visitor_policy_id, \
                              subscription_item_id, manual_grant_id, target_kind, kisi_id";

fn add_target(access: &mut DoorAccess, target: AccessTarget) {
    match target {
        AccessTarget::Group(id) => {
            access.groups.insert(id);
        }
        AccessTarget::Lock(id) => {
            access.locks.insert(id);
        }
    }
}

/// Replaces the owner's door access with `access` (an empty access removes every row).
pub(crate) async fn save_door_access(
    conn: &mut AnyConnection,
    location: LocationId,
    owner: MappingOwner,
    access: &DoorAccess,
) -> Result<()> {
    let column = owner.column();
    let delete = format!("DELETE FROM door_access_targets WHERE {column} = $1");
    sqlx::query(sqlx::AssertSqlSafe(delete))
        .bind(owner.id())
        .execute(&mut *conn)
        .await?;
    let insert = format!(
        "INSERT INTO door_access_targets (location_id, {column}, target_kind, kisi_id) \
         VALUES ($1, $2, $3, $4)"
    );
    for target in access.targets() {
        let (kind, kisi_id) = target_parts(target);
        sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
            .bind(location.0)
            .bind(owner.id())
            .bind(kind)
            .bind(kisi_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The owner's door access (empty when it has none).
pub(crate) async fn load_door_access(
    conn: &mut AnyConnection,
    owner: MappingOwner,
) -> Result<DoorAccess> {
    let sql = format!(
        "SELECT {TARGET_COLUMNS} FROM door_access_targets WHERE {} = $1",
        owner.column()
    );
    let rows: Vec<TargetRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(owner.id())
        .fetch_all(conn)
        .await?;
    let mut access = DoorAccess::none();
    for row in rows {
        add_target(&mut access, row.target()?);
    }
    Ok(access)
}

/// Every door access of a location, by owner (owners without rows are absent: no access).
pub(crate) async fn load_location_door_access(
    conn: &mut AnyConnection,
    location: LocationId,
) -> Result<HashMap<MappingOwner, DoorAccess>> {
    let sql = format!("SELECT {TARGET_COLUMNS} FROM door_access_targets WHERE location_id = $1");
    let rows: Vec<TargetRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(location.0)
        .fetch_all(conn)
        .await?;
    let mut by_owner: HashMap<MappingOwner, DoorAccess> = HashMap::new();
    for row in rows {
        add_target(by_owner.entry(row.owner()?).or_default(), row.target()?);
    }
    Ok(by_owner)
}

/// The owners whose door access names `target` at the location (M8 warnings, C4 orphans).
pub(crate) async fn owners_using(
    conn: &mut AnyConnection,
    location: LocationId,
    target: AccessTarget,
) -> Result<Vec<MappingOwner>> {
    let (kind, kisi_id) = target_parts(target);
    let sql = format!(
        "SELECT {TARGET_COLUMNS} FROM door_access_targets \
         WHERE location_id = $1 AND target_kind = $2 AND kisi_id = $3"
    );
    let rows: Vec<TargetRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(location.0)
        .bind(kind)
        .bind(kisi_id)
        .fetch_all(conn)
        .await?;
    let mut owners = rows
        .iter()
        .map(TargetRow::owner)
        .collect::<Result<Vec<_>>>()?;
    owners.sort_unstable();
    Ok(owners)
}
