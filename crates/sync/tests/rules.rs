//! Each access rule end to end: facts written through the store, the worker run, and the role
//! assignments checked in the Kisi emulator (group, exact `valid_from`/`valid_until`), plus whether
//! the member can unlock at the emulator's clock inside and outside the window.

use crate::common;

use std::time::Duration;

use chrono::NaiveDate;
use common::*;
use doorlink_core::{DisconnectMode, DoorAccess, Holder, ItemKind, PaymentStatus};
use doorlink_store::{AuditFilter, AuditOutcome, NewItem, NewSubscription};
use doorlink_sync::{LOCK_GROUP_PREFIX, Notice};

const ANA: &str = "ana@hive.test";
const BEN: &str = "ben@hive.test";

#[tokio::test]
async fn booking_grace_opens_thirty_minutes_early_and_closes_thirty_minutes_late() {
    let space = Space::start().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 12:00"),
            berlin("2026-03-02 16:00"),
        )
        .await;

    space.sync().await;

    assert_eq!(
        space.windows_in(ANA, space.group("Room A")),
        vec![(
            Some(berlin("2026-03-02 11:30")),
            Some(berlin("2026-03-02 16:30"))
        )]
    );
    let door = space.lock("Room A");
    assert!(
        !space
            .can_unlock_at(ANA, door, berlin("2026-03-02 11:29"))
            .await
    );
    assert!(
        space
            .can_unlock_at(ANA, door, berlin("2026-03-02 11:30"))
            .await
    );
    assert!(
        space
            .can_unlock_at(ANA, door, berlin("2026-03-02 16:29"))
            .await
    );
    assert!(
        !space
            .can_unlock_at(ANA, door, berlin("2026-03-02 16:30"))
            .await
    );
    let user = space
        .kisi()
        .users
        .into_iter()
        .find(|u| u.email == ANA)
        .unwrap();
    assert!(
        user.managed && user.confirmed && !user.send_emails,
        "I1: {user:?}"
    );
    // I2, I4: the mirror holds the Kisi ids, and Doorlink owns both.
    let mirror = space.store.kisi_mirror();
    let linked = mirror.user(space.location, ana).await.unwrap().unwrap();
    assert_eq!(linked.kisi_user.0, i64::try_from(user.id).unwrap());
    assert!(linked.owned);
    let in_kisi = space.assignments_of(ANA);
    let owned = mirror.assignments(space.location, Some(ana)).await.unwrap();
    assert_eq!(owned.len(), 1);
    assert_eq!(owned[0].kisi_id.0, i64::try_from(in_kisi[0].id).unwrap());
    assert_eq!(in_kisi[0].role_id, "group_basic");
    assert!(space.store.outbox().entries(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_subscription_is_written_ahead_of_its_start_and_stays_open_ended() {
    let space = Space::start().await;
    let plan = space
        .store
        .catalog()
        .create_plan(
            space.location,
            "Resident",
            &DoorAccess::groups([space.group("Members")]),
        )
        .await
        .unwrap();
    let ana = space.person("Ana", ANA).await;
    space
        .store
        .subscriptions()
        .create(&NewSubscription {
            location: space.location,
            holder: Holder::Person(ana),
            start: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
            end: None,
            items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
            beneficiaries: Default::default(),
            payment_status: PaymentStatus::Unpaid,
        })
        .await
        .unwrap();

    space.sync().await;

    assert_eq!(
        space.windows_in(ANA, space.group("Members")),
        vec![(Some(berlin("2026-03-03 00:00")), None)],
        "R1: from midnight of the start date, R2: no end date is open-ended, R4: unpaid still counts"
    );
    let door = space.lock("Front Door");
    assert!(
        !space
            .can_unlock_at(ANA, door, berlin("2026-03-02 23:59"))
            .await
    );
    assert!(
        space
            .can_unlock_at(ANA, door, berlin("2026-03-03 00:00"))
            .await
    );
    assert!(
        space
            .can_unlock_at(ANA, door, berlin("2027-03-03 00:00"))
            .await
    );
}

#[tokio::test]
async fn back_to_back_bookings_are_one_assignment_r13() {
    let space = Space::start().await;
    let room = space
        .room("Studio", DoorAccess::groups([space.group("Studio")]))
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
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 12:00"),
            berlin("2026-03-02 14:00"),
        )
        .await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-04 10:00"),
            berlin("2026-03-04 11:00"),
        )
        .await;

    space.sync().await;

    assert_eq!(
        space.windows_in(ANA, space.group("Studio")),
        vec![
            (
                Some(berlin("2026-03-02 09:30")),
                Some(berlin("2026-03-02 14:30"))
            ),
            (
                Some(berlin("2026-03-04 09:30")),
                Some(berlin("2026-03-04 11:30"))
            ),
        ]
    );
}

#[tokio::test]
async fn invitees_get_the_bookers_window_r7() {
    let space = Space::start().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    let ben = space.person("Ben", BEN).await;
    space
        .book(
            room,
            ana,
            &[ben],
            berlin("2026-03-02 09:30"),
            berlin("2026-03-02 11:30"),
        )
        .await;

    space.sync().await;

    let window = vec![(
        Some(berlin("2026-03-02 09:00")),
        Some(berlin("2026-03-02 12:00")),
    )];
    assert_eq!(space.windows_in(ANA, space.group("Room A")), window);
    assert_eq!(space.windows_in(BEN, space.group("Room A")), window);
    assert!(space.can_unlock(BEN, space.lock("Room A")).await);
}

#[tokio::test]
async fn moving_a_booking_replaces_its_assignment_and_cancelling_revokes_it_r8() {
    let space = Space::start().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    let booking = space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 12:00"),
            berlin("2026-03-02 16:00"),
        )
        .await;
    space.sync().await;
    let first = space.assignments_of(ANA);

    space
        .store
        .bookings()
        .reschedule(
            booking,
            berlin("2026-03-02 13:00"),
            berlin("2026-03-02 17:00"),
        )
        .await
        .unwrap();
    space.sync().await;
    let moved = space.assignments_of(ANA);
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_ne!(
        moved[0].id, first[0].id,
        "a window is changed by delete and re-create"
    );
    assert_eq!(
        (moved[0].valid_from, moved[0].valid_until),
        (
            Some(berlin("2026-03-02 12:30")),
            Some(berlin("2026-03-02 17:30"))
        )
    );

    space.store.bookings().cancel(booking, None).await.unwrap();
    space.sync().await;
    assert!(space.assignments_of(ANA).is_empty());
    assert!(
        !space
            .can_unlock_at(ANA, space.lock("Room A"), berlin("2026-03-02 14:00"))
            .await
    );
    let owned = space
        .store
        .kisi_mirror()
        .assignments(space.location, None)
        .await
        .unwrap();
    assert!(owned.is_empty(), "the mirror follows Kisi: {owned:?}");
}

#[tokio::test]
async fn a_single_lock_is_granted_through_doorlinks_own_group_m7() {
    let space = Space::start().await;
    let server_room = space.lock("Server Room");
    let room = space
        .room("Server Room", DoorAccess::locks([server_room]))
        .await;
    let ana = space.person("Ana", ANA).await;
    let ben = space.person("Ben", BEN).await;
    space
        .book(
            room,
            ana,
            &[ben],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;

    space.sync().await;

    let kisi = space.kisi();
    let ours: Vec<_> = kisi
        .groups
        .iter()
        .filter(|g| g.name.starts_with(LOCK_GROUP_PREFIX))
        .collect();
    assert_eq!(
        ours.len(),
        1,
        "one group per lock, shared by everyone: {ours:?}"
    );
    assert_eq!(ours[0].name, "Doorlink · Server Room");
    let locks_in_group: Vec<u64> = kisi
        .group_locks
        .iter()
        .filter(|gl| gl.group_id == ours[0].id)
        .map(|gl| gl.lock_id)
        .collect();
    assert_eq!(locks_in_group, vec![space.ids.locks["Server Room"]]);
    let group = doorlink_core::KisiGroupId(i64::try_from(ours[0].id).unwrap());
    let window = vec![(
        Some(berlin("2026-03-02 09:30")),
        Some(berlin("2026-03-02 12:30")),
    )];
    assert_eq!(space.windows_in(ANA, group), window);
    assert_eq!(space.windows_in(BEN, group), window);
    assert!(
        space
            .can_unlock_at(ANA, server_room, berlin("2026-03-02 10:00"))
            .await
    );
    assert!(
        !space
            .can_unlock_at(ANA, space.lock("Front Door"), berlin("2026-03-02 10:00"))
            .await
    );
}

#[tokio::test]
async fn a_visit_gets_an_access_link_for_its_window_r10() {
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
    let vera = space.person("Vera Visitor", "vera@visitor.test").await;
    let (_, visit) = space
        .store
        .passes()
        .create_visit(
            vera,
            policy.id,
            berlin("2026-03-02 14:00"),
            berlin("2026-03-02 15:00"),
        )
        .await
        .unwrap();

    space.sync().await;

    let links = space.kisi().group_links;
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].group_id, space.ids.groups["Members"]);
    assert_eq!(links[0].email.as_deref(), Some("vera@visitor.test"));
    assert_eq!(
        (links[0].valid_from, links[0].valid_until),
        (
            Some(berlin("2026-03-02 13:30")),
            Some(berlin("2026-03-02 15:30"))
        )
    );
    assert!(
        space.kisi_user("vera@visitor.test").is_none(),
        "a link needs no Kisi user"
    );

    space
        .store
        .passes()
        .cancel_visit(visit.id, None)
        .await
        .unwrap();
    space.sync().await;
    assert!(space.kisi().group_links.is_empty());
}

#[tokio::test]
async fn a_hold_revokes_in_kisi_and_releasing_it_restores_r14() {
    let space = Space::start().await;
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
    assert_eq!(space.assignments_of(ANA).len(), 1);

    space.store.holds().hold(space.location, ana).await.unwrap();
    space.sync().await;
    assert!(space.assignments_of(ANA).is_empty());
    assert!(
        space.kisi_user(ANA).is_some(),
        "the Kisi user stays during a hold"
    );
    assert!(!space.can_unlock(ANA, space.lock("Room A")).await);

    space
        .store
        .holds()
        .release_hold(space.location, ana)
        .await
        .unwrap();
    space.sync().await;
    assert_eq!(
        space.windows_in(ANA, space.group("Room A")),
        vec![(
            Some(berlin("2026-03-02 09:30")),
            Some(berlin("2026-03-02 12:30"))
        )]
    );
}

#[tokio::test]
async fn disconnecting_a_person_leaves_kisi_alone_and_deleting_removes_the_user_r15() {
    let space = Space::start().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    let ben = space.person("Ben", BEN).await;
    space
        .book(
            room,
            ana,
            &[ben],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.sync().await;

    space
        .store
        .kisi_disconnections()
        .disconnect_person(space.location, ana, DisconnectMode::KeepKisiUser)
        .await
        .unwrap();
    space
        .store
        .kisi_disconnections()
        .disconnect_person(space.location, ben, DisconnectMode::DeleteKisiUser)
        .await
        .unwrap();
    space.sync().await;

    assert_eq!(space.assignments_of(ANA).len(), 1, "kept as it was in Kisi");
    let mirror = space.store.kisi_mirror();
    assert!(
        mirror.user(space.location, ana).await.unwrap().is_none(),
        "no longer managed"
    );
    assert!(
        space.kisi_user(BEN).is_none(),
        "Ben's managed user is deleted"
    );
    assert!(mirror.user(space.location, ben).await.unwrap().is_none());
}

#[tokio::test]
async fn an_unconfirmed_regular_user_is_linked_not_duplicated_and_reported_i3() {
    let space = Space::start().await;
    space
        .control()
        .add_regular_user(ANA, "Ana (by hand)", false)
        .unwrap();
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

    let users: Vec<_> = space
        .kisi()
        .users
        .into_iter()
        .filter(|u| u.email == ANA)
        .collect();
    assert_eq!(users.len(), 1, "no second Kisi user for the same e-mail");
    assert_eq!(
        space.assignments_of(ANA).len(),
        1,
        "granted, effective once confirmed"
    );
    let linked = space
        .store
        .kisi_mirror()
        .user(space.location, ana)
        .await
        .unwrap()
        .unwrap();
    assert!(!linked.confirmed && !linked.owned, "I3, I4: {linked:?}");
    let plan = space
        .engine()
        .plan_person(space.location, ana)
        .await
        .unwrap();
    assert!(plan.is_empty());
    assert!(
        plan.notices
            .iter()
            .any(|n| matches!(n, Notice::UnconfirmedKisiUser { .. }))
    );
}

#[tokio::test]
async fn a_changed_email_keeps_the_linked_kisi_user_and_reports_the_drift_i2() {
    let space = Space::start().await;
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

    let mut person = space.store.people().get(ana).await.unwrap();
    person.email = doorlink_core::Email::parse("ana.new@hive.test").unwrap();
    space.store.people().update(&person).await.unwrap();
    space.sync().await;

    assert!(
        space.kisi_user("ana.new@hive.test").is_none(),
        "no second Kisi user"
    );
    assert_eq!(space.assignments_of(ANA).len(), 1);
    let plan = space
        .engine()
        .plan_person(space.location, ana)
        .await
        .unwrap();
    assert!(
        plan.notices
            .iter()
            .any(|n| matches!(n, Notice::EmailDrift { kisi_email, .. } if kisi_email == ANA))
    );
}

#[tokio::test]
async fn every_kisi_call_is_in_the_audit_log_with_status_and_duration() {
    let space = Space::start().await;
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

    let filter = AuditFilter {
        person: Some(ana),
        ..AuditFilter::default()
    };
    let page = space.store.audit().list(&filter, None, 50).await.unwrap();
    let calls: Vec<_> = page
        .entries
        .iter()
        .rev()
        .map(|e| {
            (
                e.http_method.as_str(),
                e.path.as_str(),
                e.http_status,
                e.outcome,
            )
        })
        .collect();
    assert_eq!(
        calls,
        vec![
            ("POST", "/users", Some(200), AuditOutcome::Succeeded),
            (
                "POST",
                "/role_assignments",
                Some(200),
                AuditOutcome::Succeeded
            ),
        ]
    );
    assert!(
        page.entries
            .iter()
            .all(|e| e.location == Some(space.location))
    );
    assert!(page.entries.iter().all(|e| e.outbox_entry.is_some()));
    assert!(
        !format!("{page:?}").contains(&space.ids.owner_api_key),
        "no secret in the log"
    );
}

#[tokio::test]
async fn a_grant_whose_window_ended_is_revoked_once_and_not_rewritten() {
    let space = Space::start().await;
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
    assert_eq!(space.assignments_of(ANA).len(), 1);

    space.advance(Duration::from_secs(6 * 3600));
    space
        .store
        .outbox()
        .enqueue(
            doorlink_store::OutboxScope::Person {
                location: space.location,
                person: ana,
            },
            "test: re-evaluate after the booking",
        )
        .await
        .unwrap();
    space.sync().await;
    assert!(
        space.assignments_of(ANA).is_empty(),
        "expired grants are cleaned up"
    );
}

#[tokio::test]
async fn relinking_after_an_email_change_moves_the_grants_to_the_new_address_i2() {
    let space = Space::start().await;
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
    let mut person = space.store.people().get(ana).await.unwrap();
    person.email = doorlink_core::Email::parse("ana.new@hive.test").unwrap();
    space.store.people().update(&person).await.unwrap();
    space.sync().await;

    let report = space
        .engine()
        .relink_person(space.location, ana)
        .await
        .unwrap();

    assert!(report.succeeded(), "{report:?}");
    assert!(
        space.kisi_user(ANA).is_none(),
        "the old managed user Doorlink made is gone"
    );
    assert_eq!(
        space.windows_in("ana.new@hive.test", space.group("Room A")),
        vec![(
            Some(berlin("2026-03-02 09:30")),
            Some(berlin("2026-03-02 12:30"))
        )]
    );
    let plan = space
        .engine()
        .plan_person(space.location, ana)
        .await
        .unwrap();
    assert!(plan.is_empty() && plan.notices.is_empty(), "{plan:?}");
}
