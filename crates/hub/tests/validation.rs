//! Input validation at the edge: every bad input class of each route family answers 422 in the one
//! error shape, naming the field, and writes nothing.
#![allow(clippy::unwrap_used, reason = "a test stops loudly")]

use crate::common;

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use common::{TestHub, Who};
use serde_json::{Value, json};

/// Row counts of every table: a refused request must leave them all as they were, but for its
/// own line in the audit log (issue 17 point 13: who tried what), counted apart.
async fn row_counts(hub: &TestHub) -> BTreeMap<String, i64> {
    let pool = hub.state.store().pool();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut counts = BTreeMap::new();
    for table in tables {
        let sql = if table == "audit_log" {
            "SELECT count(*) FROM audit_log WHERE kind <> 'action' OR outcome <> 'failed'"
                .to_owned()
        } else {
            format!("SELECT count(*) FROM \"{table}\"")
        };
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool)
            .await
            .unwrap();
        counts.insert(table, count);
    }
    counts
}

#[tokio::test]
async fn each_bad_input_names_its_field_in_the_one_error_shape_and_writes_nothing() {
    let hub = TestHub::new().await;
    let location = hub.location.0;
    let ana = hub.member.person.unwrap().0;
    let plan: Value = hub
        .call(
            Who::Admin,
            Method::POST,
            "/api/plans",
            Some(json!({"location_id": location, "name": "Hot desk"})),
        )
        .await
        .1;
    let room: Value = hub
        .call(
            Who::Admin,
            Method::POST,
            "/api/resources",
            Some(json!({"location_id": location, "name": "Room A", "kind": "room"})),
        )
        .await
        .1;
    let cases: Vec<(Method, String, Value, &str)> = vec![
        (
            Method::POST,
            "/api/locations".into(),
            json!({"name": "B", "time_zone": "Mars/Olympus"}),
            "time_zone",
        ),
        (
            Method::POST,
            "/api/locations".into(),
            json!({"name": "B", "time_zone": "Europe/Berlin", "booking_grace_minutes": -5}),
            "booking_grace_minutes",
        ),
        (
            Method::POST,
            "/api/locations".into(),
            json!({"name": " ", "time_zone": "Europe/Berlin"}),
            "name",
        ),
        (
            Method::PATCH,
            format!("/api/locations/{location}"),
            json!({"time_zone": "Nowhere"}),
            "time_zone",
        ),
        (
            Method::POST,
            "/api/locations".into(),
            json!({"name": "B"}),
            "time_zone",
        ),
        (
            Method::POST,
            "/api/people".into(),
            json!({"name": "Cara", "email": "cara.example.com"}),
            "email",
        ),
        (
            Method::POST,
            "/api/people".into(),
            json!({"name": "", "email": "cara@example.com"}),
            "name",
        ),
        (
            Method::POST,
            "/api/companies".into(),
            json!({"name": "  "}),
            "name",
        ),
        (
            Method::POST,
            "/api/plans".into(),
            json!({"location_id": 999, "name": "Night"}),
            "location_id",
        ),
        (
            Method::POST,
            "/api/resources".into(),
            json!({"location_id": location, "name": "Desk", "kind": "sofa"}),
            "kind",
        ),
        (
            Method::POST,
            "/api/bookings".into(),
            json!({"resource_id": room["id"], "booker_id": ana, "start": "2026-05-04T12:00:00Z", "end": "2026-05-04T11:00:00Z"}),
            "end",
        ),
        (
            Method::POST,
            "/api/bookings".into(),
            json!({"resource_id": room["id"], "booker_id": ana, "start": "noon", "end": "2026-05-04T11:00:00Z"}),
            "start",
        ),
        (
            Method::POST,
            "/api/bookings".into(),
            json!({"resource_id": room["id"], "booker_id": 999, "start": "2026-05-04T10:00:00Z", "end": "2026-05-04T11:00:00Z"}),
            "booker_id",
        ),
        (
            Method::POST,
            "/api/subscriptions".into(),
            json!({"location_id": location, "holder": {"kind": "person", "id": ana}, "start": "2026-05-10", "end": "2026-05-01",
                   "items": [{"sells": {"kind": "plan", "id": plan["id"]}, "access_override": null}]}),
            "end",
        ),
        (
            Method::POST,
            "/api/subscriptions".into(),
            json!({"location_id": location, "holder": {"kind": "person", "id": ana}, "start": "2026-05-10", "end": null, "items": []}),
            "items",
        ),
        (
            Method::POST,
            "/api/subscriptions".into(),
            json!({"location_id": location, "holder": {"kind": "person", "id": ana}, "start": "2026-05-10", "end": null, "beneficiaries": [ana],
                   "items": [{"sells": {"kind": "plan", "id": plan["id"]}, "access_override": null}]}),
            "beneficiaries",
        ),
        (
            Method::POST,
            "/api/manual-grants".into(),
            json!({"location_id": location, "person_id": ana, "door_access": {"groups": [1]}, "starts_at": "2026-05-04T12:00:00Z", "ends_at": "2026-05-04T12:00:00Z"}),
            "ends_at",
        ),
        (
            Method::POST,
            "/api/manual-grants".into(),
            json!({"location_id": location, "person_id": ana, "door_access": {}, "starts_at": "2026-05-04T12:00:00Z", "ends_at": null}),
            "door_access",
        ),
        (
            Method::POST,
            "/api/visits".into(),
            json!({"visitor_id": ana, "policy_id": 1, "expected_arrival": "2026-05-04T12:00:00Z", "expected_departure": "2026-05-04T09:00:00Z"}),
            "expected_departure",
        ),
        (
            Method::POST,
            "/api/auth/invitations".into(),
            json!({"email": "x@example.com", "role": "janitor"}),
            "role",
        ),
        (
            Method::POST,
            "/api/auth/invitations".into(),
            json!({"email": "nope", "role": "staff"}),
            "email",
        ),
        (
            Method::POST,
            format!("/api/locations/{location}/kisi"),
            json!({"method": "api_key", "api_key": " "}),
            "api_key",
        ),
        (
            Method::POST,
            format!("/api/locations/{location}/kisi"),
            json!({"method": "owner_login", "email": "", "password": "", "domain": ""}),
            "email",
        ),
        (
            Method::POST,
            "/api/me/locks/1/unlock".into(),
            json!({"latitude": 91.0, "longitude": 0.0}),
            "latitude",
        ),
    ];
    let query_cases: Vec<(String, &str)> = vec![
        ("/api/people?limit=0".into(), "limit"),
        ("/api/people?limit=5000".into(), "limit"),
        ("/api/people?offset=minus".into(), "offset"),
        ("/api/audit?outcome=maybe".into(), "outcome"),
        (
            "/api/audit?since=2026-05-04T12:00:00Z&until=2026-05-04T11:00:00Z".into(),
            "until",
        ),
        ("/api/bookings".into(), "resource_id"),
        ("/api/subscriptions".into(), "person_id"),
    ];
    let before = row_counts(&hub).await;
    let mut failures = Vec::new();
    // A member's own unlock is not an action of the log (its Kisi call is recorded instead).
    let changing = cases
        .iter()
        .filter(|(_, uri, _, _)| !uri.starts_with("/api/me/"))
        .count();
    for (method, uri, body, field) in cases {
        let who = if uri.starts_with("/api/me") {
            Who::Member
        } else {
            Who::Admin
        };
        let (status, answer) = hub.call(who, method.clone(), &uri, Some(body)).await;
        check(
            &mut failures,
            &format!("{method} {uri}"),
            status,
            &answer,
            field,
        );
    }
    for (uri, field) in query_cases {
        let (status, answer) = hub.call(Who::Admin, Method::GET, &uri, None).await;
        check(&mut failures, &format!("GET {uri}"), status, &answer, field);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        row_counts(&hub).await,
        before,
        "a refused request wrote something"
    );
    let refused: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE kind = 'action' AND outcome = 'failed' \
         AND http_status = 422",
    )
    .fetch_one(hub.state.store().pool())
    .await
    .unwrap();
    assert_eq!(
        refused,
        i64::try_from(changing).unwrap(),
        "each refused change is in the audit log as a refused attempt"
    );
}

fn check(failures: &mut Vec<String>, what: &str, status: StatusCode, answer: &Value, field: &str) {
    let fields: Vec<&str> = answer["error"]["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|p| p["field"].as_str()).collect())
        .unwrap_or_default();
    let shaped = answer["error"]["code"] == "validation_failed"
        && answer["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty());
    if status != StatusCode::UNPROCESSABLE_ENTITY
        || !shaped
        || !fields.iter().any(|f| f.starts_with(field))
    {
        failures.push(format!(
            "{what}: {status} {answer} (expected 422 naming {field})"
        ));
    }
}

#[tokio::test]
async fn a_write_about_a_missing_record_is_not_found_and_a_duplicate_is_a_conflict() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(Who::Staff, Method::GET, "/api/bookings/4242", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(common::code(&body), "not_found");
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/people",
            Some(json!({"name": "Ana again", "email": "ANA@example.com"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(common::code(&body), "conflict");
}
