//! The audit log names who did every staff and admin action (issue 17 point 13): the actor, the
//! action in words with names and the location's time, the subject, and refused attempts too.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use common::{TestHub, Who};
use doorlink_core::{DoorAccess, ResourceKind};
use doorlink_store::AccountRole;
use serde_json::{Value, json};

/// 13:00 in UTC is 14:00 in Berlin, the test location's zone.
fn noon_utc() -> DateTime<Utc> {
    "2026-12-04T12:00:00Z".parse().unwrap()
}

/// A front-desk account with a person of its own (Dora Desk), and a booking of Meeting Room A
/// 14:00–15:00 Berlin time for Ana (the test member) made by the bare staff account.
async fn desk_and_booking(hub: &TestHub) -> (common::Caller, i64) {
    let store = hub.state.store();
    let dora = store
        .people()
        .create("Dora Desk", "dora@example.com")
        .await
        .unwrap();
    let desk = common::account(
        &hub.state,
        "dora@example.com",
        AccountRole::Staff,
        Some(dora.id),
    )
    .await;
    let room = store
        .catalog()
        .create_resource(
            hub.location,
            "Meeting Room A",
            ResourceKind::Room,
            &DoorAccess::default(),
        )
        .await
        .unwrap();
    let (status, booking) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(json!({
                "resource_id": room.id.0,
                "booker_id": hub.member.person.unwrap().0,
                "start": "2026-12-04T13:00:00Z",
                "end": "2026-12-04T14:00:00Z",
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    (desk, booking["id"].as_i64().unwrap())
}

async fn audit(hub: &TestHub, query: &str) -> (StatusCode, Value) {
    hub.call(
        Who::Admin,
        Method::GET,
        &format!("/api/audit?{query}"),
        None,
    )
    .await
}

fn actions(page: &Value) -> Vec<&Value> {
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "action")
        .collect()
}

#[tokio::test]
async fn a_staff_members_booking_cancel_is_recorded_with_their_name_and_berlin_time() {
    let hub = TestHub::at(noon_utc()).await;
    let (desk, booking) = desk_and_booking(&hub).await;
    let (status, body) = hub
        .send(
            Some(&desk),
            Method::POST,
            &format!("/api/bookings/{booking}/cancel"),
            Some(json!({ "at": null })),
            common::Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, page) = audit(&hub, "kind=actions").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let cancel = actions(&page)[0];
    assert_eq!(cancel["actor"]["name"], "Dora Desk", "{cancel}");
    assert_eq!(
        cancel["operation"],
        "Cancelled the booking of Meeting Room A on Fri 4 Dec 2026, 14:00–15:00 (Berlin time) for Ana",
        "{cancel}"
    );
    assert_eq!(cancel["outcome"], "succeeded");
    assert_eq!(
        cancel["person_id"],
        hub.member.person.unwrap().0,
        "the subject is Ana"
    );
    assert_eq!(cancel["location_id"], hub.location.0);
}

/// The adversary: a member calling a staff route by hand. The hub refuses, and the log says who
/// tried what.
#[tokio::test]
async fn a_members_forbidden_attempt_at_a_staff_route_is_recorded_as_refused_with_who_tried() {
    let hub = TestHub::at(noon_utc()).await;
    let (_, booking) = desk_and_booking(&hub).await;
    let (status, _) = hub
        .call(
            Who::Member,
            Method::POST,
            &format!("/api/bookings/{booking}/cancel"),
            Some(json!({ "at": null })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, page) = audit(&hub, "kind=actions").await;
    let attempt = actions(&page)[0];
    assert_eq!(attempt["actor"]["name"], "Ana", "{attempt}");
    assert_eq!(
        attempt["operation"], "Tried to cancel a booking",
        "{attempt}"
    );
    assert_eq!(attempt["outcome"], "refused", "{attempt}");
    assert_eq!(attempt["http_status"], 403);
    assert!(
        attempt["message"].as_str().unwrap_or("").contains("staff"),
        "the refusal's reason is kept: {attempt}"
    );
}

#[tokio::test]
async fn the_filter_by_person_returns_only_that_persons_actions() {
    let hub = TestHub::at(noon_utc()).await;
    let (desk, booking) = desk_and_booking(&hub).await;
    // Another staff account acts too (it made the booking); Dora moves it.
    let (status, body) = hub
        .send(
            Some(&desk),
            Method::PUT,
            &format!("/api/bookings/{booking}/time"),
            Some(json!({ "start": "2026-12-04T15:00:00Z", "end": "2026-12-04T16:00:00Z" })),
            common::Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (_, everyone) = audit(&hub, "kind=actions").await;
    let dora = actions(&everyone)
        .iter()
        .find(|e| e["actor"]["name"] == "Dora Desk")
        .map(|e| e["actor"]["account_id"].clone())
        .unwrap();
    assert!(
        actions(&everyone)
            .iter()
            .any(|e| e["actor"]["account_id"] != dora),
        "the other staff account's booking is in the unfiltered log: {everyone}"
    );
    let (status, mine) = audit(&hub, &format!("actor_account_id={dora}")).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let entries = mine["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{mine}");
    assert_eq!(entries[0]["actor"]["account_id"], dora);
    assert_eq!(
        entries[0]["operation"],
        "Moved the booking of Meeting Room A on Fri 4 Dec 2026, 16:00–17:00 (Berlin time) for Ana"
    );
}

/// The adversary: hand-made query strings. Each is refused naming the field.
#[tokio::test]
async fn hostile_filter_values_give_a_field_named_422() {
    let hub = TestHub::at(noon_utc()).await;
    for (query, field) in [
        ("kind=%3Cscript%3E", "kind"),
        ("actor_account_id=abc", "actor_account_id"),
        ("actor_account_id=-4", "actor_account_id"),
        ("person_id=99999999999999999999999", "person_id"),
        ("person_id=0", "person_id"),
        ("outcome=refused%27%20OR%201%3D1", "outcome"),
    ] {
        let (status, body) = audit(&hub, query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(
            common::fields(&body).contains(&field.to_owned()),
            "{query} names {field}: {body}"
        );
    }
}
