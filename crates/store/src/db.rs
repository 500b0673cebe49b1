//! Opening the database: SQLite (a file in WAL mode, foreign keys on) or PostgreSQL, both through
//! sqlx's `Any` driver so every repository runs the same SQL on either; migrations run at start-up.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};

use crate::error::{Result, StoreError};
use crate::search_keys;
use crate::secret_box::SecretBox;

/// The SQLite migrations (`crates/store/migrations/sqlite`), embedded in the binary.
static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
/// Their PostgreSQL twins (`crates/store/migrations/postgres`): same versions, same schema.
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database the store runs on. The SQL is shared; only opening, migrating, and how a write
/// transaction takes the writers' lock differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL names: `postgres://` / `postgresql://`, or `sqlite:`.
    pub fn of_url(url: &str) -> Option<Self> {
        let scheme = url.split_once(':').map(|(scheme, _)| scheme)?;
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Some(Self::Postgres),
            "sqlite" => Some(Self::Sqlite),
            _ => None,
        }
    }

    fn migrator(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Self::Sqlite => &SQLITE_MIGRATOR,
            Self::Postgres => &POSTGRES_MIGRATOR,
        }
    }
}

/// The key of the PostgreSQL advisory lock every write transaction holds (see
/// [`Store::begin_write`]): "doorlink" in ASCII.
const WRITERS_LOCK: i64 = 0x646f_6f72_6c69_6e6b;

/// A database URL with its password hidden, for logs and errors.
pub fn redacted_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "(an unreadable database URL)".to_owned(),
    }
}

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
    pool: AnyPool,
    backend: Backend,
    clock: Clock,
    secrets: SecretBox,
    /// The PostgreSQL URL the store was opened with: the change feed's listener connects with it
    /// (`change_feed.rs`). Never printed (see the `Debug` of `ChangeFeed`).
    database_url: Option<DatabaseUrl>,
}

/// A database URL that prints redacted.
#[derive(Clone)]
struct DatabaseUrl(Arc<str>);

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redacted_url(&self.0))
    }
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

/// The `sqlite:` URL of a database file (absolute, percent-encoded: the `Any` driver opens by URL).
fn sqlite_url(path: &Path) -> Result<String> {
    let absolute =
        std::path::absolute(path).map_err(|error| StoreError::Database(sqlx::Error::Io(error)))?;
    let url = url::Url::from_file_path(&absolute).map_err(|()| StoreError::Invalid {
        field: "database",
        reason: format!("{} is not a usable file path", absolute.display()),
    })?;
    Ok(format!("sqlite://{}?mode=rwc", url.path()))
}

impl Store {
    /// Opens (creating if missing) the SQLite database file at `path`, in WAL mode with foreign
    /// keys on and a busy timeout, and runs pending migrations. The key for encrypted secrets comes
    /// from `DOORLINK_SECRET_KEY` or a key file beside the database (see [`SecretBox::for_database`]).
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        create_private(path)?;
        let pool = sqlite_pool(&sqlite_url(path)?, 4).await?;
        // WAL is a property of the file: set once, kept by every later connection.
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&pool)
            .await?;
        let secrets = SecretBox::for_database(path)?;
        Self::ready(pool, Backend::Sqlite, secrets).await
    }

    /// Opens the PostgreSQL database at `url` (`postgres://user:password@host:port/name`) and runs
    /// pending migrations. Several hubs may share it. Secrets are sealed with `DOORLINK_SECRET_KEY`,
    /// which every hub of the database must be given (there is no file beside a server database).
    pub async fn open_postgres(url: &str) -> Result<Self> {
        Self::open_postgres_with(url, SecretBox::from_environment()?).await
    }

    /// [`Store::open_postgres`] sealing secrets with `secrets` (tests, or a key from elsewhere).
    pub async fn open_postgres_with(url: &str, secrets: SecretBox) -> Result<Self> {
        if Backend::of_url(url) != Some(Backend::Postgres) {
            return Err(StoreError::Invalid {
                field: "database",
                reason: "a PostgreSQL URL starts with postgres:// or postgresql://".to_owned(),
            });
        }
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        let mut store = Self::ready(pool, Backend::Postgres, secrets).await?;
        store.database_url = Some(DatabaseUrl(url.into()));
        Ok(store)
    }

    /// Opens a database named by a URL: `postgres://…` ([`Store::open_postgres`]) or
    /// `sqlite:///path/to/file.db` ([`Store::open`]).
    pub async fn open_url(url: &str) -> Result<Self> {
        match Backend::of_url(url) {
            Some(Backend::Postgres) => Self::open_postgres(url).await,
            Some(Backend::Sqlite) => {
                let path = url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:");
                let path = path.split_once('?').map_or(path, |(path, _)| path);
                Self::open(path).await
            }
            None => Err(StoreError::Invalid {
                field: "database",
                reason: "expected a postgres://… URL or a sqlite:… file".to_owned(),
            }),
        }
    }

    /// A private in-memory database for tests and demos: one connection that never closes (an
    /// in-memory SQLite database lives exactly as long as its connection), migrated like a file.
    /// Secrets are encrypted under a random key that lives as long as the store.
    pub async fn open_in_memory() -> Result<Self> {
        let pool = sqlite_pool("sqlite::memory:", 1).await?;
        Self::ready(pool, Backend::Sqlite, SecretBox::ephemeral()?).await
    }

    async fn ready(pool: AnyPool, backend: Backend, secrets: SecretBox) -> Result<Self> {
        backend.migrator().run(&pool).await?;
        let store = Self {
            pool,
            backend,
            clock: Clock::system(),
            secrets,
            database_url: None,
        };
        let unfolded = search_keys::unfolded_people(&store.pool).await?;
        if !unfolded.is_empty() {
            let mut tx = store.begin_write().await?;
            search_keys::fold_search_keys(&mut tx, &unfolded).await?;
            tx.commit().await?;
        }
        tracing::debug!(?backend, "database migrated");
        Ok(store)
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
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The PostgreSQL URL the store was opened with (`None` on SQLite).
    pub(crate) fn database_url(&self) -> Option<&Arc<str>> {
        self.database_url.as_ref().map(|url| &url.0)
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction that holds the writers' lock from its first statement, so
    /// writers run one after another as they always have, whichever backend:
    /// - SQLite: `BEGIN IMMEDIATE`. A deferred transaction that reads before it writes cannot wait
    ///   for another writer: SQLite answers "database is locked" at once instead of honouring the
    ///   busy timeout.
    /// - PostgreSQL: `BEGIN` and a transaction-scoped advisory lock. Every read-then-write of the
    ///   repositories (a uniqueness checked before an insert, "complete only if nobody asked
    ///   again") was written for one writer at a time; the lock keeps that true across hubs,
    ///   where READ COMMITTED alone would let two interleave. Reads take no lock; the outbox's
    ///   claim takes its rows with `SKIP LOCKED` instead (see `outbox`).
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITERS_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
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

/// A pool of SQLite connections with Doorlink's settings on each (foreign keys and the busy
/// timeout are the driver's defaults; `synchronous = NORMAL` is safe in WAL mode and much faster).
async fn sqlite_pool(url: &str, connections: u32) -> Result<AnyPool> {
    sqlx::any::install_default_drivers();
    let options = AnyConnectOptions::from_str(url)?;
    let in_memory = url.contains(":memory:");
    let mut pool = AnyPoolOptions::new()
        .max_connections(connections)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                Ok(())
            })
        });
    if in_memory {
        pool = pool
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None);
    }
    Ok(pool.connect_with(options).await?)
}
