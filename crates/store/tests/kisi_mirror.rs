//! The Kisi mirror: directory with orphaned marks (C4), owned users, assignments, lock groups and
//! links (I4), and the KisiView the explainer reads.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use chrono::Duration;
use common::file_store;
use common::space::{FRONT_DOOR, ROOM_LOCK, space};
use doorlink_core::{
    AccessTarget, DoorState, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId, KisiUserId,
    KisiUserState, Window,
};
use doorlink_store::{
    DirectoryGroup, DirectoryPlace, KisiDirectory, KisiGroupLinkId, KisiRoleAssignmentId,
    MappingOwner, MirrorAssignment, MirrorLink, MirrorUser,
};

fn lock(id: i64, name: &str, reader: bool) -> KisiLock {
    KisiLock {
        id: KisiLockId(id),
        name: name.to_owned(),
        place: Some(KisiPlaceId(1)),
        reader_restriction: reader,
        geofence_restriction: false,
        time_restriction: false,
        state: DoorState::default(),
    }
}

fn front_door_group() -> DirectoryGroup {
    DirectoryGroup {
        id: FRONT_DOOR,
        name: "Front door".to_owned(),
        place: Some(KisiPlaceId(1)),
        locks: [KisiLockId(201)].into(),
        reader_restriction: false,
        geofence_restriction: true,
        time_restriction: false,
        has_foreign_members: true,
        app_access: None,
        primary_device_restriction: None,
    }
}

fn directory() -> KisiDirectory {
    KisiDirectory {
        places: vec![DirectoryPlace {
            id: KisiPlaceId(1),
            name: "HQ".to_owned(),
        }],
        groups: vec![front_door_group()],
        locks: vec![lock(201, "Front door", false), lock(200, "Room A", true)],
    }
}

#[tokio::test]
async fn the_directory_reads_back_as_a_kisi_view_with_restrictions() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;

    store
        .kisi_mirror()
        .replace_directory(s.location, &directory())
        .await
        .unwrap();

    let view = store.kisi_mirror().kisi_view(s.location).await.unwrap();
    let group = view.group(FRONT_DOOR).unwrap();
    assert_eq!(group.locks, [KisiLockId(201)].into());
    assert!(group.geofence_restriction);
    assert!(!group.deleted);
    assert_eq!(group.foreign_members, 1);
    assert!(view.lock(ROOM_LOCK).unwrap().reader_restriction);
    assert_eq!(
        store.kisi_mirror().places(s.location).await.unwrap().len(),
        1
    );
    assert_eq!(
        store
            .kisi_mirror()
            .shared_mapped_groups(s.location)
            .await
            .unwrap(),
        vec![FRONT_DOOR],
        "M8: the front door group is mapped (Flex) and has members Doorlink did not add"
    );
}

#[tokio::test]
async fn a_group_kisi_stops_listing_is_orphaned_and_names_the_mappings_it_breaks() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    store
        .kisi_mirror()
        .replace_directory(s.location, &directory())
        .await
        .unwrap();
    clock.advance(std::time::Duration::from_secs(60));

    let without_group = KisiDirectory {
        groups: Vec::new(),
        ..directory()
    };
    store
        .kisi_mirror()
        .replace_directory(s.location, &without_group)
        .await
        .unwrap();

    let view = store.kisi_mirror().kisi_view(s.location).await.unwrap();
    assert!(view.is_group_deleted(FRONT_DOOR));
    let orphans = store
        .kisi_mirror()
        .orphaned_targets(s.location)
        .await
        .unwrap();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].target, AccessTarget::Group(FRONT_DOOR));
    assert_eq!(orphans[0].orphaned_at, clock.now());
    assert_eq!(
        orphans[0].used_by,
        vec![
            MappingOwner::Plan(s.flex.id),
            MappingOwner::Product(s.day_pass.id),
            MappingOwner::VisitorPolicy(s.guests.id),
        ]
    );

    store
        .kisi_mirror()
        .replace_directory(s.location, &directory())
        .await
        .unwrap();
    assert!(
        store
            .kisi_mirror()
            .orphaned_targets(s.location)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn user_states_follow_confirmation_and_email_drift() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    let user = |id, email: &str, confirmed| MirrorUser {
        kisi_user: KisiUserId(id),
        kisi_email: email.to_owned(),
        confirmed,
        owned: true,
    };
    mirror
        .save_user(s.location, s.ana.id, &user(1, "ana@example.com", true))
        .await
        .unwrap();
    mirror
        .save_user(s.location, s.bo.id, &user(2, "bo@example.com", false))
        .await
        .unwrap();
    mirror
        .save_user(s.location, s.cy.id, &user(3, "cy@old.example", true))
        .await
        .unwrap();

    let view = mirror.kisi_view(s.location).await.unwrap();

    assert_eq!(
        view.user(s.ana.id),
        Some(&KisiUserState::Managed {
            user: KisiUserId(1)
        })
    );
    assert_eq!(
        view.user(s.bo.id),
        Some(&KisiUserState::UnconfirmedRegular {
            user: KisiUserId(2)
        })
    );
    assert!(matches!(
        view.user(s.cy.id),
        Some(KisiUserState::EmailDrift { .. })
    ));
    assert_eq!(
        mirror.user(s.location, s.ana.id).await.unwrap(),
        Some(user(1, "ana@example.com", true))
    );
    let taken = mirror
        .save_user(s.location, s.bo.id, &user(1, "x@example.com", true))
        .await;
    assert!(taken.is_err(), "one Kisi user cannot belong to two people");
}

#[tokio::test]
async fn owned_assignments_links_and_lock_groups_round_trip_and_are_forgotten_together() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    let window = Window::new(clock.now(), Some(clock.now() + Duration::hours(4))).unwrap();
    let assignment = MirrorAssignment {
        kisi_id: KisiRoleAssignmentId(9001),
        person: s.ana.id,
        group: KisiGroupId(555),
        target: AccessTarget::Lock(ROOM_LOCK),
        window,
    };
    let link = MirrorLink {
        kisi_id: KisiGroupLinkId(77),
        visit: None,
        person: s.ana.id,
        group: FRONT_DOOR,
        window,
    };
    mirror
        .save_user(
            s.location,
            s.ana.id,
            &MirrorUser {
                kisi_user: KisiUserId(1),
                kisi_email: "ana@example.com".to_owned(),
                confirmed: true,
                owned: true,
            },
        )
        .await
        .unwrap();

    mirror
        .save_lock_group(s.location, ROOM_LOCK, KisiGroupId(555))
        .await
        .unwrap();
    mirror
        .add_assignment(s.location, &assignment)
        .await
        .unwrap();
    mirror
        .add_assignment(s.location, &assignment)
        .await
        .unwrap();
    mirror.add_link(s.location, &link).await.unwrap();

    assert_eq!(
        mirror.lock_group(s.location, ROOM_LOCK).await.unwrap(),
        Some(KisiGroupId(555))
    );
    assert_eq!(
        mirror
            .assignments(s.location, Some(s.ana.id))
            .await
            .unwrap(),
        vec![assignment]
    );
    assert_eq!(mirror.links(s.location, None).await.unwrap(), vec![link]);

    mirror.forget_person(s.location, s.ana.id).await.unwrap();
    assert!(
        mirror
            .assignments(s.location, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(mirror.links(s.location, None).await.unwrap().is_empty());
    assert_eq!(mirror.user(s.location, s.ana.id).await.unwrap(), None);
    assert_eq!(
        mirror.lock_groups(s.location).await.unwrap().len(),
        1,
        "the per-lock group belongs to the lock, not the person"
    );
}

#[tokio::test]
async fn mapped_targets_name_every_group_and_lock_a_door_access_uses_once() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;

    let targets = store
        .kisi_mirror()
        .mapped_targets(s.location)
        .await
        .unwrap();

    assert_eq!(
        targets,
        vec![
            AccessTarget::Group(FRONT_DOOR),
            AccessTarget::Lock(ROOM_LOCK)
        ],
        "the front door is mapped three times (plan, day pass, visitors) but listed once"
    );
}

#[tokio::test]
async fn a_mapped_lock_kisi_never_listed_is_orphaned_and_keeps_its_first_mark() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    let first_seen_missing = clock.now();

    mirror
        .mark_lock_orphaned(s.location, ROOM_LOCK)
        .await
        .unwrap();
    clock.advance(std::time::Duration::from_secs(3600));
    mirror
        .mark_lock_orphaned(s.location, ROOM_LOCK)
        .await
        .unwrap();

    let orphans = mirror.orphaned_targets(s.location).await.unwrap();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].target, AccessTarget::Lock(ROOM_LOCK));
    assert_eq!(orphans[0].name, format!("lock {ROOM_LOCK}"));
    assert_eq!(orphans[0].orphaned_at, first_seen_missing);
    assert_eq!(orphans[0].used_by, vec![MappingOwner::Resource(s.room.id)]);

    let listed_again = KisiDirectory {
        locks: vec![lock(200, "Room A", false)],
        ..KisiDirectory::default()
    };
    mirror
        .replace_directory(s.location, &listed_again)
        .await
        .unwrap();
    assert!(
        mirror
            .orphaned_targets(s.location)
            .await
            .unwrap()
            .is_empty(),
        "listed again, the mark goes"
    );
}

#[tokio::test]
async fn users_lists_every_linked_person_with_ownership() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    let managed = MirrorUser {
        kisi_user: KisiUserId(1),
        kisi_email: "ana@example.com".to_owned(),
        confirmed: true,
        owned: true,
    };
    let adopted = MirrorUser {
        kisi_user: KisiUserId(2),
        kisi_email: "bo@example.com".to_owned(),
        confirmed: true,
        owned: false,
    };
    mirror
        .save_user(s.location, s.ana.id, &managed)
        .await
        .unwrap();
    mirror
        .save_user(s.location, s.bo.id, &adopted)
        .await
        .unwrap();

    let users = mirror.users(s.location).await.unwrap();

    assert_eq!(
        users,
        [(s.ana.id, managed), (s.bo.id, adopted)].into(),
        "Cy has no Kisi user and is not listed"
    );
}
