//! Kisi misbehaving: a storm of 429s, a share of 500s, requests that time out after Kisi acted on
//! them. Failed entries back off on the outbox (attempts, last error and next try visible); once
//! the faults stop, Kisi converges to exactly the desired state with no duplicate.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed read should stop the test loudly"
)]

mod common;

use std::time::Duration;

use common::*;
use doorlink_core::{DoorAccess, PersonId};
use kisi_emulator::Fault;

const PEOPLE: [&str; 4] = ["ana", "ben", "cem", "dora"];

fn email(name: &str) -> String {
    format!("{name}@hive.test")
}

/// Four people, each with a booking of Room A on a different day: four entries, eight Kisi writes.
async fn four_bookings(space: &Space) -> Vec<PersonId> {
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let mut people = Vec::new();
    for (day, name) in PEOPLE.iter().enumerate() {
        let person = space.person(name, &email(name)).await;
        let start = berlin(&format!("2026-03-0{} 10:00", day + 2));
        space
            .book(room, person, &[], start, start + chrono::Duration::hours(2))
            .await;
        people.push(person);
    }
    people
}

fn assert_converged(space: &Space) {
    let kisi = space.kisi();
    for (day, name) in PEOPLE.iter().enumerate() {
        let users = kisi.users.iter().filter(|u| u.email == email(name)).count();
        assert_eq!(users, 1, "exactly one Kisi user for {name}");
        let start = berlin(&format!("2026-03-0{} 09:30", day + 2));
        assert_eq!(
            space.windows_in(&email(name), space.group("Room A")),
            vec![(Some(start), Some(start + chrono::Duration::hours(3)))],
            "exactly the desired assignment for {name}"
        );
    }
}

#[tokio::test]
async fn a_429_storm_backs_off_visibly_and_converges_once_it_stops() {
    let space = Space::start().await;
    four_bookings(&space).await;
    space.control().inject(Fault::TooManyRequests { count: 30 });

    let pass = space.sync().await;
    assert!(pass.failed > 0, "{pass:?}");
    let entries = space.store.outbox().entries(None).await.unwrap();
    assert!(!entries.is_empty());
    for entry in &entries {
        assert!(entry.attempts >= 1, "{entry:?}");
        let error = entry.last_error.as_deref().unwrap_or_default();
        assert!(error.contains("rate limit"), "{error}");
        assert!(entry.next_try_at > space.now(), "backing off: {entry:?}");
        assert!(entry.claimed_until.is_none(), "released for the next try");
    }

    space.sync_until_settled(40).await;
    assert_converged(&space);
}

#[tokio::test]
async fn a_share_of_server_errors_is_retried_until_everything_is_written() {
    let space = Space::start().await;
    four_bookings(&space).await;
    space
        .control()
        .inject(Fault::ServerErrors { fraction: 0.4 });

    space.sync_until_settled(20).await;

    assert_converged(&space);
}

#[tokio::test]
async fn requests_that_time_out_after_kisi_acted_leave_no_duplicate() {
    let space = Space::start_with(|config| config.kisi.timeout = Duration::from_millis(100)).await;
    four_bookings(&space).await;
    // Kisi answers too late: the client gives up, but Kisi still acts on some requests.
    space
        .control()
        .inject(Fault::Latency(Duration::from_millis(250)));
    let pass = space.sync().await;
    assert!(pass.failed > 0, "{pass:?}");

    space.control().clear_faults();
    // Let requests still sleeping inside the emulator land before checking for duplicates.
    tokio::time::sleep(Duration::from_millis(400)).await;
    space.advance(Duration::from_secs(10));
    space.sync_until_settled(20).await;
    assert_converged(&space);

    // A full reconcile afterwards finds nothing to fix.
    space
        .store
        .outbox()
        .enqueue(
            doorlink_store::OutboxScope::Location(space.location),
            "test: full reconcile",
        )
        .await
        .unwrap();
    space.sync_until_settled(2).await;
    assert_converged(&space);
}

#[tokio::test]
async fn dropped_connections_are_retried_by_the_client_and_the_outbox() {
    let space = Space::start().await;
    four_bookings(&space).await;
    space.control().inject(Fault::DropConnections { count: 12 });

    space.sync_until_settled(20).await;

    assert_converged(&space);
}

#[tokio::test]
async fn a_proxy_that_nulls_every_flag_and_adds_unknown_fields_does_not_stop_the_sync() {
    // Kisi's own `GET /locks` example answers its restriction flags as null; before issue 13 one
    // such null failed the location's outbox entry forever.
    let space = Space::start().await;
    four_bookings(&space).await;
    space.control().inject(Fault::NullFlags);

    space.sync_until_settled(20).await;
    assert_converged(&space);

    // A full reconcile (catalogue, users, assignments all read back through the proxy) too.
    space
        .store
        .outbox()
        .enqueue(
            doorlink_store::OutboxScope::Location(space.location),
            "test: full reconcile",
        )
        .await
        .unwrap();
    space.sync_until_settled(2).await;
    assert_converged(&space);
}
