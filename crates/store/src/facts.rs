//! Loading the facts core reasons over: everything of one location (the full reconcile, the bench),
//! or just what one person's grants depend on (one outbox entry), as [`LocationRecords`] and
//! validated [`LocationFacts`].

use std::collections::{BTreeSet, HashMap};

use doorlink_core::{
    Booking, Company, CompanyId, CompanyMembership, DayPass, DisconnectMode, DoorAccess, Hold,
    Holder, KisiDisconnection, LocationFacts, LocationId, LocationRecords, ManualGrant,
    ManualGrantId, Person, PersonId, Plan, Product, Resource, Subscription, SubscriptionItemId,
    Visit, VisitorPolicy,
};
use sqlx::AnyConnection;

use crate::bookings::{BOOKING_COLUMNS, BookingRow};
use crate::codec::{TextEnum, instant};
use crate::companies::{MEMBERSHIP_COLUMNS, MembershipRow};
use crate::db::Store;
use crate::door_access::{MappingOwner, load_location_door_access};
use crate::error::{Result, StoreError};
use crate::locations::load_location;
use crate::passes::{
    DAY_PASS_COLUMNS, DayPassRow, MANUAL_GRANT_COLUMNS, ManualGrantRow, VISIT_COLUMNS, VisitRow,
};
use crate::subscriptions::{ITEM_COLUMNS, ItemRow, SUBSCRIPTION_COLUMNS, SubscriptionRow};

/// Whose facts to load: the whole location, or what one person's grants depend on.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Location,
    Person(PersonId),
}

impl Scope {
    fn person(self) -> Option<i64> {
        match self {
            Scope::Location => None,
            Scope::Person(person) => Some(person.0),
        }
    }
}

impl Store {
    /// Every record of the location (validated by core), for the full reconcile and the explainer.
    pub async fn load_location_facts(&self, location: LocationId) -> Result<LocationFacts> {
        let records = self.load_location_records(location).await?;
        Ok(LocationFacts::new(records)?)
    }

    /// Every record of the location, unvalidated.
    pub async fn load_location_records(&self, location: LocationId) -> Result<LocationRecords> {
        let mut conn = self.pool().acquire().await?;
        load(&mut conn, location, Scope::Location).await
    }

    /// What one person's grants at the location depend on: the location's catalog, their own and
    /// their companies' subscriptions, their bookings (with the other people on them), day passes,
    /// visits, manual grants, hold and disconnection. Much cheaper than the whole location, and core
    /// gives the same grants for this person from it.
    pub async fn load_person_facts(
        &self,
        location: LocationId,
        person: PersonId,
    ) -> Result<LocationFacts> {
        let mut conn = self.pool().acquire().await?;
        let records = load(&mut conn, location, Scope::Person(person)).await?;
        Ok(LocationFacts::new(records)?)
    }
}

/// Runs one of two statements, location-wide (`$1` = location) or for one person (`$2` = person),
/// and collects the rows.
async fn rows<R>(
    conn: &mut AnyConnection,
    location: LocationId,
    scope: Scope,
    for_location: String,
    for_person: String,
) -> Result<Vec<R>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let sql = match scope {
        Scope::Location => for_location,
        Scope::Person(_) => for_person,
    };
    let mut query = sqlx::query_as::<_, R>(sqlx::AssertSqlSafe(sql)).bind(location.0);
    if let Some(person) = scope.person() {
        query = query.bind(person);
    }
    Ok(query.fetch_all(conn).await?)
}

async fn load(
    conn: &mut AnyConnection,
    location_id: LocationId,
    scope: Scope,
) -> Result<LocationRecords> {
    let location = load_location(&mut *conn, location_id).await?;
    let access = load_location_door_access(&mut *conn, location_id).await?;
    let access_of = |owner: MappingOwner| access.get(&owner).cloned().unwrap_or_default();
    let mut records = LocationRecords::new(location);
    load_catalog(conn, location_id, &mut records, &access_of).await?;
    records.subscriptions = load_subscriptions(conn, location_id, scope, &access_of).await?;
    load_companies(conn, location_id, scope, &mut records).await?;
    records.bookings = load_bookings(conn, location_id, scope).await?;
    load_passes(conn, location_id, scope, &mut records, &access_of).await?;
    records.people = load_people(conn, scope, &records).await?;
    Ok(records)
}

/// `(id, name, kind)` of one catalog table at the location; `kind_column` is "kind" or "NULL".
async fn catalog_rows(
    conn: &mut AnyConnection,
    table: &'static str,
    kind_column: &'static str,
    location: LocationId,
) -> Result<Vec<(i64, String, Option<String>)>> {
    let sql = format!(
        "SELECT id, name, {kind_column} AS kind FROM {table} WHERE location_id = $1 ORDER BY id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(location.0)
        .fetch_all(conn)
        .await?)
}

async fn load_catalog(
    conn: &mut AnyConnection,
    location: LocationId,
    records: &mut LocationRecords,
    access_of: &impl Fn(MappingOwner) -> DoorAccess,
) -> Result<()> {
    // The catalog is small and every grant may refer to it: always loaded whole.
    for plan in catalog_rows(conn, "plans", "NULL", location).await? {
        let id = doorlink_core::PlanId(plan.0);
        records.plans.push(Plan {
            id,
            name: plan.1,
            door_access: access_of(MappingOwner::Plan(id)),
        });
    }
    for resource in catalog_rows(conn, "resources", "kind", location).await? {
        let id = doorlink_core::ResourceId(resource.0);
        records.resources.push(Resource {
            id,
            name: resource.1,
            kind: TextEnum::from_text(resource.2.as_deref().unwrap_or_default())?,
            door_access: access_of(MappingOwner::Resource(id)),
        });
    }
    for product in catalog_rows(conn, "products", "kind", location).await? {
        let id = doorlink_core::ProductId(product.0);
        records.products.push(Product {
            id,
            name: product.1,
            kind: TextEnum::from_text(product.2.as_deref().unwrap_or_default())?,
            door_access: access_of(MappingOwner::Product(id)),
        });
    }
    for policy in catalog_rows(conn, "visitor_policies", "NULL", location).await? {
        let id = doorlink_core::VisitorPolicyId(policy.0);
        records.visitor_policies.push(VisitorPolicy {
            id,
            name: policy.1,
            door_access: access_of(MappingOwner::VisitorPolicy(id)),
        });
    }
    Ok(())
}

/// Subscriptions held by the person, by their companies, or naming them as beneficiary. Written as
/// a UNION of indexed lookups: an OR across these columns would scan every subscription.
const PERSON_SUBSCRIPTIONS: &str = "location_id = $1 AND id IN ( \
     SELECT id FROM subscriptions WHERE holder_person_id = $2 \
     UNION SELECT s.id FROM subscriptions s \
           JOIN company_memberships m ON m.company_id = s.holder_company_id \
           WHERE m.person_id = $2 \
     UNION SELECT subscription_id FROM subscription_beneficiaries WHERE person_id = $2)";

async fn load_subscriptions(
    conn: &mut AnyConnection,
    location: LocationId,
    scope: Scope,
    access_of: &impl Fn(MappingOwner) -> DoorAccess,
) -> Result<Vec<Subscription>> {
    let chosen = match scope {
        Scope::Location => "location_id = $1",
        Scope::Person(_) => PERSON_SUBSCRIPTIONS,
    };
    let subscription_rows: Vec<SubscriptionRow> = rows(
        conn,
        location,
        scope,
        format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE {chosen} ORDER BY id"),
        format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE {chosen} ORDER BY id"),
    )
    .await?;
    let item_sql = format!(
        "SELECT {ITEM_COLUMNS} FROM subscription_items WHERE subscription_id IN \
         (SELECT id FROM subscriptions WHERE {chosen}) ORDER BY id"
    );
    let item_rows: Vec<ItemRow> = rows(conn, location, scope, item_sql.clone(), item_sql).await?;
    let beneficiary_sql = format!(
        "SELECT subscription_id, person_id FROM subscription_beneficiaries WHERE subscription_id \
         IN (SELECT id FROM subscriptions WHERE {chosen})"
    );
    let beneficiary_rows: Vec<(i64, i64)> = rows(
        conn,
        location,
        scope,
        beneficiary_sql.clone(),
        beneficiary_sql,
    )
    .await?;

    let mut items: HashMap<i64, Vec<_>> = HashMap::new();
    for row in item_rows {
        let subscription = row.subscription_id;
        let access = row
            .access_overridden
            .then(|| access_of(MappingOwner::SubscriptionItem(SubscriptionItemId(row.id))));
        items
            .entry(subscription)
            .or_default()
            .push(row.into_item(access)?);
    }
    let mut beneficiaries: HashMap<i64, BTreeSet<PersonId>> = HashMap::new();
    for (subscription, person) in beneficiary_rows {
        beneficiaries
            .entry(subscription)
            .or_default()
            .insert(PersonId(person));
    }
    subscription_rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            row.into_subscription(
                items.remove(&id).unwrap_or_default(),
                beneficiaries.remove(&id).unwrap_or_default(),
            )
        })
        .collect()
}

/// The companies holding the loaded subscriptions and their memberships (R5); for one person, only
/// that person's memberships.
async fn load_companies(
    conn: &mut AnyConnection,
    location: LocationId,
    scope: Scope,
    records: &mut LocationRecords,
) -> Result<()> {
    let holders: BTreeSet<CompanyId> = records
        .subscriptions
        .iter()
        .filter_map(|s| match s.holder {
            Holder::Company(company) => Some(company),
            Holder::Person(_) => None,
        })
        .collect();
    for &company in &holders {
        let name: String = sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
            .bind(company.0)
            .fetch_one(&mut *conn)
            .await?;
        records.companies.push(Company { id: company, name });
    }
    let membership_rows: Vec<MembershipRow> = rows(
        conn,
        location,
        scope,
        format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM company_memberships WHERE company_id IN \
             (SELECT holder_company_id FROM subscriptions WHERE location_id = $1) ORDER BY id"
        ),
        format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM company_memberships WHERE company_id IN \
             (SELECT holder_company_id FROM subscriptions WHERE location_id = $1) \
             AND person_id = $2 ORDER BY id"
        ),
    )
    .await?;
    records.memberships = membership_rows
        .into_iter()
        .map(CompanyMembership::try_from)
        .filter(|m| m.as_ref().map_or(true, |m| holders.contains(&m.company)))
        .collect::<Result<_>>()?;
    Ok(())
}

/// Bookings the person made or is invited to (a UNION of indexed lookups, as above).
const PERSON_BOOKINGS: &str = "location_id = $1 AND id IN ( \
     SELECT id FROM bookings WHERE booker_id = $2 \
     UNION SELECT booking_id FROM booking_invitees WHERE person_id = $2)";

async fn load_bookings(
    conn: &mut AnyConnection,
    location: LocationId,
    scope: Scope,
) -> Result<Vec<Booking>> {
    let chosen = match scope {
        Scope::Location => "location_id = $1",
        Scope::Person(_) => PERSON_BOOKINGS,
    };
    let booking_sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE {chosen} ORDER BY id");
    let booking_rows: Vec<BookingRow> =
        rows(conn, location, scope, booking_sql.clone(), booking_sql).await?;
    let invitee_sql = format!(
        "SELECT booking_id, person_id FROM booking_invitees WHERE booking_id IN \
         (SELECT id FROM bookings WHERE {chosen})"
    );
    let invitee_rows: Vec<(i64, i64)> =
        rows(conn, location, scope, invitee_sql.clone(), invitee_sql).await?;
    let mut invitees: HashMap<i64, Vec<PersonId>> = HashMap::new();
    for (booking, person) in invitee_rows {
        invitees.entry(booking).or_default().push(PersonId(person));
    }
    booking_rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            row.into_booking(invitees.remove(&id).unwrap_or_default())
        })
        .collect()
}

/// `SELECT {columns} FROM {table} WHERE location_id = $1 [AND {person_column} = $2]`.
fn by_location_and_person(columns: &str, table: &str, person_column: &str) -> (String, String) {
    (
        format!("SELECT {columns} FROM {table} WHERE location_id = $1 ORDER BY {person_column}"),
        format!(
            "SELECT {columns} FROM {table} WHERE location_id = $1 AND {person_column} = $2 \
             ORDER BY {person_column}"
        ),
    )
}

async fn load_passes(
    conn: &mut AnyConnection,
    location: LocationId,
    scope: Scope,
    records: &mut LocationRecords,
    access_of: &impl Fn(MappingOwner) -> DoorAccess,
) -> Result<()> {
    // R9: a cancelled day pass is kept for the desk but grants nothing.
    let (all, one) = by_location_and_person(DAY_PASS_COLUMNS, "day_passes_in_force", "person_id");
    let day_passes: Vec<DayPassRow> = rows(conn, location, scope, all, one).await?;
    records.day_passes = day_passes
        .into_iter()
        .map(DayPass::try_from)
        .collect::<Result<_>>()?;

    let (all, one) = by_location_and_person(VISIT_COLUMNS, "visits", "visitor_id");
    let visits: Vec<VisitRow> = rows(conn, location, scope, all, one).await?;
    records.visits = visits
        .into_iter()
        .map(Visit::try_from)
        .collect::<Result<_>>()?;

    let (all, one) = by_location_and_person(MANUAL_GRANT_COLUMNS, "manual_grants", "person_id");
    let grants: Vec<ManualGrantRow> = rows(conn, location, scope, all, one).await?;
    records.manual_grants = grants
        .into_iter()
        .map(|row| {
            let access = access_of(MappingOwner::ManualGrant(ManualGrantId(row.id)));
            row.into_grant(access)
        })
        .collect::<Result<Vec<ManualGrant>>>()?;

    let (all, one) = by_location_and_person("person_id, since", "holds", "person_id");
    let holds: Vec<(i64, i64)> = rows(conn, location, scope, all, one).await?;
    records.holds = holds
        .into_iter()
        .map(|(person, since)| {
            Ok(Hold {
                person: PersonId(person),
                since: instant("holds", "since", since)?,
            })
        })
        .collect::<Result<_>>()?;

    let (all, one) = by_location_and_person("person_id, mode", "kisi_disconnections", "person_id");
    let disconnections: Vec<(i64, String)> = rows(conn, location, scope, all, one).await?;
    records.disconnections = disconnections
        .into_iter()
        .map(|(person, mode)| {
            Ok(KisiDisconnection {
                person: PersonId(person),
                mode: DisconnectMode::from_text(&mode)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(())
}

/// Everybody the records name (and, for one person, that person even when nothing names them).
fn people_named(scope: Scope, records: &LocationRecords) -> BTreeSet<PersonId> {
    let mut people = BTreeSet::new();
    if let Scope::Person(person) = scope {
        people.insert(person);
    }
    for s in &records.subscriptions {
        if let Holder::Person(person) = s.holder {
            people.insert(person);
        }
        people.extend(s.beneficiaries.iter().copied());
    }
    people.extend(records.memberships.iter().map(|m| m.person));
    for b in &records.bookings {
        people.insert(b.booker);
        people.extend(b.invitees.iter().copied());
    }
    people.extend(records.day_passes.iter().map(|d| d.person));
    people.extend(records.visits.iter().map(|v| v.visitor));
    people.extend(records.manual_grants.iter().map(|g| g.person));
    people.extend(records.holds.iter().map(|h| h.person));
    people.extend(records.disconnections.iter().map(|d| d.person));
    people
}

async fn load_people(
    conn: &mut AnyConnection,
    scope: Scope,
    records: &LocationRecords,
) -> Result<Vec<Person>> {
    let wanted = people_named(scope, records);
    let mut people = Vec::with_capacity(wanted.len());
    match scope {
        // One scan beats thousands of lookups when the whole location is loaded.
        Scope::Location => {
            let all: Vec<(i64, String, String)> =
                sqlx::query_as("SELECT id, name, email FROM people ORDER BY id")
                    .fetch_all(&mut *conn)
                    .await?;
            for (id, name, email) in all {
                if wanted.contains(&PersonId(id)) {
                    people.push(Person::new(PersonId(id), name, &email)?);
                }
            }
        }
        Scope::Person(_) => {
            for id in wanted {
                let row: Option<(String, String)> =
                    sqlx::query_as("SELECT name, email FROM people WHERE id = $1")
                        .bind(id.0)
                        .fetch_optional(&mut *conn)
                        .await?;
                let (name, email) = row.ok_or_else(|| StoreError::not_found("person", id.0))?;
                people.push(Person::new(id, name, &email)?);
            }
        }
    }
    Ok(people)
}
