//! R5 through the hub: a company join staff entered for the future can be undone (the adversary:
//! a membership whose start lies after "now", which a plain "leaves now" would end before it
//! began), and a member can be removed as of a later instant.
#![allow(clippy::unwrap_used, reason = "a test stops loudly")]

use crate::common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use common::{TestHub, Who};
use serde_json::json;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn wire(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn company_with_ana(hub: &TestHub, joined_at: DateTime<Utc>) -> (i64, i64) {
    let (status, company) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/companies",
            Some(json!({"name": "Acme"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{company}");
    let company = company["id"].as_i64().unwrap();
    let ana = hub.member.person.unwrap().0;
    let (status, joined) = hub
        .call(
            Who::Staff,
            Method::POST,
            &format!("/api/companies/{company}/members"),
            Some(json!({"person_id": ana, "joined_at": wire(joined_at)})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{joined}");
    (company, ana)
}

#[tokio::test]
async fn a_future_company_join_can_be_undone_before_it_begins() {
    let now = at("2026-03-02T09:00:00Z");
    let hub = TestHub::at(now).await;
    let joins = now + Duration::days(7);
    let (company, ana) = company_with_ana(&hub, joins).await;

    let (status, removed) = hub
        .call(
            Who::Staff,
            Method::DELETE,
            &format!("/api/companies/{company}/members/{ana}"),
            None,
        )
        .await;

    assert_eq!(status, StatusCode::OK, "{removed}");
    assert_eq!(removed["left_at"], removed["joined_at"]);
    let (_, members) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/companies/{company}/members"),
            None,
        )
        .await;
    assert_eq!(
        members,
        json!([]),
        "a membership that never began is deleted"
    );
}

#[tokio::test]
async fn a_member_can_be_removed_as_of_a_later_instant() {
    let now = at("2026-03-02T09:00:00Z");
    let hub = TestHub::at(now).await;
    let (company, ana) = company_with_ana(&hub, now).await;
    let leaves = now + Duration::days(3);

    let (status, removed) = hub
        .call(
            Who::Staff,
            Method::DELETE,
            &format!(
                "/api/companies/{company}/members/{ana}?leaves_at={}",
                wire(leaves)
            ),
            None,
        )
        .await;

    assert_eq!(status, StatusCode::OK, "{removed}");
    assert_eq!(removed["left_at"].as_str().map(at), Some(leaves));

    let (status, refused) = hub
        .call(
            Who::Staff,
            Method::DELETE,
            &format!("/api/companies/{company}/members/{ana}?leaves_at=tomorrow"),
            None,
        )
        .await;
    assert!(
        status.is_client_error(),
        "a malformed instant is refused: {status} {refused}"
    );
}
