//! Limits shared by every hub on one database (issue 14): the Kisi rate budget per Kisi user and
//! the sign-in throttle. Both are one write transaction per use ([`Store::begin_write`]: SQLite's
//! `BEGIN IMMEDIATE`, PostgreSQL's writers' lock), so two hubs reading and moving the same row
//! never both take the same slot or the same attempt. The same SQL runs on both backends, but
//! for the clocks:
//!
//! - the rate slots read the database's own clock (PostgreSQL's `clock_timestamp()`, SQLite's
//!   `julianday('now')`): spacing calls 200 ms apart needs one real clock for every hub, which a
//!   PostgreSQL server gives to hubs on several machines; the store's [`crate::Clock`] is the
//!   domain's "now", which tests freeze or move (a frozen one would make every wait longer);
//! - the sign-in throttle reads the store's [`crate::Clock`], as the leases do: its window is a
//!   minute, so hubs' clocks a second apart change nothing that matters, and tests move it to
//!   refill the window.

use std::time::Duration;

use crate::codec::millis;
use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};

/// Length of a key: the hex spelling of a SHA-256 digest.
const DIGEST_HEX_LEN: usize = 64;

/// A slot row not used for this long is forgotten when a new key arrives (its next slot has
/// long passed, so forgetting it changes nothing).
const IDLE_SLOT_MS: i64 = 60_000;

/// The database's clock in epoch milliseconds, read inside the reservation's transaction.
fn database_now_ms(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
        // `clock_timestamp()`, not `now()`: the time of the read, not of the transaction start.
        Backend::Postgres => "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
    }
}

fn duration_ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn check_digest(field: &'static str, key: &str) -> Result<()> {
    if key.len() == DIGEST_HEX_LEN && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            field,
            reason: format!("must be a SHA-256 digest: {DIGEST_HEX_LEN} hexadecimal digits"),
        })
    }
}

/// The Kisi rate budgets: per budget key, when the next call may leave.
#[derive(Debug, Clone, Copy)]
pub struct KisiRateSlots<'s> {
    store: &'s Store,
}

/// The sign-in throttle's counts: per e-mail or address digest, when its quota is full again.
#[derive(Debug, Clone, Copy)]
pub struct SignInAttempts<'s> {
    store: &'s Store,
}

impl Store {
    pub fn kisi_rate_slots(&self) -> KisiRateSlots<'_> {
        KisiRateSlots { store: self }
    }

    pub fn sign_in_attempts(&self) -> SignInAttempts<'_> {
        SignInAttempts { store: self }
    }
}

impl KisiRateSlots<'_> {
    /// Reserves the next slot of `budget_key` (a hex SHA-256 digest): the slot is the later of now
    /// and the budget's next free instant, and the next free instant moves `period` past it.
    /// Answers how long to wait for the slot (zero when it is now).
    pub async fn reserve(&self, budget_key: &str, period: Duration) -> Result<Duration> {
        check_digest("budget_key", budget_key)?;
        let period = duration_ms(period);
        let mut tx = self.store.begin_write().await?;
        // Read once the writers' lock is held, so no other reservation moves the row meanwhile.
        let now: i64 = sqlx::query_scalar(database_now_ms(self.store.backend()))
            .fetch_one(&mut *tx)
            .await?;
        let next_free: Option<i64> =
            sqlx::query_scalar("SELECT next_free_ms FROM kisi_rate_slots WHERE budget_key = $1")
                .bind(budget_key)
                .fetch_optional(&mut *tx)
                .await?;
        let slot = next_free.map_or(now, |next_free| next_free.max(now));
        let next_free_ms = slot.saturating_add(period);
        if next_free.is_some() {
            sqlx::query("UPDATE kisi_rate_slots SET next_free_ms = $1 WHERE budget_key = $2")
                .bind(next_free_ms)
                .bind(budget_key)
                .execute(&mut *tx)
                .await?;
        } else {
            // A new key: one row per Kisi user, and the idle ones go, so the table stays small
            // however many credentials come and go.
            sqlx::query("DELETE FROM kisi_rate_slots WHERE next_free_ms < $1")
                .bind(now.saturating_sub(IDLE_SLOT_MS))
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO kisi_rate_slots (budget_key, next_free_ms) VALUES ($1, $2)")
                .bind(budget_key)
                .bind(next_free_ms)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Duration::from_millis(
            u64::try_from(slot.saturating_sub(now)).unwrap_or(0),
        ))
    }

    /// How many budgets are kept.
    pub async fn count(&self) -> Result<u64> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kisi_rate_slots")
            .fetch_one(self.store.pool())
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }
}

/// What the sign-in throttle keys: an e-mail, or a client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleKind {
    Email,
    Address,
}

impl ThrottleKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Address => "address",
        }
    }
}

/// A sign-in throttle's quota: `burst` attempts at once, one more every `interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptQuota {
    pub burst: u32,
    pub interval: Duration,
    /// At most this many keys of one kind are kept.
    pub max_keys: u64,
}

/// What one attempt got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// Counted.
    Allowed,
    /// Over the key's quota: one more attempt is allowed after `retry_after`.
    Refused { retry_after: Duration },
    /// A new key while `max_keys` keys of its kind were tried within their window: not counted,
    /// not remembered.
    Full { keys: u64 },
}

impl SignInAttempts<'_> {
    /// Counts one attempt of `key_digest` (hex SHA-256) against `quota`, unless it is over it;
    /// a new key is refused while the table holds `max_keys` unrefilled keys of its kind.
    pub async fn attempt(
        &self,
        kind: ThrottleKind,
        key_digest: &str,
        quota: AttemptQuota,
    ) -> Result<AttemptOutcome> {
        check_digest("key_digest", key_digest)?;
        let interval = duration_ms(quota.interval);
        let window = interval.saturating_mul(i64::from(quota.burst.max(1)));
        let mut tx = self.store.begin_write().await?;
        let now = millis(self.store.now());
        let refilled_at: Option<i64> = sqlx::query_scalar(
            "SELECT refilled_at_ms FROM sign_in_throttle WHERE kind = $1 AND key_digest = $2",
        )
        .bind(kind.as_str())
        .bind(key_digest)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(refilled_at) = refilled_at else {
            let keys = Self::keys_in(&mut tx, kind).await?;
            if keys >= quota.max_keys {
                // Make room from keys whose quota is full again, as the in-memory throttle did.
                sqlx::query(
                    "DELETE FROM sign_in_throttle WHERE kind = $1 AND refilled_at_ms <= $2",
                )
                .bind(kind.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let keys = Self::keys_in(&mut tx, kind).await?;
                if keys >= quota.max_keys {
                    tx.commit().await?;
                    return Ok(AttemptOutcome::Full { keys });
                }
            }
            sqlx::query(
                "INSERT INTO sign_in_throttle (kind, key_digest, refilled_at_ms) \
                 VALUES ($1, $2, $3)",
            )
            .bind(kind.as_str())
            .bind(key_digest)
            .bind(now.saturating_add(interval))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(AttemptOutcome::Allowed);
        };
        let next = refilled_at.max(now).saturating_add(interval);
        let over = next.saturating_sub(now).saturating_sub(window);
        if over > 0 {
            // A refused attempt is not counted (as governor did): waiting `over` is enough.
            tx.commit().await?;
            return Ok(AttemptOutcome::Refused {
                retry_after: Duration::from_millis(u64::try_from(over).unwrap_or(0)),
            });
        }
        sqlx::query(
            "UPDATE sign_in_throttle SET refilled_at_ms = $1 WHERE kind = $2 AND key_digest = $3",
        )
        .bind(next)
        .bind(kind.as_str())
        .bind(key_digest)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(AttemptOutcome::Allowed)
    }

    /// Forgets every key whose quota is full again; answers how many went.
    pub async fn prune(&self) -> Result<u64> {
        let now = millis(self.store.now());
        let done = sqlx::query("DELETE FROM sign_in_throttle WHERE refilled_at_ms <= $1")
            .bind(now)
            .execute(self.store.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// How many keys (e-mails and addresses) are kept.
    pub async fn count(&self) -> Result<u64> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_throttle")
            .fetch_one(self.store.pool())
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn keys_in(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        kind: ThrottleKind,
    ) -> Result<u64> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_throttle WHERE kind = $1")
                .bind(kind.as_str())
                .fetch_one(&mut **tx)
                .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }
}
