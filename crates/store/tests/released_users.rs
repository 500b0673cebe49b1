//! R15: a Kisi user Doorlink stopped managing ("keep the Kisi user") is remembered, offered for
//! re-adoption once the person is reconnected, and re-adopted with its grants in one step.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use chrono::Duration;
use common::file_store;
use common::space::{FRONT_DOOR, space};
use doorlink_core::{AccessTarget, DisconnectMode, KisiUserId, Window};
use doorlink_store::{KisiRoleAssignmentId, MirrorAssignment, MirrorUser};

fn ana_user() -> MirrorUser {
    MirrorUser {
        kisi_user: KisiUserId(41),
        kisi_email: "ana@example.com".to_owned(),
        confirmed: true,
        owned: true,
    }
}

#[tokio::test]
async fn a_released_user_is_offered_only_once_the_person_is_reconnected() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    mirror
        .save_user(s.location, s.ana.id, &ana_user())
        .await
        .unwrap();
    store
        .kisi_disconnections()
        .disconnect_person(s.location, s.ana.id, DisconnectMode::KeepKisiUser)
        .await
        .unwrap();

    mirror.release_person(s.location, s.ana.id).await.unwrap();

    assert_eq!(mirror.user(s.location, s.ana.id).await.unwrap(), None);
    assert!(
        mirror
            .reconnected_users(s.location, None)
            .await
            .unwrap()
            .is_empty(),
        "still disconnected: nothing to re-adopt yet"
    );
    store
        .kisi_disconnections()
        .reconnect_person(s.location, s.ana.id)
        .await
        .unwrap();
    assert_eq!(
        mirror
            .reconnected_users(s.location, Some(s.ana.id))
            .await
            .unwrap(),
        vec![(s.ana.id, ana_user())]
    );
    assert!(
        mirror
            .reconnected_users(s.location, Some(s.bo.id))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn readopting_links_the_user_records_its_grants_and_forgets_the_release() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    mirror
        .save_user(s.location, s.ana.id, &ana_user())
        .await
        .unwrap();
    mirror.release_person(s.location, s.ana.id).await.unwrap();
    let kept = MirrorAssignment {
        kisi_id: KisiRoleAssignmentId(9001),
        person: s.ana.id,
        group: FRONT_DOOR,
        target: AccessTarget::Group(FRONT_DOOR),
        window: Window::new(clock.now(), Some(clock.now() + Duration::hours(2))).unwrap(),
    };

    mirror
        .readopt(
            s.location,
            s.ana.id,
            &ana_user(),
            std::slice::from_ref(&kept),
        )
        .await
        .unwrap();

    assert_eq!(
        mirror.user(s.location, s.ana.id).await.unwrap(),
        Some(ana_user())
    );
    assert_eq!(
        mirror
            .assignments(s.location, Some(s.ana.id))
            .await
            .unwrap(),
        vec![kept]
    );
    assert!(
        mirror
            .reconnected_users(s.location, None)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_release_that_cannot_be_readopted_is_dropped() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    mirror
        .save_user(s.location, s.ana.id, &ana_user())
        .await
        .unwrap();
    mirror.release_person(s.location, s.ana.id).await.unwrap();

    mirror.drop_released(s.location, s.ana.id).await.unwrap();

    assert!(
        mirror
            .reconnected_users(s.location, None)
            .await
            .unwrap()
            .is_empty()
    );
}
