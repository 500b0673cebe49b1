//! The worker as the hub runs it: a background task woken by writes, polling otherwise, stopped
//! through a watch channel; and the periodic full reconcile it schedules.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed read should stop the test loudly"
)]

use crate::common;

use std::time::Duration;

use common::*;
use doorlink_core::DoorAccess;
use doorlink_store::OutboxScope;
use tokio::sync::watch;

const ANA: &str = "ana@hive.test";

#[tokio::test]
async fn the_background_worker_grants_a_booking_and_stops_on_shutdown() {
    let space = Space::start().await;
    let (stop, stopped) = watch::channel(false);
    let running = tokio::spawn(space.worker.clone().run(stopped));
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.worker.wake();

    // The grant reaches Kisi a moment before the worker settles its outbox entry (mirror written,
    // entry removed), so wait for both: stopping in between would rightly leave the entry queued.
    let mut settled = false;
    for _ in 0..500 {
        let granted = !space.assignments_of(ANA).is_empty();
        if granted && space.store.outbox().entries(None).await.unwrap().is_empty() {
            settled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        settled,
        "the background worker never wrote the grant and settled its entry"
    );

    stop.send(true).unwrap();
    running.await.unwrap();
    assert_eq!(space.assignments_of(ANA).len(), 1);
}

#[tokio::test]
async fn the_periodic_reconcile_is_asked_for_every_connected_location_only() {
    let space = Space::start().await;
    assert_eq!(space.worker.enqueue_reconciles().await.unwrap(), 1);
    let entries = space.store.outbox().entries(None).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].scope, OutboxScope::Location(space.location));
    space.sync().await;

    space.engine().disconnect(space.location).await.unwrap();
    assert_eq!(space.worker.enqueue_reconciles().await.unwrap(), 0);
}

#[tokio::test]
async fn the_background_worker_runs_the_periodic_reconcile_on_its_own() {
    let space = Space::start_with(|config| {
        config.reconcile_interval = Some(Duration::from_millis(30));
    })
    .await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.sync().await;
    let id = space.assignments_of(ANA)[0].id;
    space
        .admin
        .delete_role_assignment(kisi::RoleAssignmentId(i64::try_from(id).unwrap()))
        .await
        .unwrap();

    let (stop, stopped) = watch::channel(false);
    let running = tokio::spawn(space.worker.clone().run(stopped));
    let mut restored = false;
    for _ in 0..500 {
        if !space.assignments_of(ANA).is_empty() {
            restored = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.send(true).unwrap();
    running.await.unwrap();
    assert!(
        restored,
        "no periodic reconcile repaired the deleted assignment"
    );
}
