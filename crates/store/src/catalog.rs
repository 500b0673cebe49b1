//! What a location offers and the door access each carries: plans (M1), resources (M2), day-pass and
//! service products (M4), visitor policies (M5). A change of a door access asks sync to re-evaluate
//! the whole location, in the same transaction.

use doorlink_core::{
    AccessTarget, DoorAccess, LocationId, Plan, PlanId, Product, ProductId, ProductKind, Resource,
    ResourceId, ResourceKind, VisitorPolicy, VisitorPolicyId,
};
use sqlx::FromRow;

use crate::codec::TextEnum;
use crate::db::Store;
use crate::door_access::{MappingOwner, load_door_access, owners_using, save_door_access};
use crate::error::{MISSING_REFERENCE, Result, StoreError, on_constraint};
use crate::locations::require_location;
use crate::outbox::{OutboxScope, Priority, enqueue_in};

/// One catalog table: its name, whether it has a `kind` column, and how its ids own door access.
struct Table {
    entity: &'static str,
    table: &'static str,
    kind_column: &'static str,
    owner: fn(i64) -> MappingOwner,
}

const PLANS: Table = Table {
    entity: "plan",
    table: "plans",
    kind_column: "NULL",
    owner: |id| MappingOwner::Plan(PlanId(id)),
};
const RESOURCES: Table = Table {
    entity: "resource",
    table: "resources",
    kind_column: "kind",
    owner: |id| MappingOwner::Resource(ResourceId(id)),
};
const PRODUCTS: Table = Table {
    entity: "product",
    table: "products",
    kind_column: "kind",
    owner: |id| MappingOwner::Product(ProductId(id)),
};
const POLICIES: Table = Table {
    entity: "visitor policy",
    table: "visitor_policies",
    kind_column: "NULL",
    owner: |id| MappingOwner::VisitorPolicy(VisitorPolicyId(id)),
};

/// A catalog row before it becomes its domain type.
#[derive(Debug, FromRow)]
struct Item {
    id: i64,
    location_id: i64,
    name: String,
    kind: Option<String>,
    #[sqlx(skip)]
    door_access: DoorAccess,
}

impl Item {
    fn kind<K: TextEnum>(&self) -> Result<K> {
        K::from_text(self.kind.as_deref().unwrap_or_default())
    }
}

/// The catalog repository.
#[derive(Debug, Clone, Copy)]
pub struct Catalog<'s> {
    store: &'s Store,
}

impl Store {
    pub fn catalog(&self) -> Catalog<'_> {
        Catalog { store: self }
    }
}

impl Catalog<'_> {
    async fn insert(
        &self,
        table: &Table,
        location: LocationId,
        name: &str,
        kind: Option<&str>,
        access: &DoorAccess,
    ) -> Result<Item> {
        StoreError::require_text("name", name)?;
        let name = name.trim();
        let mut tx = self.store.begin_write().await?;
        require_location(&mut tx, location).await?;
        let (columns, values) = match kind {
            Some(_) => ("location_id, name, kind", "$1, $2, $3"),
            None => ("location_id, name", "$1, $2"),
        };
        let sql = format!(
            "INSERT INTO {} ({columns}) VALUES ({values}) RETURNING id",
            table.table
        );
        let taken = format!(
            "the name {name:?} is already used by another {} here",
            table.entity
        );
        let mut insert = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(location.0)
            .bind(name);
        if let Some(kind) = kind {
            insert = insert.bind(kind);
        }
        let id: i64 = insert.fetch_one(&mut *tx).await.map_err(on_constraint(
            table.entity,
            &taken,
            MISSING_REFERENCE,
        ))?;
        save_door_access(&mut tx, location, (table.owner)(id), access).await?;
        tx.commit().await?;
        Ok(Item {
            id,
            location_id: location.0,
            name: name.to_owned(),
            kind: kind.map(str::to_owned),
            door_access: access.clone(),
        })
    }

    async fn select(&self, table: &Table, id: i64) -> Result<(LocationId, Item)> {
        let sql = format!(
            "SELECT id, location_id, name, {} AS kind FROM {} WHERE id = $1",
            table.kind_column, table.table
        );
        let mut conn = self.store.pool().acquire().await?;
        let item: Option<Item> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        let mut item = item.ok_or_else(|| StoreError::not_found(table.entity, id))?;
        item.door_access = load_door_access(&mut conn, (table.owner)(id)).await?;
        Ok((LocationId(item.location_id), item))
    }

    async fn select_all(&self, table: &Table, location: LocationId) -> Result<Vec<Item>> {
        let sql = format!(
            "SELECT id, location_id, name, {} AS kind FROM {} WHERE location_id = $1 \
             ORDER BY name, id",
            table.kind_column, table.table
        );
        let mut conn = self.store.pool().acquire().await?;
        let mut items: Vec<Item> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(location.0)
            .fetch_all(&mut *conn)
            .await?;
        for item in &mut items {
            item.door_access = load_door_access(&mut conn, (table.owner)(item.id)).await?;
        }
        Ok(items)
    }

    /// Saves name, kind and door access. A changed door access or kind (a day pass that becomes a
    /// service, a room that becomes a desk: both change who gets in) enqueues the whole location;
    /// a new name alone changes no one's access.
    async fn save(
        &self,
        table: &Table,
        id: i64,
        name: &str,
        kind: Option<&str>,
        access: &DoorAccess,
    ) -> Result<()> {
        StoreError::require_text("name", name)?;
        let name = name.trim();
        let owner = (table.owner)(id);
        let mut tx = self.store.begin_write().await?;
        let found: Option<(i64, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT location_id, {} FROM {} WHERE id = $1",
            table.kind_column, table.table
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let (location, old_kind) = found.ok_or_else(|| StoreError::not_found(table.entity, id))?;
        let location = LocationId(location);
        let sql = match kind {
            Some(_) => format!(
                "UPDATE {} SET name = $1, kind = $3 WHERE id = $2",
                table.table
            ),
            None => format!("UPDATE {} SET name = $1 WHERE id = $2", table.table),
        };
        let taken = format!(
            "the name {name:?} is already used by another {} here",
            table.entity
        );
        let mut update = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name).bind(id);
        if let Some(kind) = kind {
            update = update.bind(kind);
        }
        update.execute(&mut *tx).await.map_err(on_constraint(
            table.entity,
            &taken,
            MISSING_REFERENCE,
        ))?;
        let access_changed = load_door_access(&mut tx, owner).await? != *access;
        if access_changed {
            save_door_access(&mut tx, location, owner, access).await?;
        }
        let kind_changed = kind.is_some() && old_kind.as_deref() != kind;
        if access_changed || kind_changed {
            let what = if access_changed {
                "door access"
            } else {
                "kind"
            };
            let reason = format!("{what} of {} {name:?} changed", table.entity);
            enqueue_in(
                &mut tx,
                self.store.now(),
                OutboxScope::Location(location),
                Priority::Bulk,
                &reason,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// M1: a membership plan and the door access its subscriptions inherit.
    pub async fn create_plan(
        &self,
        location: LocationId,
        name: &str,
        door_access: &DoorAccess,
    ) -> Result<Plan> {
        let item = self
            .insert(&PLANS, location, name, None, door_access)
            .await?;
        Ok(plan(item))
    }

    /// The plan and the location it belongs to.
    pub async fn plan(&self, id: PlanId) -> Result<(LocationId, Plan)> {
        let (location, item) = self.select(&PLANS, id.0).await?;
        Ok((location, plan(item)))
    }

    pub async fn plans(&self, location: LocationId) -> Result<Vec<Plan>> {
        let items = self.select_all(&PLANS, location).await?;
        Ok(items.into_iter().map(plan).collect())
    }

    pub async fn update_plan(&self, updated: &Plan) -> Result<Plan> {
        self.save(
            &PLANS,
            updated.id.0,
            &updated.name,
            None,
            &updated.door_access,
        )
        .await?;
        Ok(self.plan(updated.id).await?.1)
    }

    /// M2: a bookable or rentable resource and the door access its bookings and rentals inherit.
    pub async fn create_resource(
        &self,
        location: LocationId,
        name: &str,
        kind: ResourceKind,
        door_access: &DoorAccess,
    ) -> Result<Resource> {
        let item = self
            .insert(
                &RESOURCES,
                location,
                name,
                Some(kind.as_text()),
                door_access,
            )
            .await?;
        resource(item)
    }

    pub async fn resource(&self, id: ResourceId) -> Result<(LocationId, Resource)> {
        let (location, item) = self.select(&RESOURCES, id.0).await?;
        Ok((location, resource(item)?))
    }

    pub async fn resources(&self, location: LocationId) -> Result<Vec<Resource>> {
        let items = self.select_all(&RESOURCES, location).await?;
        items.into_iter().map(resource).collect()
    }

    pub async fn update_resource(&self, updated: &Resource) -> Result<Resource> {
        let kind = Some(updated.kind.as_text());
        self.save(
            &RESOURCES,
            updated.id.0,
            &updated.name,
            kind,
            &updated.door_access,
        )
        .await?;
        Ok(self.resource(updated.id).await?.1)
    }

    /// M4: a day-pass or service product and its door access.
    pub async fn create_product(
        &self,
        location: LocationId,
        name: &str,
        kind: ProductKind,
        door_access: &DoorAccess,
    ) -> Result<Product> {
        let item = self
            .insert(&PRODUCTS, location, name, Some(kind.as_text()), door_access)
            .await?;
        product(item)
    }

    pub async fn product(&self, id: ProductId) -> Result<(LocationId, Product)> {
        let (location, item) = self.select(&PRODUCTS, id.0).await?;
        Ok((location, product(item)?))
    }

    pub async fn products(&self, location: LocationId) -> Result<Vec<Product>> {
        let items = self.select_all(&PRODUCTS, location).await?;
        items.into_iter().map(product).collect()
    }

    pub async fn update_product(&self, updated: &Product) -> Result<Product> {
        let kind = Some(updated.kind.as_text());
        self.save(
            &PRODUCTS,
            updated.id.0,
            &updated.name,
            kind,
            &updated.door_access,
        )
        .await?;
        Ok(self.product(updated.id).await?.1)
    }

    /// M5: a visitor policy; with a door access, its visits get a Kisi access link.
    pub async fn create_visitor_policy(
        &self,
        location: LocationId,
        name: &str,
        door_access: &DoorAccess,
    ) -> Result<VisitorPolicy> {
        let item = self
            .insert(&POLICIES, location, name, None, door_access)
            .await?;
        Ok(policy(item))
    }

    pub async fn visitor_policy(&self, id: VisitorPolicyId) -> Result<(LocationId, VisitorPolicy)> {
        let (location, item) = self.select(&POLICIES, id.0).await?;
        Ok((location, policy(item)))
    }

    pub async fn visitor_policies(&self, location: LocationId) -> Result<Vec<VisitorPolicy>> {
        let items = self.select_all(&POLICIES, location).await?;
        Ok(items.into_iter().map(policy).collect())
    }

    pub async fn update_visitor_policy(&self, updated: &VisitorPolicy) -> Result<VisitorPolicy> {
        self.save(
            &POLICIES,
            updated.id.0,
            &updated.name,
            None,
            &updated.door_access,
        )
        .await?;
        Ok(self.visitor_policy(updated.id).await?.1)
    }

    /// Every mapping at the location that names `target`: what a deleted Kisi group breaks (C4),
    /// where a reused group needs a warning (M8).
    pub async fn mappings_using(
        &self,
        location: LocationId,
        target: AccessTarget,
    ) -> Result<Vec<MappingOwner>> {
        let mut conn = self.store.pool().acquire().await?;
        owners_using(&mut conn, location, target).await
    }
}

fn plan(item: Item) -> Plan {
    Plan {
        id: PlanId(item.id),
        name: item.name,
        door_access: item.door_access,
    }
}

fn resource(item: Item) -> Result<Resource> {
    Ok(Resource {
        id: ResourceId(item.id),
        kind: item.kind()?,
        name: item.name,
        door_access: item.door_access,
    })
}

fn product(item: Item) -> Result<Product> {
    Ok(Product {
        id: ProductId(item.id),
        kind: item.kind()?,
        name: item.name,
        door_access: item.door_access,
    })
}

fn policy(item: Item) -> VisitorPolicy {
    VisitorPolicy {
        id: VisitorPolicyId(item.id),
        name: item.name,
        door_access: item.door_access,
    }
}
