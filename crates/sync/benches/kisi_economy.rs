//! Kisi economy: the full reconcile of a location whose people all hold a subscription (2,000 by
//! default) against the emulator at Kisi's 5 requests/second. Counts the HTTP requests Kisi
//! received (every page and retry included) and compares them with the minimum needed:
//! - first reconcile: the directory (places, groups, locks, each group's locks) plus one user and
//!   one role assignment per person;
//! - second reconcile: the directory plus every page of the owned group's role assignments, and no
//!   write at all.
//!
//! Also prints wall time against the floor the 5 requests/second budget sets.
//!
//! `cargo bench -p doorlink-sync --bench kisi_economy` (`DOORLINK_BENCH_PEOPLE`, default 2000).
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark binary: it prints its figures and stops loudly on a broken set-up"
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::Space;
use doorlink_core::{DoorAccess, Holder, ItemKind, PaymentStatus};
use doorlink_store::{AuditFilter, NewItem, NewSubscription};
use doorlink_sync::RunContext;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Counts the requests the emulator answered (its "kisi request" log line, one per request).
struct RequestCounter(Arc<AtomicUsize>);

struct IsRequestLine(bool);

impl Visit for IsRequestLine {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" && format!("{value:?}") == "kisi request" {
            self.0 = true;
        }
    }
}

impl<S: Subscriber> Layer<S> for RequestCounter {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() == "kisi_emulator::server" {
            let mut line = IsRequestLine(false);
            event.record(&mut line);
            if line.0 {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// Kisi's budget: 5 requests per second.
fn floor(requests: usize) -> Duration {
    Duration::from_millis(u64::try_from(requests).unwrap() * 200)
}

async fn writes_so_far(space: &Space) -> usize {
    let mut writes = 0;
    let mut before = None;
    loop {
        let page = space
            .store
            .audit()
            .list(&AuditFilter::default(), before, 500)
            .await
            .unwrap();
        writes += page
            .entries
            .iter()
            .filter(|e| e.http_method != "GET")
            .count();
        match page.next_before {
            Some(next) => before = Some(next),
            None => return writes,
        }
    }
}

#[tokio::main]
async fn main() {
    let people: usize = std::env::var("DOORLINK_BENCH_PEOPLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let requests = Arc::new(AtomicUsize::new(0));
    let subscriber = tracing_subscriber::registry().with(
        RequestCounter(Arc::clone(&requests)).with_filter(
            tracing_subscriber::filter::Targets::new()
                .with_target("kisi_emulator::server", tracing::Level::INFO),
        ),
    );
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let space = Space::start_rate_limited().await;
    let members = space.group("Members");
    let plan = space
        .store
        .catalog()
        .create_plan(space.location, "Resident", &DoorAccess::groups([members]))
        .await
        .unwrap();
    for n in 0..people {
        let person = space
            .person(&format!("Member {n}"), &format!("member{n}@hive.test"))
            .await;
        space
            .store
            .subscriptions()
            .create(&NewSubscription {
                location: space.location,
                holder: Holder::Person(person),
                start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                end: None,
                items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
                beneficiaries: Default::default(),
                payment_status: PaymentStatus::Paid,
            })
            .await
            .unwrap();
    }
    let groups = space.kisi().groups.len();
    let directory_reads = 3 + groups;

    let before = requests.load(Ordering::SeqCst);
    let started = Instant::now();
    let first = space
        .engine()
        .reconcile_location(space.location, RunContext::default())
        .await
        .unwrap();
    let first_time = started.elapsed();
    let first_requests = requests.load(Ordering::SeqCst) - before;
    assert!(first.sync.succeeded(), "{:?}", first.sync.failures.first());
    let first_minimum = directory_reads + 2 * people;

    let writes_before = writes_so_far(&space).await;
    let before = requests.load(Ordering::SeqCst);
    let started = Instant::now();
    let second = space
        .engine()
        .reconcile_location(space.location, RunContext::default())
        .await
        .unwrap();
    let second_time = started.elapsed();
    let second_requests = requests.load(Ordering::SeqCst) - before;
    let second_writes = writes_so_far(&space).await - writes_before;
    let second_minimum = directory_reads + people.div_ceil(100);

    println!("Kisi economy, {people} people with a subscription, {groups} Kisi groups, 5 req/s:");
    println!(
        "  first reconcile:  {first_requests} requests, minimum {first_minimum}, ratio {:.3}; \
         {} operations applied; wall {:.1?} vs floor {:.1?}",
        first_requests as f64 / first_minimum as f64,
        first.sync.applied,
        first_time,
        floor(first_minimum)
    );
    println!(
        "  second reconcile: {second_requests} requests, minimum {second_minimum}, ratio {:.3}; \
         {second_writes} writes, {} operations applied; wall {:.1?} vs floor {:.1?}",
        second_requests as f64 / second_minimum as f64,
        second.sync.applied,
        second_time,
        floor(second_minimum)
    );
}
