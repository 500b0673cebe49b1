//! The local SQLite cache of the signed-in person's doors (A6): written after every answer of the
//! hub, read at start so the Access page renders before the network is asked anything.

use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use doorlink_api::common::Window;
use doorlink_api::me::{LocationAccess, LockAccess, MyAccess};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow};
use sqlx::{Row, SqliteConnection, SqlitePool};

/// The cache's own schema, separate from the hub's database.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Whose doors a snapshot holds: one person at one hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountKey {
    pub hub_url: String,
    pub email: String,
}

impl AccountKey {
    pub(crate) fn as_column(&self) -> String {
        format!("{} {}", self.hub_url, self.email.trim().to_lowercase())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("the local cache at {path} cannot be opened: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("the local cache's schema cannot be set up: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the local cache cannot be read or written: {0}")]
    Query(#[from] sqlx::Error),
    #[error("the local cache holds a {0} it cannot read; signing out and in again rebuilds it")]
    Corrupt(String),
}

/// A pool over the cache file. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Cache {
    pool: SqlitePool,
}

impl Cache {
    /// Opens (creating if needed) the cache at `path`.
    pub async fn open(path: &Path) -> Result<Self, CacheError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .map_err(|source| CacheError::Open {
                path: path.display().to_string(),
                source,
            })?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// The cache file's pool, for the other queues kept in the same file (report_queue.rs).
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A cache that lives only as long as the process (tests).
    pub async fn open_in_memory() -> Result<Self, CacheError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: every connection to `:memory:` is its own database.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// Replaces the account's snapshot with `access` in one transaction: a reader sees the old
    /// doors or the new ones, never a mix. `access.checked_at` is when the hub confirmed them.
    pub async fn save(&self, account: &AccountKey, access: &MyAccess) -> Result<(), CacheError> {
        let key = account.as_column();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM access_snapshot WHERE account = ?")
            .bind(&key)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO access_snapshot (account, person_id, confirmed_at) VALUES (?, ?, ?)",
        )
        .bind(&key)
        .bind(access.person_id)
        .bind(access.checked_at)
        .execute(&mut *tx)
        .await?;
        for location in &access.locations {
            let without_doors = LocationAccess {
                open_now: Vec::new(),
                upcoming: Vec::new(),
                ..location.clone()
            };
            sqlx::query(
                "INSERT INTO cached_location (account, location_id, location) VALUES (?, ?, ?)",
            )
            .bind(&key)
            .bind(location.location_id)
            .bind(to_json(&without_doors)?)
            .execute(&mut *tx)
            .await?;
            for lock in location.open_now.iter().chain(&location.upcoming) {
                insert_window(&mut tx, &key, location.location_id, lock).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The account's last confirmed Access page, exactly as the hub sent it (re-read it at the
    /// local clock with [`crate::access::as_of`]); `None` when nothing was ever confirmed.
    pub async fn load(&self, account: &AccountKey) -> Result<Option<MyAccess>, CacheError> {
        let key = account.as_column();
        let Some(snapshot) =
            sqlx::query("SELECT person_id, confirmed_at FROM access_snapshot WHERE account = ?")
                .bind(&key)
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let checked_at: DateTime<Utc> = snapshot.try_get("confirmed_at")?;
        let locations = sqlx::query(
            "SELECT location_id, location FROM cached_location \
             WHERE account = ? ORDER BY location_id",
        )
        .bind(&key)
        .fetch_all(&self.pool)
        .await?;
        let windows = sqlx::query(
            "SELECT location_id, lock_id, lock_name, opens_at, closes_at, why, restriction, door_state \
             FROM door_window WHERE account = ? ORDER BY opens_at, lock_id",
        )
        .bind(&key)
        .fetch_all(&self.pool)
        .await?;

        let mut access = MyAccess {
            person_id: snapshot.try_get("person_id")?,
            checked_at,
            locations: Vec::with_capacity(locations.len()),
        };
        for row in &locations {
            let location_id: i64 = row.try_get("location_id")?;
            let mut location: LocationAccess =
                from_json(&row.try_get::<String, _>("location")?, "location")?;
            for window in &windows {
                if window.try_get::<i64, _>("location_id")? != location_id {
                    continue;
                }
                let lock = lock_from_row(window)?;
                // Sorted into open/upcoming as the hub did at `checked_at`; `as_of` re-sorts at now.
                if crate::access::is_open_at(&lock.window, checked_at) {
                    location.open_now.push(lock);
                } else {
                    location.upcoming.push(lock);
                }
            }
            access.locations.push(location);
        }
        Ok(Some(access))
    }

    /// Forgets the account's doors (sign-out): the next person at this computer starts empty.
    pub async fn forget(&self, account: &AccountKey) -> Result<(), CacheError> {
        sqlx::query("DELETE FROM access_snapshot WHERE account = ?")
            .bind(account.as_column())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn insert_window(
    tx: &mut SqliteConnection,
    key: &str,
    location_id: i64,
    lock: &LockAccess,
) -> Result<(), CacheError> {
    let restriction = lock.restriction.as_ref().map(to_json).transpose()?;
    let door_state = lock.door_state.as_ref().map(to_json).transpose()?;
    sqlx::query(
        "INSERT OR REPLACE INTO door_window \
         (account, location_id, lock_id, lock_name, opens_at, closes_at, why, restriction, \
          door_state) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(key)
    .bind(location_id)
    .bind(lock.lock_id)
    .bind(&lock.name)
    .bind(lock.window.from)
    .bind(lock.window.until)
    .bind(to_json(&lock.why)?)
    .bind(restriction)
    .bind(door_state)
    .execute(tx)
    .await?;
    Ok(())
}

fn lock_from_row(row: &SqliteRow) -> Result<LockAccess, CacheError> {
    let restriction: Option<String> = row.try_get("restriction")?;
    let door_state: Option<String> = row.try_get("door_state")?;
    Ok(LockAccess {
        lock_id: row.try_get("lock_id")?,
        name: row.try_get("lock_name")?,
        window: Window {
            from: row.try_get("opens_at")?,
            until: row.try_get("closes_at")?,
        },
        why: from_json(&row.try_get::<String, _>("why")?, "provenance")?,
        restriction: restriction
            .as_deref()
            .map(|json| from_json(json, "restriction"))
            .transpose()?,
        door_state: door_state
            .as_deref()
            .map(|json| from_json(json, "door state"))
            .transpose()?,
    })
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, CacheError> {
    serde_json::to_string(value).map_err(|error| CacheError::Corrupt(error.to_string()))
}

fn from_json<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, CacheError> {
    serde_json::from_str(json).map_err(|error| CacheError::Corrupt(format!("{what} ({error})")))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use doorlink_api::common::Reason;

    use super::*;

    fn ana() -> AccountKey {
        AccountKey {
            hub_url: "http://127.0.0.1:8080".to_owned(),
            email: "ana@example.com".to_owned(),
        }
    }

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, hour, 0, 0).unwrap()
    }

    fn access() -> MyAccess {
        MyAccess {
            person_id: 4,
            checked_at: at(11),
            locations: vec![crate::access::test_location(
                vec![LockAccess {
                    lock_id: 7,
                    name: "Front door".to_owned(),
                    window: Window {
                        from: at(10),
                        until: Some(at(15)),
                    },
                    why: vec!["booking of Meeting room".to_owned()],
                    restriction: None,
                    // Kisi reported it locked down: the page shown offline still says so.
                    door_state: Some(Reason {
                        cause: doorlink_api::common::Cause::DoorLockedDown,
                        message: "\"Front door\" is locked down in Kisi".to_owned(),
                        fix: "ask the front desk".to_owned(),
                    }),
                }],
                vec![LockAccess {
                    lock_id: 9,
                    name: "Roof terrace".to_owned(),
                    window: Window {
                        from: at(18),
                        until: None,
                    },
                    why: vec!["plan Hot desk".to_owned()],
                    restriction: Some(Reason {
                        cause: doorlink_api::common::Cause::ReaderRestriction,
                        message: "needs the Kisi Reader".to_owned(),
                        fix: "use your phone at the reader".to_owned(),
                    }),
                    door_state: None,
                }],
                vec![],
            )],
        }
    }

    #[tokio::test]
    async fn a_saved_access_page_comes_back_as_the_hub_sent_it() {
        let cache = Cache::open_in_memory().await.unwrap();
        cache.save(&ana(), &access()).await.unwrap();
        assert_eq!(cache.load(&ana()).await.unwrap(), Some(access()));
    }

    #[tokio::test]
    async fn saving_replaces_the_previous_doors() {
        let cache = Cache::open_in_memory().await.unwrap();
        cache.save(&ana(), &access()).await.unwrap();
        let nothing = MyAccess {
            locations: vec![],
            ..access()
        };
        cache.save(&ana(), &nothing).await.unwrap();
        assert_eq!(cache.load(&ana()).await.unwrap(), Some(nothing));
    }

    #[tokio::test]
    async fn another_person_at_the_same_computer_never_sees_the_first_ones_doors() {
        let cache = Cache::open_in_memory().await.unwrap();
        cache.save(&ana(), &access()).await.unwrap();
        let ben = AccountKey {
            email: "ben@example.com".to_owned(),
            ..ana()
        };
        assert_eq!(cache.load(&ben).await.unwrap(), None);
    }

    #[tokio::test]
    async fn the_account_key_ignores_e_mail_case_and_spaces() {
        let cache = Cache::open_in_memory().await.unwrap();
        cache.save(&ana(), &access()).await.unwrap();
        let shouting = AccountKey {
            email: " ANA@example.com".to_owned(),
            ..ana()
        };
        assert!(cache.load(&shouting).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn sign_out_forgets_the_doors() {
        let cache = Cache::open_in_memory().await.unwrap();
        cache.save(&ana(), &access()).await.unwrap();
        cache.forget(&ana()).await.unwrap();
        assert_eq!(cache.load(&ana()).await.unwrap(), None);
    }

    #[tokio::test]
    async fn the_cache_file_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        Cache::open(&path)
            .await
            .unwrap()
            .save(&ana(), &access())
            .await
            .unwrap();
        let reopened = Cache::open(&path).await.unwrap();
        assert_eq!(reopened.load(&ana()).await.unwrap(), Some(access()));
    }
}
