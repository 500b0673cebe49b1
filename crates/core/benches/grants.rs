//! Desired Kisi access for a generated space: 10,000 people, 2,000 companies, 200 resources and
//! 100,000 bookings over one month. Targets: the whole location < 200 ms, one person < 50 µs.
#![allow(
    clippy::unwrap_used,
    reason = "a benchmark fixture: bad data must stop the bench loudly"
)]
#![allow(
    missing_docs,
    unreachable_pub,
    reason = "criterion's macros generate public items"
)]
#![allow(
    clippy::print_stderr,
    reason = "the bench reports the size of the space it measured"
)]

use std::hint::black_box;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use doorlink_core::*;

const PEOPLE: i64 = 10_000;
const COMPANIES: i64 = 2_000;
const RESOURCES: i64 = 200;
const BOOKINGS: i64 = 100_000;
const GROUPS: i64 = 50;
const MONTH_MINUTES: u64 = 30 * 24 * 60;

/// SplitMix64: a tiny deterministic generator, so every run measures the same space.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn id(&mut self, n: i64) -> i64 {
        i64::try_from(self.below(n.unsigned_abs())).unwrap() + 1
    }
}

fn month_start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn generated_space() -> LocationFacts {
    let mut rng = Rng(2026);
    let location = Location::new(LocationId(1), "Bench", "Europe/Berlin").unwrap();
    let mut r = LocationRecords::new(location);
    let first_day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let group = |rng: &mut Rng| KisiGroupId(rng.id(GROUPS));

    for p in 1..=PEOPLE {
        r.people
            .push(Person::new(PersonId(p), "Member", &format!("m{p}@bench.io")).unwrap());
    }
    for plan in 1..=10 {
        let access = DoorAccess::groups([group(&mut rng)]);
        r.plans.push(Plan {
            id: PlanId(plan),
            name: format!("Plan {plan}"),
            door_access: access,
        });
    }
    let kinds = [
        ResourceKind::Room,
        ResourceKind::Desk,
        ResourceKind::Office,
        ResourceKind::Parking,
    ];
    for id in 1..=RESOURCES {
        let kind = kinds[usize::try_from(rng.below(4)).unwrap()];
        let access = DoorAccess::groups([group(&mut rng), group(&mut rng)]);
        r.resources.push(Resource {
            id: ResourceId(id),
            name: format!("Resource {id}"),
            kind,
            door_access: access,
        });
    }
    for c in 1..=COMPANIES {
        r.companies.push(Company {
            id: CompanyId(c),
            name: format!("Company {c}"),
        });
        let item = SubscriptionItem {
            id: SubscriptionItemId(c),
            kind: ItemKind::Plan(PlanId(rng.id(10))),
            access_override: None,
        };
        let start = first_day - Duration::days(i64::try_from(rng.below(365)).unwrap());
        r.subscriptions.push(
            Subscription::new(
                SubscriptionId(c),
                Holder::Company(CompanyId(c)),
                start,
                None,
                vec![item],
            )
            .unwrap(),
        );
    }
    // Half the people work for a company; a third of the others hold their own subscription.
    for p in 1..=PEOPLE {
        if p % 2 == 0 {
            let joined = month_start() - Duration::days(i64::try_from(rng.below(400)).unwrap());
            let membership =
                CompanyMembership::new(PersonId(p), CompanyId(rng.id(COMPANIES)), joined, None)
                    .unwrap();
            r.memberships.push(membership);
        } else if p % 3 == 0 {
            let id = COMPANIES + p;
            let item = SubscriptionItem {
                id: SubscriptionItemId(id),
                kind: ItemKind::Plan(PlanId(rng.id(10))),
                access_override: None,
            };
            let end = Some(first_day + Duration::days(i64::try_from(rng.below(60)).unwrap()));
            r.subscriptions.push(
                Subscription::new(
                    SubscriptionId(id),
                    Holder::Person(PersonId(p)),
                    first_day,
                    end,
                    vec![item],
                )
                .unwrap(),
            );
        }
    }
    for b in 1..=BOOKINGS {
        let start = month_start()
            + Duration::minutes(i64::try_from(rng.below(MONTH_MINUTES) / 15 * 15).unwrap());
        let end = start + Duration::minutes(i64::try_from(30 + rng.below(8) * 30).unwrap());
        let invitees: Vec<PersonId> = (0..rng.below(3))
            .map(|_| PersonId(rng.id(PEOPLE)))
            .collect();
        let booking = Booking::new(
            BookingId(b),
            ResourceId(rng.id(RESOURCES)),
            PersonId(rng.id(PEOPLE)),
            start,
            end,
        )
        .unwrap()
        .with_invitees(invitees);
        r.bookings.push(booking);
    }
    LocationFacts::new(r).unwrap()
}

fn bench_desired_access(c: &mut Criterion) {
    let facts = generated_space();
    let now = month_start() + Duration::days(10);
    let desired = desired_access_for_location(&facts, now);
    eprintln!(
        "generated space: {} people, {} bookings -> {} desired assignments",
        facts.records().people.len(),
        facts.records().bookings.len(),
        desired.assignments.len()
    );

    c.bench_function(
        "desired_access_for_location (10k people, 100k bookings)",
        |b| {
            b.iter(|| desired_access_for_location(black_box(&facts), black_box(now)));
        },
    );
    // An even-numbered person: a company member with about ten own and invited bookings.
    let person = PersonId(4_242);
    c.bench_function("desired_access_for_person (one member)", |b| {
        b.iter(|| desired_access_for_person(black_box(&facts), black_box(person), black_box(now)));
    });
    c.bench_function("grants_for_person (one member, unmerged)", |b| {
        b.iter(|| grants_for_person(black_box(&facts), black_box(person)));
    });
}

fn bench_build_facts(c: &mut Criterion) {
    let records = generated_space().records().clone();
    let mut group = c.benchmark_group("indexing");
    group.sample_size(10);
    group.bench_function("LocationFacts::new (validate + index)", |b| {
        b.iter(|| LocationFacts::new(black_box(records.clone())).unwrap());
    });
    group.finish();
}

criterion_group!(benches, bench_desired_access, bench_build_facts);
criterion_main!(benches);
