//! Where Doorlink keeps its data, and picking the location a command is about.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use doorlink_core::{Location, LocationId};
use doorlink_hub::{ConfigLayer, HubConfig};
use doorlink_store::Store;

/// The database file inside a data folder.
pub const DATABASE_FILE: &str = "doorlink.db";

/// The database file of the data folder `dir`.
pub fn database_path(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

/// The database a command works on: the one in `--data DIR`, else the one `doorlink serve` uses
/// (`DOORLINK_DATABASE`, the config file of `DOORLINK_CONFIG`, or the OS data folder).
pub fn database(data: Option<&Path>) -> Result<PathBuf> {
    match data {
        Some(dir) => Ok(database_path(dir)),
        None => Ok(HubConfig::load(ConfigLayer::default())
            .context("reading the hub's configuration to find its database")?
            .database),
    }
}

/// Opens an existing database (commands that read must not create an empty one).
pub async fn open_existing(data: Option<&Path>) -> Result<Store> {
    let path = database(data)?;
    if !path.is_file() {
        bail!(
            "no Doorlink database at {}: pass --data with the folder of `doorlink demo --data` or \
             of `doorlink serve --data`",
            path.display()
        );
    }
    Store::open(&path)
        .await
        .with_context(|| format!("opening the database {}", path.display()))
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
