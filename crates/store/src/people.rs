//! People: members, invitees, visitors. A person is identified by their e-mail address, normalised by
//! core (trimmed, lower-case) and unique across Doorlink (I2).

use doorlink_core::{Email, LocationId, Person, PersonId};
use sqlx::{AnyConnection, FromRow};

use crate::db::Store;
use crate::error::{MISSING_REFERENCE, Result, StoreError, on_constraint};
use crate::outbox::{OutboxScope, Priority, enqueue_in};
use crate::search_keys::search_key;

#[derive(FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    email: String,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;

    fn try_from(row: PersonRow) -> Result<Self> {
        Ok(Person::new(PersonId(row.id), row.name, &row.email)?)
    }
}

/// The people repository.
#[derive(Debug, Clone, Copy)]
pub struct People<'s> {
    store: &'s Store,
}

impl Store {
    pub fn people(&self) -> People<'_> {
        People { store: self }
    }
}

/// One page of the people a search found, and how many it found in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeoplePage {
    pub people: Vec<Person>,
    pub total: u32,
}

/// A `LIKE` pattern matching `needle` anywhere, with `%`, `_` and the escape itself taken
/// literally (escaped with `\`).
fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn email_taken(email: &Email) -> String {
    format!("the e-mail address {email} is already used by another person")
}

pub(crate) async fn require_person(conn: &mut AnyConnection, person: PersonId) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1")
        .bind(person.0)
        .fetch_optional(conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found("person", person.0))
}

/// Every location where something about the person is stored: where a change to the person (their
/// e-mail, I2) has to be re-evaluated.
pub(crate) async fn locations_of_person(
    conn: &mut AnyConnection,
    person: PersonId,
) -> Result<Vec<LocationId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT location_id FROM subscriptions WHERE holder_person_id = $1 \
         UNION SELECT s.location_id FROM subscriptions s \
               JOIN company_memberships m ON m.company_id = s.holder_company_id \
               WHERE m.person_id = $1 \
         UNION SELECT s.location_id FROM subscriptions s \
               JOIN subscription_beneficiaries b ON b.subscription_id = s.id \
               WHERE b.person_id = $1 \
         UNION SELECT location_id FROM bookings WHERE booker_id = $1 \
         UNION SELECT b.location_id FROM bookings b \
               JOIN booking_invitees i ON i.booking_id = b.id WHERE i.person_id = $1 \
         UNION SELECT location_id FROM day_passes WHERE person_id = $1 \
         UNION SELECT location_id FROM visits WHERE visitor_id = $1 \
         UNION SELECT location_id FROM manual_grants WHERE person_id = $1 \
         UNION SELECT location_id FROM holds WHERE person_id = $1 \
         UNION SELECT location_id FROM kisi_disconnections WHERE person_id = $1 \
         UNION SELECT location_id FROM kisi_users WHERE person_id = $1 \
         ORDER BY 1",
    )
    .bind(person.0)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(LocationId).collect())
}

/// Adds a person inside the caller's transaction (a visitor registered with their visit); refuses
/// an e-mail address another person already has.
pub(crate) async fn insert_person_in(
    conn: &mut AnyConnection,
    now: chrono::DateTime<chrono::Utc>,
    name: &str,
    email: &Email,
) -> Result<Person> {
    StoreError::require_text("name", name)?;
    let valid = Person::new(PersonId(0), name.trim(), email.as_str())?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (name, email, name_key, email_key, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(&valid.name)
    .bind(valid.email.as_str())
    .bind(search_key(&valid.name))
    .bind(search_key(valid.email.as_str()))
    .bind(now.timestamp_millis())
    .fetch_one(conn)
    .await
    .map_err(on_constraint(
        "person",
        &email_taken(&valid.email),
        MISSING_REFERENCE,
    ))?;
    Ok(Person {
        id: PersonId(id),
        ..valid
    })
}

impl People<'_> {
    /// Adds a person; refuses an e-mail address another person already has.
    pub async fn create(&self, name: &str, email: &str) -> Result<Person> {
        let email = Email::parse(email)?;
        let mut conn = self.store.pool().acquire().await?;
        insert_person_in(&mut conn, self.store.now(), name, &email).await
    }

    pub async fn get(&self, id: PersonId) -> Result<Person> {
        let row: Option<PersonRow> =
            sqlx::query_as("SELECT id, name, email FROM people WHERE id = $1")
                .bind(id.0)
                .fetch_optional(self.store.pool())
                .await?;
        row.ok_or_else(|| StoreError::not_found("person", id.0))?
            .try_into()
    }

    /// Which of `ids` name no person, in the order given (each once): one query for a whole list,
    /// so a request naming several people can name every unknown one at once.
    pub async fn missing(&self, ids: &[PersonId]) -> Result<Vec<PersonId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let existing = self.names(ids).await?;
        let missing = ids
            .iter()
            .map(|id| id.0)
            .filter(|id| !existing.contains_key(&PersonId(*id)));
        let mut seen = std::collections::BTreeSet::new();
        Ok(missing
            .into_iter()
            .filter(|id| seen.insert(*id))
            .map(PersonId)
            .collect())
    }

    /// The names of those of `ids` that exist, a thousand per query.
    pub async fn names(
        &self,
        ids: &[PersonId],
    ) -> Result<std::collections::BTreeMap<PersonId, String>> {
        let mut names = std::collections::BTreeMap::new();
        // Numbered placeholders by hand: sqlx's query builder writes `?` for the `Any` driver,
        // which PostgreSQL does not read.
        for chunk in ids.chunks(1000) {
            let placeholders = (1..=chunk.len())
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT id, name FROM people WHERE id IN ({placeholders})");
            let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id.0);
            }
            for (id, name) in query.fetch_all(self.store.pool()).await? {
                names.insert(PersonId(id), name);
            }
        }
        Ok(names)
    }

    /// The person with this e-mail address, however it is spelled (I2).
    pub async fn by_email(&self, email: &str) -> Result<Option<Person>> {
        let email = Email::parse(email)?;
        let row: Option<PersonRow> =
            sqlx::query_as("SELECT id, name, email FROM people WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(self.store.pool())
                .await?;
        row.map(Person::try_from).transpose()
    }

    /// Everybody, by name.
    pub async fn list(&self) -> Result<Vec<Person>> {
        let rows: Vec<PersonRow> =
            sqlx::query_as("SELECT id, name, email FROM people ORDER BY name, id")
                .fetch_all(self.store.pool())
                .await?;
        rows.into_iter().map(Person::try_from).collect()
    }

    /// People whose name or e-mail contains `search` (trimmed, case-insensitive; `%` and `_` are
    /// plain characters), by name, `limit` of them from `offset`; a blank search finds everybody.
    /// Case folding is Unicode's ("élodie" finds "Élodie"): the term is folded like the stored
    /// name and e-mail keys (see [`search_key`]).
    pub async fn search(&self, search: &str, offset: u32, limit: u32) -> Result<PeoplePage> {
        let needle = search_key(search.trim());
        let pattern = (!needle.is_empty()).then(|| contains_pattern(&needle));
        // LIKE is case-insensitive for ASCII on its own; both sides are folded already, so that
        // changes nothing.
        const MATCHES: &str = "$1 IS NULL OR name_key LIKE $1 ESCAPE '\\' \
                                OR email_key LIKE $1 ESCAPE '\\'";
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM people WHERE {MATCHES}"
        )))
        .bind(&pattern)
        .fetch_one(self.store.pool())
        .await?;
        let rows: Vec<PersonRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, name, email FROM people WHERE {MATCHES} \
             ORDER BY name, id LIMIT $2 OFFSET $3"
        )))
        .bind(&pattern)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(self.store.pool())
        .await?;
        Ok(PeoplePage {
            people: rows
                .into_iter()
                .map(Person::try_from)
                .collect::<Result<_>>()?,
            total: u32::try_from(total).unwrap_or(u32::MAX),
        })
    }

    /// Saves a person's name and e-mail and asks sync to re-evaluate them wherever they have access
    /// (a new e-mail can drift from their Kisi user, I2).
    pub async fn update(&self, person: &Person) -> Result<Person> {
        StoreError::require_text("name", &person.name)?;
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE people SET name = $1, email = $2, name_key = $3, email_key = $4, \
                 updated_at = $5 WHERE id = $6",
        )
        .bind(person.name.trim())
        .bind(person.email.as_str())
        .bind(search_key(person.name.trim()))
        .bind(search_key(person.email.as_str()))
        .bind(now.timestamp_millis())
        .bind(person.id.0)
        .execute(&mut *tx)
        .await
        .map_err(on_constraint(
            "person",
            &email_taken(&person.email),
            MISSING_REFERENCE,
        ))?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::not_found("person", person.id.0));
        }
        for location in locations_of_person(&mut tx, person.id).await? {
            let scope = OutboxScope::Person {
                location,
                person: person.id,
            };
            // The Kisi user's name or e-mail, not who may open a door.
            let reason = "person's name or e-mail changed";
            enqueue_in(&mut tx, now, scope, Priority::Later, reason).await?;
        }
        tx.commit().await?;
        Ok(Person {
            name: person.name.trim().to_owned(),
            ..person.clone()
        })
    }
}
