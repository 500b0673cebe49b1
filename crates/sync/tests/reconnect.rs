//! R15 reconnect after "keep the Kisi user": the user and Doorlink's old grants stayed in Kisi
//! while the person was disconnected; reconnected after their windows changed, the old grants are
//! Doorlink's again and are replaced, instead of Kisi refusing the new overlapping window (422).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed read should stop the test loudly"
)]

mod common;

use common::*;
use doorlink_core::{DisconnectMode, DoorAccess, LocationId, PersonId};

const ANA: &str = "ana@hive.test";

async fn disconnect(space: &Space, person: PersonId, mode: DisconnectMode) {
    space
        .store
        .passes()
        .disconnect_person(space.location, person, mode)
        .await
        .unwrap();
    space.sync_until_settled(3).await;
}

async fn reconnect(space: &Space, location: LocationId, person: PersonId) {
    space
        .store
        .passes()
        .reconnect_person(location, person)
        .await
        .unwrap();
    space.sync_until_settled(3).await;
}

#[tokio::test]
async fn a_person_reconnected_after_keeping_their_kisi_user_gets_their_changed_window_r15() {
    let space = Space::start().await;
    let group = space.group("Room A");
    let room = space.room("Room A", DoorAccess::groups([group])).await;
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
    let user = space.kisi_user(ANA).unwrap();

    disconnect(&space, ana, DisconnectMode::KeepKisiUser).await;
    assert_eq!(
        space.windows_in(ANA, group),
        vec![(
            Some(berlin("2026-03-02 09:30")),
            Some(berlin("2026-03-02 12:30"))
        )],
        "the Kisi user keeps what it holds"
    );
    // While disconnected, Ana's booking grows and someone adds a grant by hand in a group
    // Doorlink does not use (I4: never Doorlink's).
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 12:00"),
            berlin("2026-03-02 14:00"),
        )
        .await;
    let studio = u64::try_from(space.group("Studio").0).unwrap();
    space
        .control()
        .add_role_assignment_by_hand(user, studio, None, None)
        .unwrap();
    space.sync_until_settled(3).await;

    reconnect(&space, space.location, ana).await;

    assert_eq!(
        space.windows_in(ANA, group),
        vec![(
            Some(berlin("2026-03-02 09:30")),
            Some(berlin("2026-03-02 14:30"))
        )],
        "R13: the old window was replaced by the merged one"
    );
    assert_eq!(space.kisi_user(ANA), Some(user), "the same Kisi user");
    assert_eq!(
        space.windows_in(ANA, space.group("Studio")),
        vec![(None, None)],
        "the hand-made grant is left alone"
    );
    let mirror = space.store.kisi_mirror();
    let linked = mirror.user(space.location, ana).await.unwrap().unwrap();
    assert!(linked.owned, "Doorlink created the user and may delete it");
    let owned = mirror.assignments(space.location, Some(ana)).await.unwrap();
    assert_eq!(
        owned.len(),
        1,
        "only the Room A grant is Doorlink's: {owned:?}"
    );
}

#[tokio::test]
async fn a_person_reconnected_after_their_kisi_user_was_deleted_gets_a_new_one() {
    let space = Space::start().await;
    let group = space.group("Room A");
    let room = space.room("Room A", DoorAccess::groups([group])).await;
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
    let old_user = space.kisi_user(ANA).unwrap();
    disconnect(&space, ana, DisconnectMode::KeepKisiUser).await;
    // The kept user is deleted in the Kisi dashboard meanwhile.
    space
        .admin
        .delete_user(kisi::UserId(i64::try_from(old_user).unwrap()))
        .await
        .unwrap();

    reconnect(&space, space.location, ana).await;

    let new_user = space.kisi_user(ANA).unwrap();
    assert_ne!(new_user, old_user);
    assert_eq!(
        space.windows_in(ANA, group),
        vec![(
            Some(berlin("2026-03-02 09:30")),
            Some(berlin("2026-03-02 12:30"))
        )]
    );
}
