//! The Access page, explanations and the unlock refusal decided before Kisi (A1–A5).
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::{TestHub, Who};
use doorlink_core::{DoorAccess, Holder, ItemKind, KisiGroupId, PaymentStatus};
use doorlink_store::{NewItem, NewSubscription};
use serde_json::json;

const FRONT_DOOR: i64 = 11;
const MEMBERS_GROUP: i64 = 21;

async fn member_with_front_door(hub: &TestHub) {
    let store = hub.state.store();
    common::one_door_catalogue(hub, (MEMBERS_GROUP, "Members"), (FRONT_DOOR, "Front door")).await;
    let plan = store
        .catalog()
        .create_plan(
            hub.location,
            "Hot desk",
            &DoorAccess::groups([KisiGroupId(MEMBERS_GROUP)]),
        )
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
}

#[tokio::test]
async fn a_member_sees_the_front_door_of_their_plan_with_its_window_and_why() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let (status, access) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{access}");
    let page = &access["locations"][0];
    assert_eq!(page["visible"], true);
    let lock = &page["open_now"][0];
    assert_eq!(lock["lock_id"], FRONT_DOOR);
    assert_eq!(lock["name"], "Front door");
    assert!(
        lock["window"]["until"].is_null(),
        "open-ended subscription: {lock}"
    );
    assert!(lock["why"][0] == "Hot desk plan", "{lock}");
}

#[tokio::test]
async fn no_locks_is_never_shown_without_its_reason() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let (status, access) = hub
        .call(Who::OtherMember, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = &access["locations"][0];
    assert_eq!(page["open_now"].as_array().unwrap().len(), 0);
    let reasons = page["reasons"].as_array().unwrap();
    assert!(!reasons.is_empty(), "{page}");
    assert!(
        reasons
            .iter()
            .all(|r| !r["fix"].as_str().unwrap().is_empty())
    );
}

#[tokio::test]
async fn explain_names_the_grant_or_the_first_rule_in_the_way() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let uri = format!("/api/me/locks/{FRONT_DOOR}/explain");
    let (_, yes) = hub.call(Who::Member, Method::GET, &uri, None).await;
    assert_eq!(yes["may_open"], true, "{yes}");
    let (_, no) = hub.call(Who::OtherMember, Method::GET, &uri, None).await;
    assert_eq!(no["may_open"], false, "{no}");
    assert!(no["reason"]["cause"].is_string());
}

#[tokio::test]
async fn an_unlock_a_rule_forbids_is_refused_in_plain_words_without_asking_kisi() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let uri = format!("/api/me/locks/{FRONT_DOOR}/unlock");
    let (status, outcome) = hub
        .call(Who::OtherMember, Method::POST, &uri, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["unlocked"], false);
    assert!(!outcome["reason"]["fix"].as_str().unwrap().is_empty());
}

/// The adversary: a staff account created without a person (as the front desk's were), which
/// used to get 403 on its own Access page. Every account is now a person's (issue 17).
#[tokio::test]
async fn staff_and_admins_have_an_access_page_of_their_own() {
    let hub = TestHub::new().await;
    for who in [Who::Staff, Who::Admin] {
        let (status, body) = hub.call(who, Method::GET, "/api/me/access", None).await;
        assert_eq!(status, StatusCode::OK, "{who:?}: {body}");
        assert!(body["person_id"].as_i64().is_some(), "{body}");
    }
    let desk = hub
        .state
        .store()
        .people()
        .by_email("desk@example.com")
        .await;
    assert_eq!(
        desk.unwrap().unwrap().name,
        "Desk",
        "named after the e-mail"
    );
}

#[tokio::test]
async fn a_half_given_position_is_refused_naming_the_missing_field() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(
            Who::Member,
            Method::POST,
            "/api/me/locks/11/unlock",
            Some(json!({"latitude": 52.5})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "longitude");
}

#[tokio::test]
async fn a_members_only_page_does_not_unlock_for_someone_with_a_booking_only() {
    use doorlink_core::ResourceKind;
    use doorlink_store::NewBooking;
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let store = hub.state.store();
    let room = store
        .catalog()
        .create_resource(
            hub.location,
            "Elbe",
            ResourceKind::Room,
            &DoorAccess::groups([KisiGroupId(MEMBERS_GROUP)]),
        )
        .await
        .unwrap();
    let now = Utc::now();
    store
        .bookings()
        .create(&NewBooking {
            resource: room.id,
            booker: hub.other_member.person.unwrap(),
            invitees: BTreeSet::new(),
            start: now - Duration::minutes(5),
            end: now + Duration::hours(1),
        })
        .await
        .unwrap();
    let uri = format!("/api/me/locks/{FRONT_DOOR}/unlock");
    let (status, outcome) = hub
        .call(Who::OtherMember, Method::POST, &uri, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["unlocked"], false);
    assert_eq!(
        outcome["reason"]["cause"], "access_page_members_only",
        "{outcome}"
    );
}

#[tokio::test]
async fn the_access_page_carries_its_locations_time_zone() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let (_, access) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    let location = hub
        .state
        .store()
        .locations()
        .get(hub.location)
        .await
        .unwrap();
    assert_eq!(
        access["locations"][0]["time_zone"],
        location.time_zone.name(),
        "members read 'until 16:30' in the location's zone, not their browser's"
    );
}

#[tokio::test]
async fn the_front_desk_sees_a_persons_access_and_why_a_door_stays_shut() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let member = hub.member.person.unwrap().0;
    let other = hub.other_member.person.unwrap().0;

    let (status, access) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/people/{member}/access"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{access}");
    assert_eq!(access["person_id"], member);
    let lock = &access["locations"][0]["open_now"][0];
    assert_eq!(lock["lock_id"], FRONT_DOOR);
    assert_eq!(lock["why"][0], "Hot desk plan");

    let explain = format!("/api/people/{other}/locks/{FRONT_DOOR}/explain");
    let (status, no) = hub.call(Who::Staff, Method::GET, &explain, None).await;
    assert_eq!(status, StatusCode::OK, "{no}");
    assert_eq!(no["may_open"], false);
    assert!(!no["reason"]["fix"].as_str().unwrap().is_empty(), "{no}");

    let (status, _) = hub
        .call(Who::Staff, Method::GET, "/api/people/999999/access", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
