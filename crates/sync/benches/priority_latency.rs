//! Priorities under load (issue 12), against the emulator at Kisi's 5 requests/second, with the
//! worker's production leases and polling (`SyncConfig::default()`):
//!
//! 1. Grant latency of interactive changes while a full reconcile of 2,000 people runs: every
//!    member's plan moved to another Kisi group (one revocation and one grant each, about 800 s
//!    of Kisi's budget), and meanwhile people who already have a Kisi user book a room starting
//!    in 30 minutes, one after the other. Booking committed → its role assignment in Kisi.
//! 2. Revocation latency after a crash: a hold is committed, the worker running the reconcile is
//!    killed at once (its task dropped mid-call, leases left behind as kill -9 leaves them) and a
//!    fresh worker (a new engine, as a restarted process) starts. Hold committed → the
//!    assignment gone from Kisi.
//!
//! Prints p50, p99 and max. `cargo bench -p doorlink-sync --bench priority_latency`
//! (`DOORLINK_BENCH_PEOPLE`, default 2000; `DOORLINK_BENCH_SAMPLES`, default 60;
//! `DOORLINK_BENCH_KILLS`, default 5).
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    reason = "a benchmark binary: it prints its figures and stops loudly on a broken set-up"
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::{Space, emulator_clock, test_config};
use doorlink_core::{DoorAccess, Holder, ItemKind, PaymentStatus, PersonId};
use doorlink_store::{AuditFilter, NewItem, NewSubscription, OutboxScope};
use doorlink_sync::{SyncConfig, SyncEngine, Worker};
use kisi::RetryPolicy;
use tokio::sync::watch;
use tokio::task::JoinHandle;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// A worker as the hub runs it: production leases, polling and Kisi's budget.
fn production_worker(space: &Space) -> Worker {
    let production = SyncConfig::default();
    let mut config = test_config(&space.emulator.base_url());
    config.kisi.rate_limit = std::num::NonZeroU32::new(5);
    config.kisi.retry = RetryPolicy::default();
    config.batch = production.batch;
    config.lease = production.lease;
    config.location_lease = production.location_lease;
    config.lease_wait = production.lease_wait;
    config.poll_interval = production.poll_interval;
    let engine = SyncEngine::new(space.store.clone(), emulator_clock(space.control()), config);
    Worker::new(Arc::new(engine))
}

fn start(worker: &Worker) -> (watch::Sender<bool>, JoinHandle<()>) {
    let (stop, stopped) = watch::channel(false);
    (stop, tokio::spawn(worker.clone().run(stopped)))
}

fn percentiles(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |p: f64| {
        let rank = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
        samples[rank - 1]
    };
    println!(
        "{what}: {} samples, p50 {:?}, p99 {:?}, max {:?}",
        samples.len(),
        at(0.50),
        at(0.99),
        samples[samples.len() - 1]
    );
}

async fn reconcile_waiting(space: &Space) -> bool {
    space
        .store
        .outbox()
        .entries(None)
        .await
        .unwrap()
        .iter()
        .any(|e| e.scope == OutboxScope::Location(space.location))
}

#[tokio::main]
async fn main() {
    let people = env("DOORLINK_BENCH_PEOPLE", 2000);
    let samples = env("DOORLINK_BENCH_SAMPLES", 60);
    let kills = env("DOORLINK_BENCH_KILLS", 5);

    // Set-up without Kisi's limit: the members and the bookers are in Kisi already.
    let space = Space::start().await;
    let room_a = DoorAccess::groups([space.group("Room A")]);
    let room = space.room("Room A", room_a.clone()).await;
    // One room per interactive booking: all start in 30 minutes on a frozen clock.
    let mut rooms = Vec::with_capacity(samples);
    for n in 0..samples {
        rooms.push(
            space
                .room(&format!("Phone booth {n}"), room_a.clone())
                .await,
        );
    }
    let members = space.group("Members");
    let mut plan = space
        .store
        .catalog()
        .create_plan(space.location, "Resident", &DoorAccess::groups([members]))
        .await
        .unwrap();
    let set_up = Instant::now();
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
    // Bookers: a Kisi user each (a booking next month), so an interactive booking is one grant.
    let mut bookers: Vec<(PersonId, String)> = Vec::new();
    for n in 0..samples + kills {
        let email = format!("booker{n}@hive.test");
        let person = space.person(&format!("Booker {n}"), &email).await;
        let start =
            common::berlin("2026-04-01 10:00") + chrono::Duration::days(i64::try_from(n).unwrap());
        space
            .book(room, person, &[], start, start + chrono::Duration::hours(1))
            .await;
        bookers.push((person, email));
    }
    space.sync_until_settled(50).await;
    println!(
        "set-up: {people} members and {} bookers in Kisi in {:.1?}",
        bookers.len(),
        set_up.elapsed()
    );

    // From here Kisi counts 5 requests a second, and the worker paces itself to it.
    space.control().set_rate_limit(Some(5));
    let studio = space.group("Studio");
    plan.door_access = DoorAccess::groups([studio]);
    space.store.catalog().update_plan(&plan).await.unwrap();
    let worker = production_worker(&space);
    let (stop, running) = start(&worker);
    // The reconcile has started writing once Kisi's history of assignments moves.
    let before = space.control().assignment_history().len();
    while space.control().assignment_history().len() == before {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let mut grants = Vec::with_capacity(samples);
    for (n, (person, email)) in bookers.iter().take(samples).enumerate() {
        let start = space.now() + chrono::Duration::minutes(30);
        let expected_from = start - chrono::Duration::minutes(30);
        space
            .book(
                rooms[n],
                *person,
                &[],
                start,
                start + chrono::Duration::hours(1),
            )
            .await;
        let committed = Instant::now();
        worker.wake();
        while !space
            .windows_in(email, space.group("Room A"))
            .iter()
            .any(|(from, _)| *from == Some(expected_from))
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        grants.push(committed.elapsed());
        if n % 10 == 9 {
            println!("  {} interactive grants measured", n + 1);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        reconcile_waiting(&space).await,
        "the reconcile finished before the measurement did: raise DOORLINK_BENCH_PEOPLE"
    );
    let studio_granted = space
        .kisi()
        .role_assignments
        .iter()
        .filter(|a| i64::try_from(a.group_id) == Ok(studio.0))
        .count();
    percentiles(
        &format!(
            "interactive grant latency while a {people}-person full reconcile runs at 5 req/s \
             (reconcile {studio_granted}/{people} moved so far)"
        ),
        grants,
    );

    // What an interactive change cost in Kisi calls, and how long each waited (budget included).
    for (person, email) in bookers.iter().take(2) {
        let filter = AuditFilter {
            person: Some(*person),
            ..AuditFilter::default()
        };
        let page = space.store.audit().list(&filter, None, 20).await.unwrap();
        for entry in page.entries.iter().rev() {
            println!(
                "  {email}: {} {} {:?} ({})",
                entry.http_method, entry.path, entry.duration, entry.operation
            );
        }
    }

    // Crashes: a hold, the worker killed at once, a fresh one started. Leases expire by the
    // store's clock, the emulator's, frozen so far: from here it follows real time.
    let control = space.control().clone();
    let ticking = tokio::spawn(async move {
        let mut last = Instant::now();
        loop {
            tokio::time::sleep(Duration::from_millis(10)).await;
            control.advance_clock(last.elapsed());
            last = Instant::now();
        }
    });
    let mut current = (stop, running);
    let mut revocations = Vec::with_capacity(kills);
    for (person, email) in bookers.iter().skip(samples).take(kills) {
        space
            .store
            .holds()
            .hold(space.location, *person)
            .await
            .unwrap();
        let committed = Instant::now();
        current.1.abort();
        let _ = current.1.await;
        drop(current.0);
        let fresh = production_worker(&space);
        current = start(&fresh);
        while !space.assignments_of(email).is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        revocations.push(committed.elapsed());
        println!("  revoked after a kill in {:?}", committed.elapsed());
    }
    percentiles(
        "revocation latency, worker killed mid-reconcile and a fresh one started",
        revocations,
    );
    current.0.send(true).unwrap();
    current.1.await.unwrap();
    ticking.abort();
}
