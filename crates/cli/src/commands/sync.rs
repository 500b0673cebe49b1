//! `doorlink sync --dry-run`: what the sync engine would change in Kisi for a location, computed
//! from the store and its mirror of Kisi, without calling Kisi. Without `--dry-run` it runs one
//! full reconcile of the location against Kisi.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};
use doorlink_core::{KisiView, LocationFacts, PersonId, Window, format_local};
use doorlink_store::Clock;
use doorlink_sync::{Notice, Operation, Plan, RunContext, SyncConfig, SyncEngine};

use crate::{data, describe};

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
    /// --data`). Default: the database `doorlink serve` uses (DOORLINK_DATABASE, the config file,
    /// or the OS data folder).
    #[arg(long, value_name = "DIR", env = "DOORLINK_DATA")]
    pub data: Option<PathBuf>,
}

pub async fn run(args: &SyncArgs) -> Result<String> {
    let store = data::open_existing(args.data.as_deref()).await?;
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
        for operation in &plan.operations {
            let _ = writeln!(out, "  {}", operation_line(facts, view, operation));
        }
    }
    if !plan.notices.is_empty() {
        out.push_str("Needs staff attention:\n");
        for notice in &plan.notices {
            let _ = writeln!(out, "  {}", notice_line(facts, view, notice));
        }
    }
    out
}

fn name(facts: &LocationFacts, person: PersonId) -> String {
    facts.person(person).map_or_else(
        || format!("person {person}"),
        |p| format!("{} <{}>", p.name, p.email),
    )
}

fn span(facts: &LocationFacts, window: &Window) -> String {
    let zone = facts.location().time_zone;
    match window.until() {
        Some(until) => format!(
            "{} → {}",
            format_local(zone, window.from()),
            format_local(zone, until)
        ),
        None => format!("{} → no end", format_local(zone, window.from())),
    }
}

fn operation_line(facts: &LocationFacts, view: &KisiView, operation: &Operation) -> String {
    match operation {
        Operation::EnsureUser { person, .. } => {
            format!(
                "link {} to a Kisi user (create a managed user if Kisi has none)",
                name(facts, *person)
            )
        }
        Operation::CreatePerLockGroup { lock } => format!(
            "create Doorlink's own Kisi group for lock \"{}\"",
            view.lock_name(*lock)
        ),
        Operation::DeleteAssignment {
            person,
            group,
            window,
            ..
        } => format!(
            "revoke {} from {} ({})",
            name(facts, *person),
            describe::target(view, doorlink_core::AccessTarget::Group(*group)),
            span(facts, window)
        ),
        Operation::CreateAssignment {
            person,
            target,
            window,
        } => format!(
            "grant {} {} ({})",
            name(facts, *person),
            describe::target(view, *target),
            span(facts, window)
        ),
        Operation::DeleteLink { person, .. } => {
            format!("delete the visitor access link of {}", name(facts, *person))
        }
        Operation::CreateLink {
            person,
            target,
            window,
            ..
        } => format!(
            "send {} a visitor access link to {} ({})",
            name(facts, *person),
            describe::target(view, *target),
            span(facts, window)
        ),
        Operation::DeleteUser { person, .. } => {
            format!("delete the Kisi user of {} (R15)", name(facts, *person))
        }
        Operation::ForgetPerson { person } => format!(
            "stop managing {} in Kisi, leaving their Kisi user (R15)",
            name(facts, *person)
        ),
    }
}

fn notice_line(facts: &LocationFacts, view: &KisiView, notice: &Notice) -> String {
    match notice {
        Notice::TargetOrphaned { person, target } => format!(
            "{} no longer exists in Kisi; {} does not get it (C4)",
            describe::target(view, *target),
            name(facts, *person)
        ),
        Notice::EmailDrift {
            person, kisi_email, ..
        } => format!(
            "{} is linked to Kisi user {kisi_email}, whose e-mail differs; re-link them (I2)",
            name(facts, *person)
        ),
        Notice::UnconfirmedKisiUser { person, .. } => format!(
            "{}'s Kisi user never confirmed their e-mail; Kisi refuses their unlocks (I3)",
            name(facts, *person)
        ),
        Notice::UserNotOwned { person, .. } => format!(
            "{}'s Kisi user was not created by Doorlink, so it is left in place (R15, I4)",
            name(facts, *person)
        ),
    }
}
