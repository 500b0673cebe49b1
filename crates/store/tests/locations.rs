//! Locations (zone, grace, visibility, place) and their Kisi connection (C1-C3).

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use common::{drain_outbox, file_store, outbox_scopes};
use doorlink_core::{AccessPageVisibility, BookingGrace, KisiPlaceId};
use doorlink_store::{KisiAuth, NewLocation, OutboxScope, SecretValue, StoreError};

#[tokio::test]
async fn a_location_round_trips_with_its_settings() {
    let (store, _clock, _dir) = file_store().await;
    let new = NewLocation {
        name: "Kreuzberg".to_owned(),
        time_zone: "Europe/Berlin".to_owned(),
        booking_grace: BookingGrace::from_minutes(15).unwrap(),
        access_page_visibility: AccessPageVisibility::Public,
    };

    let created = store.locations().create(&new).await.unwrap();

    assert_eq!(created.booking_grace.minutes(), 15);
    assert_eq!(created.access_page_visibility, AccessPageVisibility::Public);
    assert_eq!(store.locations().get(created.id).await.unwrap(), created);
}

#[tokio::test]
async fn an_unknown_time_zone_is_refused_naming_the_field() {
    let (store, _clock, _dir) = file_store().await;

    let error = store
        .locations()
        .create(&NewLocation::new("Nowhere", "Mars/Olympus"))
        .await
        .unwrap_err();

    assert!(matches!(error, StoreError::Validation(_)));
    assert!(error.to_string().contains("time_zone"), "{error}");
    assert!(store.locations().list().await.unwrap().is_empty());
}

#[tokio::test]
async fn changing_the_grace_or_place_re_evaluates_the_whole_location() {
    let (store, _clock, _dir) = file_store().await;
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap();

    let changed = location
        .clone()
        .with_booking_grace(BookingGrace::from_minutes(45).unwrap())
        .with_kisi_place(Some(KisiPlaceId(3)));
    let saved = store.locations().update(&changed).await.unwrap();

    assert_eq!(saved, changed);
    assert_eq!(
        outbox_scopes(&store).await,
        vec![OutboxScope::Location(location.id)]
    );
}

#[tokio::test]
async fn an_owner_login_connection_round_trips_and_disconnecting_keeps_the_credential() {
    let (store, clock, _dir) = file_store().await;
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    drain_outbox(&store).await;
    let auth = KisiAuth::OwnerLogin {
        account_email: "owner@space.example".to_owned(),
        organization_domain: "space".to_owned(),
        kisi_login_id: Some(4411),
    };

    let connection = store
        .locations()
        .connect(
            location,
            "http://127.0.0.1:9999",
            &auth,
            &SecretValue::new("login-secret"),
        )
        .await
        .unwrap();

    assert_eq!(connection.auth, auth);
    assert_eq!(connection.connected_at, clock.now());
    assert_eq!(
        store.locations().credential(location).await.unwrap(),
        SecretValue::new("login-secret"),
        "the credential is kept encrypted and reads back"
    );
    assert!(connection.is_active());
    assert_eq!(
        outbox_scopes(&store).await,
        vec![OutboxScope::Location(location)],
        "a new connection asks for a full reconcile"
    );

    let disconnected = store.locations().disconnect(location).await.unwrap();
    assert!(!disconnected.is_active());
    assert!(store.locations().credential(location).await.is_ok());

    store.locations().forget_connection(location).await.unwrap();
    assert_eq!(store.locations().connection(location).await.unwrap(), None);
}
