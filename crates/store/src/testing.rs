//! A database for the tests of this crate and the crates above it, on the backend the test run asks
//! for: SQLite files by default; a fresh PostgreSQL database per test when `DOORLINK_TEST_BACKEND`
//! is `postgres` (`tests/run` sets it, with `DOORLINK_TEST_POSTGRES_URL` naming a throwaway
//! cluster, for its second pass over the store and sync suites).

use std::path::{Path, PathBuf};

use sqlx::Connection as _;

use crate::Store;
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::secret_box::SecretBox;

/// `postgres` runs the tests that use [`TestDatabase`] on PostgreSQL; anything else, SQLite.
pub const TEST_BACKEND_ENV: &str = "DOORLINK_TEST_BACKEND";
/// The PostgreSQL server for the tests: `postgres://role@127.0.0.1:port/database`, where the role
/// may create databases.
pub const TEST_POSTGRES_URL_ENV: &str = "DOORLINK_TEST_POSTGRES_URL";

/// The backend this test run asked for.
pub fn test_backend() -> Backend {
    match std::env::var(TEST_BACKEND_ENV).as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// One test's database, which the test may open several times (two hubs, a reopen).
#[derive(Debug, Clone)]
pub enum TestDatabase {
    File(PathBuf),
    Postgres { url: String, secrets: SecretBox },
}

impl TestDatabase {
    /// A new, empty database: `dir/doorlink.db`, or a PostgreSQL database of its own. A run that
    /// asks for PostgreSQL without saying where it is fails: it must not quietly test SQLite.
    pub async fn fresh(dir: &Path) -> Result<Self> {
        match test_backend() {
            Backend::Sqlite => Ok(Self::File(dir.join("doorlink.db"))),
            Backend::Postgres => {
                let server =
                    std::env::var(TEST_POSTGRES_URL_ENV).map_err(|_| StoreError::Invalid {
                        field: TEST_POSTGRES_URL_ENV,
                        reason: format!("{TEST_BACKEND_ENV}=postgres needs the server's URL"),
                    })?;
                Ok(Self::Postgres {
                    url: fresh_postgres_database(&server).await?,
                    secrets: SecretBox::ephemeral()?,
                })
            }
        }
    }

    /// Opens (and on first open, migrates) the database.
    pub async fn open(&self) -> Result<Store> {
        match self {
            Self::File(path) => Store::open(path).await,
            Self::Postgres { url, secrets } => {
                Store::open_postgres_with(url, secrets.clone()).await
            }
        }
    }
}

/// The URL of a fresh, empty database on the test server, or `None` when the run names no server:
/// the test then does nothing and says so. For the tests that need PostgreSQL itself (several
/// hubs, the change feed, a move from SQLite) whatever backend the run tests.
#[allow(
    clippy::print_stdout,
    reason = "a skipped test says why it did nothing, where the test runner shows it"
)]
pub async fn postgres_or_skip() -> Result<Option<String>> {
    let Ok(server) = std::env::var(TEST_POSTGRES_URL_ENV) else {
        println!("skipped: {TEST_POSTGRES_URL_ENV} is not set");
        return Ok(None);
    };
    fresh_postgres_database(&server).await.map(Some)
}

/// Creates a uniquely named database on the server `server` names and returns its URL.
pub async fn fresh_postgres_database(server: &str) -> Result<String> {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(server).await?;
    // The name is ours (a UUID), never input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let mut url = url::Url::parse(server).map_err(|error| StoreError::Invalid {
        field: TEST_POSTGRES_URL_ENV,
        reason: error.to_string(),
    })?;
    url.set_path(&name);
    Ok(url.to_string())
}
