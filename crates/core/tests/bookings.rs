//! R6–R8 (bookings), R12 (union) and R13 (merging).

use crate::common;

use chrono::Duration;
use common::*;
use doorlink_core::*;

fn space_with_room(zone: &str) -> (Space, PersonId, ResourceId) {
    let mut space = Space::new(zone);
    let ana = space.person(1);
    let room = space.room(1);
    (space, ana, room)
}

#[test]
fn r6_booking_noon_to_four_opens_half_past_eleven_to_half_past_four() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    assert_eq!(
        space.windows(ana, group(ROOM_GROUP)),
        vec![(
            space.at("2026-05-12 11:30"),
            Some(space.at("2026-05-12 16:30"))
        )]
    );
}

#[test]
fn r6_booking_half_past_nine_to_half_past_eleven_opens_nine_to_noon() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:30"),
        space.at("2026-05-12 11:30"),
    );
    assert_eq!(
        space.windows(ana, group(ROOM_GROUP)),
        vec![(
            space.at("2026-05-12 09:00"),
            Some(space.at("2026-05-12 12:00"))
        )]
    );
}

#[test]
fn r6_booking_grace_follows_the_location_setting() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    space.records.location.booking_grace = BookingGrace::from_minutes(10).unwrap();
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 13:00"),
    );
    assert_eq!(
        space.windows(ana, group(ROOM_GROUP)),
        vec![(
            space.at("2026-05-12 11:50"),
            Some(space.at("2026-05-12 13:10"))
        )]
    );
}

#[test]
fn r6_a_resource_without_door_access_grants_nothing() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let desk = space.resource(1, ResourceKind::Desk, DoorAccess::none());
    space.book(
        1,
        desk,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    assert!(space.grants(ana).is_empty());
}

#[test]
fn r6_grace_is_elapsed_time_across_the_berlin_spring_forward() {
    // Booking 01:45–03:30 local on 2026-03-29: 00:45Z–01:30Z. Grace is 30 real minutes each side.
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    space.book(
        1,
        room,
        ana,
        utc("2026-03-29T00:45:00Z"),
        utc("2026-03-29T01:30:00Z"),
    );
    assert_eq!(
        space.windows(ana, group(ROOM_GROUP)),
        vec![(
            utc("2026-03-29T00:15:00Z"),
            Some(utc("2026-03-29T02:00:00Z"))
        )]
    );
}

#[test]
fn r6_a_booking_entered_at_a_new_york_wall_clock_time_that_does_not_exist_starts_at_three() {
    // Front desk types 02:30 on 2026-03-08, which New York skips: it means 03:00 EDT.
    let (mut space, ana, room) = space_with_room("America/New_York");
    let start = space.at("2026-03-08 02:30");
    assert_eq!(start, utc("2026-03-08T07:00:00Z"));
    space.book(1, room, ana, start, space.at("2026-03-08 04:00"));
    assert_eq!(
        space.windows(ana, group(ROOM_GROUP)),
        vec![(
            utc("2026-03-08T06:30:00Z"),
            Some(utc("2026-03-08T08:30:00Z"))
        )]
    );
}

#[test]
fn r6_a_booking_over_the_new_york_fall_back_keeps_its_real_length() {
    // 00:30 EDT to 01:30 EST on 2026-11-01 is two real hours.
    let (mut space, ana, room) = space_with_room("America/New_York");
    space.book(
        1,
        room,
        ana,
        utc("2026-11-01T04:30:00Z"),
        utc("2026-11-01T06:30:00Z"),
    );
    let windows = space.windows(ana, group(ROOM_GROUP));
    let (from, until) = windows[0];
    assert_eq!(until.unwrap() - from, Duration::hours(3));
}

#[test]
fn r6_a_booking_in_berlin_during_the_repeated_hour() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    // The first 02:15 (CEST) on 2026-10-25 is 00:15Z.
    let start = space.at("2026-10-25 02:15");
    assert_eq!(start, utc("2026-10-25T00:15:00Z"));
    space.book(1, room, ana, start, start + Duration::hours(2));
    assert!(space.may_use(ana, group(ROOM_GROUP), utc("2026-10-25T02:44:00Z")));
    assert!(!space.may_use(ana, group(ROOM_GROUP), utc("2026-10-25T02:45:00Z")));
}

#[test]
fn r7_invitees_of_a_room_booking_get_the_bookers_window_without_being_members() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    let guest = space.person(2);
    let booking = space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    space.booking_mut(booking).invitees = [guest].into();
    let grants = space.grants(guest);
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].window, space.grants(ana)[0].window);
    assert_eq!(
        grants[0].provenance,
        Provenance::Booking {
            booking,
            resource: room,
            role: BookingRole::Invitee
        }
    );
}

#[test]
fn r7_invitees_of_a_desk_booking_get_nothing() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let guest = space.person(2);
    let desk = space.resource(1, ResourceKind::Desk, DoorAccess::groups([FRONT_DOOR]));
    let booking = space.book(
        1,
        desk,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    space.booking_mut(booking).invitees = [guest].into();
    assert!(space.grants(guest).is_empty());
    assert_eq!(space.grants(ana).len(), 1);
}

#[test]
fn r8_moving_a_booking_moves_its_window() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    let booking = space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 13:00"),
    );
    space.booking_mut(booking).start = space.at("2026-05-13 09:00");
    space.booking_mut(booking).end = space.at("2026-05-13 10:00");
    assert_eq!(
        space.windows(ana, group(ROOM_GROUP)),
        vec![(
            space.at("2026-05-13 08:30"),
            Some(space.at("2026-05-13 10:30"))
        )]
    );
}

#[test]
fn r8_cancelling_a_booking_in_the_middle_revokes_access_from_then_on() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    let booking = space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    let cancelled = space.at("2026-05-12 13:20");
    space.booking_mut(booking).cancelled_at = Some(cancelled);
    assert_eq!(
        space.windows(ana, group(ROOM_GROUP)),
        vec![(space.at("2026-05-12 11:30"), Some(cancelled))]
    );
    let desired = desired_access_for_person(&space.facts(), ana, cancelled);
    assert!(
        desired.assignments.is_empty(),
        "nothing left to write once cancelled"
    );
}

#[test]
fn r8_cancelling_a_future_booking_revokes_all_of_its_access() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    let booking = space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    space.booking_mut(booking).cancelled_at = Some(space.at("2026-05-10 09:00"));
    assert!(space.grants(ana).is_empty());
}

#[test]
fn r8_extending_a_running_booking_keeps_it_open_until_the_new_end() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    let booking = space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 13:00"),
    );
    space.booking_mut(booking).end = space.at("2026-05-12 15:00");
    let desired = desired_access_for_person(&space.facts(), ana, space.at("2026-05-12 12:30"));
    assert_eq!(
        desired.assignments[0].window.until(),
        Some(space.at("2026-05-12 15:30"))
    );
}

#[test]
fn r12_during_a_booking_a_member_opens_both_subscription_and_booking_doors() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    let plan = space.plan(1, DoorAccess::groups([FRONT_DOOR]));
    space.subscribe(1, Holder::Person(ana), plan, "2026-05-01", None);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    let during = space.at("2026-05-12 13:00");
    assert!(space.may_use(ana, group(FRONT_DOOR), during));
    assert!(space.may_use(ana, group(ROOM_GROUP), during));
    let outside = space.at("2026-05-12 18:00");
    assert!(space.may_use(ana, group(FRONT_DOOR), outside));
    assert!(!space.may_use(ana, group(ROOM_GROUP), outside));
}

#[test]
fn r12_union_holds_when_booking_and_subscription_share_a_group() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let room = space.resource(1, ResourceKind::Room, DoorAccess::groups([FRONT_DOOR]));
    let plan = space.plan(1, DoorAccess::groups([FRONT_DOOR]));
    space.subscribe(
        1,
        Holder::Person(ana),
        plan,
        "2026-05-01",
        Some("2026-05-12"),
    );
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 22:00"),
        space.at("2026-05-13 02:00"),
    );
    // The subscription ends at midnight, the booking carries on: one merged window to 02:30.
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(
            space.at("2026-05-01 00:00"),
            Some(space.at("2026-05-13 02:30"))
        )]
    );
}

#[test]
fn r13_back_to_back_bookings_merge_into_one_window() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 10:00"),
    );
    space.book(
        2,
        room,
        ana,
        space.at("2026-05-12 10:00"),
        space.at("2026-05-12 11:00"),
    );
    let merged = merge_grants(&space.grants(ana));
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].window.from(), space.at("2026-05-12 08:30"));
    assert_eq!(merged[0].window.until(), Some(space.at("2026-05-12 11:30")));
    assert_eq!(merged[0].provenances.len(), 2);
}

#[test]
fn r13_bookings_an_hour_apart_also_merge_because_their_grace_periods_touch() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 10:00"),
    );
    space.book(
        2,
        room,
        ana,
        space.at("2026-05-12 11:00"),
        space.at("2026-05-12 12:00"),
    );
    assert_eq!(space.windows(ana, group(ROOM_GROUP)).len(), 1);
}

#[test]
fn r13_bookings_far_apart_stay_two_assignments() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 10:00"),
    );
    space.book(
        2,
        room,
        ana,
        space.at("2026-05-12 14:00"),
        space.at("2026-05-12 15:00"),
    );
    let desired = desired_access_for_person(&space.facts(), ana, space.at("2026-05-12 08:00"));
    assert_eq!(desired.assignments.len(), 2);
}

#[test]
fn r13_grants_to_different_groups_are_never_merged() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    let plan = space.plan(1, DoorAccess::groups([FRONT_DOOR]));
    space.subscribe(1, Holder::Person(ana), plan, "2026-05-01", None);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 10:00"),
    );
    let merged = merge_grants(&space.grants(ana));
    let targets: Vec<_> = merged.iter().map(|g| g.target).collect();
    assert_eq!(targets, vec![group(FRONT_DOOR), group(ROOM_GROUP)]);
}

#[test]
fn a_desired_window_that_started_in_the_past_is_kept_whole() {
    let (mut space, ana, room) = space_with_room("Europe/Berlin");
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 09:00"),
        space.at("2026-05-12 10:00"),
    );
    space.book(
        2,
        room,
        ana,
        space.at("2026-05-12 10:00"),
        space.at("2026-05-12 11:00"),
    );
    let desired = desired_access_for_person(&space.facts(), ana, space.at("2026-05-12 10:45"));
    assert_eq!(desired.assignments.len(), 1);
    assert_eq!(
        desired.assignments[0].window.from(),
        space.at("2026-05-12 08:30")
    );
}
