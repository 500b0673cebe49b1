//! How subscriptions and their items are stored and read back (validated by core).

use std::collections::BTreeSet;

use doorlink_core::{
    CompanyId, DoorAccess, Holder, ItemKind, LocationId, PaymentStatus, PersonId, PlanId,
    ProductId, ResourceId, Subscription, SubscriptionId, SubscriptionItem, SubscriptionItemId,
};
use sqlx::{AnyConnection, FromRow};

use crate::codec::{Flag, TextEnum, date, opt_instant};
use crate::door_access::{MappingOwner, load_door_access};
use crate::error::{Result, StoreError};

#[derive(FromRow)]
pub(crate) struct SubscriptionRow {
    pub(crate) id: i64,
    location_id: i64,
    holder_person_id: Option<i64>,
    holder_company_id: Option<i64>,
    start_date: String,
    end_date: Option<String>,
    cancelled_at: Option<i64>,
    payment_status: String,
}

pub(crate) const SUBSCRIPTION_COLUMNS: &str = "id, location_id, holder_person_id, \
     holder_company_id, start_date, end_date, cancelled_at, payment_status";

#[derive(FromRow)]
pub(crate) struct ItemRow {
    pub(crate) id: i64,
    pub(crate) subscription_id: i64,
    plan_id: Option<i64>,
    resource_id: Option<i64>,
    product_id: Option<i64>,
    #[sqlx(try_from = "Flag")]
    pub(crate) access_overridden: bool,
}

pub(crate) const ITEM_COLUMNS: &str =
    "id, subscription_id, plan_id, resource_id, product_id, access_overridden";

impl ItemRow {
    /// The item, with its override when `access_overridden` (the caller loads the override rows).
    pub(crate) fn into_item(self, access_override: Option<DoorAccess>) -> Result<SubscriptionItem> {
        let kind = match (self.plan_id, self.resource_id, self.product_id) {
            (Some(plan), None, None) => ItemKind::Plan(PlanId(plan)),
            (None, Some(resource), None) => ItemKind::ResourceRental(ResourceId(resource)),
            (None, None, Some(product)) => ItemKind::Service(ProductId(product)),
            _ => {
                return Err(StoreError::corrupt(
                    "subscription_items",
                    "plan_id",
                    "an item that is not exactly one of plan, resource and product",
                ));
            }
        };
        Ok(SubscriptionItem {
            id: SubscriptionItemId(self.id),
            kind,
            access_override: if self.access_overridden {
                Some(access_override.unwrap_or_default())
            } else {
                None
            },
        })
    }
}

impl SubscriptionRow {
    pub(crate) fn location(&self) -> LocationId {
        LocationId(self.location_id)
    }

    /// The subscription with its items and beneficiaries; validated by core.
    pub(crate) fn into_subscription(
        self,
        items: Vec<SubscriptionItem>,
        beneficiaries: BTreeSet<PersonId>,
    ) -> Result<Subscription> {
        let holder = match (self.holder_person_id, self.holder_company_id) {
            (Some(person), None) => Holder::Person(PersonId(person)),
            (None, Some(company)) => Holder::Company(CompanyId(company)),
            _ => {
                return Err(StoreError::corrupt(
                    "subscriptions",
                    "holder_person_id",
                    "a subscription without exactly one holder",
                ));
            }
        };
        let subscription = Subscription {
            id: SubscriptionId(self.id),
            holder,
            start: date("subscriptions", "start_date", &self.start_date)?,
            end: self
                .end_date
                .as_deref()
                .map(|end| date("subscriptions", "end_date", end))
                .transpose()?,
            cancelled_at: opt_instant("subscriptions", "cancelled_at", self.cancelled_at)?,
            items,
            beneficiaries,
            payment_status: PaymentStatus::from_text(&self.payment_status)?,
        };
        subscription.validate()?;
        Ok(subscription)
    }
}

pub(super) async fn load_subscription(
    conn: &mut AnyConnection,
    id: SubscriptionId,
) -> Result<(LocationId, Subscription)> {
    let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1");
    let row: Option<SubscriptionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    let row = row.ok_or_else(|| StoreError::not_found("subscription", id.0))?;
    let location = row.location();
    let subscription = complete(conn, row).await?;
    Ok((location, subscription))
}

/// Adds the items (with overrides) and beneficiaries to a subscription row.
pub(super) async fn complete(
    conn: &mut AnyConnection,
    row: SubscriptionRow,
) -> Result<Subscription> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM subscription_items WHERE subscription_id = $1 ORDER BY id"
    );
    let item_rows: Vec<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(row.id)
        .fetch_all(&mut *conn)
        .await?;
    let mut items = Vec::with_capacity(item_rows.len());
    for item in item_rows {
        let access = if item.access_overridden {
            let owner = MappingOwner::SubscriptionItem(SubscriptionItemId(item.id));
            Some(load_door_access(&mut *conn, owner).await?)
        } else {
            None
        };
        items.push(item.into_item(access)?);
    }
    let beneficiaries: Vec<i64> = sqlx::query_scalar(
        "SELECT person_id FROM subscription_beneficiaries WHERE subscription_id = $1",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await?;
    row.into_subscription(items, beneficiaries.into_iter().map(PersonId).collect())
}
