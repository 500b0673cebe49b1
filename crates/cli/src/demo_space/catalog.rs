//! The demo location and what it offers: three plans (M1), a dozen resources of every kind (M2),
//! a day pass and a service (M4) and a visitor policy (M5), each mapped to the seed's Kisi groups
//! or single locks by name.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use doorlink_core::{
    AccessPageVisibility, DoorAccess, Location, PlanId, ProductId, ProductKind, ResourceId,
    ResourceKind, VisitorPolicyId,
};
use doorlink_store::{NewLocation, Store};

use super::kisi_names::KisiNames;

pub const LOCATION_NAME: &str = "Harbor Coworking Berlin";
/// A real zone with daylight saving, so the demo exercises local-time arithmetic.
pub const TIME_ZONE: &str = "Europe/Berlin";
/// The seed's place; the connection is limited to it (A2).
const KISI_PLACE: &str = "Harbor Coworking Berlin";

/// What a catalog entry opens, by Kisi name.
#[derive(Debug, Clone, Copy)]
enum Opens {
    Group(&'static str),
    /// M7: a single door, granted through a group Doorlink creates for it.
    Lock(&'static str),
    /// "Not selected": a valid mapping that the explainer names as the cause (A5).
    Nothing,
}

pub const HOT_DESK: &str = "Hot desk";
pub const DEDICATED_DESK: &str = "Dedicated desk";
pub const PRIVATE_OFFICE: &str = "Private office";

const PLANS: [(&str, Opens); 3] = [
    (HOT_DESK, Opens::Group("Flex Desk Members")),
    (DEDICATED_DESK, Opens::Group("Dedicated Desk Members")),
    (PRIVATE_OFFICE, Opens::Group("Flex Desk Members")),
];

pub const ROOM_ELBE: &str = "Meeting Room Elbe";
pub const ROOM_SPREE: &str = "Meeting Room Spree";
pub const PHONE_BOOTH: &str = "Phone Booth";
pub const EVENT_SPACE: &str = "Event Space";
pub const HOT_DESK_AREA: &str = "Hot Desk Area";
pub const DESK_D1: &str = "Dedicated Desk D1";
pub const DESK_D2: &str = "Dedicated Desk D2";
pub const OFFICE_101: &str = "Office 101";
pub const OFFICE_102: &str = "Office 102";
pub const PROJECTOR: &str = "Projector";
pub const SERVER_RACK: &str = "Server Rack";
pub const PARKING_P1: &str = "Parking Spot P1";
pub const PARKING_P2: &str = "Parking Spot P2";

const RESOURCES: [(&str, ResourceKind, Opens); 13] = [
    (ROOM_ELBE, ResourceKind::Room, Opens::Group("Room Elbe")),
    (ROOM_SPREE, ResourceKind::Room, Opens::Group("Room Spree")),
    (PHONE_BOOTH, ResourceKind::Room, Opens::Lock("Phone Booth")),
    (EVENT_SPACE, ResourceKind::Room, Opens::Nothing),
    (
        HOT_DESK_AREA,
        ResourceKind::Desk,
        Opens::Group("Flex Desk Members"),
    ),
    (
        DESK_D1,
        ResourceKind::Desk,
        Opens::Group("Dedicated Desk Members"),
    ),
    (
        DESK_D2,
        ResourceKind::Desk,
        Opens::Group("Dedicated Desk Members"),
    ),
    (
        OFFICE_101,
        ResourceKind::Office,
        Opens::Group("Office 101 Team"),
    ),
    (
        OFFICE_102,
        ResourceKind::Office,
        Opens::Group("Office 102 Team"),
    ),
    (PROJECTOR, ResourceKind::Equipment, Opens::Nothing),
    // The reader-restricted door: "IT Staff" holds the Server Room, which only a Kisi Reader opens.
    (
        SERVER_RACK,
        ResourceKind::Equipment,
        Opens::Group("IT Staff"),
    ),
    (
        PARKING_P1,
        ResourceKind::Parking,
        Opens::Lock("Parking Gate"),
    ),
    (
        PARKING_P2,
        ResourceKind::Parking,
        Opens::Lock("Parking Gate"),
    ),
];

pub const DAY_PASS: &str = "Day pass";
pub const TERRACE_SERVICE: &str = "Roof terrace evenings";
pub const GUESTS_POLICY: &str = "Guests";
/// The group a manual grant gives (M6), holding the reader-restricted Server Room.
pub const IT_STAFF_GROUP: &str = "IT Staff";

/// The ids of the demo catalog, by name.
#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    pub(crate) location: Location,
    pub(crate) plans: BTreeMap<&'static str, PlanId>,
    pub(crate) resources: BTreeMap<&'static str, ResourceId>,
    pub(crate) day_pass: ProductId,
    pub(crate) terrace_service: ProductId,
    pub(crate) guests_policy: VisitorPolicyId,
}

impl Catalog {
    pub(crate) fn plan(&self, name: &str) -> Result<PlanId> {
        self.plans
            .get(name)
            .copied()
            .with_context(|| format!("the demo catalog has no plan {name:?}"))
    }

    pub(crate) fn resource(&self, name: &str) -> Result<ResourceId> {
        self.resources
            .get(name)
            .copied()
            .with_context(|| format!("the demo catalog has no resource {name:?}"))
    }
}

fn door_access(kisi: KisiNames<'_>, opens: Opens) -> Result<DoorAccess> {
    match opens {
        Opens::Group(name) => kisi.group_access(name),
        Opens::Lock(name) => kisi.lock_access(name),
        Opens::Nothing => Ok(DoorAccess::none()),
    }
}

/// Creates the location (public Access page so invitees and day guests can open doors, A3; limited
/// to the seed's place, A2) and its catalog.
pub(crate) async fn create(store: &Store, kisi: KisiNames<'_>) -> Result<Catalog> {
    let mut new_location = NewLocation::new(LOCATION_NAME, TIME_ZONE);
    new_location.access_page_visibility = AccessPageVisibility::Public;
    let created = store.locations().create(&new_location).await?;
    let place = kisi.place(KISI_PLACE)?;
    let location = store
        .locations()
        .update(&created.with_kisi_place(Some(place)))
        .await?;

    let catalog = store.catalog();
    let mut plans = BTreeMap::new();
    for (name, opens) in PLANS {
        let plan = catalog
            .create_plan(location.id, name, &door_access(kisi, opens)?)
            .await?;
        plans.insert(name, plan.id);
    }
    let mut resources = BTreeMap::new();
    for (name, kind, opens) in RESOURCES {
        let resource = catalog
            .create_resource(location.id, name, kind, &door_access(kisi, opens)?)
            .await?;
        resources.insert(name, resource.id);
    }
    let day_pass = catalog
        .create_product(
            location.id,
            DAY_PASS,
            ProductKind::DayPass,
            &kisi.group_access("Day Pass")?,
        )
        .await?;
    let terrace_service = catalog
        .create_product(
            location.id,
            TERRACE_SERVICE,
            ProductKind::Service,
            &kisi.lock_access("Roof Terrace")?,
        )
        .await?;
    let guests_policy = catalog
        .create_visitor_policy(location.id, GUESTS_POLICY, &kisi.group_access("Visitors")?)
        .await?;
    Ok(Catalog {
        location,
        plans,
        resources,
        day_pass: day_pass.id,
        terrace_service: terrace_service.id,
        guests_policy: guests_policy.id,
    })
}
