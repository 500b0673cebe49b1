//! The explainer (A5, I2, I3, R14, R15) and the Access page (A1–A3).

use crate::common;

use std::collections::BTreeSet;

use common::*;
use doorlink_core::*;

const MAIN_PLACE: KisiPlaceId = KisiPlaceId(1);
const ANNEX_PLACE: KisiPlaceId = KisiPlaceId(2);

fn kisi_lock(id: KisiLockId, name: &str, place: KisiPlaceId) -> KisiLock {
    KisiLock {
        id,
        name: name.into(),
        place: Some(place),
        reader_restriction: false,
        geofence_restriction: false,
        time_restriction: false,
        state: DoorState::default(),
    }
}

fn kisi_group(id: KisiGroupId, name: &str, locks: &[KisiLockId]) -> KisiGroup {
    KisiGroup {
        id,
        name: name.into(),
        locks: locks.iter().copied().collect::<BTreeSet<_>>(),
        reader_restriction: false,
        geofence_restriction: false,
        time_restriction: false,
        deleted: false,
        foreign_members: 0,
        app_access: None,
        primary_device_restriction: None,
    }
}

/// Kisi as set up in the seed's FAQ: a front-door group, and a room group with the front door and the
/// room. Ana is a managed Kisi user.
fn kisi() -> KisiView {
    let mut view = KisiView::unknown();
    for lock in [
        kisi_lock(FRONT_DOOR_LOCK, "Front door", MAIN_PLACE),
        kisi_lock(ROOM_LOCK, "Room 1", MAIN_PLACE),
        kisi_lock(OFFICE_LOCK, "Office 3", MAIN_PLACE),
    ] {
        view.locks.insert(lock.id, lock);
    }
    for group in [
        kisi_group(FRONT_DOOR, "Front door", &[FRONT_DOOR_LOCK]),
        kisi_group(
            ROOM_GROUP,
            "Room 1 + front door",
            &[FRONT_DOOR_LOCK, ROOM_LOCK],
        ),
        kisi_group(OFFICE_GROUP, "Office 3", &[OFFICE_LOCK]),
    ] {
        view.groups.insert(group.id, group);
    }
    view.users.insert(
        PersonId(1),
        KisiUserState::Managed {
            user: KisiUserId(501),
        },
    );
    view
}

fn member() -> (Space, PersonId) {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let plan = space.plan(1, DoorAccess::groups([FRONT_DOOR]));
    space.subscribe(1, Holder::Person(ana), plan, "2026-05-01", None);
    (space, ana)
}

#[allow(
    clippy::panic,
    reason = "a test helper: an unexpected answer fails the test"
)]
fn cause(
    space: &Space,
    view: &KisiView,
    person: PersonId,
    lock: KisiLockId,
    at: &str,
) -> DenialCause {
    match explain(&space.facts(), view, person, lock, space.at(at)) {
        Explanation::Blocked { cause } => cause,
        other => panic!("expected a denial, got {other:?}"),
    }
}

#[test]
fn a_member_may_open_the_front_door_and_the_explainer_names_the_subscription() {
    let (space, ana) = member();
    let answer = explain(
        &space.facts(),
        &kisi(),
        ana,
        FRONT_DOOR_LOCK,
        space.at("2026-05-12 10:00"),
    );
    let Explanation::MayOpen {
        grants,
        verified_in_kisi,
    } = answer
    else {
        panic!("expected may open, got {answer:?}");
    };
    assert!(verified_in_kisi);
    assert_eq!(grants.len(), 1);
    assert!(grants[0].provenances[0].is_subscription());
}

#[test]
fn with_an_empty_kisi_view_the_answer_rests_on_the_rules_and_says_it_is_unverified() {
    let (space, ana) = member();
    let answer = explain(
        &space.facts(),
        &KisiView::unknown(),
        ana,
        FRONT_DOOR_LOCK,
        space.at("2026-05-12 10:00"),
    );
    assert!(
        matches!(
            answer,
            Explanation::MayOpen {
                verified_in_kisi: false,
                ..
            }
        ),
        "{answer:?}"
    );
}

#[test]
fn a_person_with_nothing_has_no_booking_or_subscription() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    assert_eq!(
        cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00"),
        DenialCause::NoBookingOrSubscription
    );
}

#[test]
fn a_plan_without_door_access_is_named() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let plan = space.plan(4, DoorAccess::none());
    space.subscribe(1, Holder::Person(ana), plan, "2026-05-01", None);
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert_eq!(
        denial,
        DenialCause::NoDoorAccessOnPlan {
            plan,
            plan_name: "Plan 4".into()
        }
    );
    assert!(denial.fix().contains("Plan 4"));
}

#[test]
fn a_resource_without_door_access_is_named() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let desk = space.resource(9, ResourceKind::Desk, DoorAccess::none());
    space.book(
        1,
        desk,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 17:00"),
    );
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(
        matches!(denial, DenialCause::NoDoorAccessOnResource { resource, .. } if resource == desk)
    );
}

#[test]
fn an_item_set_to_not_selected_is_named() {
    let (mut space, ana) = member();
    space.subscription_mut(SubscriptionId(1)).items[0].access_override = Some(DoorAccess::none());
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(
        matches!(denial, DenialCause::ItemAccessNotSelected { .. }),
        "{denial:?}"
    );
}

#[test]
fn a_subscription_that_has_not_started_says_when_it_starts() {
    let (space, ana) = member();
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-04-30 18:00");
    assert_eq!(
        denial,
        DenialCause::SubscriptionNotStarted {
            subscription: SubscriptionId(1),
            starts_at: space.at("2026-05-01 00:00"),
            starts_local: "Fri 1 May 2026, 00:00 (Berlin time)".into(),
        }
    );
}

#[test]
fn a_person_who_left_the_company_is_told_so() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let plan = space.plan(1, DoorAccess::groups([FRONT_DOOR]));
    let acme = space.company(1);
    space.subscribe(1, Holder::Company(acme), plan, "2026-05-01", None);
    space.join(
        ana,
        acme,
        space.at("2026-05-01 00:00"),
        Some(space.at("2026-05-10 12:00")),
    );
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert_eq!(
        denial,
        DenialCause::NotInCompany {
            company: acme,
            company_name: "Company 1".into()
        }
    );
}

#[test]
fn a_company_member_who_is_not_a_beneficiary_is_told_so() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let ben = space.person(2);
    let plan = space.plan(1, DoorAccess::groups([FRONT_DOOR]));
    let acme = space.company(1);
    let sub = space.subscribe(1, Holder::Company(acme), plan, "2026-05-01", None);
    space.subscription_mut(sub).beneficiaries = [ben].into();
    space.join(ana, acme, space.at("2026-05-01 00:00"), None);
    space.join(ben, acme, space.at("2026-05-01 00:00"), None);
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(matches!(denial, DenialCause::NotABeneficiary { company, .. } if company == acme));
}

#[test]
fn a_person_on_hold_is_told_so_first() {
    let (mut space, ana) = member();
    space.records.holds.push(Hold {
        person: ana,
        since: utc("2026-05-10T09:00:00Z"),
    });
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert_eq!(
        denial,
        DenialCause::OnHold {
            since: utc("2026-05-10T09:00:00Z")
        }
    );
}

#[test]
fn a_disconnected_person_is_told_so() {
    let (mut space, ana) = member();
    space.records.disconnections.push(KisiDisconnection {
        person: ana,
        mode: DisconnectMode::KeepKisiUser,
    });
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(matches!(denial, DenialCause::DisconnectedFromKisi { .. }));
}

#[test]
fn a_lock_missing_from_the_members_group_is_named_with_the_group() {
    let (space, ana) = member();
    let denial = cause(&space, &kisi(), ana, ROOM_LOCK, "2026-05-12 10:00");
    assert_eq!(
        denial,
        DenialCause::LockNotInGroups {
            lock: ROOM_LOCK,
            lock_name: "Room 1".into(),
            groups: vec!["Front door".into()],
            plans: vec!["Plan 1".into()],
            others_in_groups: 0,
        }
    );
    assert!(denial.fix().contains("Room 1"));
    // The member reads their plan, not the Kisi group behind it.
    assert_eq!(
        denial.words(Audience::Member).message,
        "Your Plan 1 plan doesn't include the Room 1"
    );
}

/// The adversary: the tempting fix. Adding the Server Room to the flex group in Kisi would let every
/// flex member in; the fix says so, with how many, and offers what opens it to this person only.
#[test]
fn the_fix_for_a_missing_lock_never_widens_access_for_others_unsaid() {
    let (mut space, ana) = member();
    let plan = space.plan(2, DoorAccess::groups([FRONT_DOOR]));
    for n in 2..=4 {
        let other = space.person(n);
        space.subscribe(n, Holder::Person(other), plan, "2026-05-01", None);
    }
    let denial = cause(&space, &kisi(), ana, ROOM_LOCK, "2026-05-12 10:00");
    assert!(
        matches!(
            denial,
            DenialCause::LockNotInGroups {
                others_in_groups: 3,
                ..
            }
        ),
        "{denial:?}"
    );
    let fix = denial.fix();
    assert!(fix.contains("manual grant"), "{fix}");
    assert!(fix.contains("3 other people"), "{fix}");
    assert!(!fix.starts_with("In the Kisi dashboard add"), "{fix}");
}

#[test]
fn a_group_deleted_in_kisi_is_group_not_found() {
    let (space, ana) = member();
    let mut view = kisi();
    view.groups.get_mut(&FRONT_DOOR).unwrap().deleted = true;
    let denial = cause(&space, &view, ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(matches!(denial, DenialCause::GroupDeleted { group, .. } if group == FRONT_DOOR));
    assert!(denial.to_string().contains("Group is not found"));
}

#[test]
fn a_lock_in_another_place_is_hidden_by_the_place_filter() {
    let (mut space, ana) = member();
    space.records.location.kisi_place = Some(ANNEX_PLACE);
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(matches!(
        denial,
        DenialCause::HiddenByPlaceFilter { connection_place, lock_place: Some(MAIN_PLACE), .. } if connection_place == ANNEX_PLACE
    ));
}

#[test]
fn a_reader_restricted_lock_cannot_be_opened_remotely() {
    let (space, ana) = member();
    let mut view = kisi();
    view.locks
        .get_mut(&FRONT_DOOR_LOCK)
        .unwrap()
        .reader_restriction = true;
    let denial = cause(&space, &view, ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(matches!(denial, DenialCause::ReaderRestriction { .. }));
    assert!(denial.fix().contains("Kisi Reader restriction"));
}

#[test]
fn a_group_restriction_blocks_only_when_every_group_giving_the_lock_has_it() {
    let (mut space, ana) = member();
    let mut view = kisi();
    view.groups
        .get_mut(&FRONT_DOOR)
        .unwrap()
        .geofence_restriction = true;
    let denial = cause(&space, &view, ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(matches!(denial, DenialCause::GeofenceRestriction { .. }));

    let room = space.room(1);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 11:00"),
    );
    let answer = explain(
        &space.facts(),
        &view,
        ana,
        FRONT_DOOR_LOCK,
        space.at("2026-05-12 10:00"),
    );
    assert!(
        matches!(answer, Explanation::MayOpen { .. }),
        "the room group has no restriction: {answer:?}"
    );
}

#[test]
fn an_unconfirmed_kisi_user_is_reported_with_the_seed_message() {
    let (space, ana) = member();
    let mut view = kisi();
    view.users.insert(
        ana,
        KisiUserState::UnconfirmedRegular {
            user: KisiUserId(9),
        },
    );
    let denial = cause(&space, &view, ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert!(matches!(denial, DenialCause::UnconfirmedKisiEmail { .. }));
    assert!(
        denial
            .to_string()
            .contains("You have to confirm your email address")
    );
}

#[test]
fn an_email_that_drifted_in_kisi_is_a_mismatch() {
    let (space, ana) = member();
    let mut view = kisi();
    let kisi_email = Email::parse("ana.old@example.com").unwrap();
    view.users.insert(
        ana,
        KisiUserState::EmailDrift {
            user: KisiUserId(9),
            kisi_email: kisi_email.clone(),
        },
    );
    let denial = cause(&space, &view, ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert_eq!(
        denial,
        DenialCause::EmailMismatch {
            doorlink_email: Email::parse("p1@example.com").unwrap(),
            kisi_email
        }
    );
}

#[test]
fn a_booking_later_today_says_when_the_door_opens() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let room = space.room(1);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-13 09:00"),
        space.at("2026-05-13 10:00"),
    );
    let denial = cause(&space, &kisi(), ana, ROOM_LOCK, "2026-05-12 18:00");
    assert_eq!(
        denial,
        DenialCause::NotYetOpen {
            opens_at: space.at("2026-05-13 08:30"),
            opens_local: "Wed 13 May 2026, 08:30 (Berlin time)".into()
        }
    );
}

#[test]
fn a_booking_that_is_over_says_when_access_ended() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let room = space.room(1);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 10:00"),
    );
    let denial = cause(&space, &kisi(), ana, ROOM_LOCK, "2026-05-12 18:00");
    assert!(
        matches!(denial, DenialCause::AccessEnded { ended_at, .. } if ended_at == space.at("2026-05-12 10:30"))
    );
}

#[test]
fn every_cause_has_a_fix_in_words() {
    let email = Email::parse("a@b.c").unwrap();
    let causes = [
        DenialCause::NoBookingOrSubscription,
        DenialCause::AccessPageMembersOnly,
        DenialCause::NotInKisiYet,
        DenialCause::GroupNotYetSynced { group: FRONT_DOOR },
        DenialCause::UnconfirmedKisiEmail { email },
    ];
    for cause in causes {
        assert!(cause.fix().len() > 20, "{cause}: {}", cause.fix());
        assert!(!cause.to_string().is_empty());
    }
}

// --- Access page (A1–A3) ---

#[test]
fn a1_the_access_page_lists_the_locks_open_now_with_their_window() {
    let (mut space, ana) = member();
    let room = space.room(1);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    let page = access_page(&space.facts(), &kisi(), ana, space.at("2026-05-12 13:00"));
    assert!(page.visible);
    let locks: Vec<_> = page
        .open_now
        .iter()
        .map(|l| (l.lock, l.window.until()))
        .collect();
    // The front door comes from the subscription (open-ended) and the booking: union, one entry.
    assert_eq!(
        locks,
        vec![
            (FRONT_DOOR_LOCK, None),
            (ROOM_LOCK, Some(space.at("2026-05-12 16:30")))
        ]
    );
    assert_eq!(page.open_now[0].provenances.len(), 2);
    assert!(page.blocked.is_empty());
}

#[test]
fn a1_outside_the_booking_only_the_subscription_locks_show_and_the_room_is_upcoming() {
    let (mut space, ana) = member();
    let room = space.room(1);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    let page = access_page(&space.facts(), &kisi(), ana, space.at("2026-05-12 09:00"));
    let open: Vec<_> = page.open_now.iter().map(|l| l.lock).collect();
    assert_eq!(open, vec![FRONT_DOOR_LOCK]);
    let upcoming: Vec<_> = page
        .upcoming
        .iter()
        .map(|l| (l.lock, l.window.from()))
        .collect();
    assert_eq!(upcoming, vec![(ROOM_LOCK, space.at("2026-05-12 11:30"))]);
}

#[test]
fn a2_a_place_filter_hides_locks_of_other_places_and_says_so() {
    let (mut space, ana) = member();
    space.records.location.kisi_place = Some(ANNEX_PLACE);
    let page = access_page(&space.facts(), &kisi(), ana, space.at("2026-05-12 10:00"));
    assert!(page.open_now.is_empty());
    assert!(
        matches!(page.blocked[..], [DenialCause::HiddenByPlaceFilter { .. }]),
        "{:?}",
        page.blocked
    );
    assert_eq!(
        explain_no_locks(&space.facts(), &kisi(), ana, space.at("2026-05-12 10:00")),
        page.blocked
    );
}

#[test]
fn a2_a_place_filter_matching_the_locks_shows_them() {
    let (mut space, ana) = member();
    space.records.location.kisi_place = Some(MAIN_PLACE);
    let page = access_page(&space.facts(), &kisi(), ana, space.at("2026-05-12 10:00"));
    assert_eq!(page.open_now.len(), 1);
}

#[test]
fn a3_a_members_only_page_is_hidden_from_someone_with_only_a_booking() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let room = space.room(1);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 11:00"),
    );
    let page = access_page(&space.facts(), &kisi(), ana, space.at("2026-05-12 10:00"));
    assert!(!page.visible);
    assert_eq!(page.blocked, vec![DenialCause::AccessPageMembersOnly]);
}

#[test]
fn a3_a_public_page_lets_an_invitee_who_is_not_a_member_unlock() {
    let mut space = Space::new("Europe/Berlin");
    space.records.location.access_page_visibility = AccessPageVisibility::Public;
    let ana = space.person(1);
    let guest = space.person(2);
    let room = space.room(1);
    let booking = space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 11:00"),
    );
    space.booking_mut(booking).invitees = [guest].into();
    let page = access_page(&space.facts(), &kisi(), guest, space.at("2026-05-12 10:00"));
    assert!(page.visible);
    let open: Vec<_> = page.open_now.iter().map(|l| l.lock).collect();
    assert_eq!(open, vec![FRONT_DOOR_LOCK, ROOM_LOCK]);
}

#[test]
fn a5_no_locks_is_never_shown_without_a_reason() {
    let mut space = Space::new("Europe/Berlin");
    space.records.location.access_page_visibility = AccessPageVisibility::Public;
    let ana = space.person(1);
    let now = space.at("2026-05-12 10:00");
    let reasons = explain_no_locks(&space.facts(), &kisi(), ana, now);
    assert_eq!(reasons, vec![DenialCause::NoBookingOrSubscription]);
}

#[test]
fn a5_an_empty_group_is_named_on_the_access_page() {
    let (space, ana) = member();
    let mut view = kisi();
    view.groups.get_mut(&FRONT_DOOR).unwrap().locks.clear();
    let reasons = explain_no_locks(&space.facts(), &view, ana, space.at("2026-05-12 10:00"));
    assert!(
        matches!(reasons[..], [DenialCause::GroupHasNoLocks { group, .. }] if group == FRONT_DOOR)
    );
}

#[test]
fn a5_a_reader_restricted_lock_is_listed_with_its_restriction() {
    let (space, ana) = member();
    let mut view = kisi();
    view.locks
        .get_mut(&FRONT_DOOR_LOCK)
        .unwrap()
        .reader_restriction = true;
    let page = access_page(&space.facts(), &view, ana, space.at("2026-05-12 10:00"));
    assert!(matches!(
        page.open_now[0].restriction,
        Some(DenialCause::ReaderRestriction { .. })
    ));
}

#[test]
fn a_door_kisi_reported_locked_down_says_so_with_when_before_it_is_pressed() {
    let (space, ana) = member();
    let mut view = kisi();
    let read_at = space.at("2026-05-12 09:45");
    view.locks.get_mut(&FRONT_DOOR_LOCK).unwrap().state = DoorState {
        online: Some(true),
        locked_down: Some(true),
        read_at: Some(read_at),
    };
    let page = access_page(&space.facts(), &view, ana, space.at("2026-05-12 10:00"));
    let door = &page.open_now[0];
    assert_eq!(
        door.lock, FRONT_DOOR_LOCK,
        "a locked-down door is still listed"
    );
    let Some(cause @ DenialCause::DoorLockedDown { .. }) = &door.door_state else {
        panic!("{:?}", door.door_state);
    };
    assert_eq!(
        cause.to_string(),
        "\"Front door\" is locked down in Kisi, as of Tue 12 May 2026, 09:45 (Berlin time): no one can unlock it until the lockdown is lifted"
    );
    assert!(
        cause.fix().contains("lifts the lockdown"),
        "{}",
        cause.fix()
    );
}

#[test]
fn a_door_kisi_reported_offline_says_so_and_one_it_said_nothing_about_does_not() {
    let (space, ana) = member();
    let mut view = kisi();
    // The adversary: Kisi's docs answer door fields as null. Unknown is not offline.
    view.locks.get_mut(&FRONT_DOOR_LOCK).unwrap().state = DoorState {
        online: None,
        locked_down: None,
        read_at: Some(space.at("2026-05-12 09:45")),
    };
    let page = access_page(&space.facts(), &view, ana, space.at("2026-05-12 10:00"));
    assert_eq!(page.open_now[0].door_state, None);

    view.locks.get_mut(&FRONT_DOOR_LOCK).unwrap().state.online = Some(false);
    let page = access_page(&space.facts(), &view, ana, space.at("2026-05-12 10:00"));
    assert!(
        matches!(
            page.open_now[0].door_state,
            Some(DenialCause::DoorOffline { .. })
        ),
        "{:?}",
        page.open_now[0].door_state
    );
}

// --- Mapping warnings (C4, M8, A4) ---

#[test]
fn a4_a_group_with_app_access_off_warns_on_its_plan_in_plain_words() {
    let (space, _) = member();
    let mut view = kisi();
    view.groups.get_mut(&FRONT_DOOR).unwrap().app_access = Some(false);
    let warnings = mapping_warnings(&space.facts(), &view);
    assert_eq!(
        warnings,
        vec![MappingWarning {
            mapping: Mapping::Plan { plan: PlanId(1) },
            target: group(FRONT_DOOR),
            problem: MappingProblem::AppAccessOff,
        }]
    );
    let words = MappingProblem::AppAccessOff.warning("Front door");
    assert!(
        words.contains("members of this group cannot unlock its doors from Doorlink"),
        "{words}"
    );
    assert!(words.contains("turn on app access"), "{words}");
}

#[test]
fn a4_a_primary_device_group_warns_and_a_deleted_one_warns_only_of_its_deletion() {
    let (space, _) = member();
    let mut view = kisi();
    view.groups
        .get_mut(&FRONT_DOOR)
        .unwrap()
        .primary_device_restriction = Some(true);
    let warnings = mapping_warnings(&space.facts(), &view);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].problem, MappingProblem::PrimaryDeviceOnly);
    assert!(
        MappingProblem::PrimaryDeviceOnly
            .warning("Front door")
            .contains("only from their primary device")
    );

    view.groups.get_mut(&FRONT_DOOR).unwrap().deleted = true;
    let warnings = mapping_warnings(&space.facts(), &view);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].problem, MappingProblem::Orphaned);
}

#[test]
fn a4_flags_kisi_left_null_warn_about_nothing_and_app_access_on_is_quiet() {
    let (space, _) = member();
    let mut view = kisi();
    // `kisi()` has both flags unknown (Kisi's docs show them null).
    assert!(mapping_warnings(&space.facts(), &view).is_empty());
    let front = view.groups.get_mut(&FRONT_DOOR).unwrap();
    front.app_access = Some(true);
    front.primary_device_restriction = Some(false);
    assert!(mapping_warnings(&space.facts(), &view).is_empty());
}

#[test]
fn c4_a_deleted_group_names_every_plan_and_resource_it_breaks() {
    let (mut space, _) = member();
    space.room(1);
    let mut view = kisi();
    view.groups.get_mut(&ROOM_GROUP).unwrap().deleted = true;
    let warnings = mapping_warnings(&space.facts(), &view);
    assert_eq!(
        warnings,
        vec![MappingWarning {
            mapping: Mapping::Resource {
                resource: ResourceId(1)
            },
            target: group(ROOM_GROUP),
            problem: MappingProblem::Orphaned,
        }]
    );
}

#[test]
fn m8_a_group_with_members_doorlink_did_not_add_is_flagged_on_its_plan() {
    let (space, _) = member();
    let mut view = kisi();
    view.groups.get_mut(&FRONT_DOOR).unwrap().foreign_members = 3;
    let warnings = mapping_warnings(&space.facts(), &view);
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].mapping, Mapping::Plan { plan: PlanId(1) });
    assert_eq!(
        warnings[0].problem,
        MappingProblem::SharedGroup { foreign_members: 3 }
    );
}

#[test]
fn a3_a_members_only_page_says_when_a_future_subscription_starts() {
    let (space, ana) = member();
    let page = access_page(&space.facts(), &kisi(), ana, space.at("2026-04-30 12:00"));
    assert!(!page.visible);
    assert!(
        matches!(
            page.blocked[..],
            [
                DenialCause::AccessPageMembersOnly,
                DenialCause::SubscriptionNotStarted { .. }
            ]
        ),
        "{:?}",
        page.blocked
    );
}

#[test]
fn an_invitee_of_a_desk_booking_is_told_only_room_invitees_get_access() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let guest = space.person(2);
    let desk = space.resource(3, ResourceKind::Desk, DoorAccess::groups([FRONT_DOOR]));
    let booking = space.book(
        1,
        desk,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 17:00"),
    );
    space.booking_mut(booking).invitees = [guest].into();
    let denial = cause(&space, &kisi(), guest, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert_eq!(
        denial,
        DenialCause::InviteeOfNonRoomBooking {
            booking,
            resource_name: "Resource 3".into()
        }
    );
}

#[test]
fn a_day_pass_product_without_door_access_is_named() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let product = space.product(5, ProductKind::DayPass, DoorAccess::none());
    space.records.day_passes.push(DayPass {
        id: DayPassId(1),
        person: ana,
        product,
        date: date("2026-05-12"),
    });
    let denial = cause(&space, &kisi(), ana, FRONT_DOOR_LOCK, "2026-05-12 10:00");
    assert_eq!(
        denial,
        DenialCause::NoDoorAccessOnProduct {
            product,
            product_name: "Product 5".into()
        }
    );
}

/// Issue 17, point 4. The adversary: a list that leaks — doors of another Kisi place, or the doors
/// the member already opens. The list is the location's other doors, by name, nothing else.
#[test]
fn a_member_can_ask_about_every_door_of_the_location_they_cannot_open_now() {
    let (mut space, ana) = member();
    let mut view = kisi();
    view.locks.insert(
        KisiLockId(99),
        kisi_lock(KisiLockId(99), "Annex gate", ANNEX_PLACE),
    );
    space.records.location.kisi_place = Some(MAIN_PLACE);
    let doors = doors_not_open_now(&space.facts(), &view, ana, space.at("2026-05-12 10:00"));
    let names: Vec<&str> = doors.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["Office 3", "Room 1"],
        "not the front door she opens, not the annex"
    );
    // Each answers in the member's words through the explainer.
    let room = cause(&space, &view, ana, ROOM_LOCK, "2026-05-12 10:00");
    assert_eq!(
        room.words(Audience::Member).next_step,
        "Ask the front desk if you need it."
    );
}
