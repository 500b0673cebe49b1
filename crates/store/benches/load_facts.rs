//! What the sync worker pays per outbox entry and per full reconcile: loading one person's facts and
//! a whole location's facts from SQLite into core, and one booking write with its outbox entries.
//!
//! The space: 1,000 people; 600 personal Flex subscriptions; 4 companies of 50 members each with a
//! company subscription; 2,000 bookings of 10 rooms with two invitees each; 300 day passes.

#![allow(
    clippy::expect_used,
    reason = "a benchmark whose setup fails should stop loudly"
)]

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use doorlink_core::{
    DoorAccess, Holder, ItemKind, KisiGroupId, KisiLockId, LocationId, PaymentStatus, PersonId,
    ProductKind, ResourceKind,
};
use doorlink_store::{NewBooking, NewItem, NewLocation, NewSubscription, Store};

const PEOPLE: usize = 1_000;

async fn furnished_space() -> (
    Store,
    LocationId,
    Vec<PersonId>,
    Vec<doorlink_core::ResourceId>,
) {
    let store = Store::open_in_memory().await.expect("store");
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .expect("location")
        .id;
    let catalog = store.catalog();
    let front = DoorAccess::groups([KisiGroupId(1)]);
    let flex = catalog
        .create_plan(location, "Flex", &front)
        .await
        .expect("plan");
    let day_pass = catalog
        .create_product(location, "Day pass", ProductKind::DayPass, &front)
        .await
        .expect("product");
    let mut rooms = Vec::new();
    for room in 0..10 {
        let access = DoorAccess::locks([KisiLockId(100 + room)]);
        let name = format!("Room {room}");
        let resource = catalog
            .create_resource(location, &name, ResourceKind::Room, &access)
            .await
            .expect("room");
        rooms.push(resource.id);
    }
    let mut people = Vec::with_capacity(PEOPLE);
    for i in 0..PEOPLE {
        let email = format!("member{i}@example.com");
        let person = store
            .people()
            .create(&format!("Member {i}"), &email)
            .await
            .expect("person");
        people.push(person.id);
    }
    let march = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let subscription = |holder| NewSubscription {
        location,
        holder,
        start: march,
        end: None,
        items: vec![NewItem::inheriting(ItemKind::Plan(flex.id))],
        beneficiaries: BTreeSet::new(),
        payment_status: PaymentStatus::Paid,
    };
    for &person in &people[..600] {
        store
            .subscriptions()
            .create(&subscription(Holder::Person(person)))
            .await
            .expect("subscription");
    }
    for c in 0..4 {
        let company = store
            .companies()
            .create(&format!("Company {c}"))
            .await
            .expect("company");
        for &member in &people[600 + c * 50..650 + c * 50] {
            store
                .companies()
                .add_member(company.id, member, None)
                .await
                .expect("member");
        }
        store
            .subscriptions()
            .create(&subscription(Holder::Company(company.id)))
            .await
            .expect("company subscription");
    }
    let first = Utc
        .with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
        .single()
        .expect("time");
    for b in 0..2_000 {
        // Back to back in each room: a room is never booked twice at once (bookings refuse it).
        let slot = i64::try_from(b / rooms.len()).expect("small");
        let start = first + Duration::hours(2 * slot);
        store
            .bookings()
            .create(&NewBooking {
                resource: rooms[b % rooms.len()],
                booker: people[b % PEOPLE],
                invitees: [people[(b + 1) % PEOPLE], people[(b + 2) % PEOPLE]].into(),
                start,
                end: start + Duration::hours(2),
            })
            .await
            .expect("booking");
    }
    for (d, &person) in people[700..].iter().enumerate() {
        let date = march + Duration::days(i64::try_from(d % 28).expect("small"));
        store
            .passes()
            .sell_day_pass(person, day_pass.id, date)
            .await
            .expect("day pass");
    }
    (store, location, people, rooms)
}

fn load_facts(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let (store, location, people, rooms) = runtime.block_on(furnished_space());

    let mut group = c.benchmark_group("store");
    group.sample_size(20);
    group.bench_function("load_location_facts_1000_people", |b| {
        b.to_async(&runtime).iter(|| async {
            store
                .load_location_facts(location)
                .await
                .expect("location facts")
        });
    });
    group.bench_function("load_person_facts", |b| {
        b.to_async(&runtime).iter(|| async {
            store
                .load_person_facts(location, people[42])
                .await
                .expect("person facts")
        });
    });
    let start = Utc
        .with_ymd_and_hms(2026, 4, 1, 9, 0, 0)
        .single()
        .expect("time");
    // Each iteration books the next free hour: the same room twice at once is refused.
    let hour = std::sync::atomic::AtomicI64::new(0);
    group.bench_function("create_booking_with_two_invitees_and_outbox", |b| {
        b.to_async(&runtime).iter(|| async {
            let start =
                start + Duration::hours(hour.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
            store
                .bookings()
                .create(&NewBooking {
                    resource: rooms[0],
                    booker: people[1],
                    invitees: [people[2], people[3]].into(),
                    start,
                    end: start + Duration::hours(1),
                })
                .await
                .expect("booking")
        });
    });
    group.finish();
}

criterion_group!(benches, load_facts);
criterion_main!(benches);
