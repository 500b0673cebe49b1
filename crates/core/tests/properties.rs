//! Properties of the rules over random facts: windows are never empty, merging (R13) is idempotent
//! and order-free, and merging never changes who may open what when (R12).
#![allow(
    clippy::unwrap_used,
    reason = "generators: a bad seed must fail loudly"
)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use doorlink_core::*;
use proptest::prelude::*;

const ZONES: [&str; 5] = [
    "Europe/Berlin",
    "America/New_York",
    "Pacific/Auckland",
    "America/Santiago",
    "UTC",
];
const PEOPLE: i64 = 4;
const MINUTES_IN_2026: i64 = 365 * 24 * 60;

fn base() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn instant(minutes: i64) -> DateTime<Utc> {
    base() + Duration::minutes(minutes)
}

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(offset)
}

/// Bits 0–2 pick groups 1–3, bit 3 picks lock 1.
fn access(mask: u8) -> DoorAccess {
    DoorAccess {
        groups: (0..3)
            .filter(|bit| mask & (1 << bit) != 0)
            .map(|bit| KisiGroupId(bit + 1))
            .collect(),
        locks: if mask & 8 != 0 {
            [KisiLockId(1)].into()
        } else {
            Default::default()
        },
    }
}

fn people_in(mask: u8) -> impl Iterator<Item = PersonId> {
    (1..=PEOPLE)
        .filter(move |p| mask & (1 << (p - 1)) != 0)
        .map(PersonId)
}

type SubscriptionSeed = (i64, usize, i64, Option<i64>, Option<i64>, Option<u8>, u8);
type BookingSeed = (usize, i64, u8, i64, i64, Option<i64>);

prop_compose! {
    fn arb_facts()(
        zone in 0..ZONES.len(),
        grace in 0..90i64,
        plan_masks in prop::collection::vec(0..16u8, 2),
        resource_seeds in prop::collection::vec((any::<bool>(), 0..16u8), 3),
        pass_mask in 0..16u8,
        memberships in prop::collection::vec((1..=PEOPLE, 1..=2i64, 0..MINUTES_IN_2026, prop::option::of(1..100_000i64)), 0..5),
        subscriptions in prop::collection::vec(
            (-2..=PEOPLE, 0..2usize, 0..365i64, prop::option::of(0..90i64), prop::option::of(0..MINUTES_IN_2026), prop::option::of(0..16u8), 0..16u8),
            0..5,
        ),
        bookings in prop::collection::vec(
            (0..3usize, 1..=PEOPLE, 0..16u8, 0..MINUTES_IN_2026, 15..600i64, prop::option::of(-600..600i64)),
            0..10,
        ),
        passes in prop::collection::vec((1..=PEOPLE, 0..365i64), 0..3),
        manual in prop::collection::vec((1..=PEOPLE, 0..16u8, 0..MINUTES_IN_2026, prop::option::of(1..50_000i64)), 0..3),
    ) -> LocationFacts {
        build(zone, grace, &plan_masks, &resource_seeds, pass_mask, &memberships, &subscriptions, &bookings, &passes, &manual)
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "one argument per family of generated facts"
)]
fn build(
    zone: usize,
    grace: i64,
    plan_masks: &[u8],
    resource_seeds: &[(bool, u8)],
    pass_mask: u8,
    memberships: &[(i64, i64, i64, Option<i64>)],
    subscriptions: &[SubscriptionSeed],
    bookings: &[BookingSeed],
    passes: &[(i64, i64)],
    manual: &[(i64, u8, i64, Option<i64>)],
) -> LocationFacts {
    let location = Location::new(LocationId(1), "Random", ZONES[zone])
        .unwrap()
        .with_booking_grace(BookingGrace::from_minutes(grace).unwrap());
    let mut r = LocationRecords::new(location);
    for p in 1..=PEOPLE {
        r.people
            .push(Person::new(PersonId(p), "P", &format!("p{p}@x.io")).unwrap());
    }
    for (i, &mask) in plan_masks.iter().enumerate() {
        r.plans.push(Plan {
            id: PlanId(i as i64),
            name: "plan".into(),
            door_access: access(mask),
        });
    }
    for (i, &(room, mask)) in resource_seeds.iter().enumerate() {
        let kind = if room {
            ResourceKind::Room
        } else {
            ResourceKind::Desk
        };
        r.resources.push(Resource {
            id: ResourceId(i as i64),
            name: "r".into(),
            kind,
            door_access: access(mask),
        });
    }
    r.products.push(Product {
        id: ProductId(1),
        name: "pass".into(),
        kind: ProductKind::DayPass,
        door_access: access(pass_mask),
    });
    for c in 1..=2 {
        r.companies.push(Company {
            id: CompanyId(c),
            name: "c".into(),
        });
    }
    for &(person, company, joined, stay) in memberships {
        let joined_at = instant(joined);
        let left_at = stay.map(|m| joined_at + Duration::minutes(m));
        r.memberships.push(
            CompanyMembership::new(PersonId(person), CompanyId(company), joined_at, left_at)
                .unwrap(),
        );
    }
    for (i, &(holder, plan, start, length, cancel, item_override, beneficiaries)) in
        subscriptions.iter().enumerate()
    {
        // Holders -2..=0 are the two companies, 1..=PEOPLE are people.
        let holder = if holder >= 1 {
            Holder::Person(PersonId(holder))
        } else {
            Holder::Company(CompanyId(-holder % 2 + 1))
        };
        let item = SubscriptionItem {
            id: SubscriptionItemId(i as i64),
            kind: ItemKind::Plan(PlanId(plan as i64)),
            access_override: item_override.map(access),
        };
        let mut s = Subscription::new(
            SubscriptionId(i as i64),
            holder,
            day(start),
            length.map(|l| day(start + l)),
            vec![item],
        )
        .unwrap();
        s.cancelled_at = cancel.map(instant);
        if matches!(holder, Holder::Company(_)) {
            s.beneficiaries = people_in(beneficiaries).collect();
        }
        r.subscriptions.push(s);
    }
    for (i, &(resource, booker, invitees, start, length, cancel)) in bookings.iter().enumerate() {
        let (start, end) = (instant(start), instant(start) + Duration::minutes(length));
        let mut b = Booking::new(
            BookingId(i as i64),
            ResourceId(resource as i64),
            PersonId(booker),
            start,
            end,
        )
        .unwrap()
        .with_invitees(people_in(invitees));
        b.cancelled_at = cancel.map(|offset| start + Duration::minutes(offset));
        r.bookings.push(b);
    }
    for (i, &(person, date)) in passes.iter().enumerate() {
        r.day_passes.push(DayPass {
            id: DayPassId(i as i64),
            person: PersonId(person),
            product: ProductId(1),
            date: day(date),
        });
    }
    for (i, &(person, mask, start, length)) in manual.iter().enumerate() {
        let starts_at = instant(start);
        let ends_at = length.map(|m| starts_at + Duration::minutes(m));
        r.manual_grants.push(
            ManualGrant::new(
                ManualGrantId(i as i64),
                PersonId(person),
                access(mask),
                starts_at,
                ends_at,
            )
            .unwrap(),
        );
    }
    LocationFacts::new(r).unwrap()
}

fn all_grants(facts: &LocationFacts) -> Vec<Grant> {
    (1..=PEOPLE)
        .flat_map(|p| grants_for_person(facts, PersonId(p)))
        .collect()
}

fn targets() -> Vec<AccessTarget> {
    let mut targets: Vec<_> = (1..=3)
        .map(|g| AccessTarget::Group(KisiGroupId(g)))
        .collect();
    targets.push(AccessTarget::Lock(KisiLockId(1)));
    targets
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_grant_window_starts_before_it_ends(facts in arb_facts()) {
        for grant in all_grants(&facts) {
            if let Some(until) = grant.window.until() {
                prop_assert!(grant.window.from() < until, "{grant:?}");
            }
        }
    }

    #[test]
    fn merging_is_idempotent(facts in arb_facts()) {
        let merged = merge_grants(&all_grants(&facts));
        prop_assert_eq!(merge(merged.clone()), merged);
    }

    #[test]
    fn merging_does_not_depend_on_the_order_of_grants(facts in arb_facts(), keys in prop::collection::vec(any::<u32>(), 64)) {
        let grants = all_grants(&facts);
        let mut shuffled: Vec<(u32, Grant)> = grants
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, g)| (keys[i % keys.len()].wrapping_add(i as u32), g))
            .collect();
        shuffled.sort_by_key(|(key, _)| *key);
        let shuffled: Vec<Grant> = shuffled.into_iter().map(|(_, g)| g).collect();
        prop_assert_eq!(merge_grants(&shuffled), merge_grants(&grants));
    }

    #[test]
    fn merged_windows_of_one_target_never_overlap_or_touch(facts in arb_facts()) {
        let merged = merge_grants(&all_grants(&facts));
        for pair in merged.windows(2) {
            if pair[0].person == pair[1].person && pair[0].target == pair[1].target {
                prop_assert!(!pair[0].window.overlaps_or_touches(&pair[1].window), "{pair:?}");
            }
        }
    }

    #[test]
    fn may_open_is_the_same_on_raw_and_merged_grants(
        facts in arb_facts(),
        instants in prop::collection::vec(-1440..MINUTES_IN_2026 + 100 * 1440, 24),
    ) {
        let grants = all_grants(&facts);
        let merged = merge_grants(&grants);
        for t in instants.into_iter().map(instant) {
            for person in (1..=PEOPLE).map(PersonId) {
                for target in targets() {
                    let raw = grants.iter().any(|g| g.person == person && g.target == target && g.window.contains(t));
                    prop_assert_eq!(raw, may_open_target_at(&merged, person, target, t));
                }
            }
        }
    }

    #[test]
    fn desired_assignments_are_merged_grants_that_have_not_ended(
        facts in arb_facts(),
        now in 0..MINUTES_IN_2026,
    ) {
        let now = instant(now);
        let desired = desired_access_for_location(&facts, now);
        let expected: Vec<MergedGrant> = merge_grants(
            &all_grants(&facts).into_iter().filter(|g| !g.provenance.is_visit()).collect::<Vec<_>>(),
        )
        .into_iter()
        .filter(|g| !g.window.has_ended_by(now))
        .collect();
        prop_assert_eq!(desired.assignments, expected);
    }

    #[test]
    fn a_local_midnight_is_never_before_the_previous_one_plus_22_hours(zone in 0..ZONES.len(), offset in 0..365i64) {
        let tz: chrono_tz::Tz = ZONES[zone].parse().unwrap();
        let length = local_midnight(tz, day(offset + 1)) - local_midnight(tz, day(offset));
        prop_assert!(length >= Duration::hours(22) && length <= Duration::hours(26), "{length:?}");
    }
}
