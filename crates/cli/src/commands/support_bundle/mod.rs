//! `doorlink export-support-bundle --db FILE --out FILE.json`: the support bundle
//! (`doorlink_hub::gather_support_bundle`, also the admin's download in the web UI) written to a file,
//! for a hub that is not running.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::Utc;

use doorlink_hub::{Database, gather_support_bundle};

/// Write a support bundle: settings, Kisi connection states, sync queue and failures, recent
/// audit entries, counts; never credentials or secrets.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Example:\n  doorlink export-support-bundle --db ./demo-data/doorlink.db --out support.json"
)]
pub struct ExportSupportBundleArgs {
    /// The Doorlink database file (e.g. the doorlink.db in the data folder of `doorlink serve`).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "database",
        conflicts_with = "database"
    )]
    pub db: Option<PathBuf>,
    /// Instead of --db: the database as `doorlink serve --database` takes it, e.g. the
    /// postgres://user:password@host/name URL several hubs share (needs their DOORLINK_SECRET_KEY).
    #[arg(long, value_name = "PATH|URL", value_parser = crate::data::DATABASE_FLAG)]
    pub database: Option<Database>,
    /// Where to write the bundle (JSON); an existing file is replaced.
    #[arg(long, value_name = "FILE.json")]
    pub out: PathBuf,
}

/// Writes the bundle of the database `args.db` to `args.out`; returns what to print.
pub async fn run(args: &ExportSupportBundleArgs) -> Result<String> {
    let database = match (&args.database, &args.db) {
        (Some(database), _) => database.clone(),
        (None, Some(db)) => Database::File(db.clone()),
        (None, None) => bail!("pass --db with the doorlink.db of the data folder, or --database"),
    };
    if let Some(path) = database.file()
        && !path.is_file()
    {
        bail!(
            "no Doorlink database at {}: pass --db with the doorlink.db of the data folder",
            path.display()
        );
    }
    // `Database` shows a PostgreSQL URL with its password hidden.
    let store = database
        .open()
        .await
        .with_context(|| format!("opening the database {database}"))?;
    let bundle = gather_support_bundle(&store, Utc::now()).await;
    store.close().await;
    let bundle = bundle?;
    let json = serde_json::to_string_pretty(&bundle).context("writing the bundle as JSON")?;
    std::fs::write(&args.out, json + "\n")
        .with_context(|| format!("writing {}", args.out.display()))?;
    Ok(format!(
        "Support bundle written to {}: {} location(s), {} queued sync entr{} ({} failing), {} audit entries. It holds no credentials or secrets.\n",
        args.out.display(),
        bundle.locations.len(),
        bundle.sync.queue.len(),
        if bundle.sync.queue.len() == 1 {
            "y"
        } else {
            "ies"
        },
        bundle.sync.failing,
        bundle.audit.len(),
    ))
}
