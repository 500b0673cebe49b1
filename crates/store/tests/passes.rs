//! Day passes (R9), visits (R10), manual grants (R11).

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use chrono::{Duration, NaiveDate};
use common::space::space;
use common::{drain_outbox, file_store, outbox_scopes, people_at};
use doorlink_core::{DoorAccess, KisiGroupId, ProductKind};
use doorlink_store::StoreError;

#[tokio::test]
async fn a_day_pass_round_trips_and_only_a_day_pass_product_can_be_sold() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let service = store
        .catalog()
        .create_product(
            s.location,
            "Locker",
            ProductKind::Service,
            &DoorAccess::none(),
        )
        .await
        .unwrap();
    drain_outbox(&store).await;
    let date = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();

    let (location, pass) = store
        .passes()
        .sell_day_pass(s.bo.id, s.day_pass.id, date)
        .await
        .unwrap();

    assert_eq!(location, s.location);
    assert_eq!(
        store.passes().day_passes_of(s.bo.id).await.unwrap(),
        vec![pass.clone()]
    );
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.bo.id])
    );
    let refused = store
        .passes()
        .sell_day_pass(s.bo.id, service.id, date)
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::Invalid {
            field: "product",
            ..
        })
    ));

    store.passes().delete_day_pass(pass.id).await.unwrap();
    assert!(
        store
            .passes()
            .day_passes_of(s.bo.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_visit_round_trips_and_cancelling_stamps_now() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let arrival = clock.now() + Duration::hours(2);

    let (_, visit) = store
        .passes()
        .create_visit(s.cy.id, s.guests.id, arrival, arrival + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        store.passes().visits_of(s.cy.id).await.unwrap(),
        vec![visit.clone()]
    );

    let cancelled = store.passes().cancel_visit(visit.id, None).await.unwrap();
    assert_eq!(cancelled.cancelled_at, Some(clock.now()));
}

#[tokio::test]
async fn a_manual_grant_round_trips_its_door_access_and_can_be_ended() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;
    let access = DoorAccess::groups([KisiGroupId(7)]);
    let start = clock.now() - Duration::days(1);

    let grant = store
        .passes()
        .create_manual_grant(s.location, s.ana.id, &access, start, None)
        .await
        .unwrap();
    assert_eq!(
        store.passes().manual_grants_of(s.ana.id).await.unwrap(),
        vec![(s.location, grant.clone())]
    );
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id])
    );

    let ended = store
        .passes()
        .end_manual_grant(grant.id, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ended.ends_at, Some(clock.now()));
    assert_eq!(ended.door_access, access);
}

#[tokio::test]
async fn ending_a_manual_grant_that_has_not_begun_removes_it() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let tomorrow = clock.now() + Duration::days(1);
    let grant = store
        .passes()
        .create_manual_grant(s.location, s.ana.id, &DoorAccess::none(), tomorrow, None)
        .await
        .unwrap();

    let ended = store
        .passes()
        .end_manual_grant(grant.id, None)
        .await
        .unwrap();

    assert_eq!(ended, None);
    assert!(
        store
            .passes()
            .manual_grants_of(s.ana.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_manual_grant_that_ends_before_it_starts_is_refused() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;

    let error = store
        .passes()
        .create_manual_grant(
            s.location,
            s.ana.id,
            &DoorAccess::none(),
            clock.now(),
            Some(clock.now() - Duration::hours(1)),
        )
        .await
        .unwrap_err();

    assert!(error.to_string().contains("ends_at"), "{error}");
}
