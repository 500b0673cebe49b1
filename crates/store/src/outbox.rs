//! The outbox: durable work for the sync worker, written in the same transaction as the domain change
//! that caused it.
//!
//! One entry per scope ("re-evaluate person P at location L", or location L as a whole). Asking again
//! for a scope that already has an entry does not add a row: it bumps the entry's `revision`
//! (coalescing). A worker [`Outbox::claim`]s entries under a lease (`claimed_until`), does the work,
//! updates the Kisi mirror after each confirmed Kisi call, and only then [`Outbox::complete`]s the
//! entry. Completion deletes the row only if no new request arrived while the worker was busy;
//! otherwise the entry goes back to pending, so a change made mid-work is never lost. A worker that
//! dies simply lets its lease run out, and the entry is claimed again.
//!
//! Claiming is a guarded update (`... WHERE claimed_until IS NULL OR claimed_until <= now`), so two
//! workers never hold one entry. On PostgreSQL, where several hubs' workers claim at once, the
//! candidates are also read `FOR UPDATE SKIP LOCKED` in the claiming transaction: each worker
//! passes over the rows another is taking instead of losing the race for them and reading again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use doorlink_core::{LocationId, PersonId};
use sqlx::{AnyConnection, FromRow};

use crate::codec::{instant, millis, opt_instant};
use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};

/// The id of an outbox entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutboxEntryId(pub i64);

/// What an entry asks the sync worker to re-evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxScope {
    /// One person's grants at one location (every domain write that concerns them).
    Person {
        location: LocationId,
        person: PersonId,
    },
    /// Everybody at the location (a door-access mapping or a location setting changed).
    Location(LocationId),
}

impl OutboxScope {
    pub fn location(self) -> LocationId {
        match self {
            OutboxScope::Person { location, .. } | OutboxScope::Location(location) => location,
        }
    }

    pub fn person(self) -> Option<PersonId> {
        match self {
            OutboxScope::Person { person, .. } => Some(person),
            OutboxScope::Location(_) => None,
        }
    }

    /// The key that makes a pending entry unique per scope.
    fn dedupe_key(self) -> String {
        match self {
            OutboxScope::Person { location, person } => format!("person:{location}:{person}"),
            OutboxScope::Location(location) => format!("location:{location}"),
        }
    }
}

/// What goes first (issue 12): a person at the door waits for nothing bulk. Entries are claimed
/// most urgent first, then oldest due first; asking again for a waiting entry keeps the more
/// urgent of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// Revocations and access that starts within the next hour ([`Priority::SOON`]).
    Urgent,
    /// A person's access that changes later than that (a booking next week, a name).
    Later,
    /// Bulk work: a location's full reconcile (the periodic one, connect, a mapping or setting
    /// changed), whatever its size.
    Bulk,
}

impl Priority {
    /// Most urgent first, as the worker takes them.
    pub const ALL: [Priority; 3] = [Priority::Urgent, Priority::Later, Priority::Bulk];

    /// Access that starts within this long counts as urgent.
    pub const SOON: chrono::TimeDelta = chrono::TimeDelta::hours(1);

    /// A person change whose access (granted or taken) first differs at `from`: urgent when
    /// that is within the next hour or already past, otherwise later.
    pub fn for_access_from(from: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if from <= now + Self::SOON {
            Priority::Urgent
        } else {
            Priority::Later
        }
    }

    /// A change of access on a calendar `date` of the location: urgent when that day may begin
    /// within the next hour in any time zone (local midnight is as early as 14 hours before
    /// midnight UTC).
    pub fn for_date(date: chrono::NaiveDate, now: DateTime<Utc>) -> Self {
        let midnight_utc = date.and_time(chrono::NaiveTime::MIN).and_utc();
        Self::for_access_from(midnight_utc - chrono::TimeDelta::hours(14), now)
    }

    fn as_int(self) -> i64 {
        match self {
            Priority::Urgent => 0,
            Priority::Later => 1,
            Priority::Bulk => 2,
        }
    }

    fn from_int(value: i64) -> Result<Self> {
        match value {
            0 => Ok(Priority::Urgent),
            1 => Ok(Priority::Later),
            2 => Ok(Priority::Bulk),
            other => Err(StoreError::Corrupt {
                table: "outbox",
                column: "priority",
                value: other.to_string(),
            }),
        }
    }
}

/// An outbox entry as staff see it (sync status page) and the worker receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: OutboxEntryId,
    pub scope: OutboxScope,
    /// Why it was (last) requested, in words ("booking 12 moved").
    pub reason: String,
    /// What goes first; a person entry is never [`Priority::Bulk`], a location entry always is.
    pub priority: Priority,
    /// How many times it was requested; several requests coalesce into one entry.
    pub revision: i64,
    /// Claims so far since the entry was last requested.
    pub attempts: i64,
    pub last_error: Option<String>,
    /// When the first of the failed attempts in a row was (issue 17: "failing since …"); `None`
    /// while no attempt failed since the entry was last done.
    pub failing_since: Option<DateTime<Utc>>,
    pub next_try_at: DateTime<Utc>,
    /// Set while a worker holds the entry.
    pub claimed_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An entry a worker holds until its lease runs out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub entry: OutboxEntry,
    token: String,
}

/// What became of a claimed entry when the worker reported back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Done: the entry is gone (complete), or waits for its back-off (fail).
    Settled,
    /// Someone asked again while the worker was busy: the entry is pending again, to run at once.
    RequestedAgain,
    /// The lease ran out and another worker claimed the entry; nothing was changed.
    LeaseLost,
}

/// When a failed entry is tried again: `base × 2^(attempts − 1)`, capped at `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// 5 s, 10 s, 20 s, ... up to 15 minutes.
    pub const DEFAULT: Backoff = Backoff {
        base: Duration::from_secs(5),
        max: Duration::from_secs(15 * 60),
    };

    /// The wait after the `attempts`-th failed attempt (1 = the first).
    pub fn delay_after(self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        self.base
            .checked_mul(1 << doublings)
            .map_or(self.max, |delay| delay.min(self.max))
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The outbox repository.
#[derive(Debug, Clone, Copy)]
pub struct Outbox<'s> {
    store: &'s Store,
}

impl Store {
    pub fn outbox(&self) -> Outbox<'_> {
        Outbox { store: self }
    }
}

#[derive(FromRow)]
struct OutboxRow {
    id: i64,
    location_id: i64,
    person_id: Option<i64>,
    reason: String,
    priority: i64,
    revision: i64,
    attempts: i64,
    last_error: Option<String>,
    failing_since: Option<i64>,
    next_try_at: i64,
    claimed_until: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

const COLUMNS: &str = "id, location_id, person_id, reason, priority, revision, attempts, last_error, \
                       failing_since, next_try_at, claimed_until, created_at, updated_at";

impl TryFrom<OutboxRow> for OutboxEntry {
    type Error = StoreError;

    fn try_from(row: OutboxRow) -> Result<Self> {
        let location = LocationId(row.location_id);
        let scope = match row.person_id {
            Some(person) => OutboxScope::Person {
                location,
                person: PersonId(person),
            },
            None => OutboxScope::Location(location),
        };
        Ok(Self {
            id: OutboxEntryId(row.id),
            scope,
            reason: row.reason,
            priority: Priority::from_int(row.priority)?,
            revision: row.revision,
            attempts: row.attempts,
            last_error: row.last_error,
            failing_since: opt_instant("outbox", "failing_since", row.failing_since)?,
            next_try_at: instant("outbox", "next_try_at", row.next_try_at)?,
            claimed_until: opt_instant("outbox", "claimed_until", row.claimed_until)?,
            created_at: instant("outbox", "created_at", row.created_at)?,
            updated_at: instant("outbox", "updated_at", row.updated_at)?,
        })
    }
}

/// Requests a re-evaluation inside the caller's transaction; coalesces with a pending entry of the
/// same scope (its revision goes up, its back-off and attempts stay, it keeps the more urgent
/// priority). A location scope is always [`Priority::Bulk`].
pub(crate) async fn enqueue_in(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    scope: OutboxScope,
    priority: Priority,
    reason: &str,
) -> Result<()> {
    let priority = match scope {
        OutboxScope::Location(_) => Priority::Bulk,
        OutboxScope::Person { .. } => priority.min(Priority::Later),
    };
    sqlx::query(
        "INSERT INTO outbox (location_id, person_id, dedupe_key, reason, priority, next_try_at, \
                             created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $6) \
         ON CONFLICT (dedupe_key) DO UPDATE SET \
             revision = outbox.revision + 1, \
             reason = excluded.reason, \
             priority = CASE WHEN excluded.priority < outbox.priority \
                        THEN excluded.priority ELSE outbox.priority END, \
             updated_at = excluded.updated_at",
    )
    .bind(scope.location().0)
    .bind(scope.person().map(|p| p.0))
    .bind(scope.dedupe_key())
    .bind(reason)
    .bind(priority.as_int())
    .bind(millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Requests a re-evaluation of each person at `location` (deduplicated by the outbox itself).
pub(crate) async fn enqueue_people_in(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    location: LocationId,
    people: impl IntoIterator<Item = PersonId>,
    priority: Priority,
    reason: &str,
) -> Result<()> {
    for person in people {
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

/// The error an entry shows once another worker took it over from one that stopped mid-run.
pub const TAKEN_OVER: &str = "the sync that was running this stopped before it finished (the hub \
     stopped or crashed); another run took it over. What to do: nothing, unless this repeats; \
     then look in the hub's log for why it stops";

/// The error a failed entry shows when the failure came without words (issue 12: staff never see
/// an empty error).
pub const FAILED_WITHOUT_WORDS: &str = "the sync of this entry failed without saying why (a fault \
     in Doorlink). What to do: run a full sync; if it fails again, report it to Doorlink's \
     maintainers with this location's audit log";

fn lease_millis(lease: Duration) -> i64 {
    i64::try_from(lease.as_millis()).unwrap_or(i64::MAX)
}

impl Outbox<'_> {
    /// Requests a re-evaluation outside any domain write (the periodic full reconcile, a staff
    /// "repair" button): a person is urgent (staff are waiting for it), a location is bulk.
    pub async fn enqueue(&self, scope: OutboxScope, reason: &str) -> Result<()> {
        let mut conn = self.store.pool().acquire().await?;
        enqueue_in(&mut conn, self.store.now(), scope, Priority::Urgent, reason).await
    }

    /// Claims up to `limit` entries that are due and not held by a live lease, most urgent first
    /// ([`Priority`]), then oldest due first, for `lease`. Each claim counts as an attempt.
    /// Entries another worker claims first are skipped (and replaced by the next due ones), so two
    /// workers never hold the same entry. Entries of a location whose lease a writer holds now
    /// are left to that writer: a long reconcile serves its location's person entries between
    /// its operations ([`Outbox::claim_people`]), and a short run lets go soon.
    pub async fn claim(&self, limit: u32, lease: Duration) -> Result<Vec<Claim>> {
        self.claim_due(None, limit, lease).await
    }

    /// For the holder of `holding`'s lease, between the operations of a long run (issue 12): claims
    /// up to `limit` due person entries, most urgent first, of `holding` or of a location nobody
    /// holds, so a person change is not stuck behind a location-wide reconcile.
    pub async fn claim_people(
        &self,
        holding: LocationId,
        limit: u32,
        lease: Duration,
    ) -> Result<Vec<Claim>> {
        self.claim_due(Some(holding), limit, lease).await
    }

    async fn claim_due(
        &self,
        holding: Option<LocationId>,
        limit: u32,
        lease: Duration,
    ) -> Result<Vec<Claim>> {
        let now = millis(self.store.now());
        let until = now.saturating_add(lease_millis(lease));
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let mut claims = Vec::new();
        while claims.len() < limit {
            let wanted = i64::try_from(limit - claims.len()).unwrap_or(i64::MAX);
            let (taken, lost_any) = self.claim_batch(holding, wanted, now, until).await?;
            let none_due = taken.is_empty() && !lost_any;
            claims.extend(taken);
            if none_due || !lost_any {
                break;
            }
        }
        Ok(claims)
    }

    /// One round of [`Outbox::claim_due`]: reads up to `wanted` due candidates and takes each it
    /// still can. Returns what it took and whether another worker took some candidate first.
    async fn claim_batch(
        &self,
        holding: Option<LocationId>,
        wanted: i64,
        now: i64,
        until: i64,
    ) -> Result<(Vec<Claim>, bool)> {
        let skip_locked = match self.store.backend() {
            Backend::Postgres => " FOR UPDATE OF outbox SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "SELECT id FROM outbox \
             WHERE next_try_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1) \
               AND ($3 IS NULL OR person_id IS NOT NULL) \
               AND (location_id = $3 OR NOT EXISTS ( \
                    SELECT 1 FROM location_leases AS held \
                    WHERE held.location_id = outbox.location_id \
                      AND held.owner IS NOT NULL AND held.expires_at > $1)) \
             ORDER BY priority, next_try_at, id LIMIT $2{skip_locked}"
        );
        // SQLite: a plain read, then each guarded update on its own (a deferred transaction that
        // reads before it writes would meet "database is locked" instead of waiting). PostgreSQL:
        // one transaction holding the candidates' row locks until they are claimed.
        let mut tx = match self.store.backend() {
            Backend::Postgres => Some(self.store.pool().begin().await?),
            Backend::Sqlite => None,
        };
        let candidates: Vec<i64> = match tx.as_mut() {
            Some(tx) => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .bind(now)
                    .bind(wanted)
                    .bind(holding.map(|l| l.0))
                    .fetch_all(&mut **tx)
                    .await?
            }
            None => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .bind(now)
                    .bind(wanted)
                    .bind(holding.map(|l| l.0))
                    .fetch_all(self.store.pool())
                    .await?
            }
        };
        let mut claims = Vec::new();
        let mut lost_any = false;
        for id in candidates {
            let claimed = match tx.as_mut() {
                Some(tx) => claim_one(tx, id, now, until).await?,
                None => claim_one(&mut *self.store.pool().acquire().await?, id, now, until).await?,
            };
            match claimed {
                Some(claim) => claims.push(claim),
                None => lost_any = true,
            }
        }
        if let Some(tx) = tx {
            tx.commit().await?;
        }
        Ok((claims, lost_any))
    }

    /// Claims the entry of `scope` now, due or backing off, if it exists and no live lease holds
    /// it (connect runs its own reconcile entry and waits for it, issue 12); `None` otherwise.
    pub async fn claim_scope(&self, scope: OutboxScope, lease: Duration) -> Result<Option<Claim>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM outbox WHERE dedupe_key = $1")
            .bind(scope.dedupe_key())
            .fetch_optional(self.store.pool())
            .await?;
        let Some(id) = id else {
            return Ok(None);
        };
        let now = millis(self.store.now());
        let until = now.saturating_add(lease_millis(lease));
        claim_one(&mut *self.store.pool().acquire().await?, id, now, until).await
    }

    /// The entry of `scope`, if one is waiting, backing off or running.
    pub async fn entry_of(&self, scope: OutboxScope) -> Result<Option<OutboxEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE dedupe_key = $1");
        let row: Option<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(scope.dedupe_key())
            .fetch_optional(self.store.pool())
            .await?;
        row.map(OutboxEntry::try_from).transpose()
    }

    /// Extends a lease the worker still holds (long reconciles); `false` if it was lost.
    pub async fn renew(&self, claim: &Claim, lease: Duration) -> Result<bool> {
        let now = millis(self.store.now());
        let renewed = sqlx::query(
            "UPDATE outbox SET claimed_until = $1, updated_at = $2 \
             WHERE id = $3 AND claim_token = $4",
        )
        .bind(now.saturating_add(lease_millis(lease)))
        .bind(now)
        .bind(claim.entry.id.0)
        .bind(&claim.token)
        .execute(self.store.pool())
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// The work is done (Kisi confirmed, the mirror is updated): removes the entry, unless it was
    /// requested again meanwhile, in which case it becomes pending again, due now.
    pub async fn complete(&self, claim: &Claim) -> Result<Completion> {
        let deleted = sqlx::query(
            "DELETE FROM outbox WHERE id = $1 AND claim_token = $2 AND revision = claimed_revision",
        )
        .bind(claim.entry.id.0)
        .bind(&claim.token)
        .execute(self.store.pool())
        .await?;
        if deleted.rows_affected() == 1 {
            return Ok(Completion::Settled);
        }
        let now = millis(self.store.now());
        let requeued = sqlx::query(
            "UPDATE outbox SET claim_token = NULL, claimed_until = NULL, claimed_revision = NULL, \
                               attempts = 0, last_error = NULL, failing_since = NULL, \
                               next_try_at = $1, updated_at = $1 \
             WHERE id = $2 AND claim_token = $3",
        )
        .bind(now)
        .bind(claim.entry.id.0)
        .bind(&claim.token)
        .execute(self.store.pool())
        .await?;
        Ok(if requeued.rows_affected() == 1 {
            Completion::RequestedAgain
        } else {
            Completion::LeaseLost
        })
    }

    /// The work failed: records `error` (shown to staff) and releases the entry until its back-off
    /// has passed.
    pub async fn fail(&self, claim: &Claim, error: &str, backoff: Backoff) -> Result<Completion> {
        let error = if error.trim().is_empty() {
            FAILED_WITHOUT_WORDS
        } else {
            error
        };
        let now = self.store.now();
        let attempts: Option<i64> =
            sqlx::query_scalar("SELECT attempts FROM outbox WHERE id = $1 AND claim_token = $2")
                .bind(claim.entry.id.0)
                .bind(&claim.token)
                .fetch_optional(self.store.pool())
                .await?;
        let Some(attempts) = attempts else {
            return Ok(Completion::LeaseLost);
        };
        let delay = chrono::Duration::from_std(backoff.delay_after(attempts))
            .unwrap_or(chrono::Duration::MAX);
        let next_try = now.checked_add_signed(delay).unwrap_or(now);
        let failed = sqlx::query(
            "UPDATE outbox SET claim_token = NULL, claimed_until = NULL, claimed_revision = NULL, \
                               last_error = $1, next_try_at = $2, updated_at = $3, \
                               failing_since = COALESCE(failing_since, $3) \
             WHERE id = $4 AND claim_token = $5",
        )
        .bind(error)
        .bind(millis(next_try))
        .bind(millis(now))
        .bind(claim.entry.id.0)
        .bind(&claim.token)
        .execute(self.store.pool())
        .await?;
        tracing::warn!(
            entry = claim.entry.id.0,
            attempts,
            error,
            "outbox entry failed"
        );
        Ok(if failed.rows_affected() == 1 {
            Completion::Settled
        } else {
            Completion::LeaseLost
        })
    }

    /// Every entry (pending, backing off or claimed) in the order the worker takes them (most
    /// urgent, then soonest due first); for the sync status page.
    pub async fn entries(&self, location: Option<LocationId>) -> Result<Vec<OutboxEntry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE ($1 IS NULL OR location_id = $1) \
             ORDER BY priority, next_try_at, id"
        );
        let rows: Vec<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(location.map(|l| l.0))
            .fetch_all(self.store.pool())
            .await?;
        rows.into_iter().map(OutboxEntry::try_from).collect()
    }

    /// One entry, if it still exists.
    pub async fn entry(&self, id: OutboxEntryId) -> Result<Option<OutboxEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = $1");
        let row: Option<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(self.store.pool())
            .await?;
        row.map(OutboxEntry::try_from).transpose()
    }
}

/// Takes one entry if its lease is (still) free: whoever updates first wins, others get `None`.
async fn claim_one(
    conn: &mut AnyConnection,
    id: i64,
    now: i64,
    until: i64,
) -> Result<Option<Claim>> {
    // A lease still set here ran out: the worker holding it stopped mid-run. Staff see why
    // the entry is tried again instead of an empty error.
    let sql = format!(
        "UPDATE outbox SET claim_token = $1, claimed_until = $2, claimed_revision = revision, \
                           attempts = attempts + 1, updated_at = $3, \
                           last_error = CASE WHEN claimed_until IS NULL THEN last_error \
                                        ELSE $5 END \
         WHERE id = $4 AND (claimed_until IS NULL OR claimed_until <= $3) \
         RETURNING {COLUMNS}"
    );
    let token = uuid::Uuid::new_v4().to_string();
    let row: Option<OutboxRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&token)
        .bind(until)
        .bind(now)
        .bind(id)
        .bind(TAKEN_OVER)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| {
        Ok(Claim {
            entry: row.try_into()?,
            token,
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_the_cap() {
        let backoff = Backoff::DEFAULT;
        assert_eq!(backoff.delay_after(1), Duration::from_secs(5));
        assert_eq!(backoff.delay_after(2), Duration::from_secs(10));
        assert_eq!(backoff.delay_after(4), Duration::from_secs(40));
        assert_eq!(backoff.delay_after(20), Duration::from_secs(15 * 60));
        assert_eq!(backoff.delay_after(i64::MAX), Duration::from_secs(15 * 60));
    }

    #[test]
    fn access_within_the_hour_is_urgent_and_later_access_waits_behind_it() {
        let now = DateTime::<Utc>::from_timestamp(1_767_000_000, 0).unwrap_or_default();
        let soon = now + chrono::TimeDelta::minutes(59);
        let tomorrow = now + chrono::TimeDelta::days(1);
        let past = now - chrono::TimeDelta::days(3);
        assert_eq!(Priority::for_access_from(soon, now), Priority::Urgent);
        assert_eq!(Priority::for_access_from(past, now), Priority::Urgent);
        assert_eq!(Priority::for_access_from(tomorrow, now), Priority::Later);
        assert_eq!(Priority::for_date(now.date_naive(), now), Priority::Urgent);
        let next_week = (now + chrono::TimeDelta::days(7)).date_naive();
        assert_eq!(Priority::for_date(next_week, now), Priority::Later);
        for priority in Priority::ALL {
            assert_eq!(Priority::from_int(priority.as_int()).ok(), Some(priority));
        }
        assert!(Priority::Urgent < Priority::Later && Priority::Later < Priority::Bulk);
    }

    #[test]
    fn a_person_scope_and_a_location_scope_never_share_a_key() {
        let location = LocationId(1);
        assert_ne!(
            OutboxScope::Location(location).dedupe_key(),
            OutboxScope::Person {
                location,
                person: PersonId(1)
            }
            .dedupe_key()
        );
    }
}
