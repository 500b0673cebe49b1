//! Visitors as the front desk expects them (issue 17, point 9): a visitor registered by name and
//! e-mail with a host, the desk's day, ending a visit early and cancelling a day pass. The
//! adversaries: the same e-mail registered twice (and spelled differently), a member's e-mail, hostile
//! sizes, a second "end" click, and Kisi itself (the emulator) that must lose the access.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests stop loudly"
)]

use crate::common;
use crate::kisi_space;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::{TestHub, Who, code, fields};
use doorlink_core::DoorAccess;
use kisi_space::{KisiSpace, id_named};
use serde_json::{Value, json};

async fn guests_policy(hub: &TestHub) -> i64 {
    hub.state
        .store()
        .catalog()
        .create_visitor_policy(hub.location, "Guests", &DoorAccess::default())
        .await
        .unwrap()
        .id
        .0
}

fn visitor(name: &str, email: &str, host: i64, policy: i64) -> Value {
    let now = Utc::now();
    json!({
        "name": name, "email": email, "host_id": host, "policy_id": policy,
        "expected_arrival": (now + Duration::hours(1)).to_rfc3339(),
        "expected_departure": (now + Duration::hours(3)).to_rfc3339(),
    })
}

#[tokio::test]
async fn registering_the_same_visitor_twice_makes_one_person_however_the_email_is_spelled() {
    let hub = TestHub::new().await;
    let policy = guests_policy(&hub).await;
    let host = hub.member.person.unwrap().0;
    let (status, first) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/visitors",
            Some(visitor("Vera Visitor", "vera@guest.example", host, policy)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["visitor_created"], true);
    assert_eq!(first["visit"]["host"]["name"], "Ana");
    let (status, second) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/visitors",
            Some(visitor("Vera V.", "  VERA@Guest.example ", host, policy)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["visitor_created"], false);
    assert_eq!(second["visitor"]["id"], first["visitor"]["id"]);
    let found = hub
        .state
        .store()
        .people()
        .search("vera@guest.example", 0, 10)
        .await
        .unwrap();
    assert_eq!(found.total, 1, "one person for one e-mail");
}

#[tokio::test]
async fn a_members_email_reuses_the_member_as_the_visitor() {
    let hub = TestHub::new().await;
    let policy = guests_policy(&hub).await;
    let ben = hub.other_member.person.unwrap().0;
    let host = hub.member.person.unwrap().0;
    let (status, answer) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/visitors",
            Some(visitor("Somebody Else", "ben@example.com", host, policy)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["visitor"]["id"], ben);
    assert_eq!(
        answer["visitor"]["name"], "Ben",
        "the member's record is not renamed"
    );
    // The visit shows on the member's page with its host.
    let (_, visits) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/people/{ben}/visits"),
            None,
        )
        .await;
    assert_eq!(visits[0]["host"]["id"], host);
}

#[tokio::test]
async fn hostile_sizes_and_a_missing_host_are_refused_with_every_field_named() {
    let hub = TestHub::new().await;
    let policy = guests_policy(&hub).await;
    let people_before = hub.state.store().people().list().await.unwrap().len();
    let mut body = visitor(
        &"N".repeat(5000),
        &format!("{}@x.example", "a".repeat(300)),
        4242,
        policy,
    );
    body["expected_departure"] = body["expected_arrival"].clone();
    let (status, answer) = hub
        .call(Who::Staff, Method::POST, "/api/visitors", Some(body))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let named = fields(&answer);
    for field in ["name", "email", "expected_departure", "host_id"] {
        assert!(
            named.contains(&field.to_owned()),
            "{field} missing in {answer}"
        );
    }
    let people = hub.state.store().people().list().await.unwrap();
    assert_eq!(
        people.len(),
        people_before,
        "nothing was written: {people:?}"
    );
    // A malformed address and an unknown policy are field problems too.
    let (status, answer) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/visitors",
            Some(visitor("Vera", "vera at guest", 1, 999)),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(fields(&answer), vec!["email", "policy_id"]);
}

#[tokio::test]
async fn a_member_may_not_register_visitors() {
    let hub = TestHub::new().await;
    let policy = guests_policy(&hub).await;
    let (status, _) = hub
        .call(
            Who::Member,
            Method::POST,
            "/api/visitors",
            Some(visitor("Vera", "vera@guest.example", 1, policy)),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn ending_a_visit_that_already_ended_is_a_clear_conflict() {
    let hub = TestHub::new().await;
    let policy = guests_policy(&hub).await;
    let host = hub.member.person.unwrap().0;
    let (_, registered) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/visitors",
            Some(visitor("Vera", "vera@guest.example", host, policy)),
        )
        .await;
    let id = registered["visit"]["id"].as_i64().unwrap();
    let end = format!("/api/visits/{id}/cancel");
    let (status, ended) = hub
        .call(Who::Staff, Method::POST, &end, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert!(ended["cancelled_at"].is_string());
    assert_eq!(ended["host"]["id"], host);
    let (status, again) = hub
        .call(Who::Staff, Method::POST, &end, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(code(&again), "conflict");
    assert!(
        again["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already ended"),
        "{again}"
    );
}

/// The desk's list of one day at the location, as the Visitors page reads it.
async fn desk_day(space: &KisiSpace) -> Value {
    space
        .admin
        .get(&format!("/api/visitors?location_id={}", space.location))
        .await
}

#[tokio::test]
async fn a_visitor_gets_a_kisi_link_that_ending_the_visit_early_revokes_in_kisi() {
    let space = KisiSpace::start().await;
    let directory = space
        .admin
        .get(&format!("/api/locations/{}/kisi/catalogue", space.location))
        .await;
    let visitors_group = id_named(&directory["groups"], "Visitors");
    let policy = space
        .admin
        .post(
            "/api/visitor-policies",
            json!({"location_id": space.location, "name": "Guests", "door_access": {"groups": [visitors_group]}}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let now = Utc::now();
    let registered = space
        .admin
        .post(
            "/api/visitors",
            json!({
                "name": "Vera Visitor", "email": "vera@guest.example", "host_id": space.ana,
                "policy_id": policy,
                "expected_arrival": (now - Duration::minutes(5)).to_rfc3339(),
                "expected_departure": (now + Duration::hours(2)).to_rfc3339(),
            }),
        )
        .await;
    let visit = registered["visit"]["id"].as_i64().unwrap();

    // Before the sync ran, the desk is told honestly that the link is being prepared.
    let before = desk_day(&space).await;
    assert_eq!(
        before["visits"][0]["access_link"]["state"],
        "being_prepared"
    );
    assert_eq!(before["visits"][0]["status"], "on_site");
    assert_eq!(before["visits"][0]["visit"]["host"]["name"], "Ana Lima");

    space.sync().await;
    let links = space.kisi.control().state().group_links;
    let link = links
        .iter()
        .find(|l| l.email.as_deref() == Some("vera@guest.example"))
        .expect("Kisi has no access link for the visitor");
    let day = desk_day(&space).await;
    let shown = &day["visits"][0]["access_link"];
    assert_eq!(shown["state"], "ready", "{day}");
    assert!(
        shown["url"].as_str().unwrap().ends_with(&link.secret),
        "the link shown is Kisi's: {shown}"
    );
    assert!(shown["qr_svg"].as_str().unwrap().contains("<svg"));

    // End the visit early: the link is deleted in Kisi at the next sync.
    space
        .admin
        .post(&format!("/api/visits/{visit}/cancel"), json!({}))
        .await;
    space.sync().await;
    let later = space.kisi.control().state();
    let still_open: Vec<_> = later
        .group_links
        .iter()
        .filter(|l| l.email.as_deref() == Some("vera@guest.example"))
        .filter(|l| l.valid_until.is_none_or(|until| until > later.now))
        .collect();
    assert!(
        still_open.is_empty(),
        "Kisi still lets the visitor in: {still_open:?}"
    );
    let day = desk_day(&space).await;
    assert_eq!(day["visits"][0]["status"], "ended");
    assert_eq!(day["visits"][0]["access_link"]["state"], "none");
    space.stop().await;
}

#[tokio::test]
async fn a_cancelled_day_pass_is_kept_as_cancelled_and_its_kisi_access_goes() {
    let space = KisiSpace::start().await;
    let directory = space
        .admin
        .get(&format!("/api/locations/{}/kisi/catalogue", space.location))
        .await;
    let day_pass_group = id_named(&directory["groups"], "Day Pass");
    let product = space
        .admin
        .post(
            "/api/products",
            json!({"location_id": space.location, "name": "Day pass", "kind": "day_pass", "door_access": {"groups": [day_pass_group]}}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let today = desk_day(&space).await["date"].clone();
    let pass = space
        .admin
        .post(
            "/api/day-passes",
            json!({"person_id": space.ana, "product_id": product, "date": today}),
        )
        .await;
    space.sync().await;
    assert!(
        !space.ana_assignments_in(day_pass_group).is_empty(),
        "the day pass never reached Kisi"
    );
    let id = pass["id"].as_i64().unwrap();
    let cancelled = space
        .admin
        .post(&format!("/api/day-passes/{id}/cancel"), json!({}))
        .await;
    assert!(cancelled["cancelled_at"].is_string());
    space.sync().await;
    assert!(
        space.ana_assignments_in(day_pass_group).is_empty(),
        "Kisi still holds the cancelled day pass's access"
    );
    let day = desk_day(&space).await;
    assert_eq!(day["day_passes"][0]["pass"]["id"], id, "the pass is kept");
    assert!(day["day_passes"][0]["pass"]["cancelled_at"].is_string());
    let (status, again) = space
        .admin
        .send(
            Method::POST,
            &format!("/api/day-passes/{id}/cancel"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 409, "{again}");
    space.stop().await;
}
