//! R1–R5 and M1–M3: subscriptions of people and companies.

use crate::common;

use common::*;
use doorlink_core::*;

fn space_with_plan(zone: &str) -> (Space, PersonId, PlanId) {
    let mut space = Space::new(zone);
    let ana = space.person(1);
    let plan = space.plan(1, DoorAccess::groups([FRONT_DOOR]));
    (space, ana, plan)
}

#[test]
fn r1_subscription_access_starts_at_local_midnight_of_the_start_date() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    space.subscribe(1, Holder::Person(ana), plan, "2026-03-10", None);
    let windows = space.windows(ana, group(FRONT_DOOR));
    assert_eq!(windows, vec![(utc("2026-03-09T23:00:00Z"), None)]);
    assert!(!space.may_use(ana, group(FRONT_DOOR), space.at("2026-03-09 23:59")));
    assert!(space.may_use(ana, group(FRONT_DOOR), space.at("2026-03-10 00:00")));
}

#[test]
fn r1_a_future_subscription_is_written_ahead_with_its_valid_from() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    space.subscribe(1, Holder::Person(ana), plan, "2026-04-01", None);
    let desired = desired_access_for_person(&space.facts(), ana, utc("2026-03-15T12:00:00Z"));
    assert_eq!(desired.assignments.len(), 1);
    assert_eq!(
        desired.assignments[0].window.from(),
        space.at("2026-04-01 00:00")
    );
}

#[test]
fn r2_last_day_of_subscription_is_a_full_day() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    space.subscribe(
        1,
        Holder::Person(ana),
        plan,
        "2026-03-01",
        Some("2026-03-31"),
    );
    let windows = space.windows(ana, group(FRONT_DOOR));
    assert_eq!(
        windows,
        vec![(
            space.at("2026-03-01 00:00"),
            Some(space.at("2026-04-01 00:00"))
        )]
    );
    assert!(space.may_use(ana, group(FRONT_DOOR), space.at("2026-03-31 23:59")));
    assert!(!space.may_use(ana, group(FRONT_DOOR), space.at("2026-04-01 00:00")));
}

#[test]
fn r2_a_subscription_without_end_date_is_open_ended() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    space.subscribe(1, Holder::Person(ana), plan, "2026-03-01", None);
    assert!(space.grants(ana).iter().all(|g| g.window.is_open_ended()));
}

#[test]
fn r3_cancelling_revokes_access_at_the_moment_of_cancellation() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let sub = space.subscribe(
        1,
        Holder::Person(ana),
        plan,
        "2026-03-01",
        Some("2026-12-31"),
    );
    let cancelled = utc("2026-05-12T14:37:00Z");
    space.subscription_mut(sub).cancelled_at = Some(cancelled);
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(space.at("2026-03-01 00:00"), Some(cancelled))]
    );
}

#[test]
fn r3_a_subscription_cancelled_before_it_started_grants_nothing() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let sub = space.subscribe(1, Holder::Person(ana), plan, "2026-06-01", None);
    space.subscription_mut(sub).cancelled_at = Some(utc("2026-05-12T14:37:00Z"));
    assert!(space.grants(ana).is_empty());
}

#[test]
fn r3_an_expired_subscription_is_not_written_to_kisi() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    space.subscribe(
        1,
        Holder::Person(ana),
        plan,
        "2026-01-01",
        Some("2026-01-31"),
    );
    let desired = desired_access_for_person(&space.facts(), ana, utc("2026-02-01T00:00:00Z"));
    assert!(desired.assignments.is_empty());
    let during = desired_access_for_person(&space.facts(), ana, utc("2026-01-31T22:00:00Z"));
    assert_eq!(during.assignments.len(), 1, "the last day is still granted");
}

#[test]
fn r4_an_overdue_invoice_does_not_remove_access() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let sub = space.subscribe(1, Holder::Person(ana), plan, "2026-03-01", None);
    let paid = space.windows(ana, group(FRONT_DOOR));
    space.subscription_mut(sub).payment_status = PaymentStatus::Overdue;
    assert_eq!(space.windows(ana, group(FRONT_DOOR)), paid);
    space.subscription_mut(sub).payment_status = PaymentStatus::Unpaid;
    assert_eq!(space.windows(ana, group(FRONT_DOOR)), paid);
    assert_eq!(paid.len(), 1);
}

#[test]
fn r5_company_subscription_grants_every_member() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let ben = space.person(2);
    let acme = space.company(1);
    space.join(ana, acme, utc("2025-01-01T00:00:00Z"), None);
    space.join(ben, acme, utc("2025-01-01T00:00:00Z"), None);
    space.subscribe(1, Holder::Company(acme), plan, "2026-03-01", None);
    for person in [ana, ben] {
        let grants = space.grants(person);
        assert_eq!(grants.len(), 1);
        assert_eq!(
            grants[0].provenance,
            Provenance::Subscription {
                subscription: SubscriptionId(1),
                item: SubscriptionItemId(10),
                via: SubscriptionVia::CompanyMember(acme),
            }
        );
        assert_eq!(grants[0].window.from(), space.at("2026-03-01 00:00"));
    }
}

#[test]
fn r5_a_member_who_joins_mid_subscription_gains_access_at_once() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let acme = space.company(1);
    space.subscribe(
        1,
        Holder::Company(acme),
        plan,
        "2026-03-01",
        Some("2026-06-30"),
    );
    let joined = utc("2026-04-15T09:12:00Z");
    space.join(ana, acme, joined, None);
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(joined, Some(space.at("2026-07-01 00:00")))]
    );
}

#[test]
fn r5_a_member_who_leaves_mid_subscription_loses_access_at_once() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let acme = space.company(1);
    space.subscribe(1, Holder::Company(acme), plan, "2026-03-01", None);
    let left = utc("2026-04-15T17:45:00Z");
    space.join(ana, acme, utc("2025-06-01T00:00:00Z"), Some(left));
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(space.at("2026-03-01 00:00"), Some(left))]
    );
}

#[test]
fn r5_a_person_who_never_joined_the_company_gets_nothing() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let acme = space.company(1);
    space.subscribe(1, Holder::Company(acme), plan, "2026-03-01", None);
    assert!(space.grants(ana).is_empty());
}

#[test]
fn r5_a_member_who_left_and_rejoined_has_two_windows() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let acme = space.company(1);
    space.subscribe(1, Holder::Company(acme), plan, "2026-03-01", None);
    space.join(
        ana,
        acme,
        utc("2026-03-01T00:00:00Z"),
        Some(utc("2026-04-01T00:00:00Z")),
    );
    space.join(ana, acme, utc("2026-05-01T00:00:00Z"), None);
    let windows = space.windows(ana, group(FRONT_DOOR));
    assert_eq!(
        windows,
        vec![
            (
                utc("2026-03-01T00:00:00Z"),
                Some(utc("2026-04-01T00:00:00Z"))
            ),
            (utc("2026-05-01T00:00:00Z"), None),
        ]
    );
}

#[test]
fn r5_only_named_beneficiaries_get_the_company_subscription() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let ben = space.person(2);
    let acme = space.company(1);
    space.join(ana, acme, utc("2025-01-01T00:00:00Z"), None);
    space.join(ben, acme, utc("2025-01-01T00:00:00Z"), None);
    let sub = space.subscribe(1, Holder::Company(acme), plan, "2026-03-01", None);
    space.subscription_mut(sub).beneficiaries = [ben].into();
    assert!(space.grants(ana).is_empty());
    let grants = space.grants(ben);
    assert_eq!(grants.len(), 1);
    assert!(matches!(
        grants[0].provenance,
        Provenance::Subscription { via: SubscriptionVia::Beneficiary(company), .. } if company == acme
    ));
}

#[test]
fn r5_a_beneficiary_who_is_not_a_company_member_gets_nothing() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let acme = space.company(1);
    let sub = space.subscribe(1, Holder::Company(acme), plan, "2026-03-01", None);
    space.subscription_mut(sub).beneficiaries = [ana].into();
    assert!(space.grants(ana).is_empty());
}

#[test]
fn m1_a_plan_without_door_access_grants_nothing() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let plan = space.plan(1, DoorAccess::none());
    space.subscribe(1, Holder::Person(ana), plan, "2026-03-01", None);
    assert!(space.grants(ana).is_empty());
}

#[test]
fn m2_a_resource_rental_inherits_the_resource_door_access() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let office = space.resource(7, ResourceKind::Office, DoorAccess::groups([OFFICE_GROUP]));
    let item = SubscriptionItem {
        id: SubscriptionItemId(70),
        kind: ItemKind::ResourceRental(office),
        access_override: None,
    };
    let sub = Subscription::new(
        SubscriptionId(1),
        Holder::Person(ana),
        date("2026-03-01"),
        None,
        vec![item],
    )
    .unwrap();
    space.records.subscriptions.push(sub);
    assert_eq!(
        space.windows(ana, group(OFFICE_GROUP)),
        vec![(space.at("2026-03-01 00:00"), None)]
    );
}

#[test]
fn m3_an_item_override_replaces_the_plan_door_access() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let sub = space.subscribe(1, Holder::Person(ana), plan, "2026-03-01", None);
    space.subscription_mut(sub).items[0].access_override = Some(DoorAccess::groups([OFFICE_GROUP]));
    let targets: Vec<_> = space.grants(ana).iter().map(|g| g.target).collect();
    assert_eq!(targets, vec![group(OFFICE_GROUP)]);
}

#[test]
fn m3_an_override_set_to_not_selected_removes_access() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let sub = space.subscribe(1, Holder::Person(ana), plan, "2026-03-01", None);
    space.subscription_mut(sub).items[0].access_override = Some(DoorAccess::none());
    assert!(space.grants(ana).is_empty());
}

#[test]
fn m3_an_override_on_a_running_subscription_is_desired_at_once() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    let sub = space.subscribe(1, Holder::Person(ana), plan, "2026-03-01", None);
    space.subscription_mut(sub).items[0].access_override = Some(DoorAccess::groups([OFFICE_GROUP]));
    let now = space.at("2026-04-10 15:20");
    let desired = desired_access_for_person(&space.facts(), ana, now);
    assert_eq!(desired.assignments.len(), 1);
    assert!(
        desired.assignments[0].window.contains(now),
        "not postponed to the next midnight"
    );
}

#[test]
fn midnight_start_in_auckland_is_the_previous_day_in_utc() {
    let (mut space, ana, plan) = space_with_plan("Pacific/Auckland");
    space.subscribe(
        1,
        Holder::Person(ana),
        plan,
        "2026-07-01",
        Some("2026-07-01"),
    );
    // NZST is UTC+12 in July.
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(
            utc("2026-06-30T12:00:00Z"),
            Some(utc("2026-07-01T12:00:00Z"))
        )]
    );
}

#[test]
fn midnight_start_in_los_angeles_is_the_same_day_in_utc() {
    let (mut space, ana, plan) = space_with_plan("America/Los_Angeles");
    space.subscribe(
        1,
        Holder::Person(ana),
        plan,
        "2026-07-01",
        Some("2026-07-01"),
    );
    // PDT is UTC-7 in July.
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(
            utc("2026-07-01T07:00:00Z"),
            Some(utc("2026-07-02T07:00:00Z"))
        )]
    );
}

#[test]
fn a_subscription_starting_on_berlin_spring_forward_day_starts_at_cet_midnight() {
    let (mut space, ana, plan) = space_with_plan("Europe/Berlin");
    space.subscribe(
        1,
        Holder::Person(ana),
        plan,
        "2026-03-29",
        Some("2026-03-29"),
    );
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(
            utc("2026-03-28T23:00:00Z"),
            Some(utc("2026-03-29T22:00:00Z"))
        )]
    );
}

#[test]
fn a_subscription_ending_on_new_york_fall_back_day_lasts_the_full_25_hour_day() {
    let (mut space, ana, plan) = space_with_plan("America/New_York");
    space.subscribe(
        1,
        Holder::Person(ana),
        plan,
        "2026-11-01",
        Some("2026-11-01"),
    );
    let windows = space.windows(ana, group(FRONT_DOOR));
    assert_eq!(
        windows,
        vec![(
            utc("2026-11-01T04:00:00Z"),
            Some(utc("2026-11-02T05:00:00Z"))
        )]
    );
}

#[test]
fn a_subscription_starting_on_a_santiago_day_without_midnight_starts_at_one_oclock() {
    let (mut space, ana, plan) = space_with_plan("America/Santiago");
    space.subscribe(1, Holder::Person(ana), plan, "2026-09-06", None);
    assert_eq!(
        space.windows(ana, group(FRONT_DOOR)),
        vec![(utc("2026-09-06T04:00:00Z"), None)]
    );
}
