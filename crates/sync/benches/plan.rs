//! The pure planner for a whole location of 2,000 members: everything to create (empty mirror)
//! and nothing to do (the mirror already holds every grant), the cost of each full reconcile's
//! comparison.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark: a broken fixture should stop it loudly"
)]

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use doorlink_core::{
    DoorAccess, KisiGroupId, KisiUserId, Location, LocationFacts, LocationId, LocationRecords,
    ManualGrant, ManualGrantId, Person, PersonId, desired_access_for_location,
};
use doorlink_store::{KisiRoleAssignmentId, MirrorAssignment, MirrorUser};
use doorlink_sync::{DirectoryView, MirrorView, plan};

const PEOPLE: i64 = 2000;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
        .unwrap()
        .to_utc()
}

/// 2,000 people, each with an open-ended grant to the members' group and a bounded one to a room.
fn facts() -> LocationFacts {
    let location = Location::new(LocationId(1), "Hive", "Europe/Berlin").unwrap();
    let mut records = LocationRecords::new(location);
    for n in 1..=PEOPLE {
        let person = PersonId(n);
        records
            .people
            .push(Person::new(person, format!("Member {n}"), &format!("m{n}@hive.test")).unwrap());
        let members = ManualGrant::new(
            ManualGrantId(2 * n),
            person,
            DoorAccess::groups([KisiGroupId(1)]),
            now(),
            None,
        )
        .unwrap();
        let room = ManualGrant::new(
            ManualGrantId(2 * n + 1),
            person,
            DoorAccess::groups([KisiGroupId(2)]),
            now(),
            Some(now() + chrono::Duration::hours(2)),
        )
        .unwrap();
        records.manual_grants.extend([members, room]);
    }
    LocationFacts::new(records).unwrap()
}

fn benchmarks(c: &mut Criterion) {
    let facts = facts();
    let desired = desired_access_for_location(&facts, now());
    let directory = DirectoryView::default();
    let empty = MirrorView::default();
    let mut full = MirrorView::default();
    for (n, grant) in desired.assignments.iter().enumerate() {
        full.users.entry(grant.person).or_insert(MirrorUser {
            kisi_user: KisiUserId(grant.person.0),
            kisi_email: format!("m{}@hive.test", grant.person.0),
            confirmed: true,
            owned: true,
        });
        full.assignments.push(MirrorAssignment {
            kisi_id: KisiRoleAssignmentId(i64::try_from(n).unwrap()),
            person: grant.person,
            group: match grant.target {
                doorlink_core::AccessTarget::Group(group) => group,
                doorlink_core::AccessTarget::Lock(_) => unreachable!("groups only"),
            },
            target: grant.target,
            window: grant.window,
        });
    }
    assert_eq!(
        plan(&facts, &desired, &empty, &directory).operations.len(),
        6000
    );
    assert!(plan(&facts, &desired, &full, &directory).is_empty());

    c.bench_function("plan 2000 people, empty mirror", |b| {
        b.iter(|| plan(black_box(&facts), &desired, &empty, &directory));
    });
    c.bench_function("plan 2000 people, nothing to do", |b| {
        b.iter(|| plan(black_box(&facts), &desired, &full, &directory));
    });
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
