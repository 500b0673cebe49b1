//! Subscriptions of people and companies: items, door-access overrides (M3), beneficiaries (R5),
//! end date (R2) and cancellation (R3). Each write enqueues everyone whose access it can change.

mod rows;

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use doorlink_core::{
    DoorAccess, Holder, ItemKind, LocationId, PaymentStatus, PersonId, Subscription,
    SubscriptionId, SubscriptionItem, SubscriptionItemId,
};
use sqlx::AnyConnection;

use crate::codec::{TextEnum, date_text, millis, opt_millis};
use crate::db::Store;
use crate::door_access::{MappingOwner, save_door_access};
use crate::error::{Result, StoreError};
use crate::locations::require_location;
use crate::outbox::{Priority, enqueue_people_in};
use crate::people::require_person;

pub(crate) use rows::{ITEM_COLUMNS, ItemRow, SUBSCRIPTION_COLUMNS, SubscriptionRow};
use rows::{complete, load_subscription};

/// One item of a subscription to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub kind: ItemKind,
    /// M3: `Some` replaces the inherited door access (`Some(DoorAccess::none())` = "Not selected").
    pub access_override: Option<DoorAccess>,
}

impl NewItem {
    /// An item that inherits its door access (M1, M2, M4).
    pub fn inheriting(kind: ItemKind) -> Self {
        Self {
            kind,
            access_override: None,
        }
    }
}

/// A subscription to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscription {
    pub location: LocationId,
    pub holder: Holder,
    pub start: NaiveDate,
    /// The last day, a full day (R2); `None` = open-ended.
    pub end: Option<NaiveDate>,
    pub items: Vec<NewItem>,
    /// R5: only for company subscriptions; empty = every member.
    pub beneficiaries: BTreeSet<PersonId>,
    pub payment_status: PaymentStatus,
}

/// The subscriptions repository.
#[derive(Debug, Clone, Copy)]
pub struct Subscriptions<'s> {
    store: &'s Store,
}

impl Store {
    pub fn subscriptions(&self) -> Subscriptions<'_> {
        Subscriptions { store: self }
    }
}

/// Everybody whose access the subscription can give (R5): the holder, or every person who ever
/// was a member of the holding company, and the beneficiaries.
async fn people_of(
    conn: &mut AnyConnection,
    subscription: &Subscription,
) -> Result<BTreeSet<PersonId>> {
    let mut people: BTreeSet<PersonId> = subscription.beneficiaries.clone();
    match subscription.holder {
        Holder::Person(person) => {
            people.insert(person);
        }
        Holder::Company(company) => {
            let members: Vec<i64> = sqlx::query_scalar(
                "SELECT DISTINCT person_id FROM company_memberships WHERE company_id = $1",
            )
            .bind(company.0)
            .fetch_all(conn)
            .await?;
            people.extend(members.into_iter().map(PersonId));
        }
    }
    Ok(people)
}

/// Refuses an item whose plan, resource or product is not at the subscription's location.
async fn require_item_kind(
    conn: &mut AnyConnection,
    location: LocationId,
    kind: ItemKind,
) -> Result<()> {
    let (sql, entity, id) = match kind {
        ItemKind::Plan(id) => ("SELECT location_id FROM plans WHERE id = $1", "plan", id.0),
        ItemKind::ResourceRental(id) => (
            "SELECT location_id FROM resources WHERE id = $1",
            "resource",
            id.0,
        ),
        ItemKind::Service(id) => (
            "SELECT location_id FROM products WHERE id = $1",
            "product",
            id.0,
        ),
    };
    let found: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    match found {
        Some(at) if at == location.0 => Ok(()),
        Some(_) => Err(StoreError::Invalid {
            field: "items",
            reason: format!("{entity} {id} belongs to another location"),
        }),
        None => Err(StoreError::not_found(entity, id)),
    }
}

async fn insert_item(
    conn: &mut AnyConnection,
    location: LocationId,
    subscription: SubscriptionId,
    item: &NewItem,
) -> Result<SubscriptionItem> {
    require_item_kind(&mut *conn, location, item.kind).await?;
    let (plan, resource, product) = match item.kind {
        ItemKind::Plan(id) => (Some(id.0), None, None),
        ItemKind::ResourceRental(id) => (None, Some(id.0), None),
        ItemKind::Service(id) => (None, None, Some(id.0)),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO subscription_items (subscription_id, plan_id, resource_id, product_id, \
                                         access_overridden) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(subscription.0)
    .bind(plan)
    .bind(resource)
    .bind(product)
    .bind(item.access_override.is_some())
    .fetch_one(&mut *conn)
    .await?;
    let id = SubscriptionItemId(id);
    if let Some(access) = &item.access_override {
        save_door_access(conn, location, MappingOwner::SubscriptionItem(id), access).await?;
    }
    Ok(SubscriptionItem {
        id,
        kind: item.kind,
        access_override: item.access_override.clone(),
    })
}

async fn insert_beneficiaries(
    conn: &mut AnyConnection,
    subscription: SubscriptionId,
    beneficiaries: &BTreeSet<PersonId>,
) -> Result<()> {
    for &person in beneficiaries {
        require_person(&mut *conn, person).await?;
        sqlx::query(
            "INSERT INTO subscription_beneficiaries (subscription_id, person_id) VALUES ($1, $2)",
        )
        .bind(subscription.0)
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn require_holder(conn: &mut AnyConnection, holder: Holder) -> Result<()> {
    match holder {
        Holder::Person(person) => require_person(conn, person).await,
        Holder::Company(company) => {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM companies WHERE id = $1")
                .bind(company.0)
                .fetch_optional(conn)
                .await?;
            found
                .map(|_| ())
                .ok_or_else(|| StoreError::not_found("company", company.0))
        }
    }
}

impl Subscriptions<'_> {
    /// Creates a subscription with its items and beneficiaries, and enqueues everyone it gives access
    /// to (R1: the grant is written ahead of the start date).
    pub async fn create(&self, new: &NewSubscription) -> Result<Subscription> {
        let placeholder = SubscriptionId(0);
        let valid = Subscription::new(placeholder, new.holder, new.start, new.end, Vec::new())?
            .with_beneficiaries(new.beneficiaries.iter().copied())?
            .with_payment_status(new.payment_status);
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        require_location(&mut tx, new.location).await?;
        require_holder(&mut tx, new.holder).await?;
        let (person, company) = match new.holder {
            Holder::Person(p) => (Some(p.0), None),
            Holder::Company(c) => (None, Some(c.0)),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO subscriptions (location_id, holder_person_id, holder_company_id, \
                                        start_date, end_date, payment_status, created_at, \
                                        updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(new.location.0)
        .bind(person)
        .bind(company)
        .bind(date_text(new.start))
        .bind(new.end.map(date_text))
        .bind(new.payment_status.as_text())
        .bind(millis(now))
        .fetch_one(&mut *tx)
        .await?;
        let id = SubscriptionId(id);
        let mut items = Vec::with_capacity(new.items.len());
        for item in &new.items {
            items.push(insert_item(&mut tx, new.location, id, item).await?);
        }
        insert_beneficiaries(&mut tx, id, &new.beneficiaries).await?;
        let subscription = Subscription { id, items, ..valid };
        let people = people_of(&mut tx, &subscription).await?;
        let reason = format!("subscription {id} created");
        let priority = Priority::for_date(subscription.start, now);
        enqueue_people_in(&mut tx, now, new.location, people, priority, &reason).await?;
        tx.commit().await?;
        Ok(subscription)
    }

    /// The subscription and its location.
    pub async fn get(&self, id: SubscriptionId) -> Result<(LocationId, Subscription)> {
        let mut conn = self.store.pool().acquire().await?;
        load_subscription(&mut conn, id).await
    }

    /// Every subscription the holder holds, at any location.
    pub async fn of_holder(&self, holder: Holder) -> Result<Vec<(LocationId, Subscription)>> {
        let (column, id) = match holder {
            Holder::Person(p) => ("holder_person_id", p.0),
            Holder::Company(c) => ("holder_company_id", c.0),
        };
        let sql = format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE {column} = $1 \
             ORDER BY start_date, id"
        );
        let mut conn = self.store.pool().acquire().await?;
        let rows: Vec<SubscriptionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        let mut found = Vec::with_capacity(rows.len());
        for row in rows {
            let location = row.location();
            found.push((location, complete(&mut conn, row).await?));
        }
        Ok(found)
    }

    /// Applies `change` to the stored subscription inside one transaction, then enqueues everyone
    /// it concerns before and after.
    async fn change<F>(&self, id: SubscriptionId, reason: &str, change: F) -> Result<Subscription>
    where
        F: AsyncFnOnce(&mut AnyConnection, LocationId, &Subscription) -> Result<()>,
    {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let (location, before) = load_subscription(&mut tx, id).await?;
        change(&mut tx, location, &before).await?;
        sqlx::query("UPDATE subscriptions SET updated_at = $1 WHERE id = $2")
            .bind(millis(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let (_, after) = load_subscription(&mut tx, id).await?;
        let mut people = people_of(&mut tx, &before).await?;
        people.extend(people_of(&mut tx, &after).await?);
        let reason = format!("subscription {id}: {reason}");
        // Issue 12: any change may alter access from the first day on (conservatively urgent
        // for a running subscription).
        let priority = Priority::for_date(before.start.min(after.start), now);
        enqueue_people_in(&mut tx, now, location, people, priority, &reason).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// R2: sets or clears the last day (a full day).
    pub async fn set_end(
        &self,
        id: SubscriptionId,
        end: Option<NaiveDate>,
    ) -> Result<Subscription> {
        self.change(id, "end date changed", async |conn, _, before| {
            Subscription {
                end,
                ..before.clone()
            }
            .validate()?;
            sqlx::query("UPDATE subscriptions SET end_date = $1 WHERE id = $2")
                .bind(end.map(date_text))
                .bind(id.0)
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// R3: cancels the subscription from `at` (now when `None` or in the past). Cancelling again
    /// keeps the first cancellation.
    pub async fn cancel(
        &self,
        id: SubscriptionId,
        at: Option<DateTime<Utc>>,
    ) -> Result<Subscription> {
        let now = self.store.now();
        let at = at.map_or(now, |at| at.max(now));
        self.change(id, "cancelled", async |conn, _, before| {
            if before.cancelled_at.is_some() {
                return Ok(());
            }
            sqlx::query("UPDATE subscriptions SET cancelled_at = $1 WHERE id = $2")
                .bind(opt_millis(Some(at)))
                .bind(id.0)
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// R4: payment status is kept for display only; it changes nobody's access, so nothing is
    /// enqueued.
    pub async fn set_payment_status(
        &self,
        id: SubscriptionId,
        status: PaymentStatus,
    ) -> Result<Subscription> {
        let updated = sqlx::query(
            "UPDATE subscriptions SET payment_status = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(status.as_text())
        .bind(millis(self.store.now()))
        .bind(id.0)
        .execute(self.store.pool())
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::not_found("subscription", id.0));
        }
        Ok(self.get(id).await?.1)
    }

    /// Adds an item (a plan, a resource rental, a service).
    pub async fn add_item(&self, id: SubscriptionId, item: &NewItem) -> Result<Subscription> {
        self.change(id, "item added", async |conn, location, _| {
            insert_item(conn, location, id, item).await.map(|_| ())
        })
        .await
    }

    /// Removes an item; its access ends with it.
    pub async fn remove_item(&self, item: SubscriptionItemId) -> Result<Subscription> {
        let id = self.subscription_of_item(item).await?;
        self.change(id, "item removed", async |conn, _, _| {
            sqlx::query("DELETE FROM subscription_items WHERE id = $1")
                .bind(item.0)
                .execute(conn)
                .await?;
            Ok(())
        })
        .await
    }

    /// M3: overrides (or, with `None`, stops overriding) the door access of one item. An override of
    /// an active item takes effect at once: its holder is enqueued in the same transaction.
    pub async fn set_item_override(
        &self,
        item: SubscriptionItemId,
        access: Option<&DoorAccess>,
    ) -> Result<Subscription> {
        let id = self.subscription_of_item(item).await?;
        self.change(
            id,
            "door access override changed",
            async |conn, location, _| {
                sqlx::query("UPDATE subscription_items SET access_overridden = $1 WHERE id = $2")
                    .bind(access.is_some())
                    .bind(item.0)
                    .execute(&mut *conn)
                    .await?;
                let owner = MappingOwner::SubscriptionItem(item);
                save_door_access(conn, location, owner, access.unwrap_or(&DoorAccess::none())).await
            },
        )
        .await
    }

    /// R5: names the beneficiaries of a company subscription (empty = every member).
    pub async fn set_beneficiaries(
        &self,
        id: SubscriptionId,
        beneficiaries: &BTreeSet<PersonId>,
    ) -> Result<Subscription> {
        self.change(id, "beneficiaries changed", async |conn, _, before| {
            before
                .clone()
                .with_beneficiaries(beneficiaries.iter().copied())?;
            sqlx::query("DELETE FROM subscription_beneficiaries WHERE subscription_id = $1")
                .bind(id.0)
                .execute(&mut *conn)
                .await?;
            insert_beneficiaries(conn, id, beneficiaries).await
        })
        .await
    }

    async fn subscription_of_item(&self, item: SubscriptionItemId) -> Result<SubscriptionId> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT subscription_id FROM subscription_items WHERE id = $1")
                .bind(item.0)
                .fetch_optional(self.store.pool())
                .await?;
        id.map(SubscriptionId)
            .ok_or_else(|| StoreError::not_found("subscription item", item.0))
    }
}
