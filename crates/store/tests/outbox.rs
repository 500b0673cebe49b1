//! The outbox: coalescing, claiming under a lease, completing, failing with back-off.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use std::time::Duration;

use common::file_store;
use doorlink_core::{DoorAccess, KisiGroupId, LocationId, PersonId};
use doorlink_store::{
    Backoff, Completion, FAILED_WITHOUT_WORDS, NewLocation, OutboxScope, Priority, Store,
};

const LEASE: Duration = Duration::from_secs(60);

async fn a_location_and_person(store: &Store) -> (LocationId, PersonId) {
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap();
    let person = store
        .people()
        .create("Ana Lima", "ana@example.com")
        .await
        .unwrap();
    (location.id, person.id)
}

#[tokio::test]
async fn asking_twice_for_one_person_leaves_one_entry_with_a_higher_revision() {
    let (store, _clock, _dir) = file_store().await;
    let (location, person) = a_location_and_person(&store).await;
    let scope = OutboxScope::Person { location, person };

    store
        .outbox()
        .enqueue(scope, "booking 1 created")
        .await
        .unwrap();
    store
        .outbox()
        .enqueue(scope, "booking 1 moved")
        .await
        .unwrap();

    let entries = store.outbox().entries(Some(location)).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].scope, scope);
    assert_eq!(entries[0].revision, 2);
    assert_eq!(entries[0].reason, "booking 1 moved");
}

#[tokio::test]
async fn a_location_wide_entry_is_separate_from_person_entries() {
    let (store, _clock, _dir) = file_store().await;
    let (location, person) = a_location_and_person(&store).await;

    store
        .outbox()
        .enqueue(OutboxScope::Person { location, person }, "x")
        .await
        .unwrap();
    store
        .outbox()
        .enqueue(OutboxScope::Location(location), "plan mapping changed")
        .await
        .unwrap();

    assert_eq!(store.outbox().entries(None).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_claimed_entry_is_not_claimed_again_while_its_lease_runs() {
    let (store, clock, _dir) = file_store().await;
    let (location, _) = a_location_and_person(&store).await;
    store
        .outbox()
        .enqueue(OutboxScope::Location(location), "connected")
        .await
        .unwrap();

    let first = store.outbox().claim(10, LEASE).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].entry.attempts, 1);
    assert_eq!(
        first[0].entry.claimed_until,
        Some(clock.now() + chrono::Duration::seconds(60))
    );

    clock.advance(Duration::from_secs(59));
    assert!(store.outbox().claim(10, LEASE).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_entry_whose_worker_died_is_claimed_again_when_the_lease_runs_out() {
    let (store, clock, _dir) = file_store().await;
    let (location, _) = a_location_and_person(&store).await;
    store
        .outbox()
        .enqueue(OutboxScope::Location(location), "connected")
        .await
        .unwrap();
    let dead_worker = store.outbox().claim(1, LEASE).await.unwrap();

    clock.advance(LEASE);
    let second = store.outbox().claim(1, LEASE).await.unwrap();

    assert_eq!(second.len(), 1);
    assert_eq!(second[0].entry.attempts, 2);
    // The dead worker's late report changes nothing.
    assert_eq!(
        store.outbox().complete(&dead_worker[0]).await.unwrap(),
        Completion::LeaseLost
    );
    assert_eq!(store.outbox().entries(None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn completing_removes_the_entry() {
    let (store, _clock, _dir) = file_store().await;
    let (location, person) = a_location_and_person(&store).await;
    store
        .outbox()
        .enqueue(OutboxScope::Person { location, person }, "day pass")
        .await
        .unwrap();
    let claim = store.outbox().claim(1, LEASE).await.unwrap().remove(0);

    let completion = store.outbox().complete(&claim).await.unwrap();

    assert_eq!(completion, Completion::Settled);
    assert!(store.outbox().entries(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_request_that_arrives_while_the_worker_is_busy_is_not_lost() {
    let (store, _clock, _dir) = file_store().await;
    let (location, person) = a_location_and_person(&store).await;
    let scope = OutboxScope::Person { location, person };
    store
        .outbox()
        .enqueue(scope, "booking created")
        .await
        .unwrap();
    let claim = store.outbox().claim(1, LEASE).await.unwrap().remove(0);

    store
        .outbox()
        .enqueue(scope, "booking moved")
        .await
        .unwrap();
    let completion = store.outbox().complete(&claim).await.unwrap();

    assert_eq!(completion, Completion::RequestedAgain);
    let again = store.outbox().claim(1, LEASE).await.unwrap();
    assert_eq!(again.len(), 1, "due at once, not after a lease");
    assert_eq!(again[0].entry.reason, "booking moved");
    assert_eq!(again[0].entry.attempts, 1);
}

#[tokio::test]
async fn a_failed_entry_waits_for_its_backoff_and_shows_the_error_to_staff() {
    let (store, clock, _dir) = file_store().await;
    let (location, _) = a_location_and_person(&store).await;
    store
        .outbox()
        .enqueue(OutboxScope::Location(location), "connected")
        .await
        .unwrap();
    let backoff = Backoff {
        base: Duration::from_secs(10),
        max: Duration::from_secs(600),
    };

    let claim = store.outbox().claim(1, LEASE).await.unwrap().remove(0);
    let failed_at = clock.now();
    let settled = store
        .outbox()
        .fail(&claim, "Kisi answered 503", backoff)
        .await
        .unwrap();
    assert_eq!(settled, Completion::Settled);

    let entry = store.outbox().entry(claim.entry.id).await.unwrap().unwrap();
    assert_eq!(entry.last_error.as_deref(), Some("Kisi answered 503"));
    assert_eq!(entry.attempts, 1);
    assert_eq!(entry.claimed_until, None);
    assert_eq!(entry.next_try_at, failed_at + chrono::Duration::seconds(10));

    clock.advance(Duration::from_secs(9));
    assert!(store.outbox().claim(1, LEASE).await.unwrap().is_empty());
    clock.advance(Duration::from_secs(1));
    let second = store.outbox().claim(1, LEASE).await.unwrap().remove(0);
    assert_eq!(second.entry.attempts, 2);

    let second_failure = clock.now();
    store
        .outbox()
        .fail(&second, "Kisi answered 503 again", backoff)
        .await
        .unwrap();
    let entry = store.outbox().entry(claim.entry.id).await.unwrap().unwrap();
    assert_eq!(
        entry.next_try_at,
        second_failure + chrono::Duration::seconds(20),
        "the wait doubles"
    );
}

/// Issue 17: the adversary is Kisi failing every call for a while, and a member changing a booking
/// meanwhile: the entry says since when it fails (its first failure, not the latest), and forgets
/// it once Kisi confirmed the work.
#[tokio::test]
async fn a_failing_entry_says_since_when_it_fails_until_it_is_done() {
    let (store, clock, _dir) = file_store().await;
    let (location, person) = a_location_and_person(&store).await;
    let scope = OutboxScope::Person { location, person };
    store
        .outbox()
        .enqueue(scope, "booking created")
        .await
        .unwrap();
    let backoff = Backoff {
        base: Duration::from_secs(1),
        max: Duration::from_secs(1),
    };
    let first = store.outbox().claim(1, LEASE).await.unwrap().remove(0);
    assert_eq!(first.entry.failing_since, None, "nothing failed yet");
    let first_failure = clock.now();
    store
        .outbox()
        .fail(&first, "Kisi answered 503", backoff)
        .await
        .unwrap();

    clock.advance(Duration::from_secs(30));
    store
        .outbox()
        .enqueue(scope, "booking moved")
        .await
        .unwrap();
    let second = store.outbox().claim(1, LEASE).await.unwrap().remove(0);
    store
        .outbox()
        .fail(&second, "Kisi answered 503", backoff)
        .await
        .unwrap();
    let entry = store.outbox().entry_of(scope).await.unwrap().unwrap();
    assert_eq!(entry.failing_since, Some(first_failure));

    clock.advance(Duration::from_secs(30));
    let third = store.outbox().claim(1, LEASE).await.unwrap().remove(0);
    store
        .outbox()
        .enqueue(scope, "booking moved again")
        .await
        .unwrap();
    assert_eq!(
        store.outbox().complete(&third).await.unwrap(),
        Completion::RequestedAgain
    );
    let entry = store.outbox().entry_of(scope).await.unwrap().unwrap();
    assert_eq!(entry.failing_since, None, "the last run succeeded");
    assert_eq!(entry.last_error, None);
}

#[tokio::test]
async fn entries_of_one_kind_are_claimed_soonest_due_first_and_limited() {
    let (store, clock, _dir) = file_store().await;
    let (location, first) = a_location_and_person(&store).await;
    let second = store.people().create("Bo", "bo@example.com").await.unwrap();
    store
        .outbox()
        .enqueue(
            OutboxScope::Person {
                location,
                person: first,
            },
            "first",
        )
        .await
        .unwrap();
    clock.advance(Duration::from_secs(1));
    let scope = OutboxScope::Person {
        location,
        person: second.id,
    };
    store.outbox().enqueue(scope, "second").await.unwrap();

    let claims = store.outbox().claim(1, LEASE).await.unwrap();

    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].entry.reason, "first");
}

#[tokio::test]
async fn a_hold_goes_before_a_location_reconcile_already_queued() {
    let (store, clock, _dir) = file_store().await;
    let (location, person) = a_location_and_person(&store).await;
    store
        .outbox()
        .enqueue(OutboxScope::Location(location), "connected to Kisi")
        .await
        .unwrap();
    clock.advance(Duration::from_secs(5));
    store.holds().hold(location, person).await.unwrap();

    let claims = store.outbox().claim(1, LEASE).await.unwrap();

    assert_eq!(
        claims[0].entry.scope,
        OutboxScope::Person { location, person }
    );
    assert_eq!(claims[0].entry.priority, Priority::Urgent);
    let rest = store.outbox().claim(1, LEASE).await.unwrap();
    assert_eq!(rest[0].entry.priority, Priority::Bulk);
}

#[tokio::test]
async fn access_starting_within_the_hour_goes_before_access_next_week_queued_earlier() {
    let (store, clock, _dir) = file_store().await;
    let (location, next_week) = a_location_and_person(&store).await;
    let soon = store.people().create("Bo", "bo@example.com").await.unwrap();
    let access = DoorAccess::groups([KisiGroupId(7)]);
    let monday = clock.now() + chrono::Duration::days(7);
    store
        .passes()
        .create_manual_grant(location, next_week, &access, monday, None)
        .await
        .unwrap();
    clock.advance(Duration::from_secs(5));
    let in_half_an_hour = clock.now() + chrono::Duration::minutes(30);
    store
        .passes()
        .create_manual_grant(location, soon.id, &access, in_half_an_hour, None)
        .await
        .unwrap();

    let order: Vec<_> = store
        .outbox()
        .claim(2, LEASE)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.entry.scope.person(), c.entry.priority))
        .collect();

    assert_eq!(
        order,
        [
            (Some(soon.id), Priority::Urgent),
            (Some(next_week), Priority::Later)
        ]
    );
}

#[tokio::test]
async fn asking_again_for_a_waiting_entry_keeps_the_more_urgent_priority() {
    let (store, clock, _dir) = file_store().await;
    let (location, person) = a_location_and_person(&store).await;
    let access = DoorAccess::groups([KisiGroupId(7)]);
    let next_week = clock.now() + chrono::Duration::days(7);
    store.holds().hold(location, person).await.unwrap();
    store
        .passes()
        .create_manual_grant(location, person, &access, next_week, None)
        .await
        .unwrap();

    let entries = store.outbox().entries(Some(location)).await.unwrap();

    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].priority, Priority::Urgent);
    assert_eq!(entries[0].revision, 2);
}

#[tokio::test]
async fn entries_of_a_location_another_writer_holds_are_left_to_that_writer() {
    let (store, _clock, _dir) = file_store().await;
    let (location, person) = a_location_and_person(&store).await;
    let scope = OutboxScope::Person { location, person };
    store
        .outbox()
        .enqueue(scope, "booking 1 created")
        .await
        .unwrap();
    store
        .outbox()
        .enqueue(OutboxScope::Location(location), "periodic full reconcile")
        .await
        .unwrap();
    let reconciling = store
        .leases()
        .acquire(location, "reconcile", LEASE)
        .await
        .unwrap()
        .unwrap();

    assert!(store.outbox().claim(2, LEASE).await.unwrap().is_empty());
    let served = store
        .outbox()
        .claim_people(location, 2, LEASE)
        .await
        .unwrap();
    assert_eq!(served.len(), 1, "only the person entry, to the holder");
    assert_eq!(served[0].entry.scope, scope);

    store.leases().release(&reconciling).await.unwrap();
    let after = store.outbox().claim(2, LEASE).await.unwrap();
    assert_eq!(after[0].entry.scope, OutboxScope::Location(location));
}

#[tokio::test]
async fn a_failure_without_words_still_tells_staff_what_happened_and_what_to_do() {
    let (store, _clock, _dir) = file_store().await;
    let (location, _) = a_location_and_person(&store).await;
    store
        .outbox()
        .enqueue(OutboxScope::Location(location), "connected")
        .await
        .unwrap();
    let claim = store.outbox().claim(1, LEASE).await.unwrap().remove(0);

    store
        .outbox()
        .fail(&claim, " ", Backoff::DEFAULT)
        .await
        .unwrap();

    let entry = store.outbox().entry(claim.entry.id).await.unwrap().unwrap();
    assert_eq!(entry.last_error.as_deref(), Some(FAILED_WITHOUT_WORDS));
    assert!(FAILED_WITHOUT_WORDS.contains("What to do: "));
}

#[tokio::test]
async fn a_renewed_lease_keeps_others_away_longer() {
    let (store, clock, _dir) = file_store().await;
    let (location, _) = a_location_and_person(&store).await;
    store
        .outbox()
        .enqueue(OutboxScope::Location(location), "reconcile")
        .await
        .unwrap();
    let claim = store.outbox().claim(1, LEASE).await.unwrap().remove(0);

    clock.advance(Duration::from_secs(50));
    assert!(store.outbox().renew(&claim, LEASE).await.unwrap());
    clock.advance(Duration::from_secs(50));

    assert!(store.outbox().claim(1, LEASE).await.unwrap().is_empty());
    assert_eq!(
        store.outbox().complete(&claim).await.unwrap(),
        Completion::Settled
    );
}

#[tokio::test]
async fn two_workers_claiming_at_once_never_get_the_same_entry() {
    let (store, _clock, _dir) = file_store().await;
    let (location, _) = a_location_and_person(&store).await;
    for i in 0..20 {
        let person = store
            .people()
            .create(&format!("P{i}"), &format!("p{i}@example.com"))
            .await
            .unwrap();
        store
            .outbox()
            .enqueue(
                OutboxScope::Person {
                    location,
                    person: person.id,
                },
                "x",
            )
            .await
            .unwrap();
    }

    let (one, two) = tokio::join!(
        {
            let store = store.clone();
            async move { store.outbox().claim(15, LEASE).await.unwrap() }
        },
        {
            let store = store.clone();
            async move { store.outbox().claim(15, LEASE).await.unwrap() }
        }
    );

    let first: std::collections::BTreeSet<_> = one.iter().map(|c| c.entry.id).collect();
    let second: std::collections::BTreeSet<_> = two.iter().map(|c| c.entry.id).collect();
    assert!(first.is_disjoint(&second));
    assert_eq!(first.len() + second.len(), 20);
}
