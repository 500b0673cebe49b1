//! Issue 14: Kisi's 5 requests a second per user is shared through the database by every hub on
//! it. Two "hubs" here are two `Store` handles on one database and two clients of the same Kisi
//! user, each with its own process-local pacer (as two processes have); the emulator, whose own
//! limit is on and whose retries are off, counts what the user spent and refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test stops loudly, and says when it skips PostgreSQL"
)]

use std::sync::{Arc, Mutex};

use crate::common;

use common::*;
use doorlink_core::KisiUserId;
use doorlink_store::{SecretBox, Store};
use kisi::{KisiClient, KisiConfig, Lane, RetryPolicy, Secret};
use kisi_emulator::{EmulatorConfig, RunningEmulator, SeedIds};

/// Calls each task makes; two tasks per hub, two hubs: well past a second of the user's budget.
const CALLS_EACH: usize = 6;

struct Kisi {
    emulator: RunningEmulator,
    ids: SeedIds,
}

async fn kisi_with_its_rate_limit() -> Kisi {
    let emulator = kisi_emulator::start(EmulatorConfig {
        rate_limit_per_second: Some(5),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let ids = emulator.control().seed(hive_seed());
    Kisi { emulator, ids }
}

/// A hub's client of the owner (Kisi's 5/s, no retries: a single 429 fails a call), built as
/// the hub builds it, with a process-local pacer of its own.
fn hub_client(kisi: &Kisi, store: &Store) -> KisiClient {
    let config = KisiConfig {
        connection: kisi::Connection {
            rate_limit: std::num::NonZeroU32::new(5),
            ..kisi_connection(&kisi.emulator.base_url(), RetryPolicy::never())
        },
        credential: Secret::new(kisi.ids.owner_api_key.clone()),
    };
    let owner = KisiUserId(i64::try_from(kisi.ids.owner_id).unwrap());
    doorlink_sync::kisi_client(store, config, Some(owner))
        .unwrap()
        .as_if_in_another_process()
}

/// Two handles on one SQLite file (the directory is kept by the caller).
async fn two_sqlite_handles(dir: &tempfile::TempDir) -> (Store, Store) {
    let path = dir.path().join("doorlink.db");
    let first = Store::open(&path).await.unwrap();
    let second = Store::open(&path).await.unwrap();
    (first, second)
}

/// Two handles on a fresh PostgreSQL database, when `DOORLINK_TEST_POSTGRES_URL` is set.
async fn two_postgres_handles() -> Option<(Store, Store)> {
    let url = doorlink_store::testing::postgres_or_skip().await.unwrap()?;
    let key = SecretBox::ephemeral().unwrap();
    let first = Store::open_postgres_with(&url, key.clone()).await.unwrap();
    let second = Store::open_postgres_with(&url, key).await.unwrap();
    Some((first, second))
}

/// Two hubs' clients hammer Kisi together: what the emulator saw of the owner.
async fn two_hubs_hammer(kisi: &Kisi, hub_a: &Store, hub_b: &Store) {
    let control = kisi.emulator.control();
    let before = control.requests_of_user(kisi.ids.owner_id);
    let (a, b) = (hub_client(kisi, hub_a), hub_client(kisi, hub_b));
    let calls = |client: KisiClient| {
        tokio::spawn(async move {
            let mut failures = Vec::new();
            for _ in 0..CALLS_EACH {
                if let Err(error) = client.current_user().await {
                    failures.push(error.to_string());
                }
            }
            failures
        })
    };
    let tasks = [calls(a.clone()), calls(a), calls(b.clone()), calls(b)];
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.unwrap());
    }
    assert!(failures.is_empty(), "Kisi refused: {failures:?}");
    let after = control.requests_of_user(kisi.ids.owner_id);
    assert_eq!(after.rate_limited, before.rate_limited, "Kisi answered 429");
    assert_eq!(after.allowed - before.allowed, 4 * CALLS_EACH as u64);
}

/// The adversary: two hubs on one database, each pacing its own calls to 5 a second, calling
/// as the same Kisi user at once (10 a second together without the shared budget).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hubs_on_one_database_keep_to_five_requests_a_second_together() {
    let kisi = kisi_with_its_rate_limit().await;
    let dir = tempfile::tempdir().unwrap();
    let (hub_a, hub_b) = two_sqlite_handles(&dir).await;
    two_hubs_hammer(&kisi, &hub_a, &hub_b).await;
    assert_eq!(
        hub_a.kisi_rate_slots().count().await.unwrap(),
        1,
        "one row per Kisi user"
    );
}

/// The same two hubs on one PostgreSQL database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hubs_on_one_postgres_database_keep_to_five_requests_a_second_together() {
    let Some((hub_a, hub_b)) = two_postgres_handles().await else {
        return;
    };
    let kisi = kisi_with_its_rate_limit().await;
    two_hubs_hammer(&kisi, &hub_a, &hub_b).await;
    assert_eq!(hub_a.kisi_rate_slots().count().await.unwrap(), 1);
}

/// The adversary: a full reconcile's calls queued in one hub before a person's booking; the
/// shared budget must not undo the interactive lane.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn within_one_hub_an_interactive_call_still_goes_before_queued_bulk_calls() {
    let kisi = kisi_with_its_rate_limit().await;
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = two_sqlite_handles(&dir).await;
    let client = hub_client(&kisi, &store);
    let control = kisi.emulator.control().clone();
    let before = control.requests_of_user(kisi.ids.owner_id).allowed;
    let order = Arc::new(Mutex::new(Vec::new()));
    let call = |lane: Lane| {
        let (client, order) = (client.in_lane(lane), Arc::clone(&order));
        tokio::spawn(async move {
            client.current_user().await.unwrap();
            order.lock().unwrap().push(lane);
        })
    };
    let bulk: Vec<_> = (0..6).map(|_| call(Lane::Bulk)).collect();
    // The first bulk call has left; the other five wait for their slots.
    while control.requests_of_user(kisi.ids.owner_id).allowed == before {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    call(Lane::Interactive).await.unwrap();
    for task in bulk {
        task.await.unwrap();
    }
    let order = order.lock().unwrap().clone();
    let position = order.iter().position(|lane| *lane == Lane::Interactive);
    assert!(
        position.is_some_and(|p| p <= 2),
        "the booking waited behind the reconcile: {order:?}"
    );
}

/// The adversary: the database fails (closed) while the hub is calling Kisi.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_whose_database_fails_still_calls_kisi_paced_without_a_429() {
    let kisi = kisi_with_its_rate_limit().await;
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = two_sqlite_handles(&dir).await;
    let client = hub_client(&kisi, &store);
    store.close().await;
    let control = kisi.emulator.control();
    let before = control.requests_of_user(kisi.ids.owner_id);
    let calls = |client: KisiClient| {
        tokio::spawn(async move {
            for _ in 0..CALLS_EACH {
                client.current_user().await.unwrap();
            }
        })
    };
    let (a, b) = tokio::join!(calls(client.clone()), calls(client));
    assert!(a.is_ok() && b.is_ok());
    let after = control.requests_of_user(kisi.ids.owner_id);
    assert_eq!(after.rate_limited, before.rate_limited);
    assert_eq!(after.allowed - before.allowed, 2 * CALLS_EACH as u64);
}
