//! Issue 15: the backfill keeps what Kisi lists that no webhook brought. Adversaries: deliveries
//! Kisi dropped (nothing came; the events list has them), a second reading of the same events
//! (the overlap, a second hub), an event the webhook had already brought, history older than the
//! first backfill reads, and a location that never set a webhook up (Kisi is not called).
#![allow(
    clippy::unwrap_used,
    reason = "test: a failed read should stop the test loudly"
)]

use crate::common;

use std::time::Duration;

use common::*;
use doorlink_core::{DoorAccess, PersonId};
use doorlink_store::{DoorEventQuery, EventSource, SecretValue};
use doorlink_sync::door_event;

const ANA: &str = "ana@hive.test";

/// Ana may open the front door and the meeting room (her booking of Room A runs 08:00–12:00;
/// the clock stands at 09:00); the webhook is set up, and no delivery ever arrives.
async fn space_with_a_silent_webhook() -> (Space, PersonId) {
    let space = Space::start().await;
    let room_a = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room_a,
            ana,
            &[],
            berlin("2026-03-02 08:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.sync().await;
    space
        .store
        .kisi_webhooks()
        .set_up(space.location, &SecretValue::new("s3cret"))
        .await
        .unwrap();
    (space, ana)
}

/// One backfill of the space's location.
async fn backfill(space: &Space) -> doorlink_sync::Backfilled {
    space
        .engine()
        .backfill_door_events(space.location)
        .await
        .unwrap()
}

/// The audit log's latest entries (Kisi calls and actions).
async fn audit_log(space: &Space) -> Vec<doorlink_store::AuditEntry> {
    space
        .store
        .audit()
        .list(&doorlink_store::AuditFilter::default(), None, 500)
        .await
        .unwrap()
        .entries
}

/// The events kept at the space's location, newest first.
async fn kept(space: &Space) -> Vec<doorlink_store::DoorEvent> {
    space
        .store
        .door_events()
        .list(
            space.location,
            DoorEventQuery {
                limit: 10,
                ..DoorEventQuery::default()
            },
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_backfill_keeps_the_unlocks_whose_webhooks_kisi_dropped() {
    let (space, ana) = space_with_a_silent_webhook().await;
    assert!(space.can_unlock(ANA, space.lock("Room A")).await);
    assert!(!space.can_unlock(ANA, space.lock("Studio")).await);

    let done = backfill(&space).await;

    assert_eq!((done.recorded.stored, done.recorded.duplicates), (2, 0));
    assert!(done.complete);
    assert_eq!(done.recorded.people, vec![ana]);
    let events = kept(&space).await;
    let seen: Vec<(&str, bool, Option<PersonId>, EventSource)> = events
        .iter()
        .map(|e| (e.lock_name.as_str(), e.opened, e.person, e.source))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("Studio", false, Some(ana), EventSource::Backfill),
            ("Room A", true, Some(ana), EventSource::Backfill),
        ]
    );
    let refused = &events[0];
    assert!(
        refused.error_message.is_some(),
        "Kisi's reason for the refusal is kept: {refused:?}"
    );
    let webhook = space
        .store
        .kisi_webhooks()
        .get(space.location)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(webhook.backfilled_through, Some(space.now()));
}

#[tokio::test]
async fn reading_the_same_events_again_keeps_each_once() {
    let (space, _) = space_with_a_silent_webhook().await;
    assert!(space.can_unlock(ANA, space.lock("Room A")).await);
    backfill(&space).await;
    space.advance(Duration::from_secs(60));

    // The overlap reads the last minutes again (a second hub would read them too).
    let again = backfill(&space).await;

    assert_eq!((again.recorded.stored, again.recorded.duplicates), (0, 1));
    assert_eq!(
        space
            .store
            .door_events()
            .count(space.location)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn an_event_the_webhook_brought_is_not_kept_twice_by_the_backfill() {
    let (space, _) = space_with_a_silent_webhook().await;
    assert!(space.can_unlock(ANA, space.lock("Room A")).await);
    let listed = space.admin.events().await.unwrap();
    let delivered: Vec<_> = listed.iter().map(|e| door_event(e).unwrap()).collect();
    let by_webhook = space
        .store
        .door_events()
        .record(space.location, EventSource::Webhook, &delivered)
        .await
        .unwrap();
    assert_eq!(by_webhook.stored, 1);

    let done = backfill(&space).await;

    assert_eq!((done.recorded.stored, done.recorded.duplicates), (0, 1));
    let events = kept(&space).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].source,
        EventSource::Webhook,
        "the first arrival stays"
    );
}

#[tokio::test]
async fn the_first_backfill_reads_one_day_back_and_no_further_and_says_when_in_local_time() {
    let (space, _) = space_with_a_silent_webhook().await;
    assert!(space.can_unlock(ANA, space.lock("Room A")).await);
    // 25 hours later (Ana's booking is over; the owner's unlock still lands in Kisi's list).
    space.advance(Duration::from_secs(25 * 3600));
    space
        .admin
        .unlock(
            kisi::LockId(space.lock("Front Door").0),
            &kisi::UnlockContext::default(),
        )
        .await
        .unwrap();

    let done = backfill(&space).await;

    assert_eq!(done.recorded.stored, 1, "{done:?}");
    let events = kept(&space).await;
    assert_eq!(events[0].lock_name, "Front Door");
    assert_eq!(
        events[0].person, None,
        "the owner is nobody Doorlink manages"
    );
    // Issue 17 point 5: the audit log says when in the location's time, never in UTC.
    let reading = audit_log(&space)
        .await
        .iter()
        .find(|e| e.operation.starts_with("read Kisi's door events since "))
        .map(|e| e.operation.clone())
        .unwrap_or_default();
    assert!(
        reading.ends_with("(Berlin time)") && !reading.contains("+00:00"),
        "{reading:?}"
    );
}

#[tokio::test]
async fn a_location_without_a_webhook_is_not_backfilled_and_kisi_is_not_called() {
    let space = Space::start().await;
    let calls_before = audit_log(&space).await.len();

    let done = backfill(&space).await;

    assert_eq!(done, doorlink_sync::Backfilled::default());
    let calls_after = audit_log(&space).await.len();
    assert_eq!(calls_before, calls_after);
}

/// Kisi's offline support (kisi-api.md, "Door state", OFFLINE): while Room A's lock is offline its
/// reader opens for Ana from the list it cached, and Kisi learns of the tap only when the lock is
/// back, ten minutes later, after a backfill had already read past the tap's instant. The backfill
/// then keeps it with the instant it happened, not the instant it arrived.
#[tokio::test]
async fn a_tap_an_offline_reader_syncs_late_is_kept_with_its_original_time() {
    let (space, ana) = space_with_a_silent_webhook().await;
    let control = space.control();
    control.set_offline_readers(kisi_emulator::OfflineReaders::OpenFromCache);
    let room_a = u64::try_from(space.lock("Room A").0).unwrap();
    let anas_kisi_user = space.kisi_user(ANA).unwrap();
    control.set_lock_state(room_a, false, false).unwrap();
    space.advance(Duration::from_secs(5 * 60));
    let tapped_at = space.now();
    let tap = control
        .tap(room_a, anas_kisi_user, kisi_emulator::Credential::Card)
        .unwrap();
    assert!(tap.success, "opened from the reader's cache: {tap:?}");
    let before = backfill(&space).await;
    assert_eq!(before.recorded.stored, 0, "Kisi does not know of it yet");

    space.advance(Duration::from_secs(10 * 60));
    control.set_lock_state(room_a, true, false).unwrap();
    let after = backfill(&space).await;

    assert_eq!(after.recorded.stored, 1, "{after:?}");
    let events = kept(&space).await;
    assert_eq!(events.len(), 1);
    let late = &events[0];
    assert_eq!(
        (late.person, late.opened, late.lock_name.as_str()),
        (Some(ana), true, "Room A")
    );
    assert_eq!(late.occurred_at, tapped_at, "the instant of the tap");
    assert_eq!(
        late.received_at,
        space.now(),
        "though it arrived ten minutes later"
    );
}
