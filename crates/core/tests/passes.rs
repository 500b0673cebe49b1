//! R9 (day passes), R10 (visits), R11 (manual grants), R14 (hold), R15 (disconnect), M4, M5, M7.

use crate::common;

use chrono::Duration;
use common::*;
use doorlink_core::*;

const VISITOR_GROUP: KisiGroupId = KisiGroupId(400);

#[allow(
    clippy::unwrap_used,
    reason = "a malformed fixture should stop the test loudly"
)]
fn add_visit(space: &mut Space, visitor: PersonId, arrival: &str, departure: &str) -> VisitId {
    space.records.visitor_policies.push(VisitorPolicy {
        id: VisitorPolicyId(1),
        name: "Guests".into(),
        door_access: DoorAccess::groups([VISITOR_GROUP]),
    });
    let visit = Visit::new(
        VisitId(1),
        visitor,
        VisitorPolicyId(1),
        space.at(arrival),
        space.at(departure),
    )
    .unwrap();
    space.records.visits.push(visit);
    VisitId(1)
}

#[test]
fn r9_a_day_pass_opens_the_whole_local_day() {
    let mut space = Space::new("America/Los_Angeles");
    let ana = space.person(1);
    let product = space.product(1, ProductKind::DayPass, DoorAccess::groups([FRONT_DOOR]));
    space.records.day_passes.push(DayPass {
        id: DayPassId(1),
        person: ana,
        product,
        date: date("2026-07-04"),
    });
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(
            utc("2026-07-04T07:00:00Z"),
            Some(utc("2026-07-05T07:00:00Z"))
        )]
    );
    assert_eq!(
        space.grants(ana)[0].provenance,
        Provenance::DayPass {
            day_pass: DayPassId(1),
            product
        }
    );
}

#[test]
fn r9_a_day_pass_on_the_berlin_fall_back_day_lasts_25_hours() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let product = space.product(1, ProductKind::DayPass, DoorAccess::groups([FRONT_DOOR]));
    space.records.day_passes.push(DayPass {
        id: DayPassId(1),
        person: ana,
        product,
        date: date("2026-10-25"),
    });
    let (from, until) = space.windows(ana, group(FRONT_DOOR))[0];
    assert_eq!(until.unwrap() - from, Duration::hours(25));
}

#[test]
fn m4_a_service_item_grants_its_product_door_access() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let locker = space.product(1, ProductKind::Service, DoorAccess::locks([OFFICE_LOCK]));
    let item = SubscriptionItem {
        id: SubscriptionItemId(1),
        kind: ItemKind::Service(locker),
        access_override: None,
    };
    space.records.subscriptions.push(
        Subscription::new(
            SubscriptionId(1),
            Holder::Person(ana),
            date("2026-03-01"),
            None,
            vec![item],
        )
        .unwrap(),
    );
    let targets: Vec<_> = space.grants(ana).iter().map(|g| g.target).collect();
    assert_eq!(targets, vec![AccessTarget::Lock(OFFICE_LOCK)]);
}

#[test]
fn r10_a_visit_gets_an_access_link_for_its_window_plus_grace() {
    let mut space = Space::new("Europe/Berlin");
    let guest = space.person(1);
    let visit = add_visit(&mut space, guest, "2026-05-12 10:00", "2026-05-12 11:00");
    let desired = desired_access_for_person(&space.facts(), guest, space.at("2026-05-12 08:00"));
    assert!(
        desired.assignments.is_empty(),
        "visits are links, not role assignments"
    );
    assert_eq!(
        desired.links,
        vec![DesiredLink {
            visit,
            person: guest,
            target: group(VISITOR_GROUP),
            window: Window::bounded(space.at("2026-05-12 09:30"), space.at("2026-05-12 11:30"))
                .unwrap(),
        }]
    );
}

#[test]
fn r10_a_cancelled_visit_gets_no_link() {
    let mut space = Space::new("Europe/Berlin");
    let guest = space.person(1);
    add_visit(&mut space, guest, "2026-05-12 10:00", "2026-05-12 11:00");
    space.records.visits[0].cancelled_at = Some(space.at("2026-05-11 10:00"));
    let desired = desired_access_for_person(&space.facts(), guest, space.at("2026-05-11 12:00"));
    assert!(desired.links.is_empty());
}

#[test]
fn r11_a_manual_grant_covers_exactly_its_window() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let (from, until) = (utc("2026-05-12T07:13:00Z"), utc("2026-05-14T18:47:00Z"));
    let grant = ManualGrant::new(
        ManualGrantId(1),
        ana,
        DoorAccess::groups([FRONT_DOOR]),
        from,
        Some(until),
    )
    .unwrap();
    space.records.manual_grants.push(grant);
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(from, Some(until))]
    );
}

#[test]
fn r11_an_indefinite_manual_grant_is_open_ended() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let from = utc("2026-05-12T07:13:00Z");
    let grant = ManualGrant::new(
        ManualGrantId(1),
        ana,
        DoorAccess::locks([ROOM_LOCK]),
        from,
        None,
    )
    .unwrap();
    space.records.manual_grants.push(grant);
    assert_eq!(
        space.windows(ana, AccessTarget::Lock(ROOM_LOCK)),
        vec![(from, None)]
    );
}

#[test]
fn m7_a_single_lock_is_its_own_target_and_merges_separately_from_groups() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let access = DoorAccess {
        groups: [FRONT_DOOR].into(),
        locks: [ROOM_LOCK].into(),
    };
    let grant = ManualGrant::new(
        ManualGrantId(1),
        ana,
        access,
        utc("2026-05-12T07:00:00Z"),
        None,
    )
    .unwrap();
    space.records.manual_grants.push(grant);
    let desired = desired_access_for_person(&space.facts(), ana, utc("2026-05-12T08:00:00Z"));
    let targets: Vec<_> = desired.assignments.iter().map(|a| a.target).collect();
    assert_eq!(
        targets,
        vec![group(FRONT_DOOR), AccessTarget::Lock(ROOM_LOCK)]
    );
}

fn member_with_access() -> (Space, PersonId) {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let plan = space.plan(1, DoorAccess::groups([FRONT_DOOR]));
    space.subscribe(1, Holder::Person(ana), plan, "2026-05-01", None);
    (space, ana)
}

#[test]
fn r14_a_person_on_hold_keeps_their_grants_but_nothing_is_written_to_kisi() {
    let (mut space, ana) = member_with_access();
    space.records.holds.push(Hold {
        person: ana,
        since: utc("2026-05-10T09:00:00Z"),
    });
    let now = utc("2026-05-12T09:00:00Z");
    assert_eq!(space.grants(ana).len(), 1, "grants are kept in Doorlink");
    let desired = desired_access_for_person(&space.facts(), ana, now);
    assert!(desired.assignments.is_empty());
    assert_eq!(desired.on_hold, vec![ana]);
}

#[test]
fn r14_re_enabling_restores_the_same_assignments() {
    let (mut space, ana) = member_with_access();
    let now = utc("2026-05-12T09:00:00Z");
    let before = desired_access_for_person(&space.facts(), ana, now);
    space.records.holds.push(Hold {
        person: ana,
        since: utc("2026-05-10T09:00:00Z"),
    });
    assert!(
        desired_access_for_person(&space.facts(), ana, now)
            .assignments
            .is_empty()
    );
    space.records.holds.clear();
    assert_eq!(desired_access_for_person(&space.facts(), ana, now), before);
    assert_eq!(before.assignments.len(), 1);
}

#[test]
fn r15_a_disconnected_person_is_left_alone_in_kisi() {
    let (mut space, ana) = member_with_access();
    space.records.disconnections.push(KisiDisconnection {
        person: ana,
        mode: DisconnectMode::KeepKisiUser,
    });
    let desired = desired_access_for_person(&space.facts(), ana, utc("2026-05-12T09:00:00Z"));
    assert!(desired.assignments.is_empty());
    assert_eq!(
        desired.disconnected,
        vec![DisconnectedPerson {
            person: ana,
            mode: DisconnectMode::KeepKisiUser
        }]
    );
}

#[test]
fn r15_deleting_a_persons_kisi_user_is_asked_of_sync() {
    let (mut space, ana) = member_with_access();
    space.records.disconnections.push(KisiDisconnection {
        person: ana,
        mode: DisconnectMode::DeleteKisiUser,
    });
    let desired = desired_access_for_person(&space.facts(), ana, utc("2026-05-12T09:00:00Z"));
    assert!(desired.assignments.is_empty());
    assert_eq!(desired.disconnected[0].mode, DisconnectMode::DeleteKisiUser);
}

#[test]
fn the_location_pass_equals_every_person_pass_together() {
    let (mut space, ana) = member_with_access();
    let ben = space.person(2);
    let room = space.room(5);
    space.book(
        1,
        room,
        ben,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 13:00"),
    );
    space.booking_mut(BookingId(1)).invitees = [ana].into();
    let facts = space.facts();
    let now = space.at("2026-05-12 08:00");
    let whole = desired_access_for_location(&facts, now);
    let mut assignments = desired_access_for_person(&facts, ana, now).assignments;
    assignments.extend(desired_access_for_person(&facts, ben, now).assignments);
    assert_eq!(whole.assignments, assignments);
    assert_eq!(whole.assignments.len(), 3);
}
