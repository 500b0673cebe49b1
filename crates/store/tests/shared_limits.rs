//! Issue 14: the Kisi rate slots and the sign-in throttle are rows every hub on the database
//! shares. Two `Store` handles on one database play two hubs, on SQLite and, when
//! `DOORLINK_TEST_POSTGRES_URL` is set, on PostgreSQL.
#![allow(
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "a test stops loudly, and says when it skips PostgreSQL"
)]

use std::time::Duration;

use crate::common;

use common::{TestClock, monday_morning};
use doorlink_store::{AttemptOutcome, AttemptQuota, SecretBox, Store, ThrottleKind};
use tempfile::TempDir;

const ANA: &str = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
const BUDGET: &str = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";

/// Five attempts at once, one more every 12 s, 3 keys at most.
const QUOTA: AttemptQuota = AttemptQuota {
    burst: 5,
    interval: Duration::from_secs(12),
    max_keys: 3,
};

fn key(n: u32) -> String {
    format!("{n:064x}")
}

async fn two_sqlite_hubs(clock: &TestClock) -> (Store, Store, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorlink.db");
    let a = Store::open(&path).await.unwrap().with_clock(clock.clock());
    let b = Store::open(&path).await.unwrap().with_clock(clock.clock());
    (a, b, dir)
}

async fn two_postgres_hubs(clock: &TestClock) -> Option<(Store, Store)> {
    let url = doorlink_store::testing::postgres_or_skip().await.unwrap()?;
    let secrets = SecretBox::ephemeral().unwrap();
    let a = Store::open_postgres_with(&url, secrets.clone())
        .await
        .unwrap();
    let b = Store::open_postgres_with(&url, secrets).await.unwrap();
    Some((a.with_clock(clock.clock()), b.with_clock(clock.clock())))
}

/// The adversary: a guesser alternating between hub A and hub B, and a flood of new keys.
async fn attempts_are_counted_across_hubs(a: &Store, b: &Store, clock: &TestClock) {
    let hubs = [a, b];
    for n in 0..5 {
        let outcome = hubs[n % 2]
            .sign_in_attempts()
            .attempt(ThrottleKind::Email, ANA, QUOTA)
            .await
            .unwrap();
        assert_eq!(outcome, AttemptOutcome::Allowed, "attempt {n}");
    }
    let refused = b
        .sign_in_attempts()
        .attempt(ThrottleKind::Email, ANA, QUOTA)
        .await
        .unwrap();
    assert_eq!(
        refused,
        AttemptOutcome::Refused {
            retry_after: Duration::from_secs(12)
        }
    );
    // A flood of new e-mails from both hubs: the table never holds more than the cap.
    for n in 0..20 {
        let _ = hubs[n % 2]
            .sign_in_attempts()
            .attempt(ThrottleKind::Email, &key(n as u32), QUOTA)
            .await
            .unwrap();
        assert!(a.sign_in_attempts().count().await.unwrap() <= QUOTA.max_keys);
    }
    // The window refills: 12 s on, one more attempt of Ana is allowed on either hub.
    clock.advance(Duration::from_secs(12));
    let outcome = a
        .sign_in_attempts()
        .attempt(ThrottleKind::Email, ANA, QUOTA)
        .await
        .unwrap();
    assert_eq!(outcome, AttemptOutcome::Allowed);
    // A minute on, everything has refilled: the prune empties the table.
    clock.advance(Duration::from_secs(60));
    b.sign_in_attempts().prune().await.unwrap();
    assert_eq!(a.sign_in_attempts().count().await.unwrap(), 0);
}

/// The adversary: two hubs reserving the same Kisi user's slots one after the other.
async fn slots_are_reserved_across_hubs(a: &Store, b: &Store) {
    let hour = Duration::from_secs(3600);
    let first = a.kisi_rate_slots().reserve(BUDGET, hour).await.unwrap();
    let second = b.kisi_rate_slots().reserve(BUDGET, hour).await.unwrap();
    let third = a.kisi_rate_slots().reserve(BUDGET, hour).await.unwrap();
    assert_eq!(first, Duration::ZERO, "a free budget's slot is now");
    // Each hub's reservation waits for the slot after the other's (less the time since).
    assert!(second > Duration::from_secs(3500), "{second:?}");
    assert!(third > Duration::from_secs(7100), "{third:?}");
    assert_eq!(a.kisi_rate_slots().count().await.unwrap(), 1);
    assert!(
        a.kisi_rate_slots()
            .reserve("not a digest", hour)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn two_hubs_on_one_sqlite_file_share_the_throttle_and_the_rate_slots() {
    let clock = TestClock::at(monday_morning());
    let (a, b, _dir) = two_sqlite_hubs(&clock).await;
    attempts_are_counted_across_hubs(&a, &b, &clock).await;
    slots_are_reserved_across_hubs(&a, &b).await;
}

#[tokio::test]
async fn two_hubs_on_one_postgres_database_share_the_throttle_and_the_rate_slots() {
    let clock = TestClock::at(monday_morning());
    let Some((a, b)) = two_postgres_hubs(&clock).await else {
        return;
    };
    attempts_are_counted_across_hubs(&a, &b, &clock).await;
    slots_are_reserved_across_hubs(&a, &b).await;
}
