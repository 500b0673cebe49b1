//! Visitors as the front desk expects them (issue 17, point 9): a visitor registered by name and
//! e-mail with a host, found or created as a person in the same transaction as the visit (R10), the
//! expected visitors and day passes of a day, and day passes cancelled but kept (R9).

use chrono::{DateTime, NaiveDate, Utc};
use doorlink_core::{
    DayPass, DayPassId, Email, LocationId, Person, PersonId, Visit, VisitId, VisitorPolicyId,
};
use sqlx::{AnyConnection, FromRow};

use super::{
    DAY_PASS_COLUMNS, DayPassRow, Passes, VISIT_COLUMNS, VisitRow, enqueue_person, location_of,
};
use crate::codec::{date_text, millis, opt_instant, opt_millis};
use crate::error::{Result, StoreError};
use crate::outbox::Priority;
use crate::people::{insert_person_in, require_person};

/// Who is coming, when, under which policy, and who expects them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisitor<'a> {
    pub name: &'a str,
    pub email: &'a Email,
    pub host: PersonId,
    pub policy: VisitorPolicyId,
    pub expected_arrival: DateTime<Utc>,
    pub expected_departure: DateTime<Utc>,
}

/// A registered visit with its visitor (found or created) and its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredVisit {
    pub location: LocationId,
    pub visit: Visit,
    pub visitor: Person,
    pub host: Option<Person>,
    /// `false` when the e-mail already belonged to a person (a member, a returning visitor).
    pub visitor_created: bool,
}

/// A day pass with whether it was cancelled (cancelled passes are kept and grant nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPassRecord {
    pub location: LocationId,
    pub pass: DayPass,
    pub holder: Person,
    pub cancelled_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    email: String,
}

fn person(row: PersonRow) -> Result<Person> {
    Ok(Person::new(PersonId(row.id), row.name, &row.email)?)
}

async fn person_in(conn: &mut AnyConnection, id: PersonId) -> Result<Option<Person>> {
    let row: Option<PersonRow> = sqlx::query_as("SELECT id, name, email FROM people WHERE id = $1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.map(person).transpose()
}

async fn host_of(conn: &mut AnyConnection, visit: VisitId) -> Result<Option<Person>> {
    let host: Option<Option<i64>> = sqlx::query_scalar("SELECT host_id FROM visits WHERE id = $1")
        .bind(visit.0)
        .fetch_optional(&mut *conn)
        .await?;
    match host.flatten() {
        Some(host) => person_in(conn, PersonId(host)).await,
        None => Ok(None),
    }
}

impl Passes<'_> {
    /// R10: expects a visitor known only by name and e-mail. The person with that e-mail (however
    /// it is spelled, I2) is the visitor, a member included; otherwise one is created. Both happen
    /// in one write transaction with the visit, so two desks registering the same e-mail at once
    /// make one person.
    pub async fn register_visitor(&self, new: &NewVisitor<'_>) -> Result<RegisteredVisit> {
        let valid = Visit::new(
            VisitId(0),
            PersonId(0),
            new.policy,
            new.expected_arrival,
            new.expected_departure,
        )?;
        StoreError::require_text("name", new.name)?;
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let location = location_of(
            &mut tx,
            "SELECT location_id FROM visitor_policies WHERE id = $1",
            "visitor policy",
            new.policy.0,
        )
        .await?;
        require_person(&mut tx, new.host).await?;
        let found: Option<PersonRow> =
            sqlx::query_as("SELECT id, name, email FROM people WHERE email = $1")
                .bind(new.email.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let (visitor, visitor_created) = match found {
            Some(row) => (person(row)?, false),
            None => (
                insert_person_in(&mut tx, now, new.name, new.email).await?,
                true,
            ),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO visits (location_id, visitor_id, policy_id, expected_arrival, \
                                 expected_departure, created_at, host_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(location.0)
        .bind(visitor.id.0)
        .bind(new.policy.0)
        .bind(millis(new.expected_arrival))
        .bind(millis(new.expected_departure))
        .bind(millis(now))
        .bind(new.host.0)
        .fetch_one(&mut *tx)
        .await?;
        // R10 opens a visitor's link ahead of the arrival: counted an hour early to be safe.
        let priority = Priority::for_access_from(new.expected_arrival - Priority::SOON, now);
        enqueue_person(
            &mut tx,
            now,
            location,
            visitor.id,
            priority,
            "visit expected",
        )
        .await?;
        let host = person_in(&mut tx, new.host).await?;
        tx.commit().await?;
        Ok(RegisteredVisit {
            location,
            visit: Visit {
                id: VisitId(id),
                visitor: visitor.id,
                ..valid
            },
            visitor,
            host,
            visitor_created,
        })
    }

    /// The host who expects the visitor of `visit`, if one was named.
    pub async fn host_of_visit(&self, visit: VisitId) -> Result<Option<Person>> {
        let mut conn = self.store.pool().acquire().await?;
        host_of(&mut conn, visit).await
    }

    /// The visits at the location whose expected stay shares an instant with `[from, until)`
    /// (a day, in the location's zone), cancelled ones included, by arrival; each with its visitor
    /// and host.
    pub async fn visits_between(
        &self,
        location: LocationId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<RegisteredVisit>> {
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE location_id = $1 \
             AND expected_arrival < $3 AND expected_departure > $2 \
             ORDER BY expected_arrival, id"
        );
        let mut conn = self.store.pool().acquire().await?;
        let rows: Vec<VisitRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(location.0)
            .bind(millis(from))
            .bind(millis(until))
            .fetch_all(&mut *conn)
            .await?;
        let mut visits = Vec::with_capacity(rows.len());
        for row in rows {
            let visit = Visit::try_from(row)?;
            let visitor = person_in(&mut conn, visit.visitor)
                .await?
                .ok_or_else(|| StoreError::not_found("person", visit.visitor.0))?;
            let host = host_of(&mut conn, visit.id).await?;
            visits.push(RegisteredVisit {
                location,
                visit,
                visitor,
                host,
                visitor_created: false,
            });
        }
        Ok(visits)
    }

    /// The day passes of the location for `date`, cancelled ones included.
    pub async fn day_passes_on(
        &self,
        location: LocationId,
        date: NaiveDate,
    ) -> Result<Vec<DayPassRecord>> {
        let sql = format!(
            "SELECT {DAY_PASS_COLUMNS} FROM day_passes WHERE location_id = $1 AND pass_date = $2 \
             ORDER BY id"
        );
        let mut conn = self.store.pool().acquire().await?;
        let rows: Vec<DayPassRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(location.0)
            .bind(date_text(date))
            .fetch_all(&mut *conn)
            .await?;
        let mut passes = Vec::with_capacity(rows.len());
        for row in rows {
            let pass = DayPass::try_from(row)?;
            passes.push(day_pass_record(&mut conn, location, pass).await?);
        }
        Ok(passes)
    }

    /// R9: takes a day pass back but keeps it, marked cancelled; its access goes at once.
    /// Cancelling it again is refused (`Conflict`), so a double click cannot hide a mistake.
    pub async fn cancel_day_pass(&self, id: DayPassId) -> Result<DayPassRecord> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let sql = format!("SELECT {DAY_PASS_COLUMNS} FROM day_passes WHERE id = $1");
        let row: Option<DayPassRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
        let pass = DayPass::try_from(row.ok_or_else(|| StoreError::not_found("day pass", id.0))?)?;
        let location = location_of(
            &mut tx,
            "SELECT location_id FROM day_passes WHERE id = $1",
            "day pass",
            id.0,
        )
        .await?;
        let updated = sqlx::query(
            "UPDATE day_passes SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL",
        )
        .bind(opt_millis(Some(now)))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::conflict(
                "day pass",
                format!("day pass {id} was already cancelled"),
            ));
        }
        let priority = Priority::for_date(pass.date, now);
        enqueue_person(
            &mut tx,
            now,
            location,
            pass.person,
            priority,
            "day pass cancelled",
        )
        .await?;
        let record = day_pass_record(&mut tx, location, pass).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// A person's day passes, cancelled ones included, by date.
    pub async fn day_pass_records_of(&self, person: PersonId) -> Result<Vec<DayPassRecord>> {
        let sql = format!(
            "SELECT {DAY_PASS_COLUMNS} FROM day_passes WHERE person_id = $1 ORDER BY pass_date, id"
        );
        let mut conn = self.store.pool().acquire().await?;
        let rows: Vec<DayPassRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(person.0)
            .fetch_all(&mut *conn)
            .await?;
        let mut passes = Vec::with_capacity(rows.len());
        for row in rows {
            let pass = DayPass::try_from(row)?;
            let location = location_of(
                &mut conn,
                "SELECT location_id FROM day_passes WHERE id = $1",
                "day pass",
                pass.id.0,
            )
            .await?;
            passes.push(day_pass_record(&mut conn, location, pass).await?);
        }
        Ok(passes)
    }
}

async fn day_pass_record(
    conn: &mut AnyConnection,
    location: LocationId,
    pass: DayPass,
) -> Result<DayPassRecord> {
    let cancelled: Option<i64> =
        sqlx::query_scalar("SELECT cancelled_at FROM day_passes WHERE id = $1")
            .bind(pass.id.0)
            .fetch_one(&mut *conn)
            .await?;
    let holder = person_in(conn, pass.person)
        .await?
        .ok_or_else(|| StoreError::not_found("person", pass.person.0))?;
    Ok(DayPassRecord {
        location,
        cancelled_at: opt_instant("day_passes", "cancelled_at", cancelled)?,
        pass,
        holder,
    })
}
