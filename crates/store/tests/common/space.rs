//! A small coworking space to test against: one location (Berlin, 30 min grace), a front-door
//! group, a room with its own lock, a flex plan, a day-pass product, a visitor policy and three
//! people.

use doorlink_core::{
    DoorAccess, KisiGroupId, KisiLockId, LocationId, Person, Plan, Product, ProductKind, Resource,
    ResourceKind, VisitorPolicy,
};
use doorlink_store::{NewLocation, Store};

pub const FRONT_DOOR: KisiGroupId = KisiGroupId(100);
pub const ROOM_LOCK: KisiLockId = KisiLockId(200);

#[derive(Debug)]
pub struct Space {
    pub location: LocationId,
    pub flex: Plan,
    pub room: Resource,
    pub day_pass: Product,
    pub guests: VisitorPolicy,
    pub ana: Person,
    pub bo: Person,
    pub cy: Person,
}

pub async fn space(store: &Store) -> Space {
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    let catalog = store.catalog();
    let front = DoorAccess::groups([FRONT_DOOR]);
    Space {
        location,
        flex: catalog.create_plan(location, "Flex", &front).await.unwrap(),
        room: catalog
            .create_resource(
                location,
                "Room A",
                ResourceKind::Room,
                &DoorAccess::locks([ROOM_LOCK]),
            )
            .await
            .unwrap(),
        day_pass: catalog
            .create_product(location, "Day pass", ProductKind::DayPass, &front)
            .await
            .unwrap(),
        guests: catalog
            .create_visitor_policy(location, "Guests", &front)
            .await
            .unwrap(),
        ana: store
            .people()
            .create("Ana", "ana@example.com")
            .await
            .unwrap(),
        bo: store.people().create("Bo", "bo@example.com").await.unwrap(),
        cy: store.people().create("Cy", "cy@example.com").await.unwrap(),
    }
}
