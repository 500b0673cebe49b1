//! R15 reconnect after "keep the Kisi user": the user and Doorlink's old grants stayed in Kisi
//! while the person was disconnected; reconnected after their windows changed, the old grants are
//! Doorlink's again and are replaced, instead of Kisi refusing the new overlapping window (422).
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed read should stop the test loudly"
)]

use crate::common;

use common::*;
use doorlink_core::{DisconnectMode, DoorAccess, LocationId, PersonId};

const ANA: &str = "ana@hive.test";

async fn disconnect(space: &Space, person: PersonId, mode: DisconnectMode) {
    space
        .store
        .kisi_disconnections()
        .disconnect_person(space.location, person, mode)
        .await
        .unwrap();
    space.sync_until_settled(3).await;
}

async fn reconnect(space: &Space, location: LocationId, person: PersonId) {
    space
        .store
        .kisi_disconnections()
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

#[tokio::test]
async fn a_visitor_disconnected_keeping_their_kisi_user_and_reconnected_has_one_access_link_r15() {
    // Found by the random campaign: the disconnect forgot Vera's access link and the reconnect did
    // not re-adopt it, so her visit got a second link, and the first one, nobody's, stayed in Kisi
    // even after the visit was cancelled.
    let space = Space::start().await;
    let policy = space
        .store
        .catalog()
        .create_visitor_policy(
            space.location,
            "Guests",
            &DoorAccess::groups([space.group("Members")]),
        )
        .await
        .unwrap();
    let vera = space.person("Vera", VERA).await;
    let (_, visit) = space
        .store
        .passes()
        .create_visit(
            vera,
            policy.id,
            berlin("2026-03-03 10:00"),
            berlin("2026-03-03 12:00"),
        )
        .await
        .unwrap();
    space.sync().await;
    assert_eq!(links_of(&space, VERA), 1);

    disconnect(&space, vera, DisconnectMode::KeepKisiUser).await;
    assert_eq!(links_of(&space, VERA), 1, "Kisi keeps what it holds");
    reconnect(&space, space.location, vera).await;
    assert_eq!(links_of(&space, VERA), 1, "the same link, not a second one");

    space
        .store
        .passes()
        .cancel_visit(visit.id, None)
        .await
        .unwrap();
    space.sync_until_settled(3).await;
    assert_eq!(
        links_of(&space, VERA),
        0,
        "the cancelled visit's link is revoked"
    );
}

const VERA: &str = "vera@hive.test";

fn links_of(space: &Space, email: &str) -> usize {
    space
        .kisi()
        .group_links
        .iter()
        .filter(|l| l.email.as_deref() == Some(email))
        .count()
}
