//! The member's Access page is served from facts kept in memory (issue 5); a write through the
//! API must still show on the very next read (R6, R8).
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::{TestHub, Who};
use doorlink_core::{
    DoorAccess, Holder, ItemKind, KisiGroupId, PaymentStatus, ResourceId, ResourceKind,
};
use doorlink_store::{NewItem, NewSubscription};
use serde_json::{Value, json};

const MEETING_ROOM_DOOR: i64 = 12;
const ROOM_GROUP: i64 = 22;

/// A meeting room whose bookings open its door, the Kisi directory naming that door, and a member
/// whose plan opens no door itself (so the page is theirs to see, A3, and only bookings add doors).
async fn meeting_room(hub: &TestHub) -> ResourceId {
    let store = hub.state.store();
    common::one_door_directory(
        hub,
        (ROOM_GROUP, "Meeting room"),
        (MEETING_ROOM_DOOR, "Meeting room door"),
    )
    .await;
    let plan = store
        .catalog()
        .create_plan(hub.location, "Community", &DoorAccess::default())
        .await
        .unwrap();
    let today = Utc::now().date_naive();
    store
        .subscriptions()
        .create(&NewSubscription {
            location: hub.location,
            holder: Holder::Person(hub.member.person.unwrap()),
            start: today - Duration::days(3),
            end: None,
            items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Unpaid,
        })
        .await
        .unwrap();
    store
        .catalog()
        .create_resource(
            hub.location,
            "Meeting room",
            ResourceKind::Room,
            &DoorAccess::groups([KisiGroupId(ROOM_GROUP)]),
        )
        .await
        .unwrap()
        .id
}

/// The locks the member may open now, as the Access page lists them.
async fn open_now(hub: &TestHub) -> Vec<Value> {
    let (status, access) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{access}");
    assert_eq!(access["locations"][0]["visible"], true, "{access}");
    access["locations"][0]["open_now"]
        .as_array()
        .unwrap()
        .iter()
        .map(|lock| lock["lock_id"].clone())
        .collect()
}

#[tokio::test]
async fn a_booking_made_and_cancelled_through_the_api_shows_on_the_next_read() {
    let hub = TestHub::new().await;
    let room = meeting_room(&hub).await;
    assert!(open_now(&hub).await.is_empty(), "no booking yet");

    let start = Utc::now() + Duration::minutes(10);
    let (status, booking) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(json!({
                "resource_id": room.0,
                "booker_id": hub.member.person.unwrap().0,
                "start": start,
                "end": start + Duration::hours(1),
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    assert_eq!(
        open_now(&hub).await,
        vec![json!(MEETING_ROOM_DOOR)],
        "the booking's grace opens the door ten minutes before it starts"
    );

    let cancel = format!("/api/bookings/{}/cancel", booking["id"]);
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            &cancel,
            Some(json!({ "at": null })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        open_now(&hub).await.is_empty(),
        "a cancelled booking opens nothing"
    );
}

#[tokio::test]
async fn a_booking_moved_to_tomorrow_closes_the_door_on_the_next_read() {
    let hub = TestHub::new().await;
    let room = meeting_room(&hub).await;
    let start = Utc::now() + Duration::minutes(10);
    let (status, booking) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(json!({
                "resource_id": room.0,
                "booker_id": hub.member.person.unwrap().0,
                "start": start,
                "end": start + Duration::hours(1),
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    assert_eq!(open_now(&hub).await, vec![json!(MEETING_ROOM_DOOR)]);

    let tomorrow = start + Duration::days(1);
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::PUT,
            &format!("/api/bookings/{}/time", booking["id"]),
            Some(json!({ "start": tomorrow, "end": tomorrow + Duration::hours(1) })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        open_now(&hub).await.is_empty(),
        "the moved booking opens the door only tomorrow"
    );
}
