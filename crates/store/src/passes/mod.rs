//! Day passes (R9), visits (R10) and manual grants (M6, R11). Each write enqueues the person at the
//! location in the same transaction. Holds (R14) are [`crate::holds`], Kisi disconnections (R15)
//! [`crate::kisi_disconnections`].

mod visitors;

pub use visitors::{DayPassRecord, NewVisitor, RegisteredVisit};

use chrono::{DateTime, NaiveDate, Utc};
use doorlink_core::{
    DayPass, DayPassId, DoorAccess, LocationId, ManualGrant, ManualGrantId, PersonId, ProductId,
    ProductKind, Visit, VisitId, VisitorPolicyId,
};
use sqlx::{AnyConnection, FromRow};

use crate::codec::{Flag, TextEnum, date, date_text, instant, millis, opt_instant, opt_millis};
use crate::db::Store;
use crate::door_access::{MappingOwner, load_door_access, save_door_access};
use crate::error::{Result, StoreError};
use crate::locations::require_location;
use crate::outbox::{OutboxScope, Priority, enqueue_in};
use crate::people::require_person;

#[derive(FromRow)]
pub(crate) struct DayPassRow {
    id: i64,
    person_id: i64,
    product_id: i64,
    pass_date: String,
}

pub(crate) const DAY_PASS_COLUMNS: &str = "id, person_id, product_id, pass_date";

impl TryFrom<DayPassRow> for DayPass {
    type Error = StoreError;

    fn try_from(row: DayPassRow) -> Result<Self> {
        Ok(DayPass {
            id: DayPassId(row.id),
            person: PersonId(row.person_id),
            product: ProductId(row.product_id),
            date: date("day_passes", "pass_date", &row.pass_date)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct VisitRow {
    id: i64,
    visitor_id: i64,
    policy_id: i64,
    expected_arrival: i64,
    expected_departure: i64,
    cancelled_at: Option<i64>,
}

pub(crate) const VISIT_COLUMNS: &str =
    "id, visitor_id, policy_id, expected_arrival, expected_departure, cancelled_at";

impl TryFrom<VisitRow> for Visit {
    type Error = StoreError;

    fn try_from(row: VisitRow) -> Result<Self> {
        let mut visit = Visit::new(
            VisitId(row.id),
            PersonId(row.visitor_id),
            VisitorPolicyId(row.policy_id),
            instant("visits", "expected_arrival", row.expected_arrival)?,
            instant("visits", "expected_departure", row.expected_departure)?,
        )?;
        visit.cancelled_at = opt_instant("visits", "cancelled_at", row.cancelled_at)?;
        Ok(visit)
    }
}

#[derive(FromRow)]
pub(crate) struct ManualGrantRow {
    pub(crate) id: i64,
    person_id: i64,
    starts_at: i64,
    ends_at: Option<i64>,
}

pub(crate) const MANUAL_GRANT_COLUMNS: &str = "id, person_id, starts_at, ends_at";

impl ManualGrantRow {
    pub(crate) fn into_grant(self, door_access: DoorAccess) -> Result<ManualGrant> {
        Ok(ManualGrant::new(
            ManualGrantId(self.id),
            PersonId(self.person_id),
            door_access,
            instant("manual_grants", "starts_at", self.starts_at)?,
            opt_instant("manual_grants", "ends_at", self.ends_at)?,
        )?)
    }
}

/// The repository of day passes, visits and manual grants.
#[derive(Debug, Clone, Copy)]
pub struct Passes<'s> {
    store: &'s Store,
}

impl Store {
    pub fn passes(&self) -> Passes<'_> {
        Passes { store: self }
    }
}

async fn location_of(
    conn: &mut AnyConnection,
    sql: &'static str,
    entity: &'static str,
    id: i64,
) -> Result<LocationId> {
    let location: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    location
        .map(LocationId)
        .ok_or_else(|| StoreError::not_found(entity, id))
}

async fn enqueue_person(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    location: LocationId,
    person: PersonId,
    priority: Priority,
    reason: &str,
) -> Result<()> {
    let scope = OutboxScope::Person { location, person };
    enqueue_in(conn, now, scope, priority, reason).await
}

async fn load_manual_grant(
    conn: &mut AnyConnection,
    id: ManualGrantId,
) -> Result<(LocationId, ManualGrant)> {
    let row: Option<(i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT location_id, id, person_id, starts_at, ends_at FROM manual_grants WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (location, id, person_id, starts_at, ends_at) =
        row.ok_or_else(|| StoreError::not_found("manual grant", id.0))?;
    let access = load_door_access(conn, MappingOwner::ManualGrant(ManualGrantId(id))).await?;
    let row = ManualGrantRow {
        id,
        person_id,
        starts_at,
        ends_at,
    };
    Ok((LocationId(location), row.into_grant(access)?))
}

impl Passes<'_> {
    /// R9: sells a day pass of `product` (a day-pass product, M4) for `date`.
    pub async fn sell_day_pass(
        &self,
        person: PersonId,
        product: ProductId,
        date: NaiveDate,
    ) -> Result<(LocationId, DayPass)> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let found: Option<(i64, String)> =
            sqlx::query_as("SELECT location_id, kind FROM products WHERE id = $1")
                .bind(product.0)
                .fetch_optional(&mut *tx)
                .await?;
        let (location, kind) = found.ok_or_else(|| StoreError::not_found("product", product.0))?;
        if ProductKind::from_text(&kind)? != ProductKind::DayPass {
            return Err(StoreError::Invalid {
                field: "product",
                reason: format!("product {product} is a service, not a day pass"),
            });
        }
        require_person(&mut tx, person).await?;
        let location = LocationId(location);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO day_passes (location_id, person_id, product_id, pass_date, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(product.0)
        .bind(date_text(date))
        .bind(millis(now))
        .fetch_one(&mut *tx)
        .await?;
        let priority = Priority::for_date(date, now);
        enqueue_person(&mut tx, now, location, person, priority, "day pass sold").await?;
        tx.commit().await?;
        let pass = DayPass {
            id: DayPassId(id),
            person,
            product,
            date,
        };
        Ok((location, pass))
    }

    /// Takes a day pass back (refund); its access goes with it.
    pub async fn delete_day_pass(&self, id: DayPassId) -> Result<()> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let row: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT location_id, person_id, pass_date FROM day_passes WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?;
        let (location, person, date) =
            row.ok_or_else(|| StoreError::not_found("day pass", id.0))?;
        let priority = crate::codec::date("day_passes", "pass_date", &date)
            .map_or(Priority::Urgent, |date| Priority::for_date(date, now));
        sqlx::query("DELETE FROM day_passes WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let (location, person) = (LocationId(location), PersonId(person));
        enqueue_person(&mut tx, now, location, person, priority, "day pass removed").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn day_passes_of(&self, person: PersonId) -> Result<Vec<DayPass>> {
        let sql = format!(
            "SELECT {DAY_PASS_COLUMNS} FROM day_passes WHERE person_id = $1 ORDER BY pass_date, id"
        );
        let rows: Vec<DayPassRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(person.0)
            .fetch_all(self.store.pool())
            .await?;
        rows.into_iter().map(DayPass::try_from).collect()
    }

    /// R10: expects a visitor under a visitor policy.
    pub async fn create_visit(
        &self,
        visitor: PersonId,
        policy: VisitorPolicyId,
        expected_arrival: DateTime<Utc>,
        expected_departure: DateTime<Utc>,
    ) -> Result<(LocationId, Visit)> {
        let valid = Visit::new(
            VisitId(0),
            visitor,
            policy,
            expected_arrival,
            expected_departure,
        )?;
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let location = location_of(
            &mut tx,
            "SELECT location_id FROM visitor_policies WHERE id = $1",
            "visitor policy",
            policy.0,
        )
        .await?;
        require_person(&mut tx, visitor).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO visits (location_id, visitor_id, policy_id, expected_arrival, \
                                 expected_departure, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(location.0)
        .bind(visitor.0)
        .bind(policy.0)
        .bind(millis(expected_arrival))
        .bind(millis(expected_departure))
        .bind(millis(now))
        .fetch_one(&mut *tx)
        .await?;
        // R10 opens a visitor's link ahead of the arrival: counted an hour early to be safe.
        let priority = Priority::for_access_from(expected_arrival - Priority::SOON, now);
        enqueue_person(&mut tx, now, location, visitor, priority, "visit expected").await?;
        tx.commit().await?;
        Ok((
            location,
            Visit {
                id: VisitId(id),
                ..valid
            },
        ))
    }

    /// Cancels a visit from `at` (now when `None` or in the past); its access link is revoked.
    pub async fn cancel_visit(&self, id: VisitId, at: Option<DateTime<Utc>>) -> Result<Visit> {
        self.cut_visit(id, at, false).await
    }

    /// R10: ends a visit now or at a later instant, like [`Passes::cancel_visit`], but refuses a
    /// visit already ended or cancelled (`Conflict`), checked in the write transaction so two
    /// desks ending it at once get one "ended" and one "already ended".
    pub async fn end_visit(&self, id: VisitId, at: Option<DateTime<Utc>>) -> Result<Visit> {
        self.cut_visit(id, at, true).await
    }

    async fn cut_visit(
        &self,
        id: VisitId,
        at: Option<DateTime<Utc>>,
        refuse_twice: bool,
    ) -> Result<Visit> {
        let now = self.store.now();
        let at = at.map_or(now, |at| at.max(now));
        let mut tx = self.store.begin_write().await?;
        let location = location_of(
            &mut tx,
            "SELECT location_id FROM visits WHERE id = $1",
            "visit",
            id.0,
        )
        .await?;
        if refuse_twice {
            // R10: the access of a visit whose window (departure plus grace) is over already ended.
            let over: Option<Flag> = sqlx::query_scalar(
                "SELECT v.expected_departure + l.booking_grace_minutes * 60000 <= $2 \
                 FROM visits v JOIN locations l ON l.id = v.location_id WHERE v.id = $1",
            )
            .bind(id.0)
            .bind(millis(now))
            .fetch_optional(&mut *tx)
            .await?;
            if over == Some(Flag(true)) {
                return Err(StoreError::conflict(
                    "visit",
                    format!("visit {id} is already over: its access window has ended"),
                ));
            }
        }
        let cut = sqlx::query(
            "UPDATE visits SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL",
        )
        .bind(opt_millis(Some(at)))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if refuse_twice && cut.rows_affected() == 0 {
            return Err(StoreError::conflict(
                "visit",
                format!("visit {id} was already ended"),
            ));
        }
        let sql = format!("SELECT {VISIT_COLUMNS} FROM visits WHERE id = $1");
        let row: VisitRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        let visit = Visit::try_from(row)?;
        let from = at.max(visit.expected_arrival - Priority::SOON);
        let priority = Priority::for_access_from(from, now);
        let reason = "visit cancelled";
        enqueue_person(&mut tx, now, location, visit.visitor, priority, reason).await?;
        tx.commit().await?;
        Ok(visit)
    }

    pub async fn visits_of(&self, visitor: PersonId) -> Result<Vec<Visit>> {
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE visitor_id = $1 \
             ORDER BY expected_arrival, id"
        );
        let rows: Vec<VisitRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(visitor.0)
            .fetch_all(self.store.pool())
            .await?;
        rows.into_iter().map(Visit::try_from).collect()
    }

    /// M6, R11: gives a person a door access by hand, from `starts_at` until `ends_at` (`None` =
    /// indefinite).
    pub async fn create_manual_grant(
        &self,
        location: LocationId,
        person: PersonId,
        door_access: &DoorAccess,
        starts_at: DateTime<Utc>,
        ends_at: Option<DateTime<Utc>>,
    ) -> Result<ManualGrant> {
        let valid = ManualGrant::new(
            ManualGrantId(0),
            person,
            door_access.clone(),
            starts_at,
            ends_at,
        )?;
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        require_location(&mut tx, location).await?;
        require_person(&mut tx, person).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO manual_grants (location_id, person_id, starts_at, ends_at, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(millis(starts_at))
        .bind(opt_millis(ends_at))
        .bind(millis(now))
        .fetch_one(&mut *tx)
        .await?;
        let id = ManualGrantId(id);
        save_door_access(
            &mut tx,
            location,
            MappingOwner::ManualGrant(id),
            door_access,
        )
        .await?;
        let priority = Priority::for_access_from(starts_at, now);
        enqueue_person(
            &mut tx,
            now,
            location,
            person,
            priority,
            "manual grant given",
        )
        .await?;
        tx.commit().await?;
        Ok(ManualGrant { id, ..valid })
    }

    /// Ends a manual grant at `at` (now when `None` or in the past); a grant that already ends
    /// earlier is left as it is. A grant that had not begun by then grants nothing at all, so it is
    /// removed and `None` comes back.
    pub async fn end_manual_grant(
        &self,
        id: ManualGrantId,
        at: Option<DateTime<Utc>>,
    ) -> Result<Option<ManualGrant>> {
        let now = self.store.now();
        let at = at.map_or(now, |at| at.max(now));
        let mut tx = self.store.begin_write().await?;
        let (location, grant) = load_manual_grant(&mut tx, id).await?;
        if grant.ends_at.is_some_and(|end| end <= at) {
            return Ok(Some(grant));
        }
        let ended = if at <= grant.starts_at {
            sqlx::query("DELETE FROM manual_grants WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            None
        } else {
            sqlx::query("UPDATE manual_grants SET ends_at = $1 WHERE id = $2")
                .bind(millis(at))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            Some(ManualGrant {
                ends_at: Some(at),
                ..grant.clone()
            })
        };
        let priority = Priority::for_access_from(at.max(grant.starts_at), now);
        let reason = "manual grant ended";
        enqueue_person(&mut tx, now, location, grant.person, priority, reason).await?;
        tx.commit().await?;
        Ok(ended)
    }

    pub async fn manual_grants_of(
        &self,
        person: PersonId,
    ) -> Result<Vec<(LocationId, ManualGrant)>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM manual_grants WHERE person_id = $1 ORDER BY starts_at, id",
        )
        .bind(person.0)
        .fetch_all(self.store.pool())
        .await?;
        let mut conn = self.store.pool().acquire().await?;
        let mut grants = Vec::with_capacity(ids.len());
        for id in ids {
            grants.push(load_manual_grant(&mut conn, ManualGrantId(id)).await?);
        }
        Ok(grants)
    }
}
