//! `doorlink migrate --from doorlink.db --to postgres://…`: moves a single hub's space from its
//! SQLite file to a new PostgreSQL database several hubs can share (issue 14). The copy itself is
//! `doorlink_store::transfer`; this command opens both sides, prints the per-table proof, and says
//! which key the target's hubs need.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use doorlink_hub::Database;
use doorlink_store::transfer::{self, TableCopy, TransferError};
use doorlink_store::{SECRET_KEY_ENV, SecretBox, Store};

use crate::data;

/// Copy a space from its SQLite file into a new, empty PostgreSQL database, with nothing lost.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Stop the hub first (or accept that writes made during the copy stay behind). The \
target must be empty: create a new database for it. Every table is copied in one PostgreSQL \
transaction and checked (rows and a SHA-256 per table on both sides); on any difference nothing is \
written.\n\nExample:\n  doorlink migrate --from /var/lib/doorlink/doorlink.db --to \
postgres://doorlink:secret@127.0.0.1/doorlink"
)]
pub struct MigrateArgs {
    /// The SQLite database file of the single hub (e.g. /var/lib/doorlink/doorlink.db).
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The PostgreSQL database: postgres://user:password@host:5432/name (an empty database; its
    /// tables are created).
    #[arg(long, value_name = "URL", value_parser = data::DatabaseFlag { flag: "--to", postgres_only: true })]
    pub to: Database,
}

/// Runs the migration; returns the report to print. Fails (non-zero) when the target is not
/// empty or any table differs, having written nothing.
pub async fn run(args: &MigrateArgs) -> Result<String> {
    let Database::Postgres(url) = &args.to else {
        bail!("--to must be a PostgreSQL URL");
    };
    if !args.from.is_file() {
        bail!(
            "no Doorlink database at {}: pass --from with the doorlink.db of the hub's data folder",
            args.from.display()
        );
    }
    let source = Store::open(&args.from)
        .await
        .with_context(|| format!("opening {}", args.from.display()))?;
    // The target seals nothing during the copy; it gets the source's key so a store opened on it
    // reads the copied secrets, whatever DOORLINK_SECRET_KEY says.
    let key = source_key(&args.from)?;
    // A key that does not open the source's secrets would make the target's hubs unable to reach
    // Kisi: found out now, before anything is written.
    for location in source.locations().list().await? {
        if source.locations().connection(location.id).await?.is_some() {
            source
                .locations()
                .credential(location.id)
                .await
                .with_context(|| {
                    format!(
                        "the Kisi credential of {} does not open with {}; run migrate with the \
                         key the hub used",
                        location.name,
                        key_source(&args.from)
                    )
                })?;
        }
    }
    let target = Store::open_postgres_with(url, key)
        .await
        .with_context(|| format!("opening {}", args.to))?;
    let outcome = transfer::sqlite_to_postgres(&source, &target).await;
    source.close().await;
    target.close().await;
    match outcome {
        Ok(tables) => Ok(report(args, &tables)),
        Err(TransferError::Mismatch { tables, .. }) => {
            bail!(
                "{}the copy differs from the source (marked ✗ above); the transaction was rolled \
                 back and nothing was written to {}",
                table_lines(&tables),
                args.to
            )
        }
        Err(error) => Err(error).with_context(|| format!("migrating to {}", args.to)),
    }
}

/// The key the source's secrets are sealed with: `DOORLINK_SECRET_KEY` when set, else its key file.
fn source_key(from: &std::path::Path) -> Result<SecretBox> {
    SecretBox::for_database(from).context("reading the source database's secret key")
}

/// Where the source's key comes from, in words.
fn key_source(from: &std::path::Path) -> String {
    if std::env::var_os(SECRET_KEY_ENV).is_some() {
        SECRET_KEY_ENV.to_owned()
    } else {
        transfer::key_file_of(from).display().to_string()
    }
}

/// Where the key is, in words; never the key.
fn key_words(from: &std::path::Path) -> String {
    if std::env::var_os(SECRET_KEY_ENV).is_some() {
        format!(
            "The Kisi credentials were copied sealed with the key in {SECRET_KEY_ENV} (as this \
             command was given it): give every hub of the PostgreSQL database the same \
             {SECRET_KEY_ENV}."
        )
    } else {
        format!(
            "The Kisi credentials were copied sealed with the key in {}: give every hub of the \
             PostgreSQL database its content as {SECRET_KEY_ENV} (e.g. \
             {SECRET_KEY_ENV}=$(cat {})). Keep it secret; it is not printed here.",
            transfer::key_file_of(from).display(),
            transfer::key_file_of(from).display(),
        )
    }
}

fn table_lines(tables: &[TableCopy]) -> String {
    let width = tables
        .iter()
        .map(|t| t.table.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = format!(
        "  {:width$}  {:>8}  {:>8}  {:16}  {:16}\n",
        "table", "source", "target", "sha256 source", "sha256 target"
    );
    for table in tables {
        let _ = writeln!(
            out,
            "  {:width$}  {:>8}  {:>8}  {:16}  {:16}  {}",
            table.table,
            table.source_rows,
            table.target_rows,
            &table.source_checksum[..16],
            &table.target_checksum[..16],
            if table.matches() { "✓" } else { "✗" }
        );
    }
    out
}

fn report(args: &MigrateArgs, tables: &[TableCopy]) -> String {
    let rows: u64 = tables.iter().map(|t| t.source_rows).sum();
    format!(
        "Copied {} into {}: {} tables, {} rows, every count and checksum equal.\n{}{}\nNext: start \
         each hub with --database {} (or DOORLINK_DATABASE_URL) and the same {SECRET_KEY_ENV}.\n",
        args.from.display(),
        args.to,
        tables.len(),
        rows,
        table_lines(tables),
        key_words(&args.from),
        args.to,
    )
}
