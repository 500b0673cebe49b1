//! The catalog (M1, M2, M4, M5) and its door-access mappings: a changed mapping re-evaluates the
//! whole location.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use common::{drain_outbox, file_store, outbox_scopes};
use doorlink_core::{
    AccessTarget, DoorAccess, KisiGroupId, KisiLockId, LocationId, ProductKind, ResourceKind,
};
use doorlink_store::{MappingOwner, NewLocation, OutboxScope, Store, StoreError};

async fn kreuzberg(store: &Store) -> LocationId {
    store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap()
        .id
}

fn front_door_and_room() -> DoorAccess {
    DoorAccess {
        groups: [KisiGroupId(10)].into(),
        locks: [KisiLockId(77)].into(),
    }
}

#[tokio::test]
async fn each_catalog_kind_round_trips_with_its_door_access() {
    let (store, _clock, _dir) = file_store().await;
    let location = kreuzberg(&store).await;
    let access = front_door_and_room();

    let plan = store
        .catalog()
        .create_plan(location, "Flex", &access)
        .await
        .unwrap();
    let room = store
        .catalog()
        .create_resource(location, "Room A", ResourceKind::Room, &access)
        .await
        .unwrap();
    let pass = store
        .catalog()
        .create_product(
            location,
            "Day pass",
            ProductKind::DayPass,
            &DoorAccess::none(),
        )
        .await
        .unwrap();
    let policy = store
        .catalog()
        .create_visitor_policy(location, "Guests", &access)
        .await
        .unwrap();

    assert_eq!(
        store.catalog().plan(plan.id).await.unwrap(),
        (location, plan.clone())
    );
    assert_eq!(store.catalog().resource(room.id).await.unwrap().1, room);
    assert_eq!(store.catalog().product(pass.id).await.unwrap().1, pass);
    assert!(pass.door_access.is_empty());
    assert_eq!(
        store.catalog().visitor_policy(policy.id).await.unwrap().1,
        policy
    );
    assert_eq!(store.catalog().plans(location).await.unwrap(), vec![plan]);
    assert_eq!(
        store.catalog().resources(location).await.unwrap(),
        vec![room]
    );
}

#[tokio::test]
async fn changing_a_plans_door_access_enqueues_the_whole_location() {
    let (store, _clock, _dir) = file_store().await;
    let location = kreuzberg(&store).await;
    let mut plan = store
        .catalog()
        .create_plan(location, "Flex", &DoorAccess::groups([KisiGroupId(1)]))
        .await
        .unwrap();
    drain_outbox(&store).await;

    plan.door_access = DoorAccess::groups([KisiGroupId(1), KisiGroupId(2)]);
    let saved = store.catalog().update_plan(&plan).await.unwrap();

    assert_eq!(saved, plan);
    assert_eq!(
        outbox_scopes(&store).await,
        vec![OutboxScope::Location(location)]
    );
}

#[tokio::test]
async fn renaming_without_changing_door_access_enqueues_nothing() {
    let (store, _clock, _dir) = file_store().await;
    let location = kreuzberg(&store).await;
    let mut room = store
        .catalog()
        .create_resource(
            location,
            "Room A",
            ResourceKind::Room,
            &front_door_and_room(),
        )
        .await
        .unwrap();
    drain_outbox(&store).await;

    room.name = "Room Alpha".to_owned();
    let saved = store.catalog().update_resource(&room).await.unwrap();

    assert_eq!(saved, room);
    assert!(outbox_scopes(&store).await.is_empty());
}

#[tokio::test]
async fn a_room_that_becomes_an_office_re_evaluates_the_location() {
    // Invitees get in through room bookings only, so the kind decides who gets in.
    let (store, _clock, _dir) = file_store().await;
    let location = kreuzberg(&store).await;
    let mut room = store
        .catalog()
        .create_resource(
            location,
            "Room A",
            ResourceKind::Room,
            &front_door_and_room(),
        )
        .await
        .unwrap();
    drain_outbox(&store).await;

    room.kind = ResourceKind::Office;
    let saved = store.catalog().update_resource(&room).await.unwrap();

    assert_eq!(saved.kind, ResourceKind::Office);
    assert_eq!(
        outbox_scopes(&store).await,
        vec![OutboxScope::Location(location)]
    );
}

#[tokio::test]
async fn a_name_used_twice_at_one_location_is_a_conflict_but_fine_elsewhere() {
    let (store, _clock, _dir) = file_store().await;
    let kreuzberg = kreuzberg(&store).await;
    let mitte = store
        .locations()
        .create(&NewLocation::new("Mitte", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    let none = DoorAccess::none();
    store
        .catalog()
        .create_plan(kreuzberg, "Flex", &none)
        .await
        .unwrap();

    let clash = store.catalog().create_plan(kreuzberg, "Flex", &none).await;
    let elsewhere = store.catalog().create_plan(mitte, "Flex", &none).await;

    assert!(matches!(clash, Err(StoreError::Conflict { .. })));
    assert!(elsewhere.is_ok(), "{elsewhere:?}");
}

#[tokio::test]
async fn a_plan_at_a_location_that_does_not_exist_is_not_found() {
    let (store, _clock, _dir) = file_store().await;

    let error = store
        .catalog()
        .create_plan(LocationId(42), "Flex", &DoorAccess::none())
        .await
        .unwrap_err();

    assert!(matches!(
        error,
        StoreError::NotFound {
            entity: "location",
            id: 42
        }
    ));
}

#[tokio::test]
async fn the_mappings_that_use_a_group_are_listed_for_orphan_warnings() {
    let (store, _clock, _dir) = file_store().await;
    let location = kreuzberg(&store).await;
    let shared = DoorAccess::groups([KisiGroupId(10)]);
    let plan = store
        .catalog()
        .create_plan(location, "Flex", &shared)
        .await
        .unwrap();
    let room = store
        .catalog()
        .create_resource(location, "Room A", ResourceKind::Room, &shared)
        .await
        .unwrap();
    store
        .catalog()
        .create_plan(location, "Other", &DoorAccess::groups([KisiGroupId(11)]))
        .await
        .unwrap();

    let users = store
        .catalog()
        .mappings_using(location, AccessTarget::Group(KisiGroupId(10)))
        .await
        .unwrap();

    assert_eq!(
        users,
        vec![MappingOwner::Plan(plan.id), MappingOwner::Resource(room.id)]
    );
}
