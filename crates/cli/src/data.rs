//! Where Doorlink keeps its data, and picking the location a command is about.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use doorlink_core::{Location, LocationId};
use doorlink_hub::{ConfigLayer, Database, HubConfig};
use doorlink_store::Store;

/// The database file inside a data folder.
pub const DATABASE_FILE: &str = "doorlink.db";

/// The database file of the data folder `dir`.
pub fn database_path(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

/// The parser of a database flag (`--database`, `migrate --to`): a SQLite file or a URL
/// (`postgres://…`, `sqlite:…`), checked like the hub's setting. Its refusal is worded here, not by
/// clap, whose "invalid value" message would repeat the value, password and all.
#[derive(Debug, Clone, Copy)]
pub struct DatabaseFlag {
    pub flag: &'static str,
    /// Only a PostgreSQL URL will do (`migrate --to`).
    pub postgres_only: bool,
}

/// `--database PATH|URL`.
pub const DATABASE_FLAG: DatabaseFlag = DatabaseFlag {
    flag: "--database",
    postgres_only: false,
};

impl clap::builder::TypedValueParser for DatabaseFlag {
    type Value = Database;

    fn parse_ref(
        &self,
        _command: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Database, clap::Error> {
        let refuse = |message: String| {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, message + "\n")
        };
        let text = value
            .to_str()
            .ok_or_else(|| refuse(format!("{} is not valid UTF-8", self.flag)))?;
        let database =
            Database::parse(self.flag, text).map_err(|error| refuse(error.to_string()))?;
        if self.postgres_only && database.backend() != doorlink_store::Backend::Postgres {
            return Err(refuse(format!(
                "{} must be a PostgreSQL URL such as postgres://user:password@host:5432/doorlink",
                self.flag
            )));
        }
        Ok(database)
    }
}

/// The database a command works on: `--database`, else the one in `--data DIR`, else the one
/// `doorlink serve` uses (`DOORLINK_DATABASE_URL`, `DOORLINK_DATABASE`, the config file of
/// `DOORLINK_CONFIG`, or the OS data folder).
pub fn database(data: Option<&Path>, database: Option<&Database>) -> Result<Database> {
    match (database, data) {
        (Some(database), _) => Ok(database.clone()),
        (None, Some(dir)) => Ok(Database::File(database_path(dir))),
        (None, None) => Ok(HubConfig::load(ConfigLayer::default())
            .context("reading the hub's configuration to find its database")?
            .database),
    }
}

/// Opens an existing database (commands that read must not create an empty SQLite file; a
/// PostgreSQL database is migrated like the hub does).
pub async fn open_existing(data: Option<&Path>, database: Option<&Database>) -> Result<Store> {
    let database = self::database(data, database)?;
    if let Some(path) = database.file()
        && !path.is_file()
    {
        bail!(
            "no Doorlink database at {}: pass --data with the folder of `doorlink demo --data` or \
             of `doorlink serve --data`, or --database with a file or a postgres:// URL",
            path.display()
        );
    }
    database
        .open()
        .await
        .with_context(|| format!("opening the database {database}"))
}

/// The location a command is about: the one asked for, or the only one there is.
pub async fn pick_location(store: &Store, asked: Option<i64>) -> Result<Location> {
    if let Some(id) = asked {
        return store
            .locations()
            .get(LocationId(id))
            .await
            .with_context(|| format!("--location {id}"));
    }
    let mut locations = store.locations().list().await?;
    match locations.len() {
        0 => bail!("the database has no location yet; create one (or start `doorlink demo`)"),
        1 => Ok(locations.remove(0)),
        _ => {
            let choices: Vec<String> = locations
                .iter()
                .map(|l| format!("{} ({})", l.id, l.name))
                .collect();
            bail!(
                "the database has several locations; pass --location with one of: {}",
                choices.join(", ")
            )
        }
    }
}
