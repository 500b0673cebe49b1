//! Admins edit plans, resources, products and visitor policies; staff re-sync one
//! person now. Both reach the sync worker through the outbox.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::{TestHub, Who, code, fields};
use doorlink_core::{
    DoorAccess, Holder, ItemKind, PaymentStatus, PlanId, ProductKind, ResourceKind,
};
use doorlink_store::{NewItem, NewSubscription, OutboxEntry, OutboxScope};
use serde_json::json;

const FRONT_DOOR: i64 = 11;
const MEMBERS_GROUP: i64 = 21;

async fn kisi_directory(hub: &TestHub) {
    common::one_door_directory(hub, (MEMBERS_GROUP, "Members"), (FRONT_DOOR, "Front door")).await;
}

/// A "Hot desk" plan with no door access yet, and Ana subscribed to it.
async fn ana_subscribed_to_a_plan_without_doors(hub: &TestHub) -> PlanId {
    kisi_directory(hub).await;
    let store = hub.state.store();
    let plan = store
        .catalog()
        .create_plan(hub.location, "Hot desk", &DoorAccess::default())
        .await
        .unwrap();
    store
        .subscriptions()
        .create(&NewSubscription {
            location: hub.location,
            holder: Holder::Person(hub.member.person.unwrap()),
            start: Utc::now().date_naive() - Duration::days(3),
            end: None,
            items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Paid,
        })
        .await
        .unwrap();
    plan.id
}

async fn outbox(hub: &TestHub) -> Vec<OutboxEntry> {
    hub.state
        .store()
        .outbox()
        .entries(Some(hub.location))
        .await
        .unwrap()
}

async fn whole_location_entries(hub: &TestHub) -> Vec<String> {
    outbox(hub)
        .await
        .into_iter()
        .filter(|e| e.scope == OutboxScope::Location(hub.location))
        .map(|e| e.reason)
        .collect()
}

#[tokio::test]
async fn giving_a_plan_a_door_re_evaluates_its_subscribers() {
    let hub = TestHub::new().await;
    let plan = ana_subscribed_to_a_plan_without_doors(&hub).await;
    let (_, before) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(before["locations"][0]["open_now"], json!([]), "{before}");

    let (status, updated) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            &format!("/api/plans/{}", plan.0),
            Some(json!({"door_access": {"groups": [MEMBERS_GROUP]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["name"], "Hot desk", "an absent field stays");
    assert_eq!(updated["door_access"]["groups"], json!([MEMBERS_GROUP]));

    let reasons = whole_location_entries(&hub).await;
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].contains("door access of plan"), "{reasons:?}");
    let (_, after) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    let door = &after["locations"][0]["open_now"][0];
    assert_eq!(door["lock_id"], FRONT_DOOR, "{after}");
    assert_eq!(door["why"], json!(["Hot desk plan"]));
}

#[tokio::test]
async fn renaming_a_plan_changes_the_words_but_no_ones_access() {
    let hub = TestHub::new().await;
    let plan = ana_subscribed_to_a_plan_without_doors(&hub).await;
    hub.call(
        Who::Admin,
        Method::PATCH,
        &format!("/api/plans/{}", plan.0),
        Some(json!({"door_access": {"groups": [MEMBERS_GROUP]}})),
    )
    .await;
    let entries_before = outbox(&hub).await.len();
    let (status, renamed) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            &format!("/api/plans/{}", plan.0),
            Some(json!({"name": "  Flex desk "})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Flex desk");
    assert_eq!(renamed["door_access"]["groups"], json!([MEMBERS_GROUP]));
    assert_eq!(outbox(&hub).await.len(), entries_before);
    let (_, page) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(
        page["locations"][0]["open_now"][0]["why"],
        json!(["Flex desk plan"])
    );
}

#[tokio::test]
async fn a_resource_can_change_name_kind_and_doors() {
    let hub = TestHub::new().await;
    kisi_directory(&hub).await;
    let room = hub
        .state
        .store()
        .catalog()
        .create_resource(
            hub.location,
            "Spree",
            ResourceKind::Room,
            &DoorAccess::default(),
        )
        .await
        .unwrap();
    let (status, updated) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            &format!("/api/resources/{}", room.id.0),
            Some(json!({"name": "Meeting Room Spree", "kind": "office"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["name"], "Meeting Room Spree");
    assert_eq!(updated["kind"], "office");
    assert_eq!(updated["location_id"], hub.location.0);
    let reasons = whole_location_entries(&hub).await;
    assert!(
        reasons.iter().any(|r| r.contains("kind of resource")),
        "a room that becomes an office changes who may come in with a booking: {reasons:?}"
    );
}

#[tokio::test]
async fn a_day_pass_product_can_become_a_service_and_a_policy_can_be_renamed() {
    let hub = TestHub::new().await;
    kisi_directory(&hub).await;
    let store = hub.state.store();
    let product = store
        .catalog()
        .create_product(
            hub.location,
            "Day Pass",
            ProductKind::DayPass,
            &DoorAccess::default(),
        )
        .await
        .unwrap();
    let (status, updated) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            &format!("/api/products/{}", product.id.0),
            Some(json!({"kind": "service", "door_access": {"locks": [FRONT_DOOR]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["kind"], "service");
    assert_eq!(updated["door_access"]["locks"], json!([FRONT_DOOR]));

    let policy = store
        .catalog()
        .create_visitor_policy(hub.location, "Guests", &DoorAccess::default())
        .await
        .unwrap();
    let (status, updated) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            &format!("/api/visitor-policies/{}", policy.id.0),
            Some(json!({"name": "Guests of members"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["name"], "Guests of members");
}

#[tokio::test]
async fn every_refused_field_of_an_edit_is_named_and_nothing_is_saved() {
    let hub = TestHub::new().await;
    let plan = ana_subscribed_to_a_plan_without_doors(&hub).await;
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            &format!("/api/plans/{}", plan.0),
            Some(json!({"name": "  ", "door_access": {"groups": [999]}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), "validation_failed");
    assert_eq!(fields(&body), ["name", "door_access.groups"]);
    let (_, saved) = hub.state.store().catalog().plan(plan).await.unwrap();
    assert_eq!(saved.name, "Hot desk");
    assert!(whole_location_entries(&hub).await.is_empty());

    let (status, body) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            &format!("/api/resources/{}", 4242),
            Some(json!({"kind": "castle"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["kind"], "{body}");
}

#[tokio::test]
async fn editing_an_unknown_entry_is_not_found() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            "/api/visitor-policies/4242",
            Some(json!({"name": "Anyone"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn only_admins_edit_the_catalog() {
    let hub = TestHub::new().await;
    let plan = ana_subscribed_to_a_plan_without_doors(&hub).await;
    for who in [Who::Staff, Who::Member] {
        let (status, _) = hub
            .call(
                who,
                Method::PATCH,
                &format!("/api/plans/{}", plan.0),
                Some(json!({"name": "Free for all"})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who:?}");
    }
}

#[tokio::test]
async fn staff_re_sync_one_person_through_the_outbox() {
    let hub = TestHub::new().await;
    let ana = hub.member.person.unwrap();
    let mut events = hub.state.subscribe();
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            &format!("/api/locations/{}/people/{}/resync", hub.location.0, ana.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert!(body["message"].as_str().unwrap().contains("Ana"), "{body}");
    let entries = outbox(&hub).await;
    let entry = entries
        .iter()
        .find(|e| {
            e.scope
                == OutboxScope::Person {
                    location: hub.location,
                    person: ana,
                }
        })
        .unwrap();
    assert!(
        entry.reason.contains("desk@example.com"),
        "{}",
        entry.reason
    );
    let notice = events.try_recv().unwrap();
    assert_eq!(notice.people, [ana.0], "the open pages hear of it");
}

#[tokio::test]
async fn re_sync_refuses_members_and_names_what_is_missing() {
    let hub = TestHub::new().await;
    let ana = hub.member.person.unwrap().0;
    let (status, _) = hub
        .call(
            Who::Member,
            Method::POST,
            &format!("/api/locations/{}/people/{ana}/resync", hub.location.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for uri in [
        format!("/api/locations/{}/people/4242/resync", hub.location.0),
        format!("/api/locations/4242/people/{ana}/resync"),
    ] {
        let (status, body) = hub.call(Who::Staff, Method::POST, &uri, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
    }
    assert!(outbox(&hub).await.is_empty());
}
