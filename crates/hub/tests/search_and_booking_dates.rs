//! The front desk finds people by part of a name or e-mail, sees each one's plans and hold at a
//! location and filters by them (issue 17), and lists the bookings of a day or a week (contracts 1
//! and 2).
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{TestHub, Who, code, fields};
use doorlink_core::{DoorAccess, Holder, ItemKind, PaymentStatus, ResourceId, ResourceKind};
use doorlink_store::{NewBooking, NewItem, NewSubscription};
use serde_json::Value;

fn names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect()
}

async fn add_people(hub: &TestHub, people: &[(&str, &str)]) {
    for (name, email) in people {
        hub.state
            .store()
            .people()
            .create(name, email)
            .await
            .unwrap();
    }
}

async fn search(hub: &TestHub, query: &str) -> Value {
    let (status, page) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/people?{query}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {page}");
    page
}

#[tokio::test]
async fn search_matches_names_and_emails_in_any_case() {
    let hub = TestHub::new().await;
    add_people(
        &hub,
        &[
            ("Mia Keller", "mia@acme.example"),
            ("Jonas Brandt", "jonas@kellerei.example"),
            ("Lea Wolf", "lea@example.com"),
        ],
    )
    .await;
    let page = search(&hub, "search=KELLER").await;
    assert_eq!(
        names(&page),
        ["Jonas Brandt", "Mia Keller"],
        "by name and by e-mail, sorted by name"
    );
    assert_eq!(page["total"], 2);
    assert_eq!(
        names(&search(&hub, "search=ACME.example").await),
        ["Mia Keller"]
    );
}

#[tokio::test]
async fn search_is_trimmed_and_a_blank_search_lists_everybody() {
    let hub = TestHub::new().await;
    add_people(&hub, &[("Mia Keller", "mia@acme.example")]).await;
    assert_eq!(
        names(&search(&hub, "search=%20%20mia%20").await),
        ["Mia Keller"]
    );
    let everybody = search(&hub, "search=%20").await;
    // The staff and admin accounts are people too (issue 17).
    assert_eq!(
        names(&everybody),
        ["Admin", "Ana", "Ben", "Desk", "Mia Keller"]
    );
    assert_eq!(search(&hub, "").await["total"], 5);
}

#[tokio::test]
async fn percent_and_underscore_in_a_search_are_plain_characters() {
    let hub = TestHub::new().await;
    add_people(
        &hub,
        &[
            ("100% Coffee", "coffee@example.com"),
            ("Rita_Admin", "rita@example.com"),
            ("Ritas Admin", "ritas@example.com"),
        ],
    )
    .await;
    assert_eq!(names(&search(&hub, "search=%25").await), ["100% Coffee"]);
    assert_eq!(names(&search(&hub, "search=a_a").await), ["Rita_Admin"]);
    assert_eq!(
        search(&hub, "search=%5C").await["total"],
        0,
        "a backslash is plain too"
    );
}

#[tokio::test]
async fn search_pages_and_counts_every_match() {
    let hub = TestHub::new().await;
    add_people(
        &hub,
        &[
            ("Kim A", "kim.a@example.com"),
            ("Kim B", "kim.b@example.com"),
            ("Kim C", "kim.c@example.com"),
        ],
    )
    .await;
    let page = search(&hub, "search=kim&offset=1&limit=1").await;
    assert_eq!(names(&page), ["Kim B"]);
    assert_eq!(page["total"], 3);
    assert_eq!(page["offset"], 1);
    assert_eq!(page["limit"], 1);
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::GET,
            "/api/people?search=kim&limit=0",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["limit"]);
}

#[tokio::test]
async fn a_member_cannot_search_people() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(Who::Member, Method::GET, "/api/people?search=ben", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.to_string().contains("ben@example.com"), "{body}");
}

/// Bookings of one room on Tuesday 24 Nov 2026: 08:00–09:00, 09:00–10:00, 12:00–13:00, and one
/// on Wednesday 09:00–10:00. Answers the room.
async fn tuesday_bookings(hub: &TestHub) -> ResourceId {
    let store = hub.state.store();
    let room = store
        .catalog()
        .create_resource(
            hub.location,
            "Spree",
            ResourceKind::Room,
            &DoorAccess::default(),
        )
        .await
        .unwrap();
    let ana = hub.member.person.unwrap();
    for (day, from, to) in [(24, 8, 9), (24, 9, 10), (24, 12, 13), (25, 9, 10)] {
        store
            .bookings()
            .create(&NewBooking {
                resource: room.id,
                booker: ana,
                invitees: BTreeSet::new(),
                start: utc(day, from),
                end: utc(day, to),
            })
            .await
            .unwrap();
    }
    room.id
}

fn utc(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

async fn bookings_between(
    hub: &TestHub,
    room: ResourceId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let uri = format!(
        "/api/bookings?resource_id={}&from={}&until={}",
        room.0,
        urlencode(from),
        urlencode(until)
    );
    let (status, page) = hub.call(Who::Staff, Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                serde_json::from_value(b["start"].clone()).unwrap(),
                serde_json::from_value(b["end"].clone()).unwrap(),
            )
        })
        .collect()
}

fn urlencode(at: DateTime<Utc>) -> String {
    at.to_rfc3339().replace('+', "%2B")
}

#[tokio::test]
async fn a_booking_ending_exactly_at_from_is_not_listed() {
    let hub = TestHub::new().await;
    let room = tuesday_bookings(&hub).await;
    let found = bookings_between(&hub, room, utc(24, 9), utc(24, 12)).await;
    assert_eq!(
        found,
        [(utc(24, 9), utc(24, 10))],
        "08:00–09:00 ends at from; 12:00–13:00 starts at until"
    );
}

#[tokio::test]
async fn a_booking_overlapping_either_edge_is_listed() {
    let hub = TestHub::new().await;
    let room = tuesday_bookings(&hub).await;
    let half_past = utc(24, 8) + Duration::minutes(30);
    let found = bookings_between(&hub, room, half_past, utc(24, 12) + Duration::minutes(1)).await;
    assert_eq!(
        found,
        [
            (utc(24, 8), utc(24, 9)),
            (utc(24, 9), utc(24, 10)),
            (utc(24, 12), utc(24, 13)),
        ]
    );
}

#[tokio::test]
async fn a_day_lists_that_days_bookings_only() {
    let hub = TestHub::new().await;
    let room = tuesday_bookings(&hub).await;
    assert_eq!(
        bookings_between(&hub, room, utc(24, 0), utc(25, 0))
            .await
            .len(),
        3
    );
    assert_eq!(
        bookings_between(&hub, room, utc(25, 0), utc(26, 0)).await,
        [(utc(25, 9), utc(25, 10))]
    );
}

#[tokio::test]
async fn a_person_s_bookings_can_be_narrowed_to_a_range_too() {
    let hub = TestHub::new().await;
    tuesday_bookings(&hub).await;
    let ana = hub.member.person.unwrap().0;
    let uri = format!(
        "/api/bookings?person_id={ana}&from={}&until={}",
        urlencode(utc(25, 0)),
        urlencode(utc(26, 0))
    );
    let (status, page) = hub.call(Who::Staff, Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["location_id"], hub.location.0);
    let ben = hub.other_member.person.unwrap().0;
    let (_, bens) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/bookings?person_id={ben}"),
            None,
        )
        .await;
    assert_eq!(bens["total"], 0);
}

#[tokio::test]
async fn until_not_after_from_is_refused_naming_until() {
    let hub = TestHub::new().await;
    let room = tuesday_bookings(&hub).await;
    for until in [utc(24, 9), utc(24, 8)] {
        let uri = format!(
            "/api/bookings?resource_id={}&from={}&until={}",
            room.0,
            urlencode(utc(24, 9)),
            urlencode(until)
        );
        let (status, body) = hub.call(Who::Staff, Method::GET, &uri, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(code(&body), "validation_failed");
        assert_eq!(fields(&body), ["until"]);
    }
}

#[tokio::test]
async fn an_unknown_resource_or_person_is_named() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::GET,
            "/api/bookings?resource_id=999&person_id=998",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), ["resource_id", "person_id"]);
}

#[tokio::test]
async fn a_member_cannot_list_bookings() {
    let hub = TestHub::new().await;
    let room = tuesday_bookings(&hub).await;
    let (status, _) = hub
        .call(
            Who::Member,
            Method::GET,
            &format!("/api/bookings?resource_id={}", room.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn people_at(hub: &TestHub, query: &str) -> Value {
    let (status, page) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/locations/{}/people?{query}", hub.location.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {page}");
    page
}

/// The adversary: Ana on a company-less plan and Ben on hold, among the staff's own people; a
/// filter must keep exactly each kind, with a total that counts the filtered list, not the page.
#[tokio::test]
async fn the_people_list_shows_plans_and_holds_and_filters_by_them() {
    let hub = TestHub::new().await;
    let store = hub.state.store();
    let plan = store
        .catalog()
        .create_plan(hub.location, "Hot desk", &DoorAccess::none())
        .await
        .unwrap();
    let ana = hub.member.person.unwrap();
    store
        .subscriptions()
        .create(&NewSubscription {
            location: hub.location,
            holder: Holder::Person(ana),
            start: hub.state.now().date_naive() - Duration::days(3),
            end: None,
            items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Paid,
        })
        .await
        .unwrap();
    let ben = hub.other_member.person.unwrap();
    store.holds().hold(hub.location, ben).await.unwrap();

    let everybody = people_at(&hub, "").await;
    assert_eq!(names(&everybody), ["Admin", "Ana", "Ben", "Desk"]);
    let row = |page: &Value, name: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        row(&everybody, "Ana")["plans"],
        serde_json::json!(["Hot desk"])
    );
    assert!(row(&everybody, "Ana")["on_hold_since"].is_null());
    assert!(row(&everybody, "Ben")["on_hold_since"].is_string());

    assert_eq!(names(&people_at(&hub, "standing=members").await), ["Ana"]);
    assert_eq!(names(&people_at(&hub, "standing=on_hold").await), ["Ben"]);
    let no_plan = people_at(&hub, "standing=no_plan&limit=2").await;
    assert_eq!(names(&no_plan), ["Admin", "Ben"]);
    assert_eq!(no_plan["total"], 3, "the total counts the filtered list");
    assert_eq!(
        names(&people_at(&hub, "search=an&standing=members").await),
        ["Ana"]
    );
}

#[tokio::test]
async fn an_unknown_standing_is_refused_naming_the_field() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/locations/{}/people?standing=vip", hub.location.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("standing"), "{body}");
}
