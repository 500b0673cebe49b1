//! The planner, without IO: what sync decides to do for the rules' desired access against the
//! mirror of what Doorlink owns in Kisi.
#![allow(
    clippy::unwrap_used,
    reason = "fixture helpers: a malformed fixture should stop the test loudly"
)]

use chrono::{DateTime, Utc};
use doorlink_core::{
    AccessTarget, DisconnectMode, DoorAccess, Hold, KisiDisconnection, KisiGroupId, KisiLockId,
    KisiUserId, Location, LocationFacts, LocationId, LocationRecords, ManualGrant, ManualGrantId,
    Person, PersonId, Visit, VisitId, VisitorPolicy, VisitorPolicyId, Window,
    desired_access_for_location,
};
use doorlink_store::{KisiGroupLinkId, KisiRoleAssignmentId};
use doorlink_sync::{
    DirectoryView, MirrorAssignment, MirrorLink, MirrorUser, MirrorView, Notice, Operation, plan,
};
use kisi::{GroupLinkId, RoleAssignmentId};

const MEMBERS: KisiGroupId = KisiGroupId(10);
const STUDIO: KisiGroupId = KisiGroupId(20);
const SERVER_ROOM: KisiLockId = KisiLockId(30);
const SERVER_ROOM_GROUP: KisiGroupId = KisiGroupId(31);
const ANA: PersonId = PersonId(1);

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn now() -> DateTime<Utc> {
    at("2026-03-02T09:00:00Z")
}

fn window(from: &str, until: Option<&str>) -> Window {
    Window::new(at(from), until.map(at)).unwrap()
}

/// A location whose people are Ana (1) and Ben (2).
struct Space {
    records: LocationRecords,
    next_grant: i64,
}

impl Space {
    fn new() -> Self {
        let location = Location::new(LocationId(1), "Hive", "Europe/Berlin").unwrap();
        let mut records = LocationRecords::new(location);
        records
            .people
            .push(Person::new(ANA, "Ana", "ana@hive.test").unwrap());
        records
            .people
            .push(Person::new(PersonId(2), "Ben", "ben@hive.test").unwrap());
        Self {
            records,
            next_grant: 1,
        }
    }

    /// M6, R11: a manual grant of `access` during the window.
    fn grant(&mut self, person: PersonId, access: DoorAccess, from: &str, until: Option<&str>) {
        let id = ManualGrantId(self.next_grant);
        self.next_grant += 1;
        let grant = ManualGrant::new(id, person, access, at(from), until.map(at)).unwrap();
        self.records.manual_grants.push(grant);
    }

    fn plan(&self, mirror: &MirrorView, directory: &DirectoryView) -> doorlink_sync::Plan {
        let facts = LocationFacts::new(self.records.clone()).unwrap();
        let desired = desired_access_for_location(&facts, now());
        plan(&facts, &desired, mirror, directory)
    }
}

fn linked(user: i64, email: &str) -> MirrorUser {
    MirrorUser {
        kisi_user: KisiUserId(user),
        kisi_email: email.to_owned(),
        confirmed: true,
        owned: true,
    }
}

fn owned(id: i64, group: KisiGroupId, target: AccessTarget, window: Window) -> MirrorAssignment {
    MirrorAssignment {
        kisi_id: KisiRoleAssignmentId(id),
        person: ANA,
        group,
        target,
        window,
    }
}

fn ana_in_kisi() -> MirrorView {
    let mut mirror = MirrorView::default();
    mirror.users.insert(ANA, linked(500, "ana@hive.test"));
    mirror
}

#[test]
fn a_new_member_gets_a_managed_user_then_a_time_bounded_assignment() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([MEMBERS]),
        "2026-03-02T08:00:00Z",
        Some("2026-03-03T08:00:00Z"),
    );
    let planned = space.plan(&MirrorView::default(), &DirectoryView::default());
    assert_eq!(
        planned.operations,
        vec![
            Operation::EnsureUser {
                person: ANA,
                email: doorlink_core::Email::parse("ana@hive.test").unwrap(),
                name: "Ana".to_owned(),
            },
            Operation::CreateAssignment {
                person: ANA,
                target: AccessTarget::Group(MEMBERS),
                window: window("2026-03-02T08:00:00Z", Some("2026-03-03T08:00:00Z")),
            },
        ]
    );
    assert!(planned.notices.is_empty());
}

#[test]
fn a_grant_kisi_already_holds_plans_nothing() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([MEMBERS]),
        "2026-03-01T00:00:00Z",
        None,
    );
    let mut mirror = ana_in_kisi();
    mirror.assignments.push(owned(
        7,
        MEMBERS,
        AccessTarget::Group(MEMBERS),
        window("2026-03-01T00:00:00Z", None),
    ));
    let planned = space.plan(&mirror, &DirectoryView::default());
    assert!(planned.is_empty(), "{planned:?}");
}

#[test]
fn a_changed_window_is_granted_before_the_old_one_is_revoked_r8() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([STUDIO]),
        "2026-03-02T11:30:00Z",
        Some("2026-03-02T17:30:00Z"),
    );
    let mut mirror = ana_in_kisi();
    mirror.assignments.push(owned(
        7,
        STUDIO,
        AccessTarget::Group(STUDIO),
        window("2026-03-02T11:30:00Z", Some("2026-03-02T16:30:00Z")),
    ));
    // Something else of Ana's that nothing replaces: a revocation, which goes first.
    mirror.assignments.push(owned(
        8,
        MEMBERS,
        AccessTarget::Group(MEMBERS),
        window("2026-03-02T09:00:00Z", Some("2026-03-02T10:00:00Z")),
    ));
    let planned = space.plan(&mirror, &DirectoryView::default());
    assert_eq!(
        planned.operations,
        vec![
            Operation::DeleteAssignment {
                person: ANA,
                assignment: RoleAssignmentId(8),
                group: MEMBERS,
                window: window("2026-03-02T09:00:00Z", Some("2026-03-02T10:00:00Z")),
            },
            Operation::CreateAssignment {
                person: ANA,
                target: AccessTarget::Group(STUDIO),
                window: window("2026-03-02T11:30:00Z", Some("2026-03-02T17:30:00Z")),
            },
            Operation::DeleteAssignment {
                person: ANA,
                assignment: RoleAssignmentId(7),
                group: STUDIO,
                window: window("2026-03-02T11:30:00Z", Some("2026-03-02T16:30:00Z")),
            },
        ]
    );
}

#[test]
fn back_to_back_grants_become_one_assignment_r13() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([STUDIO]),
        "2026-03-02T10:00:00Z",
        Some("2026-03-02T12:00:00Z"),
    );
    space.grant(
        ANA,
        DoorAccess::groups([STUDIO]),
        "2026-03-02T12:00:00Z",
        Some("2026-03-02T14:00:00Z"),
    );
    let planned = space.plan(&ana_in_kisi(), &DirectoryView::default());
    assert_eq!(
        planned.operations,
        vec![Operation::CreateAssignment {
            person: ANA,
            target: AccessTarget::Group(STUDIO),
            window: window("2026-03-02T10:00:00Z", Some("2026-03-02T14:00:00Z")),
        }]
    );
}

#[test]
fn a_single_lock_is_granted_through_doorlinks_own_group_m7() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::locks([SERVER_ROOM]),
        "2026-03-02T08:00:00Z",
        None,
    );
    let planned = space.plan(&ana_in_kisi(), &DirectoryView::default());
    assert_eq!(
        planned.operations,
        vec![
            Operation::CreatePerLockGroup { lock: SERVER_ROOM },
            Operation::CreateAssignment {
                person: ANA,
                target: AccessTarget::Lock(SERVER_ROOM),
                window: window("2026-03-02T08:00:00Z", None),
            },
        ]
    );

    let mut directory = DirectoryView::default();
    directory.lock_groups.insert(SERVER_ROOM, SERVER_ROOM_GROUP);
    let mut mirror = ana_in_kisi();
    mirror.assignments.push(owned(
        8,
        SERVER_ROOM_GROUP,
        AccessTarget::Lock(SERVER_ROOM),
        window("2026-03-02T08:00:00Z", None),
    ));
    assert!(space.plan(&mirror, &directory).is_empty());
}

#[test]
fn an_assignment_that_ended_is_revoked_and_nothing_past_is_written() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([STUDIO]),
        "2026-03-01T10:00:00Z",
        Some("2026-03-01T12:00:00Z"),
    );
    let mut mirror = ana_in_kisi();
    mirror.assignments.push(owned(
        9,
        STUDIO,
        AccessTarget::Group(STUDIO),
        window("2026-03-01T10:00:00Z", Some("2026-03-01T12:00:00Z")),
    ));
    let planned = space.plan(&mirror, &DirectoryView::default());
    assert_eq!(planned.operations.len(), 1);
    assert!(matches!(
        planned.operations[0],
        Operation::DeleteAssignment {
            assignment: RoleAssignmentId(9),
            ..
        }
    ));
}

#[test]
fn a_hold_revokes_every_grant_and_keeps_the_user_r14() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([MEMBERS]),
        "2026-03-01T00:00:00Z",
        None,
    );
    space.records.holds.push(Hold {
        person: ANA,
        since: now(),
    });
    let mut mirror = ana_in_kisi();
    mirror.assignments.push(owned(
        7,
        MEMBERS,
        AccessTarget::Group(MEMBERS),
        window("2026-03-01T00:00:00Z", None),
    ));
    let planned = space.plan(&mirror, &DirectoryView::default());
    assert_eq!(planned.operations.len(), 1);
    assert!(matches!(
        planned.operations[0],
        Operation::DeleteAssignment {
            assignment: RoleAssignmentId(7),
            ..
        }
    ));
}

fn ana_disconnected(mode: DisconnectMode, owned_user: bool) -> doorlink_sync::Plan {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([MEMBERS]),
        "2026-03-01T00:00:00Z",
        None,
    );
    space
        .records
        .disconnections
        .push(KisiDisconnection { person: ANA, mode });
    let mut mirror = ana_in_kisi();
    mirror.users.get_mut(&ANA).unwrap().owned = owned_user;
    mirror.assignments.push(owned(
        7,
        MEMBERS,
        AccessTarget::Group(MEMBERS),
        window("2026-03-01T00:00:00Z", None),
    ));
    space.plan(&mirror, &DirectoryView::default())
}

#[test]
fn disconnecting_a_person_only_stops_managing_them_r15() {
    let planned = ana_disconnected(DisconnectMode::KeepKisiUser, true);
    assert_eq!(
        planned.operations,
        vec![Operation::ForgetPerson { person: ANA }]
    );
    assert_eq!(planned.kisi_writes(), 0);
}

#[test]
fn deleting_the_kisi_user_doorlink_created_deletes_it_r15() {
    let planned = ana_disconnected(DisconnectMode::DeleteKisiUser, true);
    assert_eq!(
        planned.operations,
        vec![Operation::DeleteUser {
            person: ANA,
            user: KisiUserId(500)
        }]
    );
}

#[test]
fn a_kisi_user_doorlink_did_not_create_is_never_deleted_i4() {
    let planned = ana_disconnected(DisconnectMode::DeleteKisiUser, false);
    assert_eq!(
        planned.operations,
        vec![
            Operation::DeleteAssignment {
                person: ANA,
                assignment: RoleAssignmentId(7),
                group: MEMBERS,
                window: window("2026-03-01T00:00:00Z", None),
            },
            Operation::ForgetPerson { person: ANA },
        ]
    );
    assert_eq!(
        planned.notices,
        vec![Notice::UserNotOwned {
            person: ANA,
            user: KisiUserId(500)
        }]
    );
}

#[test]
fn a_group_deleted_in_kisi_is_not_granted_and_is_reported_c4() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([MEMBERS, STUDIO]),
        "2026-03-01T00:00:00Z",
        Some("2026-03-10T00:00:00Z"),
    );
    space.grant(
        ANA,
        DoorAccess::groups([STUDIO]),
        "2026-04-01T00:00:00Z",
        Some("2026-04-02T00:00:00Z"),
    );
    let mut directory = DirectoryView::default();
    directory.orphaned_groups.insert(STUDIO);
    let planned = space.plan(&ana_in_kisi(), &directory);
    assert_eq!(
        planned.operations,
        vec![Operation::CreateAssignment {
            person: ANA,
            target: AccessTarget::Group(MEMBERS),
            window: window("2026-03-01T00:00:00Z", Some("2026-03-10T00:00:00Z")),
        }]
    );
    assert_eq!(
        planned.notices,
        vec![Notice::TargetOrphaned {
            person: ANA,
            target: AccessTarget::Group(STUDIO)
        }],
        "one notice for the two grants through the deleted group"
    );
}

#[test]
fn a_changed_email_keeps_the_linked_user_and_is_reported_i2_i3() {
    let mut space = Space::new();
    space.grant(
        ANA,
        DoorAccess::groups([MEMBERS]),
        "2026-03-01T00:00:00Z",
        None,
    );
    let mut mirror = MirrorView::default();
    mirror.users.insert(
        ANA,
        MirrorUser {
            confirmed: false,
            ..linked(500, "ana.old@hive.test")
        },
    );
    let planned = space.plan(&mirror, &DirectoryView::default());
    assert!(
        !planned
            .operations
            .iter()
            .any(|op| matches!(op, Operation::EnsureUser { .. })),
        "no second Kisi user: {planned:?}"
    );
    assert_eq!(planned.notices.len(), 2);
    assert!(
        matches!(planned.notices[0], Notice::EmailDrift { ref kisi_email, .. } if kisi_email == "ana.old@hive.test")
    );
    assert!(matches!(
        planned.notices[1],
        Notice::UnconfirmedKisiUser { person: ANA, .. }
    ));
}

#[test]
fn a_visit_gets_an_access_link_and_a_cancelled_one_loses_it_r10() {
    let mut space = Space::new();
    space.records.visitor_policies.push(VisitorPolicy {
        id: VisitorPolicyId(1),
        name: "Guests".to_owned(),
        door_access: DoorAccess::groups([MEMBERS]),
    });
    let visit = Visit::new(
        VisitId(4),
        ANA,
        VisitorPolicyId(1),
        at("2026-03-02T13:00:00Z"),
        at("2026-03-02T15:00:00Z"),
    )
    .unwrap();
    space.records.visits.push(visit);
    let planned = space.plan(&MirrorView::default(), &DirectoryView::default());
    let link_window = window("2026-03-02T12:30:00Z", Some("2026-03-02T15:30:00Z"));
    assert_eq!(
        planned.operations,
        vec![Operation::CreateLink {
            person: ANA,
            visit: VisitId(4),
            email: doorlink_core::Email::parse("ana@hive.test").unwrap(),
            name: "Ana".to_owned(),
            target: AccessTarget::Group(MEMBERS),
            window: link_window,
        }],
        "a link needs no Kisi user"
    );

    space.records.visits[0].cancelled_at = Some(now());
    let mut mirror = MirrorView::default();
    mirror.links.push(MirrorLink {
        kisi_id: KisiGroupLinkId(77),
        visit: Some(VisitId(4)),
        person: ANA,
        group: MEMBERS,
        window: link_window,
    });
    assert_eq!(
        space.plan(&mirror, &DirectoryView::default()).operations,
        vec![Operation::DeleteLink {
            person: ANA,
            link: GroupLinkId(77)
        }]
    );
}

#[test]
fn another_persons_grants_are_planned_only_for_them() {
    let mut space = Space::new();
    space.grant(
        PersonId(2),
        DoorAccess::groups([MEMBERS]),
        "2026-03-01T00:00:00Z",
        None,
    );
    let mut mirror = ana_in_kisi();
    mirror.assignments.push(owned(
        7,
        MEMBERS,
        AccessTarget::Group(MEMBERS),
        window("2026-03-01T00:00:00Z", None),
    ));
    let planned = space.plan(&mirror, &DirectoryView::default());
    let people: Vec<_> = planned.operations.iter().map(Operation::person).collect();
    assert_eq!(
        people,
        vec![Some(PersonId(2)), Some(ANA), Some(PersonId(2))],
        "Ben is created and granted; Ana, who has no grant any more, is revoked: {planned:?}"
    );
}

#[test]
fn unlinking_for_a_relink_deletes_an_owned_user_or_revokes_on_an_adopted_one_i2() {
    let mut mirror = ana_in_kisi();
    mirror.assignments.push(owned(
        7,
        MEMBERS,
        AccessTarget::Group(MEMBERS),
        window("2026-03-01T00:00:00Z", None),
    ));
    assert_eq!(
        doorlink_sync::plan_unlink(ANA, &mirror).operations,
        vec![Operation::DeleteUser {
            person: ANA,
            user: KisiUserId(500)
        }]
    );
    mirror.users.get_mut(&ANA).unwrap().owned = false;
    let unlink = doorlink_sync::plan_unlink(ANA, &mirror);
    assert_eq!(
        unlink.operations,
        vec![
            Operation::DeleteAssignment {
                person: ANA,
                assignment: RoleAssignmentId(7),
                group: MEMBERS,
                window: window("2026-03-01T00:00:00Z", None),
            },
            Operation::ForgetPerson { person: ANA },
        ]
    );
    assert!(unlink.notices.is_empty());
}
