//! Shared test fixtures: a store in a fresh temp directory and a clock the test moves by hand.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

pub mod space;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use doorlink_store::testing::TestDatabase;
use doorlink_store::{Clock, Store};
use tempfile::TempDir;

/// A clock that stands still until the test advances it.
#[derive(Debug, Clone)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    pub fn at(start: DateTime<Utc>) -> Self {
        Self(Arc::new(AtomicI64::new(start.timestamp_millis())))
    }

    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0.load(Ordering::SeqCst)).unwrap()
    }

    pub fn advance(&self, by: Duration) {
        let millis = i64::try_from(by.as_millis()).unwrap();
        self.0.fetch_add(millis, Ordering::SeqCst);
    }

    pub fn clock(&self) -> Clock {
        let millis = Arc::clone(&self.0);
        Clock::from_fn(move || {
            DateTime::from_timestamp_millis(millis.load(Ordering::SeqCst)).unwrap()
        })
    }
}

/// 2026-03-02 09:00 UTC, a Monday.
pub fn monday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// A store in a database of its own (a file, or a PostgreSQL database when the run asks for it:
/// see `doorlink_store::testing`), with a hand-moved clock. Keep the `TempDir` alive.
pub async fn file_store() -> (Store, TestClock, TempDir) {
    let (store, clock, dir, _) = shared_store().await;
    (store, clock, dir)
}

/// A store in a SQLite file whichever backend the run tests: for what only a file has (its mode,
/// its key file, its write-ahead log).
pub async fn sqlite_store() -> (Store, TestClock, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(monday_morning());
    let store = Store::open(dir.path().join("doorlink.db"))
        .await
        .unwrap()
        .with_clock(clock.clock());
    (store, clock, dir)
}

/// [`file_store`] and its database, for a test that opens it again (another process on it).
pub async fn shared_store() -> (Store, TestClock, TempDir, TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(monday_morning());
    let database = TestDatabase::fresh(dir.path()).await.unwrap();
    let store = database.open().await.unwrap().with_clock(clock.clock());
    (store, clock, dir, database)
}

/// The scopes of every outbox entry, sorted (what sync has been asked to re-evaluate).
pub async fn outbox_scopes(store: &Store) -> Vec<doorlink_store::OutboxScope> {
    let mut scopes: Vec<_> = store
        .outbox()
        .entries(None)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.scope)
        .collect();
    scopes.sort_by_key(|scope| (scope.location(), scope.person()));
    scopes
}

/// Empties the outbox, as a worker that finished everything would.
pub async fn drain_outbox(store: &Store) {
    for claim in store
        .outbox()
        .claim(1000, Duration::from_secs(60))
        .await
        .unwrap()
    {
        store.outbox().complete(&claim).await.unwrap();
    }
}

/// Person scopes at `location` for these people, sorted like [`outbox_scopes`].
pub fn people_at(
    location: doorlink_core::LocationId,
    people: &[doorlink_core::PersonId],
) -> Vec<doorlink_store::OutboxScope> {
    let mut scopes: Vec<_> = people
        .iter()
        .map(|&person| doorlink_store::OutboxScope::Person { location, person })
        .collect();
    scopes.sort_by_key(|scope| (scope.location(), scope.person()));
    scopes
}
