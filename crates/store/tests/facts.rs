//! Facts loaded from the store feed core's rules and give the grants the spec expects.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeZone, Utc};
use common::file_store;
use common::space::{FRONT_DOOR, ROOM_LOCK, Space, space};
use doorlink_core::{
    AccessTarget, DisconnectMode, Holder, ItemKind, PaymentStatus, PersonId, Window,
    grants_for_person, merge_grants,
};
use doorlink_store::{NewBooking, NewItem, NewSubscription, Store};

/// Ana: Flex for March 2026 (front door). Bo books Room A on 3 March 12:00-16:00 Berlin and invites
/// Cy. Dee: a member of Acme, which subscribes to Flex. Eve: a day pass on 5 March.
async fn furnished(store: &Store) -> (Space, PersonId, PersonId) {
    let s = space(store).await;
    store
        .subscriptions()
        .create(&NewSubscription {
            location: s.location,
            holder: Holder::Person(s.ana.id),
            start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            end: Some(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
            items: vec![NewItem::inheriting(ItemKind::Plan(s.flex.id))],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Overdue,
        })
        .await
        .unwrap();
    store
        .bookings()
        .create(&NewBooking {
            resource: s.room.id,
            booker: s.bo.id,
            invitees: [s.cy.id].into(),
            start: Utc.with_ymd_and_hms(2026, 3, 3, 11, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 3, 3, 15, 0, 0).unwrap(),
        })
        .await
        .unwrap();
    let dee = store
        .people()
        .create("Dee", "dee@example.com")
        .await
        .unwrap()
        .id;
    let acme = store.companies().create("Acme").await.unwrap();
    store
        .companies()
        .add_member(
            acme.id,
            dee,
            Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
        )
        .await
        .unwrap();
    store
        .subscriptions()
        .create(&NewSubscription {
            location: s.location,
            holder: Holder::Company(acme.id),
            start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            end: None,
            items: vec![NewItem::inheriting(ItemKind::Plan(s.flex.id))],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Paid,
        })
        .await
        .unwrap();
    let eve = store
        .people()
        .create("Eve", "eve@example.com")
        .await
        .unwrap()
        .id;
    store
        .passes()
        .sell_day_pass(
            eve,
            s.day_pass.id,
            NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        )
        .await
        .unwrap();
    (s, dee, eve)
}

fn merged(facts: &doorlink_core::LocationFacts, person: PersonId) -> Vec<(AccessTarget, Window)> {
    merge_grants(&grants_for_person(facts, person))
        .into_iter()
        .map(|m| (m.target, m.window))
        .collect()
}

fn utc(d: u32, h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
}

#[tokio::test]
async fn loaded_facts_give_the_grants_the_rules_expect_for_a_small_space() {
    let (store, _clock, _dir) = file_store().await;
    let (s, dee, eve) = furnished(&store).await;

    let facts = store.load_location_facts(s.location).await.unwrap();

    // R1, R2, R4: 1 March 00:00 CET to 1 April 00:00 CEST, although unpaid.
    let march = Window::new(
        Utc.with_ymd_and_hms(2026, 2, 28, 23, 0, 0).unwrap(),
        Some(utc(31, 22, 0)),
    )
    .unwrap();
    assert_eq!(
        merged(&facts, s.ana.id),
        vec![(AccessTarget::Group(FRONT_DOOR), march)]
    );
    // R6, R7: the seed's example, 12:00-16:00 gives 11:30-16:30, for booker and invitee alike.
    let booking = Window::new(utc(3, 10, 30), Some(utc(3, 15, 30))).unwrap();
    assert_eq!(
        merged(&facts, s.bo.id),
        vec![(AccessTarget::Lock(ROOM_LOCK), booking)]
    );
    assert_eq!(
        merged(&facts, s.cy.id),
        vec![(AccessTarget::Lock(ROOM_LOCK), booking)]
    );
    // R5: a company member gets the company's subscription, open-ended.
    let company = Window::new(Utc.with_ymd_and_hms(2026, 2, 28, 23, 0, 0).unwrap(), None).unwrap();
    assert_eq!(
        merged(&facts, dee),
        vec![(AccessTarget::Group(FRONT_DOOR), company)]
    );
    // R9: a day pass covers its date, 00:00 to 24:00 Berlin.
    let day = Window::new(utc(4, 23, 0), Some(utc(5, 23, 0))).unwrap();
    assert_eq!(
        merged(&facts, eve),
        vec![(AccessTarget::Group(FRONT_DOOR), day)]
    );
}

#[tokio::test]
async fn one_persons_facts_give_the_same_grants_as_the_whole_location() {
    let (store, _clock, _dir) = file_store().await;
    let (s, dee, eve) = furnished(&store).await;
    let whole = store.load_location_facts(s.location).await.unwrap();

    for person in [s.ana.id, s.bo.id, s.cy.id, dee, eve] {
        let own = store.load_person_facts(s.location, person).await.unwrap();
        assert_eq!(
            grants_for_person(&own, person),
            grants_for_person(&whole, person),
            "person {person}"
        );
        assert!(own.records().bookings.len() <= whole.records().bookings.len());
    }
}

#[tokio::test]
async fn a_person_with_nothing_at_the_location_still_has_facts_with_no_grants() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;

    let facts = store.load_person_facts(s.location, s.ana.id).await.unwrap();

    assert_eq!(facts.person(s.ana.id), Some(&s.ana));
    assert!(grants_for_person(&facts, s.ana.id).is_empty());
}

#[tokio::test]
async fn holds_and_disconnections_reach_the_facts() {
    let (store, _clock, _dir) = file_store().await;
    let (s, _, _) = furnished(&store).await;
    store.holds().hold(s.location, s.ana.id).await.unwrap();
    store
        .kisi_disconnections()
        .disconnect_person(s.location, s.bo.id, DisconnectMode::KeepKisiUser)
        .await
        .unwrap();

    let facts = store.load_location_facts(s.location).await.unwrap();

    assert!(facts.hold_of(s.ana.id).is_some());
    assert_eq!(
        facts.disconnection_of(s.bo.id),
        Some(DisconnectMode::KeepKisiUser)
    );
}
