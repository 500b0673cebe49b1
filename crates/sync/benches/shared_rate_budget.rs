//! What the Kisi rate budget shared through the database (issue 14) adds to every Kisi call: one
//! reservation (a write transaction reading and moving one row). Measured with a zero period, so
//! no reservation waits: the figure is the overhead alone, on a SQLite file and, when
//! `DOORLINK_TEST_POSTGRES_URL` is set, on PostgreSQL. One hub reserving alone, then two store
//! handles (two hubs) reserving the same key at once.

#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark reports on stdout and stops loudly when its setup fails"
)]

use std::time::{Duration, Instant};

use doorlink_store::{SecretBox, Store};

const RESERVATIONS: usize = 2_000;
const KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

async fn reserve_many(store: Store, count: usize) -> Vec<Duration> {
    let mut took = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        store
            .kisi_rate_slots()
            .reserve(KEY, Duration::ZERO)
            .await
            .expect("reserves");
        took.push(started.elapsed());
    }
    took
}

fn report(what: &str, mut took: Vec<Duration>) {
    took.sort();
    let at = |q: f64| took[((took.len() - 1) as f64 * q) as usize];
    let mean = took.iter().sum::<Duration>() / u32::try_from(took.len()).expect("fits");
    println!(
        "shared_rate_budget {what}: {} reservations, mean {:.0} µs, p50 {:.0} µs, p99 {:.0} µs",
        took.len(),
        mean.as_secs_f64() * 1e6,
        at(0.5).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
    );
}

async fn measure(what: &str, first: Store, second: Store) {
    reserve_many(first.clone(), 50).await;
    report(
        &format!("{what}, one hub"),
        reserve_many(first.clone(), RESERVATIONS).await,
    );
    let (a, b) = tokio::join!(
        tokio::spawn(reserve_many(first, RESERVATIONS / 2)),
        tokio::spawn(reserve_many(second, RESERVATIONS / 2)),
    );
    let mut both = a.expect("runs");
    both.extend(b.expect("runs"));
    report(&format!("{what}, two hubs at once"), both);
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doorlink.db");
    let first = Store::open(&path).await.expect("opens");
    let second = Store::open(&path).await.expect("opens");
    measure("SQLite", first, second).await;

    if let Some(url) = doorlink_store::testing::postgres_or_skip()
        .await
        .expect("the test PostgreSQL server creates a database")
    {
        let key = SecretBox::ephemeral().expect("a key");
        let first = Store::open_postgres_with(&url, key.clone())
            .await
            .expect("opens");
        let second = Store::open_postgres_with(&url, key).await.expect("opens");
        measure("PostgreSQL", first, second).await;
    } else {
        println!("shared_rate_budget PostgreSQL: skipped: DOORLINK_TEST_POSTGRES_URL is not set");
    }
}
