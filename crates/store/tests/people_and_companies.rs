//! People (unique normalised e-mail) and companies with their memberships (R5).

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::NaiveDate;
use common::{drain_outbox, file_store, outbox_scopes, people_at};
use doorlink_core::{DoorAccess, Holder, ItemKind, KisiGroupId, PaymentStatus};
use doorlink_store::{NewItem, NewLocation, NewSubscription, StoreError};

#[tokio::test]
async fn the_unknown_people_of_a_list_are_named_once_each_in_the_order_asked() {
    // A hand-made request's list: known and unknown ids, one unknown twice, a negative id.
    let (store, _clock, _dir) = file_store().await;
    let ana = store
        .people()
        .create("Ana Lima", "ana@example.com")
        .await
        .unwrap();
    let asked = [901, ana.id.0, -3, 901, 7_000_000_000_000]
        .map(doorlink_core::PersonId)
        .to_vec();
    let missing = store.people().missing(&asked).await.unwrap();
    assert_eq!(
        missing,
        [901, -3, 7_000_000_000_000].map(doorlink_core::PersonId)
    );
    assert!(store.people().missing(&[ana.id]).await.unwrap().is_empty());
    assert!(store.people().missing(&[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_person_round_trips_with_a_normalised_email() {
    let (store, _clock, _dir) = file_store().await;

    let ana = store
        .people()
        .create("Ana Lima", "  Ana.Lima@Example.COM ")
        .await
        .unwrap();

    assert_eq!(ana.email.as_str(), "ana.lima@example.com");
    assert_eq!(store.people().get(ana.id).await.unwrap(), ana);
    assert_eq!(
        store
            .people()
            .by_email("ANA.LIMA@example.com")
            .await
            .unwrap(),
        Some(ana)
    );
}

#[tokio::test]
async fn an_email_used_by_another_person_is_a_conflict_whatever_its_case() {
    let (store, _clock, _dir) = file_store().await;
    store
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();

    let error = store
        .people()
        .create("Ana again", "ANA@example.com")
        .await
        .unwrap_err();

    assert!(matches!(error, StoreError::Conflict { .. }), "{error:?}");
    assert!(error.to_string().contains("ana@example.com"));
}

#[tokio::test]
async fn an_address_without_at_is_refused_naming_the_field() {
    let (store, _clock, _dir) = file_store().await;

    let error = store
        .people()
        .create("Bo", "bo.example.com")
        .await
        .unwrap_err();

    assert!(matches!(error, StoreError::Validation(_)), "{error:?}");
    assert!(error.to_string().contains("email"));
}

#[tokio::test]
async fn a_missing_person_is_not_found_with_its_id() {
    let (store, _clock, _dir) = file_store().await;

    let error = store
        .people()
        .get(doorlink_core::PersonId(99))
        .await
        .unwrap_err();

    assert!(matches!(
        error,
        StoreError::NotFound {
            entity: "person",
            id: 99
        }
    ));
}

#[tokio::test]
async fn joining_and_leaving_a_company_enqueue_the_person_where_the_company_subscribes() {
    let (store, clock, _dir) = file_store().await;
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    let plan = store
        .catalog()
        .create_plan(location, "Team", &DoorAccess::groups([KisiGroupId(5)]))
        .await
        .unwrap();
    let acme = store.companies().create("Acme").await.unwrap();
    store
        .subscriptions()
        .create(&NewSubscription {
            location,
            holder: Holder::Company(acme.id),
            start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            end: None,
            items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Paid,
        })
        .await
        .unwrap();
    let ana = store
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();
    drain_outbox(&store).await;

    let joined = store
        .companies()
        .add_member(acme.id, ana.id, None)
        .await
        .unwrap();
    assert_eq!(joined.joined_at, clock.now());
    assert_eq!(outbox_scopes(&store).await, people_at(location, &[ana.id]));
    drain_outbox(&store).await;

    clock.advance(Duration::from_secs(3600));
    let left = store
        .companies()
        .remove_member(acme.id, ana.id, None)
        .await
        .unwrap();
    assert_eq!(left.left_at, Some(clock.now()));
    assert_eq!(outbox_scopes(&store).await, people_at(location, &[ana.id]));

    let history = store.companies().memberships(acme.id).await.unwrap();
    assert_eq!(history, vec![left.clone()]);
    assert_eq!(
        store.companies().memberships_of(ana.id).await.unwrap(),
        vec![left]
    );
}

#[tokio::test]
async fn joining_twice_is_a_conflict_and_leaving_without_joining_too() {
    let (store, _clock, _dir) = file_store().await;
    let acme = store.companies().create("Acme").await.unwrap();
    let ana = store
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();

    let never_joined = store.companies().remove_member(acme.id, ana.id, None).await;
    store
        .companies()
        .add_member(acme.id, ana.id, None)
        .await
        .unwrap();
    let twice = store.companies().add_member(acme.id, ana.id, None).await;

    assert!(matches!(never_joined, Err(StoreError::Conflict { .. })));
    assert!(matches!(twice, Err(StoreError::Conflict { .. })));
}

#[tokio::test]
async fn a_company_membership_without_subscriptions_enqueues_nothing() {
    let (store, _clock, _dir) = file_store().await;
    let acme = store.companies().create("Acme").await.unwrap();
    let ana = store
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();

    store
        .companies()
        .add_member(acme.id, ana.id, None)
        .await
        .unwrap();

    assert!(outbox_scopes(&store).await.is_empty());
}

#[tokio::test]
async fn company_names_are_unique() {
    let (store, _clock, _dir) = file_store().await;
    let acme = store.companies().create("Acme").await.unwrap();
    store.companies().create("Globex").await.unwrap();

    let clash = store.companies().rename(acme.id, "Globex").await;

    assert!(matches!(clash, Err(StoreError::Conflict { .. })));
    assert_eq!(store.companies().list().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_changed_email_re_evaluates_the_person_wherever_they_have_something() {
    let (store, _clock, _dir) = file_store().await;
    let kreuzberg = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    let mitte = store
        .locations()
        .create(&NewLocation::new("Mitte", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    store
        .locations()
        .create(&NewLocation::new("Elsewhere", "Europe/Berlin"))
        .await
        .unwrap();
    let ana = store
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();
    store.holds().hold(kreuzberg, ana.id).await.unwrap();
    let start = chrono::Utc::now();
    store
        .passes()
        .create_manual_grant(mitte, ana.id, &DoorAccess::none(), start, None)
        .await
        .unwrap();
    drain_outbox(&store).await;

    let mut renamed = ana.clone();
    renamed.email = doorlink_core::Email::parse("ana.lima@example.com").unwrap();
    let saved = store.people().update(&renamed).await.unwrap();

    assert_eq!(saved, renamed);
    let mut expected = people_at(kreuzberg, &[ana.id]);
    expected.extend(people_at(mitte, &[ana.id]));
    assert_eq!(outbox_scopes(&store).await, expected);
}
