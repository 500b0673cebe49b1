//! `doorlink sync --dry-run`: what the sync engine would change in Kisi for a location, computed
//! from the store and its mirror of Kisi, without calling Kisi. Without `--dry-run` it runs one
//! full reconcile of the location against Kisi.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};
use doorlink_core::{KisiView, LocationFacts};
use doorlink_store::Clock;
use doorlink_sync::{Plan, RunContext, SyncConfig, SyncEngine, plan_words};

use crate::data;

/// Show (or apply) the difference between the access Doorlink's rules give and what it holds in Kisi.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Example:\n  doorlink sync --dry-run --data ./demo-data")]
pub struct SyncArgs {
    /// Print the Kisi changes a sync would make (users, role assignments, per-lock groups, visitor
    /// links) without making them. Without it, runs one full reconcile against Kisi.
    #[arg(long)]
    pub dry_run: bool,
    /// The location id; needed only when the database holds several locations.
    #[arg(long, value_name = "ID")]
    pub location: Option<i64>,
    /// The data folder holding doorlink.db (as given to `doorlink demo --data` or `doorlink serve
    /// --data`). Default: the database `doorlink serve` uses (DOORLINK_DATABASE_URL,
    /// DOORLINK_DATABASE, the config file, or the OS data folder).
    #[arg(
        long,
        value_name = "DIR",
        env = "DOORLINK_DATA",
        conflicts_with = "database"
    )]
    pub data: Option<PathBuf>,
    /// The database: a SQLite file, or the postgres://user:password@host/name URL the hubs share
    /// (also DOORLINK_DATABASE_URL; PostgreSQL needs the hubs' DOORLINK_SECRET_KEY).
    #[arg(long, value_name = "PATH|URL", value_parser = data::DATABASE_FLAG)]
    pub database: Option<doorlink_hub::Database>,
}

pub async fn run(args: &SyncArgs) -> Result<String> {
    let store = data::open_existing(args.data.as_deref(), args.database.as_ref()).await?;
    let location = data::pick_location(&store, args.location).await?;
    let engine = SyncEngine::new(store.clone(), Clock::system(), SyncConfig::default());
    let report = if args.dry_run {
        dry_run_report(&engine, location.id).await
    } else {
        let report = engine
            .reconcile_location(location.id, RunContext::default())
            .await
            .with_context(|| format!("reconciling location {} with Kisi", location.name))?;
        Ok(format!(
            "Reconciled {}: {} change(s) applied, {} failed, {} skipped, {} restored after hand edits in Kisi.\n{}",
            location.name,
            report.sync.applied,
            report.sync.failures.len(),
            report.sync.skipped,
            report.restored,
            report.sync.failures.join("\n")
        ))
    };
    store.close().await;
    report
}

/// The plan for the whole location, in plain words.
pub async fn dry_run_report(
    engine: &SyncEngine,
    location: doorlink_core::LocationId,
) -> Result<String> {
    let store = engine.store();
    let plan = engine
        .plan_location(location)
        .await
        .context("planning the sync")?;
    let facts = store.load_location_facts(location).await?;
    let view = store.kisi_mirror().kisi_view(location).await?;
    Ok(render(&facts, &view, &plan))
}

fn render(facts: &LocationFacts, view: &KisiView, plan: &Plan) -> String {
    let location = facts.location();
    // The plan's lines are the sync crate's one wording, the same the Admin › Sync page shows.
    let words = plan_words(facts, view, plan);
    let mut out = String::new();
    if plan.is_empty() {
        let _ = writeln!(
            out,
            "Kisi already holds exactly the access Doorlink gives at {}: nothing to do.",
            location.name
        );
    } else {
        let _ = writeln!(
            out,
            "A sync of {} would make {} change(s) ({} Kisi write(s)):",
            location.name,
            plan.operations.len(),
            plan.kisi_writes()
        );
        for line in &words.operations {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !words.notices.is_empty() {
        out.push_str("Needs staff attention:\n");
        for line in &words.notices {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}
