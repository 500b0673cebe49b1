//! I4 across a crash: the intent to create a managed Kisi user is written before the call, so a
//! create whose answer was lost (a crash, a timeout where Kisi acted) is recognised as Doorlink's
//! own when the retry finds the user by e-mail, instead of being linked as foreign (and then left
//! in Kisi by R15's "delete Kisi user").
//!
//! The same for grants (role assignments and visitor access links): a grant whose create answer
//! was lost is looked for and adopted by the next run that writes it, whichever entry that is,
//! instead of being created a second time.

use chrono::{DateTime, Utc};
use doorlink_core::{Email, KisiGroupId, LocationId, PersonId, Window};

use crate::codec::{instant, millis, opt_instant, opt_millis};
use crate::db::Store;
use crate::error::Result;

/// What kind of grant Doorlink set out to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantKind {
    RoleAssignment,
    AccessLink,
}

impl GrantKind {
    fn as_text(self) -> &'static str {
        match self {
            Self::RoleAssignment => "assignment",
            Self::AccessLink => "link",
        }
    }
}

/// One grant Doorlink sets out to create: whose, what, in which group, for which window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantIntent {
    pub location: LocationId,
    pub person: PersonId,
    pub kind: GrantKind,
    pub group: KisiGroupId,
    pub window: Window,
}

/// Matches one intent's row; an open-ended window matches a NULL `valid_until`.
const GRANT_INTENT_MATCH: &str = "location_id = $1 AND person_id = $2 AND kind = $3 \
     AND group_id = $4 AND valid_from = $5 \
     AND (valid_until = $6 OR (valid_until IS NULL AND $6 IS NULL))";

/// The create-intent repository.
#[derive(Debug, Clone, Copy)]
pub struct Intents<'s> {
    store: &'s Store,
}

impl Store {
    pub fn intents(&self) -> Intents<'_> {
        Intents { store: self }
    }
}

impl Intents<'_> {
    /// I4: Doorlink is about to create a managed Kisi user for `person` with `email`.
    pub async fn record_user_intent(
        &self,
        location: LocationId,
        person: PersonId,
        email: &Email,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO kisi_user_intents (location_id, person_id, email, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (location_id, person_id, email) DO NOTHING",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(email.as_str().to_lowercase())
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// I4: since when Doorlink has been setting out to create a Kisi user with `email` for
    /// `person` without learning the outcome (a create whose answer was lost): the first attempt.
    pub async fn user_intended(
        &self,
        location: LocationId,
        person: PersonId,
        email: &str,
    ) -> Result<Option<DateTime<Utc>>> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT created_at FROM kisi_user_intents \
             WHERE location_id = $1 AND person_id = $2 AND email = $3",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(email.to_lowercase())
        .fetch_optional(self.store.pool())
        .await?;
        found
            .map(|at| instant("kisi_user_intents", "created_at", at))
            .transpose()
    }

    /// The managed users Doorlink set out to create and never learnt the outcome of (person,
    /// e-mail, first attempt), of one person or of everyone at the location.
    pub async fn open_user_intents(
        &self,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<Vec<(PersonId, String, DateTime<Utc>)>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT person_id, email, created_at FROM kisi_user_intents \
             WHERE location_id = $1 AND ($2 IS NULL OR person_id = $2) ORDER BY person_id, email",
        )
        .bind(location.0)
        .bind(person.map(|p| p.0))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|(person, email, at)| {
                Ok((
                    PersonId(person),
                    email,
                    instant("kisi_user_intents", "created_at", at)?,
                ))
            })
            .collect()
    }

    /// The person is linked: the intents are settled.
    pub async fn clear_user_intents(&self, location: LocationId, person: PersonId) -> Result<()> {
        sqlx::query("DELETE FROM kisi_user_intents WHERE location_id = $1 AND person_id = $2")
            .bind(location.0)
            .bind(person.0)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }
}

impl Intents<'_> {
    /// Doorlink is about to create this grant in Kisi.
    pub async fn record_grant_intent(&self, intent: &GrantIntent) -> Result<()> {
        if self.grant_intended(intent).await? {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO kisi_grant_intents (location_id, person_id, kind, group_id, valid_from, \
                                             valid_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(intent.location.0)
        .bind(intent.person.0)
        .bind(intent.kind.as_text())
        .bind(intent.group.0)
        .bind(millis(intent.window.from()))
        .bind(opt_millis(intent.window.until()))
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Whether Doorlink set out to create this grant before and never learnt the outcome (a
    /// create whose answer was lost): Kisi may hold it already.
    pub async fn grant_intended(&self, intent: &GrantIntent) -> Result<bool> {
        let sql = format!("SELECT 1 FROM kisi_grant_intents WHERE {GRANT_INTENT_MATCH} LIMIT 1");
        let found: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(intent.location.0)
            .bind(intent.person.0)
            .bind(intent.kind.as_text())
            .bind(intent.group.0)
            .bind(millis(intent.window.from()))
            .bind(opt_millis(intent.window.until()))
            .fetch_optional(self.store.pool())
            .await?;
        Ok(found.is_some())
    }

    /// The grants Doorlink set out to create and never learnt the outcome of, of one person or of
    /// everyone at the location.
    pub async fn open_grant_intents(
        &self,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<Vec<GrantIntent>> {
        let rows: Vec<(i64, String, i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT DISTINCT person_id, kind, group_id, valid_from, valid_until \
             FROM kisi_grant_intents WHERE location_id = $1 AND ($2 IS NULL OR person_id = $2) \
             ORDER BY person_id, group_id, valid_from",
        )
        .bind(location.0)
        .bind(person.map(|p| p.0))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|(person, kind, group, from, until)| {
                let kind = match kind.as_str() {
                    "assignment" => GrantKind::RoleAssignment,
                    _ => GrantKind::AccessLink,
                };
                let from = instant("kisi_grant_intents", "valid_from", from)?;
                let until = opt_instant("kisi_grant_intents", "valid_until", until)?;
                Ok(GrantIntent {
                    location,
                    person: PersonId(person),
                    kind,
                    group: KisiGroupId(group),
                    window: Window::new(from, until)?,
                })
            })
            .collect()
    }

    /// The grant is in the mirror, or Kisi refused it: the intent is settled.
    pub async fn clear_grant_intent(&self, intent: &GrantIntent) -> Result<()> {
        let sql = format!("DELETE FROM kisi_grant_intents WHERE {GRANT_INTENT_MATCH}");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(intent.location.0)
            .bind(intent.person.0)
            .bind(intent.kind.as_text())
            .bind(intent.group.0)
            .bind(millis(intent.window.from()))
            .bind(opt_millis(intent.window.until()))
            .execute(self.store.pool())
            .await?;
        Ok(())
    }
}
