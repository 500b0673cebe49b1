//! `doorlink explain <email> [--lock NAME]`: the first rule standing between a person and a door,
//! and its fix (A5); without `--lock`, the doors they may open now or why there are none. Reads the
//! store and its mirror of Kisi; needs no running hub.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use doorlink_core::{
    DenialCause, Explanation, KisiLock, KisiView, Location, LocationFacts, Person, access_page,
    explain,
};
use doorlink_store::Store;

use crate::{data, describe};

/// Explain why a person can or cannot open a door, and what fixes it.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  doorlink explain mia@harbor.example --lock \"Server Room\" --data ./demo-data\n  doorlink explain noah.becker@example.com"
)]
pub struct ExplainArgs {
    /// The person's e-mail address (any capitalisation).
    pub email: String,
    /// The door to explain, by its Kisi lock name (e.g. "Front Door"). Without it, lists the doors
    /// the person may open now, those that open later, and what stands in the way of the rest.
    #[arg(long, value_name = "NAME")]
    pub lock: Option<String>,
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

/// Runs the command against the data folder and returns the report to print.
pub async fn run(args: &ExplainArgs) -> Result<String> {
    let store = data::open_existing(args.data.as_deref(), args.database.as_ref()).await?;
    let location = data::pick_location(&store, args.location).await?;
    let report = report(
        &store,
        &location,
        &args.email,
        args.lock.as_deref(),
        Utc::now(),
    )
    .await;
    store.close().await;
    report
}

/// The explanation for `email` at `location` at `now`, as printed.
pub async fn report(
    store: &Store,
    location: &Location,
    email: &str,
    lock: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String> {
    let person = store
        .people()
        .by_email(email)
        .await
        .with_context(|| format!("looking up {email:?}"))?
        .with_context(|| format!("nobody has the e-mail address {email:?} in Doorlink"))?;
    let facts = store.load_location_facts(location.id).await?;
    let view = store.kisi_mirror().kisi_view(location.id).await?;
    let mut out = format!(
        "{} <{}> at {} ({}), now {}\n",
        person.name,
        person.email,
        location.name,
        location.time_zone,
        doorlink_core::format_local(location.time_zone, now)
    );
    match lock {
        Some(name) => {
            let lock = find_lock(&view, name)?;
            explain_lock(&mut out, &facts, &view, &person, lock, now);
        }
        None => explain_page(&mut out, &facts, &view, &person, now),
    }
    Ok(out)
}

fn find_lock<'v>(view: &'v KisiView, name: &str) -> Result<&'v KisiLock> {
    let wanted = name.trim().to_lowercase();
    if let Some(lock) = view
        .locks
        .values()
        .find(|l| l.name.to_lowercase() == wanted)
    {
        return Ok(lock);
    }
    if view.locks.is_empty() {
        bail!(
            "Doorlink has not read this location's locks from Kisi yet; run a sync (or start the \
             hub) and try again"
        );
    }
    let known: Vec<&str> = view.locks.values().map(|l| l.name.as_str()).collect();
    bail!(
        "Kisi has no lock named {name:?} at this location; the locks are: {}",
        known.join(", ")
    )
}

fn write_cause(out: &mut String, cause: &DenialCause) {
    let _ = writeln!(out, "  Why: {cause}");
    let _ = writeln!(out, "  Fix: {}", cause.fix());
}

fn explain_lock(
    out: &mut String,
    facts: &LocationFacts,
    view: &KisiView,
    person: &Person,
    lock: &KisiLock,
    now: DateTime<Utc>,
) {
    match explain(facts, view, person.id, lock.id, now) {
        Explanation::MayOpen {
            grants,
            verified_in_kisi,
        } => {
            let _ = writeln!(out, "May open \"{}\" now:", lock.name);
            for grant in &grants {
                let _ = writeln!(
                    out,
                    "  {} {}, through {}",
                    describe::target(view, grant.target),
                    describe::window(facts, &grant.window, now),
                    provenances(facts, person.id, &grant.provenances)
                );
            }
            if !verified_in_kisi {
                out.push_str(
                    "  (not yet confirmed in Kisi: Doorlink has not read every group or user \
                     involved; a sync will)\n",
                );
            }
        }
        Explanation::Blocked { cause } => {
            let _ = writeln!(out, "Cannot open \"{}\" now.", lock.name);
            write_cause(out, &cause);
        }
    }
}

fn explain_page(
    out: &mut String,
    facts: &LocationFacts,
    view: &KisiView,
    person: &Person,
    now: DateTime<Utc>,
) {
    let page = access_page(facts, view, person.id, now);
    if page.open_now.is_empty() {
        out.push_str("No doors open for them now.\n");
    } else {
        out.push_str("Doors they may open now:\n");
    }
    for lock in &page.open_now {
        let _ = writeln!(
            out,
            "  {} {}, through {}",
            lock.name,
            describe::window(facts, &lock.window, now),
            provenances(facts, person.id, &lock.provenances)
        );
        if let Some(restriction) = &lock.restriction {
            let _ = writeln!(out, "    but a remote unlock fails: {restriction}");
            let _ = writeln!(out, "    Fix: {}", restriction.fix());
        }
    }
    if !page.upcoming.is_empty() {
        out.push_str("Doors that open for them later:\n");
        for lock in &page.upcoming {
            let _ = writeln!(
                out,
                "  {} {}, through {}",
                lock.name,
                describe::window(facts, &lock.window, now),
                provenances(facts, person.id, &lock.provenances)
            );
        }
    }
    if let Some((first, rest)) = page.blocked.split_first() {
        out.push_str(if page.open_now.is_empty() {
            "First rule standing in the way:\n"
        } else {
            "Also in the way:\n"
        });
        write_cause(out, first);
        for cause in rest {
            write_cause(out, cause);
        }
    }
}

/// Core's wording, so the command line and the Access page say the same thing.
fn provenances(
    facts: &LocationFacts,
    person: doorlink_core::PersonId,
    provenances: &[doorlink_core::Provenance],
) -> String {
    let described: Vec<String> = provenances.iter().map(|p| p.words(facts, person)).collect();
    described.join("; ")
}
