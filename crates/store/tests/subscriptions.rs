//! Subscriptions: items, overrides (M3), beneficiaries (R5), end (R2), cancellation (R3), payment
//! (R4).

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::space::{Space, space};
use common::{drain_outbox, file_store, outbox_scopes, people_at};
use doorlink_core::{DoorAccess, Holder, ItemKind, KisiGroupId, PaymentStatus};
use doorlink_store::{NewItem, NewSubscription, Store, StoreError};

fn march(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

fn anas_flex(s: &Space) -> NewSubscription {
    NewSubscription {
        location: s.location,
        holder: Holder::Person(s.ana.id),
        start: march(1),
        end: Some(march(31)),
        items: vec![
            NewItem::inheriting(ItemKind::Plan(s.flex.id)),
            NewItem {
                kind: ItemKind::ResourceRental(s.room.id),
                access_override: Some(DoorAccess::none()),
            },
        ],
        beneficiaries: BTreeSet::new(),
        payment_status: PaymentStatus::Unpaid,
    }
}

async fn subscribed(store: &Store, s: &Space) -> doorlink_core::Subscription {
    let subscription = store.subscriptions().create(&anas_flex(s)).await.unwrap();
    drain_outbox(store).await;
    subscription
}

#[tokio::test]
async fn a_subscription_round_trips_with_items_and_a_not_selected_override() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;

    let created = store.subscriptions().create(&anas_flex(&s)).await.unwrap();

    let (location, read) = store.subscriptions().get(created.id).await.unwrap();
    assert_eq!(location, s.location);
    assert_eq!(read, created);
    assert_eq!(read.items[0].access_override, None);
    assert_eq!(read.items[1].access_override, Some(DoorAccess::none()));
    assert_eq!(read.payment_status, PaymentStatus::Unpaid);
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id])
    );
    assert_eq!(
        store
            .subscriptions()
            .of_holder(Holder::Person(s.ana.id))
            .await
            .unwrap(),
        vec![(s.location, created)]
    );
}

#[tokio::test]
async fn an_override_of_an_active_item_enqueues_its_holder_at_once() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let subscription = subscribed(&store, &s).await;
    let item = subscription.items[1].id;
    let side_door = DoorAccess::groups([KisiGroupId(300)]);

    let changed = store
        .subscriptions()
        .set_item_override(item, Some(&side_door))
        .await
        .unwrap();

    assert_eq!(changed.items[1].access_override, Some(side_door));
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id])
    );

    let inherited = store
        .subscriptions()
        .set_item_override(item, None)
        .await
        .unwrap();
    assert_eq!(inherited.items[1].access_override, None);
}

#[tokio::test]
async fn payment_status_changes_nobodys_access_so_nothing_is_enqueued() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let subscription = subscribed(&store, &s).await;

    let paid = store
        .subscriptions()
        .set_payment_status(subscription.id, PaymentStatus::Overdue)
        .await
        .unwrap();

    assert_eq!(paid.payment_status, PaymentStatus::Overdue);
    assert!(outbox_scopes(&store).await.is_empty());
}

#[tokio::test]
async fn an_end_before_the_start_is_refused_and_a_cancellation_is_kept_once() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let subscription = subscribed(&store, &s).await;

    let error = store
        .subscriptions()
        .set_end(
            subscription.id,
            Some(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Validation(_)), "{error:?}");
    assert!(outbox_scopes(&store).await.is_empty());

    let cancelled = store
        .subscriptions()
        .cancel(subscription.id, None)
        .await
        .unwrap();
    assert_eq!(cancelled.cancelled_at, Some(clock.now()));
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id])
    );

    clock.advance(std::time::Duration::from_secs(60));
    let again = store
        .subscriptions()
        .cancel(subscription.id, None)
        .await
        .unwrap();
    assert_eq!(again.cancelled_at, cancelled.cancelled_at);
}

#[tokio::test]
async fn a_company_subscription_enqueues_its_members_and_names_beneficiaries() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let acme = store.companies().create("Acme").await.unwrap();
    store
        .companies()
        .add_member(acme.id, s.bo.id, None)
        .await
        .unwrap();
    store
        .companies()
        .add_member(acme.id, s.cy.id, None)
        .await
        .unwrap();
    drain_outbox(&store).await;

    let subscription = store
        .subscriptions()
        .create(&NewSubscription {
            holder: Holder::Company(acme.id),
            ..anas_flex(&s)
        })
        .await
        .unwrap();
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.bo.id, s.cy.id])
    );
    drain_outbox(&store).await;

    let named = store
        .subscriptions()
        .set_beneficiaries(subscription.id, &[s.cy.id].into())
        .await
        .unwrap();

    assert_eq!(named.beneficiaries, [s.cy.id].into());
    assert_eq!(
        store.subscriptions().get(subscription.id).await.unwrap().1,
        named
    );
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.bo.id, s.cy.id])
    );
}

#[tokio::test]
async fn beneficiaries_on_a_personal_subscription_are_refused() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;

    let error = store
        .subscriptions()
        .create(&NewSubscription {
            beneficiaries: [s.bo.id].into(),
            ..anas_flex(&s)
        })
        .await
        .unwrap_err();

    assert!(matches!(error, StoreError::Validation(_)));
    assert!(error.to_string().contains("beneficiaries"));
}

#[tokio::test]
async fn an_item_from_another_location_is_refused() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mitte = store
        .locations()
        .create(&doorlink_store::NewLocation::new("Mitte", "Europe/Berlin"))
        .await
        .unwrap();
    let foreign = store
        .catalog()
        .create_plan(mitte.id, "Mitte flex", &DoorAccess::none())
        .await
        .unwrap();

    let error = store
        .subscriptions()
        .create(&NewSubscription {
            items: vec![NewItem::inheriting(ItemKind::Plan(foreign.id))],
            ..anas_flex(&s)
        })
        .await
        .unwrap_err();

    assert!(
        matches!(error, StoreError::Invalid { field: "items", .. }),
        "{error:?}"
    );
    assert!(
        store
            .subscriptions()
            .of_holder(Holder::Person(s.ana.id))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn adding_and_removing_items_round_trips() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let subscription = subscribed(&store, &s).await;

    let with_service = store
        .subscriptions()
        .add_item(
            subscription.id,
            &NewItem::inheriting(ItemKind::Service(s.day_pass.id)),
        )
        .await
        .unwrap();
    assert_eq!(with_service.items.len(), 3);

    let first = with_service.items[0].id;
    let without = store.subscriptions().remove_item(first).await.unwrap();
    assert_eq!(without.items.len(), 2);
    assert!(without.items.iter().all(|item| item.id != first));
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id])
    );
}
