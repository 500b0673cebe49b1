//! The worker tells its listener what each outbox entry changed in Kisi or the mirror, so the hub
//! can drop what it cached and tell open pages, and stays silent when nothing changed.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed read should stop the test loudly"
)]

use crate::common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use common::*;
use doorlink_core::{DoorAccess, PersonId, ResourceId};
use doorlink_store::OutboxScope;
use doorlink_sync::{Changes, SyncChange, Worker};

const ANA: &str = "ana@hive.test";

type Heard = Arc<Mutex<Vec<SyncChange>>>;

fn listening(space: &Space) -> (Worker, Heard) {
    let heard: Heard = Arc::default();
    let worker = space.worker.clone().on_change({
        let heard = Arc::clone(&heard);
        move |change| heard.lock().unwrap().push(change.clone())
    });
    (worker, heard)
}

/// Ana with a booking of Room A running on Monday morning.
async fn ana_books_room_a(space: &Space) -> (PersonId, ResourceId) {
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
    (ana, room)
}

#[tokio::test]
async fn a_grant_is_announced_for_the_person_it_changed() {
    let space = Space::start().await;
    let (worker, heard) = listening(&space);
    let (ana, _) = ana_books_room_a(&space).await;

    worker.drain().await.unwrap();

    assert_eq!(
        *heard.lock().unwrap(),
        vec![SyncChange {
            location: space.location,
            changes: Changes {
                people: BTreeSet::from([ana]),
                directory: false,
            },
        }]
    );
}

#[tokio::test]
async fn a_pass_or_reconcile_that_changes_nothing_announces_nothing() {
    let space = Space::start().await;
    let (ana, _) = ana_books_room_a(&space).await;
    space.sync().await;
    let (worker, heard) = listening(&space);

    let outbox = space.store.outbox();
    outbox
        .enqueue(
            OutboxScope::Person {
                location: space.location,
                person: ana,
            },
            "test: nothing changed",
        )
        .await
        .unwrap();
    outbox
        .enqueue(
            OutboxScope::Location(space.location),
            "test: nothing changed",
        )
        .await
        .unwrap();
    let pass = worker.drain().await.unwrap();

    assert_eq!(pass.completed, 2);
    assert!(heard.lock().unwrap().is_empty(), "{heard:?}");
}

#[tokio::test]
async fn a_reconcile_that_finds_a_group_deleted_announces_the_directory_to_everyone_linked() {
    let space = Space::start().await;
    let (ana, _) = ana_books_room_a(&space).await;
    space.sync().await;
    let (worker, heard) = listening(&space);
    space
        .control()
        .delete_group(space.ids.groups["Room A"])
        .unwrap();

    space
        .store
        .outbox()
        .enqueue(
            OutboxScope::Location(space.location),
            "periodic full reconcile",
        )
        .await
        .unwrap();
    worker.drain().await.unwrap();

    let heard = heard.lock().unwrap();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(
        heard[0].changes.directory,
        "C4: the group is marked orphaned"
    );
    assert!(heard[0].changes.people.contains(&ana));
}
