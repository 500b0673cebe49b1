//! Opening the database: SQLite in WAL mode with foreign keys on, migrations run at start-up.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::{Result, StoreError};
use crate::secret_box::SecretBox;

/// The SQLite migrations (`crates/store/migrations/sqlite`), embedded in the binary.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a writer waits for another writer's lock before giving up ("database is locked").
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the store reads "now" from. The system clock in production; tests pass their own so that
/// outbox leases and back-off can be checked without sleeping.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Utc::now))
    }

    pub fn from_fn(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// The database. Cheap to clone: clones share one connection pool.
///
/// Repositories hang off it, one per table family: [`Store::locations`], [`Store::people`], ...
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    clock: Clock,
    secrets: SecretBox,
}

/// Creates a missing database file readable by its owner only, like its key file: it holds
/// people's e-mails and sealed Kisi secrets. SQLite gives the `-wal` and `-shm` files the same
/// mode. An existing file keeps the mode its owner chose.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(StoreError::Database(sqlx::Error::Io(error))),
    }
}

impl Store {
    /// Opens (creating if missing) the database file at `path`, in WAL mode with foreign keys on and a
    /// busy timeout, and runs pending migrations. The key for encrypted secrets comes from
    /// `DOORLINK_SECRET_KEY` or a key file beside the database (see [`SecretBox::for_database`]).
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        create_private(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        let secrets = SecretBox::for_database(path)?;
        Self::ready(pool, secrets).await
    }

    /// A private in-memory database for tests and demos: one connection that never closes (an
    /// in-memory SQLite database lives exactly as long as its connection), migrated like a file.
    /// Secrets are encrypted under a random key that lives as long as the store.
    pub async fn open_in_memory() -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .in_memory(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        Self::ready(pool, SecretBox::ephemeral()?).await
    }

    async fn ready(pool: SqlitePool, secrets: SecretBox) -> Result<Self> {
        MIGRATOR.run(&pool).await?;
        crate::search_keys::fold_missing_search_keys(&pool).await?;
        tracing::debug!("database migrated");
        Ok(Self {
            pool,
            clock: Clock::system(),
            secrets,
        })
    }

    /// The same store reading "now" from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The same store encrypting secrets with `secrets` (e.g. a key from the OS keychain).
    pub fn with_secret_box(mut self, secrets: SecretBox) -> Self {
        self.secrets = secrets;
        self
    }

    /// The connection pool, for callers that need a query the repositories do not offer yet.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction holding SQLite's write lock from the first statement
    /// (`BEGIN IMMEDIATE`). A deferred transaction that reads before it writes cannot wait for
    /// another writer: SQLite answers "database is locked" at once instead of honouring the busy
    /// timeout. (PostgreSQL needs no such thing; a port replaces this one statement with `BEGIN`.)
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn secret_box(&self) -> &SecretBox {
        &self.secrets
    }

    /// Closes every connection (checkpointing the WAL); the store is unusable afterwards.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
