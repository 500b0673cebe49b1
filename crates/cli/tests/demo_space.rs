//! The demo space keeps the promises `doorlink demo` makes: one location in a real zone, three
//! plans, a dozen resources of every kind, two companies, forty people, subscriptions (one a
//! company's with named beneficiaries), bookings today and tomorrow with invitees (one not a
//! member), a day pass, a visit, a manual grant to a reader-restricted door; and all of it synced,
//! so Kisi holds exactly the role assignments the rules give.

use crate::common;

use std::collections::{HashMap, HashSet};

use chrono::{Duration, Utc};
use doorlink_cli::demo_space::{self, cast, names};
use doorlink_core::{
    AccessTarget, Holder, KisiGroupId, Provenance, ResourceKind, desired_access_for_location,
    grants_for_person,
};
use kisi_emulator::AssignmentSource;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_space_has_the_promised_records() {
    let (emulator, store, space) = common::synced_demo().await;
    let records = store.load_location_records(space.location).await.unwrap();

    assert_eq!(records.location.name, names::LOCATION_NAME);
    assert_eq!(records.location.time_zone.name(), names::TIME_ZONE);
    assert!(
        records.location.kisi_place.is_some(),
        "limited to the seed's place (A2)"
    );
    assert_eq!(
        store.people().list().await.unwrap().len(),
        demo_space::PEOPLE
    );
    assert_eq!(demo_space::PEOPLE, 40);
    assert_eq!(records.plans.len(), 3);
    assert!(records.resources.len() >= 12);
    let kinds: HashSet<ResourceKind> = records.resources.iter().map(|r| r.kind).collect();
    for kind in [
        ResourceKind::Room,
        ResourceKind::Desk,
        ResourceKind::Office,
        ResourceKind::Equipment,
        ResourceKind::Parking,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} resource");
    }
    assert_eq!(records.companies.len(), 2);
    let company_subscriptions: Vec<_> = records
        .subscriptions
        .iter()
        .filter(|s| matches!(s.holder, Holder::Company(_)))
        .collect();
    assert_eq!(company_subscriptions.len(), 2);
    assert!(
        company_subscriptions
            .iter()
            .any(|s| !s.beneficiaries.is_empty())
    );
    // Twenty personal subscriptions (one cancelled, one ended, one not started yet) and two companies'.
    assert_eq!(records.subscriptions.len(), 22);
    assert_eq!(records.day_passes.len(), 1);
    assert_eq!(records.visits.len(), 1);
    assert_eq!(records.manual_grants.len(), 1);

    let zone = records.location.time_zone;
    let today = Utc::now().with_timezone(&zone).date_naive();
    let tomorrow = today + Duration::days(1);
    let on = |day| {
        records
            .bookings
            .iter()
            .filter(move |b| b.start.with_timezone(&zone).date_naive() == day)
    };
    assert!(
        on(today).any(|b| !b.invitees.is_empty()),
        "a booking today with invitees"
    );
    assert!(
        on(tomorrow).any(|b| !b.invitees.is_empty()),
        "a booking tomorrow with invitees"
    );
    let guest = space.person(cast::GUEST_TODAY).id;
    assert!(
        records
            .subscriptions
            .iter()
            .all(|s| s.holder != Holder::Person(guest)),
        "the invitee of today's booking is not a member"
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_member_holds_a_reader_restricted_door() {
    let (emulator, store, space) = common::synced_demo().await;
    let facts = store.load_location_facts(space.location).await.unwrap();
    let view = store.kisi_mirror().kisi_view(space.location).await.unwrap();
    let member = space.person(cast::MEMBER).id;
    let restricted = grants_for_person(&facts, member)
        .into_iter()
        .filter(|g| matches!(g.provenance, Provenance::ManualGrant { .. }))
        .find_map(|g| match g.target {
            AccessTarget::Group(group) => view.group(group).cloned(),
            AccessTarget::Lock(_) => None,
        })
        .expect("the member's manual grant names a Kisi group");
    assert_eq!(restricted.name, names::IT_STAFF_GROUP);
    let server_room = view
        .locks
        .values()
        .find(|l| l.name == names::READER_RESTRICTED_LOCK)
        .unwrap();
    assert!(server_room.reader_restriction);
    assert!(restricted.locks.contains(&server_room.id));
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_space_is_synced_into_kisi() {
    let (emulator, store, space) = common::synced_demo().await;
    let facts = store.load_location_facts(space.location).await.unwrap();
    let desired = desired_access_for_location(&facts, Utc::now());
    let state = emulator.control().state();
    let lock_groups = store
        .kisi_mirror()
        .lock_groups(space.location)
        .await
        .unwrap();
    let user_by_email: HashMap<&str, u64> = state
        .users
        .iter()
        .map(|u| (u.email.as_str(), u.id))
        .collect();

    assert!(
        desired.assignments.len() > 30,
        "the demo grants a lot of access"
    );
    for wanted in &desired.assignments {
        let email = facts.person(wanted.person).unwrap().email.as_str();
        let user = user_by_email
            .get(email)
            .unwrap_or_else(|| panic!("{email} has no Kisi user"));
        let KisiGroupId(group) = match wanted.target {
            AccessTarget::Group(group) => group,
            AccessTarget::Lock(lock) => *lock_groups
                .get(&lock)
                .unwrap_or_else(|| panic!("no Doorlink group for lock {lock}")),
        };
        let found = state.role_assignments.iter().any(|a| {
            a.user_id == *user
                && a.group_id == u64::try_from(group).unwrap()
                && a.source == AssignmentSource::Api
                && a.valid_from == Some(wanted.window.from())
                && a.valid_until == wanted.window.until()
        });
        assert!(found, "Kisi lacks {wanted:?} for {email}");
    }
    let api_assignments = state
        .role_assignments
        .iter()
        .filter(|a| a.source == AssignmentSource::Api)
        .count();
    assert_eq!(
        api_assignments,
        desired.assignments.len(),
        "nothing more than the rules give"
    );
    // The visitor's access link, unless the visit (today until 17:00 plus grace) is over.
    assert_eq!(state.group_links.len(), desired.links.len());
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whenever_the_demo_starts_its_member_and_their_guest_have_a_booked_room_open_now() {
    let (emulator, store, space) = common::synced_demo().await;
    let facts = store.load_location_facts(space.location).await.unwrap();
    let now = Utc::now();
    for person in [cast::MEMBER, cast::GUEST_TODAY, cast::BOOKING_ONLY] {
        let open_booking = grants_for_person(&facts, space.person(person).id)
            .into_iter()
            .filter(|g| matches!(g.provenance, Provenance::Booking { .. }))
            .find(|g| g.window.contains(now));
        assert!(
            open_booking.is_some(),
            "person {person} has a booking open now, at any hour the demo starts"
        );
    }
    emulator.shutdown().await;
}
