//! M3: a subscription item's own door access names only groups and locks of the location's Kisi
//! directory, however the item gets it: with a new subscription, added later, or set afterwards.
//! An unknown id is refused at its field and nothing is written.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use axum::http::{Method, StatusCode};
use common::{TestHub, Who, code, fields};
use serde_json::{Value, json};

const FRONT_DOOR: i64 = 11;
const MEMBERS_GROUP: i64 = 21;
const UNKNOWN_GROUP: i64 = 999;
const UNKNOWN_LOCK: i64 = 998;

/// The one-door directory, a "Hot desk" plan, and Ana subscribed to it (returns plan, subscription).
async fn ana_subscribed(hub: &TestHub) -> (Value, Value) {
    common::one_door_directory(hub, (MEMBERS_GROUP, "Members"), (FRONT_DOOR, "Front door")).await;
    let (_, plan) = hub
        .call(
            Who::Admin,
            Method::POST,
            "/api/plans",
            Some(json!({"location_id": hub.location.0, "name": "Hot desk"})),
        )
        .await;
    let (status, subscription) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/subscriptions",
            Some(json!({"location_id": hub.location.0,
                        "holder": {"kind": "person", "id": hub.member.person.unwrap().0},
                        "start": "2026-05-01", "end": null,
                        "items": [{"sells": {"kind": "plan", "id": plan["id"]}, "access_override": null}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{subscription}");
    (plan, subscription)
}

#[tokio::test]
async fn adding_an_item_with_a_group_kisi_does_not_list_is_refused_at_the_field() {
    let hub = TestHub::new().await;
    let (plan, subscription) = ana_subscribed(&hub).await;
    let uri = format!("/api/subscriptions/{}/items", subscription["id"]);

    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            &uri,
            Some(json!({"sells": {"kind": "plan", "id": plan["id"]},
                        "access_override": {"groups": [UNKNOWN_GROUP], "locks": [UNKNOWN_LOCK]}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), "validation_failed", "{body}");
    assert_eq!(
        fields(&body),
        ["access_override.groups", "access_override.locks"],
        "{body}"
    );
    let (_, unchanged) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/subscriptions/{}", subscription["id"]),
            None,
        )
        .await;
    assert_eq!(
        unchanged["items"].as_array().unwrap().len(),
        1,
        "{unchanged}"
    );

    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            &uri,
            Some(json!({"sells": {"kind": "plan", "id": plan["id"]},
                        "access_override": {"groups": [MEMBERS_GROUP], "locks": [FRONT_DOOR]}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["items"].as_array().unwrap().len(), 2, "{body}");
}

#[tokio::test]
async fn a_new_subscription_names_the_item_whose_door_access_kisi_does_not_list() {
    let hub = TestHub::new().await;
    let (plan, _) = ana_subscribed(&hub).await;
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/subscriptions",
            Some(json!({"location_id": hub.location.0,
                        "holder": {"kind": "person", "id": hub.member.person.unwrap().0},
                        "start": "2026-05-01", "end": null,
                        "items": [{"sells": {"kind": "plan", "id": plan["id"]}, "access_override": null},
                                  {"sells": {"kind": "plan", "id": plan["id"]},
                                   "access_override": {"groups": [], "locks": [UNKNOWN_LOCK]}}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["items[1].access_override.locks"], "{body}");
}

#[tokio::test]
async fn setting_an_item_s_door_access_checks_the_same_directory() {
    let hub = TestHub::new().await;
    let (_, subscription) = ana_subscribed(&hub).await;
    let uri = format!(
        "/api/subscriptions/{}/items/{}/door-access",
        subscription["id"], subscription["items"][0]["id"]
    );
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::PUT,
            &uri,
            Some(json!({"access_override": {"groups": [UNKNOWN_GROUP], "locks": []}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["access_override.groups"], "{body}");
}
