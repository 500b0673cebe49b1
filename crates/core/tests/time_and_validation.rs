//! Resolving wall-clock times across daylight-saving changes, windows, and construction errors.

use crate::common;

use chrono::{Duration, NaiveDate};
use common::*;
use doorlink_core::*;

#[test]
fn a_wall_clock_time_in_the_berlin_spring_forward_gap_resolves_to_the_end_of_the_gap() {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    let at = resolve_local(zone("Europe/Berlin"), wall("2026-03-29 02:30"));
    assert_eq!(at, utc("2026-03-29T01:00:00Z"));
}

#[test]
fn an_ambiguous_berlin_fall_back_time_resolves_to_the_earlier_instant() {
    // 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
    let at = resolve_local(zone("Europe/Berlin"), wall("2026-10-25 02:30"));
    assert_eq!(at, utc("2026-10-25T00:30:00Z"));
}

#[test]
fn a_new_york_spring_forward_gap_time_resolves_to_three_oclock_daylight_time() {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    let at = resolve_local(zone("America/New_York"), wall("2026-03-08 02:15"));
    assert_eq!(at, utc("2026-03-08T07:00:00Z"));
}

#[test]
fn an_ambiguous_new_york_fall_back_time_resolves_to_the_daylight_time_instant() {
    // 2026-11-01: 02:00 EDT goes back to 01:00 EST; 01:30 happens twice.
    let at = resolve_local(zone("America/New_York"), wall("2026-11-01 01:30"));
    assert_eq!(at, utc("2026-11-01T05:30:00Z"));
}

#[test]
fn a_midnight_that_does_not_exist_in_santiago_resolves_to_one_oclock() {
    // Chile starts daylight time on 2026-09-06: 00:00 -04 jumps to 01:00 -03.
    let midnight = local_midnight(
        zone("America/Santiago"),
        NaiveDate::from_ymd_opt(2026, 9, 6).unwrap(),
    );
    assert_eq!(midnight, utc("2026-09-06T04:00:00Z"));
    assert_eq!(
        format_local(zone("America/Santiago"), midnight),
        "Sun 6 Sep 2026, 01:00 (Santiago time)"
    );
}

#[test]
fn the_local_day_on_a_spring_forward_date_is_twenty_three_hours_long() {
    let berlin = zone("Europe/Berlin");
    let day = date("2026-03-29");
    let length = end_of_local_day(berlin, day) - local_midnight(berlin, day);
    assert_eq!(length, Duration::hours(23));
}

#[test]
fn a_window_is_half_open() {
    let window = Window::new(
        utc("2026-01-01T10:00:00Z"),
        Some(utc("2026-01-01T11:00:00Z")),
    )
    .unwrap();
    assert!(window.contains(utc("2026-01-01T10:00:00Z")));
    assert!(window.contains(utc("2026-01-01T10:59:59Z")));
    assert!(!window.contains(utc("2026-01-01T11:00:00Z")));
    assert!(!window.contains(utc("2026-01-01T09:59:59Z")));
}

#[test]
fn an_open_ended_window_contains_every_later_instant() {
    let window = Window::starting(utc("2026-01-01T10:00:00Z"));
    assert!(window.is_open_ended());
    assert!(window.contains(utc("2999-01-01T00:00:00Z")));
    assert!(!window.has_ended_by(utc("2999-01-01T00:00:00Z")));
}

#[test]
fn a_window_that_ends_at_or_before_its_start_is_refused_naming_until() {
    let from = utc("2026-01-01T10:00:00Z");
    for until in [from, from - Duration::minutes(1)] {
        let error = Window::new(from, Some(until)).unwrap_err();
        assert!(
            matches!(
                error,
                ValidationError::EndNotAfterStart { field: "until", .. }
            ),
            "{error:?}"
        );
    }
}

#[test]
fn a_deserialised_window_is_validated_too() {
    let json = r#"{"from":"2026-01-01T10:00:00Z","until":"2026-01-01T09:00:00Z"}"#;
    assert!(serde_json::from_str::<Window>(json).is_err());
    let json = r#"{"from":"2026-01-01T10:00:00Z","until":null}"#;
    assert!(
        serde_json::from_str::<Window>(json)
            .unwrap()
            .is_open_ended()
    );
}

#[test]
fn windows_that_touch_overlap_or_are_apart_are_told_apart() {
    let a = Window::bounded(utc("2026-01-01T10:00:00Z"), utc("2026-01-01T11:00:00Z")).unwrap();
    let touching =
        Window::bounded(utc("2026-01-01T11:00:00Z"), utc("2026-01-01T12:00:00Z")).unwrap();
    let apart = Window::bounded(utc("2026-01-01T11:01:00Z"), utc("2026-01-01T12:00:00Z")).unwrap();
    assert!(a.overlaps_or_touches(&touching));
    assert!(touching.overlaps_or_touches(&a));
    assert!(!a.overlaps_or_touches(&apart));
    assert_eq!(a.intersect(&touching), None);
    assert_eq!(
        a.hull(&touching),
        Window::bounded(a.from(), utc("2026-01-01T12:00:00Z")).unwrap()
    );
}

#[test]
fn an_unknown_time_zone_is_refused_naming_the_field() {
    let error = Location::new(LocationId(1), "Main", "Mars/Olympus").unwrap_err();
    assert_eq!(
        error,
        ValidationError::UnknownTimeZone {
            field: "time_zone",
            value: "Mars/Olympus".into()
        }
    );
    assert!(error.to_string().contains("IANA"));
}

#[test]
fn a_time_zone_typed_by_a_person_is_parsed_once_by_its_iana_name() {
    // The hostile inputs an admin form or a hand-made request sends: blanks around a good name, a
    // misspelling, a city without its region, an empty field.
    let zone: TimeZone = " Europe/Berlin ".parse().unwrap();
    assert_eq!(zone.name(), "Europe/Berlin");
    assert_eq!(zone.tz(), self::zone("Europe/Berlin"));
    assert_eq!(
        TimeZone::try_from("America/New_York").unwrap().name(),
        "America/New_York"
    );
    for typed in ["Europe/Berlinn", "Berlin", ""] {
        let error = typed.parse::<TimeZone>().unwrap_err();
        assert_eq!(
            error,
            ValidationError::UnknownTimeZone {
                field: "time_zone",
                value: typed.into()
            }
        );
        assert!(error.to_string().starts_with("time_zone "), "{error}");
    }
}

#[test]
fn a_visit_whose_departure_is_not_after_its_arrival_is_refused_before_the_visitor_exists() {
    let arrival = utc("2026-03-02T09:00:00Z");
    assert!(Visit::check_times(arrival, arrival + Duration::hours(2)).is_ok());
    for departure in [arrival, arrival - Duration::minutes(1)] {
        let error = Visit::check_times(arrival, departure).unwrap_err();
        assert!(
            matches!(
                error,
                ValidationError::EndNotAfterStart {
                    field: "expected_departure",
                    ..
                }
            ),
            "{error}"
        );
    }
}

#[test]
fn a_grace_outside_zero_to_four_hours_is_refused() {
    assert_eq!(
        BookingGrace::from_minutes(-5).unwrap_err(),
        ValidationError::GraceOutOfRange {
            field: "booking_grace_minutes",
            minutes: -5,
            max: 240
        }
    );
    assert!(BookingGrace::from_minutes(241).is_err());
    assert!(BookingGrace::from_minutes(i64::MAX).is_err());
    assert_eq!(BookingGrace::from_minutes(240).unwrap().minutes(), 240);
    assert_eq!(BookingGrace::from_minutes(0).unwrap().minutes(), 0);
    assert_eq!(BookingGrace::default().minutes(), 30);
    assert!(serde_json::from_str::<BookingGrace>("-1").is_err());
}

#[test]
fn an_email_is_trimmed_and_case_insensitive() {
    let a = Email::parse("  Ana.Lopez@Example.COM ").unwrap();
    let b = Email::parse("ana.lopez@example.com").unwrap();
    assert_eq!(a, b);
    assert_eq!(a.as_str(), "ana.lopez@example.com");
}

#[test]
fn an_empty_email_or_one_without_at_is_refused() {
    assert_eq!(
        Email::parse("   ").unwrap_err(),
        ValidationError::EmptyEmail { field: "email" }
    );
    assert!(matches!(
        Email::parse("ana.example.com").unwrap_err(),
        ValidationError::EmailWithoutAt { field: "email", .. }
    ));
    assert!(serde_json::from_str::<Email>("\"nobody\"").is_err());
}

#[test]
fn a_hostile_or_half_email_is_refused_without_repeating_it() {
    let huge = format!("{}@example.com", "a".repeat(2_000_000));
    let error = Email::parse(&huge).unwrap_err();
    assert!(matches!(
        error,
        ValidationError::MalformedEmail { field: "email", .. }
    ));
    assert!(
        error.to_string().len() < 200,
        "the refusal does not echo the input"
    );
    for nonsense in [
        "@",
        "a@",
        "@example.com",
        "a@b@c",
        "ana@example.com\r\nBcc: x@y.z",
        "a b@c.d",
        "a@.com",
        "a@com.",
    ] {
        assert!(Email::parse(nonsense).is_err(), "{nonsense:?} was accepted");
    }
    let longest = format!("{}@example.com", "a".repeat(Email::MAX_CHARS - 12));
    assert!(Email::parse(&longest).is_ok());
    assert!(Email::parse(&format!("a{longest}")).is_err());
}

#[test]
fn a_subscription_ending_before_it_starts_is_refused_but_a_one_day_subscription_is_fine() {
    let holder = Holder::Person(PersonId(1));
    let error = Subscription::new(
        SubscriptionId(1),
        holder,
        date("2026-03-10"),
        Some(date("2026-03-09")),
        vec![],
    )
    .unwrap_err();
    assert!(matches!(
        error,
        ValidationError::EndDateBeforeStartDate { field: "end", .. }
    ));
    assert!(
        Subscription::new(
            SubscriptionId(1),
            holder,
            date("2026-03-10"),
            Some(date("2026-03-10")),
            vec![]
        )
        .is_ok()
    );
}

#[test]
fn a_booking_ending_before_it_starts_is_refused() {
    let error = Booking::new(
        BookingId(1),
        ResourceId(1),
        PersonId(1),
        utc("2026-03-10T12:00:00Z"),
        utc("2026-03-10T11:00:00Z"),
    )
    .unwrap_err();
    assert!(matches!(
        error,
        ValidationError::EndNotAfterStart { field: "end", .. }
    ));
}

#[test]
fn a_visit_or_manual_grant_ending_before_it_starts_is_refused() {
    let (start, end) = (utc("2026-03-10T12:00:00Z"), utc("2026-03-10T11:00:00Z"));
    let visit = Visit::new(VisitId(1), PersonId(1), VisitorPolicyId(1), start, end).unwrap_err();
    assert!(matches!(
        visit,
        ValidationError::EndNotAfterStart {
            field: "expected_departure",
            ..
        }
    ));
    let grant = ManualGrant::new(
        ManualGrantId(1),
        PersonId(1),
        DoorAccess::none(),
        start,
        Some(end),
    )
    .unwrap_err();
    assert!(matches!(
        grant,
        ValidationError::EndNotAfterStart {
            field: "ends_at",
            ..
        }
    ));
}

#[test]
fn a_membership_that_ends_before_it_begins_is_refused() {
    let error = CompanyMembership::new(
        PersonId(1),
        CompanyId(1),
        utc("2026-03-10T12:00:00Z"),
        Some(utc("2026-03-10T12:00:00Z")),
    )
    .unwrap_err();
    assert!(matches!(
        error,
        ValidationError::EndNotAfterStart {
            field: "left_at",
            ..
        }
    ));
}

#[test]
fn beneficiaries_are_refused_on_a_personal_subscription() {
    let subscription = Subscription::new(
        SubscriptionId(7),
        Holder::Person(PersonId(1)),
        date("2026-03-10"),
        None,
        vec![],
    )
    .unwrap();
    let error = subscription.with_beneficiaries([PersonId(2)]).unwrap_err();
    assert_eq!(
        error,
        ValidationError::BeneficiariesOnPersonalSubscription {
            field: "beneficiaries",
            subscription: 7
        }
    );
}

#[test]
fn facts_refuse_a_booking_of_a_resource_the_location_does_not_have() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    space.records.bookings.push(
        Booking::new(
            BookingId(1),
            ResourceId(99),
            ana,
            utc("2026-03-10T12:00:00Z"),
            utc("2026-03-10T13:00:00Z"),
        )
        .unwrap(),
    );
    let error = LocationFacts::new(space.records).unwrap_err();
    assert_eq!(
        error,
        ValidationError::UnknownReference {
            field: "bookings.resource",
            kind: "resource",
            id: 99
        }
    );
}

#[test]
fn ids_are_bare_integers_on_the_wire() {
    assert_eq!(serde_json::to_string(&PersonId(42)).unwrap(), "42");
    assert_eq!(
        serde_json::from_str::<KisiGroupId>("7").unwrap(),
        KisiGroupId(7)
    );
}

#[test]
fn facts_refuse_two_people_with_one_id() {
    let mut space = Space::new("Europe/Berlin");
    space.person(1);
    space.person(1);
    let error = LocationFacts::new(space.records).unwrap_err();
    assert_eq!(
        error,
        ValidationError::DuplicateId {
            field: "people.id",
            id: 1
        }
    );
}

#[test]
fn desired_access_survives_a_round_trip_through_json() {
    let mut space = Space::new("Europe/Berlin");
    let ana = space.person(1);
    let room = space.room(1);
    space.book(
        1,
        room,
        ana,
        space.at("2026-05-12 12:00"),
        space.at("2026-05-12 16:00"),
    );
    let desired = desired_access_for_person(&space.facts(), ana, space.at("2026-05-12 08:00"));
    let json = serde_json::to_string(&desired).unwrap();
    assert_eq!(
        serde_json::from_str::<DesiredAccess>(&json).unwrap(),
        desired
    );
    let records = serde_json::to_string(&space.records).unwrap();
    assert_eq!(
        serde_json::from_str::<LocationRecords>(&records).unwrap(),
        space.records
    );
}

#[test]
fn a_gap_time_with_seconds_still_resolves_to_the_exact_end_of_the_gap() {
    let with_seconds =
        chrono::NaiveDateTime::parse_from_str("2026-03-29 02:30:15", "%Y-%m-%d %H:%M:%S").unwrap();
    assert_eq!(
        resolve_local(zone("Europe/Berlin"), with_seconds),
        utc("2026-03-29T01:00:00Z")
    );
}
