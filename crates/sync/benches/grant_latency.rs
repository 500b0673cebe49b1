//! Grant latency: a booking committed → its role assignment present in Kisi (the emulator, at
//! Kisi's 5 requests/second), with the background worker woken by the write as the hub does, and
//! an idle queue (each booking arrives after the previous one is in Kisi). Prints p50 and p99.
//!
//! `cargo bench -p doorlink-sync --bench grant_latency` (`DOORLINK_BENCH_BOOKINGS`, default 200).
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark binary: it prints its figures and stops loudly on a broken set-up"
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Space, berlin};
use doorlink_core::DoorAccess;
use tokio::sync::watch;

/// Members book again and again: the first booking of each also creates their Kisi user.
const PEOPLE: usize = 50;

#[tokio::main]
async fn main() {
    let bookings: usize = std::env::var("DOORLINK_BENCH_BOOKINGS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let space = Space::start_rate_limited().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let mut people = Vec::new();
    for n in 0..PEOPLE {
        let email = format!("member{n}@hive.test");
        people.push((space.person(&format!("Member {n}"), &email).await, email));
    }
    let (stop, stopped) = watch::channel(false);
    let worker = tokio::spawn(space.worker.clone().run(stopped));

    let mut latencies = Vec::with_capacity(bookings);
    for i in 0..bookings {
        let (person, email) = &people[i % PEOPLE];
        // A different day for each round, so no two bookings of one person merge (R13).
        let day = 3 + i / PEOPLE;
        let start = berlin(&format!("2026-03-{day:02} 10:00"));
        let expected_from = start - chrono::Duration::minutes(30);
        space
            .book(
                room,
                *person,
                &[],
                start,
                start + chrono::Duration::hours(1),
            )
            .await;
        let committed = Instant::now();
        space.worker.wake();
        loop {
            let present = space
                .assignments_of(email)
                .iter()
                .any(|a| a.valid_from == Some(expected_from));
            if present {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        latencies.push(committed.elapsed());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    stop.send(true).unwrap();
    worker.await.unwrap();

    latencies.sort();
    let percentile = |p: f64| {
        let rank = ((p * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        latencies[rank - 1]
    };
    println!(
        "grant latency over {bookings} bookings ({PEOPLE} people, Kisi at 5 req/s): \
         p50 {:?}, p99 {:?}, max {:?}",
        percentile(0.50),
        percentile(0.99),
        latencies[latencies.len() - 1]
    );
}
