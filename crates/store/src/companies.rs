//! Companies (business accounts) and their memberships (R5). A membership change enqueues the
//! person at every location where the company holds a subscription, in the same transaction.

use chrono::{DateTime, Utc};
use doorlink_core::{Company, CompanyId, CompanyMembership, LocationId, PersonId};
use sqlx::{AnyConnection, FromRow};

use crate::codec::{instant, millis, opt_instant};
use crate::db::Store;
use crate::error::{MISSING_REFERENCE, Result, StoreError, on_constraint};
use crate::outbox::{OutboxScope, Priority, enqueue_in};
use crate::people::require_person;

#[derive(FromRow)]
pub(crate) struct MembershipRow {
    person_id: i64,
    company_id: i64,
    joined_at: i64,
    left_at: Option<i64>,
}

pub(crate) const MEMBERSHIP_COLUMNS: &str = "person_id, company_id, joined_at, left_at";

impl TryFrom<MembershipRow> for CompanyMembership {
    type Error = StoreError;

    fn try_from(row: MembershipRow) -> Result<Self> {
        Ok(CompanyMembership::new(
            PersonId(row.person_id),
            CompanyId(row.company_id),
            instant("company_memberships", "joined_at", row.joined_at)?,
            opt_instant("company_memberships", "left_at", row.left_at)?,
        )?)
    }
}

/// The companies repository.
#[derive(Debug, Clone, Copy)]
pub struct Companies<'s> {
    store: &'s Store,
}

impl Store {
    pub fn companies(&self) -> Companies<'_> {
        Companies { store: self }
    }
}

fn name_taken(name: &str) -> String {
    format!("the name {name:?} is already used by another company")
}

async fn require_company(conn: &mut AnyConnection, company: CompanyId) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM companies WHERE id = $1")
        .bind(company.0)
        .fetch_optional(conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found("company", company.0))
}

/// R5: where a change of the company's members matters (its subscriptions' locations).
async fn locations_of_company(
    conn: &mut AnyConnection,
    company: CompanyId,
) -> Result<Vec<LocationId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT location_id FROM subscriptions WHERE holder_company_id = $1 \
         ORDER BY location_id",
    )
    .bind(company.0)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(LocationId).collect())
}

async fn enqueue_member(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    company: CompanyId,
    person: PersonId,
    priority: Priority,
    reason: &str,
) -> Result<()> {
    for location in locations_of_company(&mut *conn, company).await? {
        enqueue_in(
            &mut *conn,
            now,
            OutboxScope::Person { location, person },
            priority,
            reason,
        )
        .await?;
    }
    Ok(())
}

impl Companies<'_> {
    pub async fn create(&self, name: &str) -> Result<Company> {
        StoreError::require_text("name", name)?;
        let name = name.trim();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO companies (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(millis(self.store.now()))
        .fetch_one(self.store.pool())
        .await
        .map_err(on_constraint(
            "company",
            &name_taken(name),
            MISSING_REFERENCE,
        ))?;
        Ok(Company {
            id: CompanyId(id),
            name: name.to_owned(),
        })
    }

    pub async fn get(&self, id: CompanyId) -> Result<Company> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM companies WHERE id = $1")
                .bind(id.0)
                .fetch_optional(self.store.pool())
                .await?;
        let (id, name) = row.ok_or_else(|| StoreError::not_found("company", id.0))?;
        Ok(Company {
            id: CompanyId(id),
            name,
        })
    }

    pub async fn list(&self) -> Result<Vec<Company>> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM companies ORDER BY name, id")
                .fetch_all(self.store.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| Company {
                id: CompanyId(id),
                name,
            })
            .collect())
    }

    pub async fn rename(&self, id: CompanyId, name: &str) -> Result<Company> {
        StoreError::require_text("name", name)?;
        let name = name.trim();
        let updated = sqlx::query("UPDATE companies SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id.0)
            .execute(self.store.pool())
            .await
            .map_err(on_constraint(
                "company",
                &name_taken(name),
                MISSING_REFERENCE,
            ))?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::not_found("company", id.0));
        }
        Ok(Company {
            id,
            name: name.to_owned(),
        })
    }

    /// R5: the person joins the company at `joined_at` (now when `None`) and gains its
    /// subscriptions' access at once.
    pub async fn add_member(
        &self,
        company: CompanyId,
        person: PersonId,
        joined_at: Option<DateTime<Utc>>,
    ) -> Result<CompanyMembership> {
        let now = self.store.now();
        let membership = CompanyMembership::new(person, company, joined_at.unwrap_or(now), None)?;
        let mut tx = self.store.begin_write().await?;
        require_company(&mut tx, company).await?;
        require_person(&mut tx, person).await?;
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM company_memberships \
             WHERE company_id = $1 AND person_id = $2 AND left_at IS NULL",
        )
        .bind(company.0)
        .bind(person.0)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_some() {
            return Err(StoreError::conflict(
                "company membership",
                format!("person {person} is already a member of company {company}"),
            ));
        }
        sqlx::query(
            "INSERT INTO company_memberships (company_id, person_id, joined_at) VALUES ($1, $2, $3)",
        )
        .bind(company.0)
        .bind(person.0)
        .bind(millis(membership.joined_at))
        .execute(&mut *tx)
        .await?;
        let reason = format!("joined company {company}");
        let priority = Priority::for_access_from(membership.joined_at, now);
        enqueue_member(&mut tx, now, company, person, priority, &reason).await?;
        tx.commit().await?;
        Ok(membership)
    }

    /// R5: the person leaves the company at `left_at` (now when `None`) and loses its
    /// subscriptions' access from then on. A membership that has not begun by then (a future
    /// join) is deleted outright: it never grants anything. Answers the membership as it ends,
    /// the deleted one with `left_at` equal to its `joined_at`.
    pub async fn remove_member(
        &self,
        company: CompanyId,
        person: PersonId,
        left_at: Option<DateTime<Utc>>,
    ) -> Result<CompanyMembership> {
        let now = self.store.now();
        let left_at = left_at.unwrap_or(now);
        let mut tx = self.store.begin_write().await?;
        let sql = format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM company_memberships \
             WHERE company_id = $1 AND person_id = $2 AND left_at IS NULL"
        );
        let open: Option<MembershipRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(company.0)
            .bind(person.0)
            .fetch_optional(&mut *tx)
            .await?;
        let open: CompanyMembership = open
            .ok_or_else(|| {
                StoreError::conflict(
                    "company membership",
                    format!("person {person} is not a member of company {company}"),
                )
            })?
            .try_into()?;
        if left_at <= open.joined_at {
            sqlx::query(
                "DELETE FROM company_memberships \
                 WHERE company_id = $1 AND person_id = $2 AND left_at IS NULL",
            )
            .bind(company.0)
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
            let reason = format!("future membership of company {company} deleted");
            let priority = Priority::for_access_from(open.joined_at, now);
            enqueue_member(&mut tx, now, company, person, priority, &reason).await?;
            tx.commit().await?;
            return Ok(CompanyMembership {
                left_at: Some(open.joined_at),
                ..open
            });
        }
        let closed = CompanyMembership::new(person, company, open.joined_at, Some(left_at))?;
        sqlx::query(
            "UPDATE company_memberships SET left_at = $1 \
             WHERE company_id = $2 AND person_id = $3 AND left_at IS NULL",
        )
        .bind(millis(left_at))
        .bind(company.0)
        .bind(person.0)
        .execute(&mut *tx)
        .await?;
        let reason = format!("left company {company}");
        let priority = Priority::for_access_from(left_at, now);
        enqueue_member(&mut tx, now, company, person, priority, &reason).await?;
        tx.commit().await?;
        Ok(closed)
    }

    /// Every membership interval of the company, current and past.
    pub async fn memberships(&self, company: CompanyId) -> Result<Vec<CompanyMembership>> {
        let sql = format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM company_memberships WHERE company_id = $1 \
             ORDER BY joined_at, id"
        );
        let rows: Vec<MembershipRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(company.0)
            .fetch_all(self.store.pool())
            .await?;
        rows.into_iter().map(CompanyMembership::try_from).collect()
    }

    /// Every membership interval of the person, in any company.
    pub async fn memberships_of(&self, person: PersonId) -> Result<Vec<CompanyMembership>> {
        let sql = format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM company_memberships WHERE person_id = $1 \
             ORDER BY joined_at, id"
        );
        let rows: Vec<MembershipRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(person.0)
            .fetch_all(self.store.pool())
            .await?;
        rows.into_iter().map(CompanyMembership::try_from).collect()
    }
}
