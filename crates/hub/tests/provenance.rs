//! Contract 7: why a door is open is said with the names of things, never bare ids, and times are
//! read in the location's zone (Kreuzberg, Europe/Berlin: UTC+1 in November).
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::{TestHub, Who};
use doorlink_core::{
    DoorAccess, Holder, ItemKind, KisiGroupId, PaymentStatus, ProductKind, ResourceKind,
};
use doorlink_store::{NewBooking, NewItem, NewSubscription};
use serde_json::Value;

const FRONT_DOOR: i64 = 11;
const MEMBERS_GROUP: i64 = 21;

/// Tuesday 24 November 2026, 13:45 in Berlin.
fn now() -> DateTime<Utc> {
    utc(24, 12, 45)
}

fn utc(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .unwrap()
}

fn front_door() -> DoorAccess {
    DoorAccess::groups([KisiGroupId(MEMBERS_GROUP)])
}

async fn kisi_directory(hub: &TestHub) {
    common::one_door_directory(hub, (MEMBERS_GROUP, "Members"), (FRONT_DOOR, "Front door")).await;
}

async fn subscribe(hub: &TestHub, holder: Holder, plan_name: &str) {
    let store = hub.state.store();
    let plan = store
        .catalog()
        .create_plan(hub.location, plan_name, &front_door())
        .await
        .unwrap();
    store
        .subscriptions()
        .create(&NewSubscription {
            location: hub.location,
            holder,
            start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            end: None,
            items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Paid,
        })
        .await
        .unwrap();
}

/// Ana (the member) holds every kind of grant to the front door at once.
async fn ana_with_every_kind_of_grant(hub: &TestHub) {
    kisi_directory(hub).await;
    let store = hub.state.store();
    let ana = hub.member.person.unwrap();
    let ben = hub.other_member.person.unwrap();
    subscribe(hub, Holder::Person(ana), "Hot Desk").await;
    let acme = store.companies().create("Acme GmbH").await.unwrap();
    store
        .companies()
        .add_member(acme.id, ana, Some(utc(1, 0, 0)))
        .await
        .unwrap();
    subscribe(hub, Holder::Company(acme.id), "Team Office").await;

    for (room, booker, invitees, start, end) in [
        (
            "Meeting Room Spree",
            ana,
            BTreeSet::new(),
            utc(24, 13, 0),
            utc(24, 14, 0),
        ),
        (
            "Meeting Room Elbe",
            ben,
            BTreeSet::from([ana]),
            utc(24, 12, 0),
            utc(24, 13, 30),
        ),
    ] {
        let resource = store
            .catalog()
            .create_resource(hub.location, room, ResourceKind::Room, &front_door())
            .await
            .unwrap();
        store
            .bookings()
            .create(&NewBooking {
                resource: resource.id,
                booker,
                invitees,
                start,
                end,
            })
            .await
            .unwrap();
    }

    // A subscription renting a desk and selling a locker service.
    let desk = store
        .catalog()
        .create_resource(hub.location, "Desk 12", ResourceKind::Desk, &front_door())
        .await
        .unwrap();
    let locker = store
        .catalog()
        .create_product(hub.location, "Locker", ProductKind::Service, &front_door())
        .await
        .unwrap();
    store
        .subscriptions()
        .create(&NewSubscription {
            location: hub.location,
            holder: Holder::Person(ana),
            start: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            end: None,
            items: vec![
                NewItem::inheriting(ItemKind::ResourceRental(desk.id)),
                NewItem::inheriting(ItemKind::Service(locker.id)),
            ],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Paid,
        })
        .await
        .unwrap();

    let day_pass = store
        .catalog()
        .create_product(
            hub.location,
            "Day Pass Berlin",
            ProductKind::DayPass,
            &front_door(),
        )
        .await
        .unwrap();
    store
        .passes()
        .sell_day_pass(
            ana,
            day_pass.id,
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        )
        .await
        .unwrap();

    // Visits reach the visitor as a Kisi access link (R10), so no explanation lists them; the
    // visit's wording is checked beside `Provenance::words` (core).
    let policy = store
        .catalog()
        .create_visitor_policy(hub.location, "Guests of members", &front_door())
        .await
        .unwrap();
    store
        .passes()
        .create_visit(ana, policy.id, utc(24, 9, 0), utc(24, 17, 0))
        .await
        .unwrap();

    for ends in [Some(utc(27, 17, 0)), None] {
        store
            .passes()
            .create_manual_grant(hub.location, ana, &front_door(), utc(20, 8, 0), ends)
            .await
            .unwrap();
    }
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_front_desk_explanation_names_every_grant_in_the_location_s_time() {
    let hub = TestHub::at(now()).await;
    ana_with_every_kind_of_grant(&hub).await;
    let ana = hub.member.person.unwrap().0;
    let (status, explanation) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/people/{ana}/locks/{FRONT_DOOR}/explain"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{explanation}");
    assert_eq!(explanation["may_open"], true, "{explanation}");
    let expected: BTreeSet<String> = [
        "Hot Desk plan",
        "Team Office plan of Acme GmbH",
        "rental of Desk 12",
        "Locker service",
        "booking of Meeting Room Spree, 14:00–15:00",
        "invited by Ben to Meeting Room Elbe, 13:00–14:30",
        "day pass (Day Pass Berlin), Tue 24 Nov",
        "manual grant, until Fri 27 Nov 18:00",
        "manual grant, no end date",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(strings(&explanation["why"]), expected);
}

#[tokio::test]
async fn the_access_page_says_why_with_names_too() {
    let hub = TestHub::at(now()).await;
    ana_with_every_kind_of_grant(&hub).await;
    let (status, access) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{access}");
    let door = &access["locations"][0]["open_now"][0];
    assert_eq!(door["lock_id"], FRONT_DOOR, "{access}");
    let why = strings(&door["why"]);
    assert!(why.contains("Hot Desk plan"), "{why:?}");
    assert!(
        why.contains("booking of Meeting Room Spree, 14:00–15:00"),
        "{why:?}"
    );
    assert!(
        why.iter()
            .all(|w| !w.contains("subscription ") && !w.contains("resource ")),
        "no bare ids while the things exist: {why:?}"
    );
}
