//! Visitors registered by name and e-mail (issue 17, point 9, R10). The adversaries: two desks
//! registering the same visitor at the same moment, and a day pass cancelled twice.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use chrono::{Duration, NaiveDate};
use common::space::space;
use common::{drain_outbox, file_store, outbox_scopes, people_at};
use doorlink_core::Email;
use doorlink_store::{NewVisitor, StoreError};

#[tokio::test]
async fn two_desks_registering_the_same_email_at_once_make_one_person_and_two_visits() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let email = Email::parse("Vera@Guest.example").unwrap();
    let arrival = clock.now() + Duration::hours(1);
    let visitor = |name: &'static str| NewVisitor {
        name,
        email: &email,
        host: s.ana.id,
        policy: s.guests.id,
        expected_arrival: arrival,
        expected_departure: arrival + Duration::hours(2),
    };
    let (first_desk, second_desk) = (visitor("Vera"), visitor("Vera V."));
    let passes = store.passes();
    let (first, second) = tokio::join!(
        passes.register_visitor(&first_desk),
        passes.register_visitor(&second_desk)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(
        first.visitor.id, second.visitor.id,
        "one person for one e-mail"
    );
    assert_ne!(first.visit.id, second.visit.id);
    assert_eq!(
        [first.visitor_created, second.visitor_created]
            .iter()
            .filter(|created| **created)
            .count(),
        1
    );
    assert_eq!(first.host.unwrap().id, s.ana.id);
    let found = store.people().by_email("vera@guest.example").await.unwrap();
    assert_eq!(found.unwrap().id, first.visitor.id);
}

#[tokio::test]
async fn a_visitor_with_an_unknown_host_writes_nothing() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let email = Email::parse("nobody-yet@guest.example").unwrap();
    let arrival = clock.now() + Duration::hours(1);
    let refused = store
        .passes()
        .register_visitor(&NewVisitor {
            name: "Nobody Yet",
            email: &email,
            host: doorlink_core::PersonId(4242),
            policy: s.guests.id,
            expected_arrival: arrival,
            expected_departure: arrival + Duration::hours(2),
        })
        .await;
    assert!(
        matches!(refused, Err(StoreError::NotFound { .. })),
        "{refused:?}"
    );
    assert!(
        store
            .people()
            .by_email("nobody-yet@guest.example")
            .await
            .unwrap()
            .is_none(),
        "the visitor was created although the visit was refused"
    );
}

#[tokio::test]
async fn a_cancelled_day_pass_is_kept_grants_nothing_and_cannot_be_cancelled_twice() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let date = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let (_, pass) = store
        .passes()
        .sell_day_pass(s.bo.id, s.day_pass.id, date)
        .await
        .unwrap();
    drain_outbox(&store).await;

    let cancelled = store.passes().cancel_day_pass(pass.id).await.unwrap();
    assert!(cancelled.cancelled_at.is_some());
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.bo.id]),
        "the holder is re-evaluated so Kisi loses the access"
    );
    let day = store
        .passes()
        .day_passes_on(s.location, date)
        .await
        .unwrap();
    assert_eq!(day.len(), 1, "the pass is kept");
    assert_eq!(day[0].holder.id, s.bo.id);
    let facts = store.load_location_facts(s.location).await.unwrap();
    assert!(
        facts.day_passes_of(s.bo.id).next().is_none(),
        "a cancelled pass still grants access (R9)"
    );
    let again = store.passes().cancel_day_pass(pass.id).await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
}
