//! The Sync page's queue (issue 12), through the hub's routes against the emulator over TCP:
//! a hold is listed, and run, before a full sync queued earlier, each kind with when it is done at
//! Kisi's 5 requests a second; every failed entry says what went wrong and what to do, also when
//! Kisi fails without a word.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use doorlink_core::LocationId;
use doorlink_store::OutboxScope;
use kisi_emulator::Fault;
use kisi_space::KisiSpace;
use serde_json::{Value, json};

async fn sync_status(space: &KisiSpace) -> Value {
    space
        .admin
        .get(&format!("/api/sync/status?location_id={}", space.location))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_is_listed_before_a_full_sync_queued_earlier_with_when_each_is_done() {
    // Ana's booking of the room, running now, is in Kisi.
    let space = KisiSpace::start().await;
    space.sync().await;
    assert!(!space.ana_assignments_in(space.room_group).is_empty());
    space
        .state
        .store()
        .outbox()
        .enqueue(
            OutboxScope::Location(LocationId(space.location)),
            "periodic full reconcile",
        )
        .await
        .unwrap();
    space
        .admin
        .post(
            &format!(
                "/api/locations/{}/people/{}/hold",
                space.location, space.ana
            ),
            json!({}),
        )
        .await;

    let status = sync_status(&space).await;

    let queue = status["queue"].as_array().unwrap();
    assert_eq!(queue.len(), 2, "{status:#}");
    assert_eq!(queue[0]["kind"], "urgent");
    assert_eq!(queue[0]["person_id"], space.ana);
    assert_eq!(queue[1]["kind"], "bulk");
    assert_eq!(status["requests_per_second"], 5);
    let kinds = status["kinds"].as_array().unwrap();
    let kind = |name: &str| kinds.iter().find(|k| k["kind"] == name).unwrap().clone();
    let (urgent, later, bulk) = (kind("urgent"), kind("later"), kind("bulk"));
    assert_eq!(urgent["entries"], 1);
    assert_eq!(later["entries"], 0);
    assert_eq!(later["eta_seconds"], 0);
    assert_eq!(bulk["entries"], 1);
    assert!(bulk["kisi_requests"].as_i64().unwrap() >= 4, "{bulk:#}");
    assert!(
        urgent["eta_seconds"].as_i64().unwrap() <= bulk["eta_seconds"].as_i64().unwrap(),
        "the full sync is done after the hold: {kinds:#?}"
    );

    // The worker runs both, the hold first: Ana's grant is gone from Kisi.
    space.sync().await;
    assert!(space.ana_assignments_in(space.room_group).is_empty());
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_failed_entry_says_what_went_wrong_and_what_to_do_when_kisi_fails_without_a_word() {
    let space = KisiSpace::start().await;
    space
        .kisi
        .control()
        .inject(Fault::ServerErrors { fraction: 1.0 });
    space
        .book_room(chrono::Duration::hours(3), chrono::Duration::hours(4))
        .await;
    space.sync().await;

    let status = sync_status(&space).await;

    let failures = status["failures"].as_array().unwrap();
    assert!(!failures.is_empty(), "{status:#}");
    for failure in failures {
        let message = failure["last_error"].as_str().unwrap();
        let (what, fix) = message
            .split_once(". What to do: ")
            .unwrap_or_else(|| panic!("no fix in {message:?}"));
        assert!(what.contains("Kisi"), "{message}");
        assert!(!fix.trim().is_empty(), "{message}");
    }
    space.stop().await;
}

/// The adversary: a made-up location id (Schemathesis sent the largest one). It is a problem of
/// the `location_id` field, named, like on every route that filters by location.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_location_is_named_as_a_problem_of_location_id() {
    let space = KisiSpace::start().await;
    let (status, body) = space
        .admin
        .send(
            reqwest::Method::GET,
            "/api/sync/status?location_id=9223372036854775806",
            None,
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "location_id", "{body}");
    space.stop().await;
}
