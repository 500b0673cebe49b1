//! The authorization matrix: every operation of the OpenAPI document × each caller (nobody,
//! member, another member, staff, admin) → let through or denied (401/403), from one table,
//! `ROUTES`. A route added to the code but not to the table fails here, and the failure prints the
//! row to add. To extend: add `("method", "/api/path/{param}", For::…)` in path order.
#![allow(clippy::unwrap_used, clippy::panic, reason = "a test stops loudly")]

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::{TestHub, Who};
use serde_json::json;

/// Who a route is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum For {
    /// Sign-in, redeeming an invitation, and Kisi's signed deliveries.
    Anyone,
    /// Any signed-in account: every account is a person's, staff and admins too, so `/api/me`
    /// is everyone's own (issue 17).
    SignedIn,
    Staff,
    Admin,
}

const ROUTES: &[(&str, &str, For)] = &[
    ("get", "/api/accounts", For::Admin),
    ("get", "/api/accounts/history", For::Admin),
    ("post", "/api/accounts/{id}/disable", For::Admin),
    ("post", "/api/accounts/{id}/enable", For::Admin),
    ("put", "/api/accounts/{id}/role", For::Admin),
    ("post", "/api/accounts/{id}/sessions/end", For::Admin),
    ("get", "/api/audit", For::Staff),
    ("get", "/api/auth/invitations", For::Admin),
    ("post", "/api/auth/invitations", For::Staff),
    ("delete", "/api/auth/invitations/{id}", For::Admin),
    ("post", "/api/auth/invitations/redeem", For::Anyone),
    ("post", "/api/auth/password", For::SignedIn),
    ("get", "/api/auth/session", For::SignedIn),
    ("get", "/api/auth/sessions", For::SignedIn),
    ("delete", "/api/auth/sessions/{id}", For::SignedIn),
    ("post", "/api/auth/sessions/end-others", For::SignedIn),
    ("post", "/api/auth/sign-in", For::Anyone),
    // Kisi's deliveries: signed with the webhook secret, not signed in (door_events.rs tests).
    ("post", "/api/kisi/webhooks/{location}", For::Anyone),
    ("post", "/api/auth/sign-out", For::SignedIn),
    ("get", "/api/bookings", For::Staff),
    ("post", "/api/bookings", For::Staff),
    ("get", "/api/bookings/{id}", For::Staff),
    ("post", "/api/bookings/{id}/cancel", For::Staff),
    ("put", "/api/bookings/{id}/invitees", For::Staff),
    ("put", "/api/bookings/{id}/time", For::Staff),
    ("get", "/api/companies", For::Staff),
    ("post", "/api/companies", For::Staff),
    ("get", "/api/companies/{id}", For::Staff),
    ("patch", "/api/companies/{id}", For::Staff),
    ("get", "/api/companies/{id}/members", For::Staff),
    ("post", "/api/companies/{id}/members", For::Staff),
    (
        "delete",
        "/api/companies/{id}/members/{person_id}",
        For::Staff,
    ),
    ("post", "/api/day-passes", For::Staff),
    ("delete", "/api/day-passes/{id}", For::Staff),
    ("post", "/api/day-passes/{id}/cancel", For::Staff),
    ("get", "/api/events", For::SignedIn),
    ("get", "/api/locations", For::Staff),
    ("post", "/api/locations", For::Admin),
    ("get", "/api/locations/{id}", For::Staff),
    ("patch", "/api/locations/{id}", For::Admin),
    ("get", "/api/locations/{id}/desk-day", For::Staff),
    ("get", "/api/locations/{id}/door-events", For::Staff),
    (
        "get",
        "/api/locations/{id}/exports/attendance.csv",
        For::Staff,
    ),
    ("get", "/api/locations/{id}/exports/audit.csv", For::Staff),
    ("get", "/api/locations/{id}/exports/ledger.csv", For::Staff),
    ("get", "/api/locations/{id}/kisi", For::Staff),
    ("post", "/api/locations/{id}/kisi", For::Admin),
    ("get", "/api/locations/{id}/kisi/catalogue", For::Staff),
    ("post", "/api/locations/{id}/kisi/disconnect", For::Admin),
    ("put", "/api/locations/{id}/kisi/place", For::Admin),
    ("get", "/api/locations/{id}/kisi/webhook", For::Staff),
    ("post", "/api/locations/{id}/kisi/webhook", For::Admin),
    ("delete", "/api/locations/{id}/kisi/webhook", For::Admin),
    (
        "post",
        "/api/locations/{id}/kisi/webhook/backfill",
        For::Staff,
    ),
    ("get", "/api/locations/{id}/mappings", For::Staff),
    ("get", "/api/locations/{id}/occupancy", For::Staff),
    ("get", "/api/locations/{id}/people", For::Staff),
    ("get", "/api/locations/{id}/presence", For::Staff),
    ("get", "/api/locations/{id}/presence/settings", For::Staff),
    ("put", "/api/locations/{id}/presence/settings", For::Admin),
    ("get", "/api/locations/{id}/sync/revocations", For::Staff),
    ("get", "/api/outcome-endpoints", For::Admin),
    ("post", "/api/outcome-endpoints", For::Admin),
    ("put", "/api/outcome-endpoints/{id}", For::Admin),
    ("delete", "/api/outcome-endpoints/{id}", For::Admin),
    ("post", "/api/outcome-endpoints/{id}/secret", For::Admin),
    ("post", "/api/outcome-endpoints/{id}/test", For::Admin),
    ("get", "/api/outcome-endpoints/{id}/deliveries", For::Admin),
    (
        "post",
        "/api/outcome-deliveries/{id}/send-again",
        For::Admin,
    ),
    ("get", "/api/locations/{id}/plans", For::Staff),
    ("get", "/api/locations/{id}/products", For::Staff),
    ("get", "/api/locations/{id}/resources", For::Staff),
    ("get", "/api/locations/{id}/sync/dry-run", For::Staff),
    ("post", "/api/locations/{id}/sync/retry", For::Staff),
    ("get", "/api/locations/{id}/visitor-policies", For::Staff),
    (
        "delete",
        "/api/locations/{location_id}/people/{person_id}/hold",
        For::Staff,
    ),
    (
        "post",
        "/api/locations/{location_id}/people/{person_id}/hold",
        For::Staff,
    ),
    (
        "get",
        "/api/locations/{location_id}/people/{person_id}/kisi",
        For::Staff,
    ),
    (
        "post",
        "/api/locations/{location_id}/people/{person_id}/kisi/disconnect",
        For::Staff,
    ),
    (
        "post",
        "/api/locations/{location_id}/people/{person_id}/kisi/reconnect",
        For::Staff,
    ),
    (
        "post",
        "/api/locations/{location_id}/people/{person_id}/resync",
        For::Staff,
    ),
    ("post", "/api/manual-grants", For::Staff),
    ("post", "/api/manual-grants/{id}/end", For::Staff),
    ("get", "/api/me/access", For::SignedIn),
    ("get", "/api/me/other-doors", For::SignedIn),
    ("get", "/api/me/kisi-login", For::SignedIn),
    ("get", "/api/me/locks/{lock_id}/explain", For::SignedIn),
    ("post", "/api/me/locks/{lock_id}/unlock", For::SignedIn),
    ("post", "/api/me/unlock-events", For::SignedIn),
    ("get", "/api/people", For::Staff),
    ("post", "/api/people", For::Staff),
    ("get", "/api/people/{id}", For::Staff),
    ("get", "/api/people/{id}/access", For::Staff),
    ("get", "/api/people/{id}/attendance", For::Staff),
    ("get", "/api/people/{id}/ledger", For::Staff),
    ("patch", "/api/people/{id}", For::Staff),
    ("get", "/api/people/{id}/day-passes", For::Staff),
    (
        "get",
        "/api/people/{id}/locks/{lock_id}/explain",
        For::Staff,
    ),
    ("get", "/api/people/{id}/manual-grants", For::Staff),
    ("get", "/api/people/{id}/visits", For::Staff),
    ("post", "/api/plans", For::Admin),
    ("patch", "/api/plans/{id}", For::Admin),
    ("put", "/api/plans/{id}/door-access", For::Admin),
    ("post", "/api/products", For::Admin),
    ("patch", "/api/products/{id}", For::Admin),
    ("put", "/api/products/{id}/door-access", For::Admin),
    ("post", "/api/resources", For::Admin),
    ("patch", "/api/resources/{id}", For::Admin),
    ("put", "/api/resources/{id}/door-access", For::Admin),
    ("get", "/api/subscriptions", For::Staff),
    ("get", "/api/support-bundle", For::Admin),
    ("post", "/api/subscriptions", For::Staff),
    ("get", "/api/subscriptions/{id}", For::Staff),
    ("put", "/api/subscriptions/{id}/beneficiaries", For::Staff),
    ("post", "/api/subscriptions/{id}/cancel", For::Staff),
    ("put", "/api/subscriptions/{id}/end", For::Staff),
    ("post", "/api/subscriptions/{id}/items", For::Staff),
    (
        "delete",
        "/api/subscriptions/{id}/items/{item_id}",
        For::Staff,
    ),
    (
        "put",
        "/api/subscriptions/{id}/items/{item_id}/door-access",
        For::Staff,
    ),
    ("get", "/api/sync/status", For::Staff),
    ("post", "/api/visitor-policies", For::Admin),
    ("patch", "/api/visitor-policies/{id}", For::Admin),
    ("put", "/api/visitor-policies/{id}/door-access", For::Admin),
    ("get", "/api/visitors", For::Staff),
    ("post", "/api/visitors", For::Staff),
    ("post", "/api/visits", For::Staff),
    ("post", "/api/visits/{id}/cancel", For::Staff),
];

const CALLERS: [Who; 5] = [
    Who::Nobody,
    Who::Member,
    Who::OtherMember,
    Who::Staff,
    Who::Admin,
];

/// What the matrix expects: `Some(status)` for a denial, `None` for "let through" (any answer
/// but 401 and 403: the handler then decides, e.g. 404 or 422 for the empty test payload).
fn expected(route: For, who: Who) -> Option<StatusCode> {
    let denied = match (route, who) {
        (For::Anyone, _) => return None,
        (_, Who::Nobody) => return Some(StatusCode::UNAUTHORIZED),
        (For::SignedIn, _) => false,
        (For::Staff, who) => !matches!(who, Who::Staff | Who::Admin),
        (For::Admin, who) => who != Who::Admin,
    };
    denied.then_some(StatusCode::FORBIDDEN)
}

fn method(name: &str) -> Method {
    name.to_uppercase().parse().unwrap()
}

fn concrete(path: &str) -> String {
    path.split('/')
        .map(|part| if part.starts_with('{') { "1" } else { part })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_documented_route_is_in_the_table_and_every_table_row_is_documented() {
    let doc = serde_json::to_value(doorlink_hub::openapi_document()).unwrap();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    let table: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<String> = documented
        .difference(&table)
        .map(|(method, path)| format!("    (\"{method}\", \"{path}\", For::?),"))
        .collect();
    assert!(
        missing.is_empty(),
        "these routes have no row in ROUTES (crates/hub/tests/authorization.rs). Add each, in \
         path order, with who it is for — For::Anyone (no session), For::SignedIn (any account), \
         For::Staff (staff and admins) or \
         For::Admin:\n{}",
        missing.join("\n")
    );
    let stale: Vec<_> = table.difference(&documented).collect();
    assert!(
        stale.is_empty(),
        "ROUTES has rows for routes the OpenAPI document does not have (renamed or removed? \
         update or delete the row): {stale:?}"
    );
}

#[tokio::test]
async fn every_route_lets_in_exactly_the_roles_it_is_for() {
    let mut failures = Vec::new();
    for &(method_name, path, route) in ROUTES {
        // A fresh hub per route: signing out (or a write) must not change the next row.
        let hub = TestHub::new().await;
        for who in CALLERS {
            let uri = concrete(path);
            let body = (method_name != "get" && method_name != "delete").then(|| json!({}));
            let status = if path == "/api/events" {
                hub.status_only(who, method(method_name), &uri).await
            } else {
                hub.call(who, method(method_name), &uri, body).await.0
            };
            let ok = match expected(route, who) {
                Some(denied) => status == denied,
                None => status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
            };
            if !ok {
                failures.push(format!(
                    "{method_name} {path} as {who:?}: {status}, expected {:?}",
                    expected(route, who)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_member_never_reaches_another_members_records() {
    let hub = TestHub::new().await;
    let ben = hub.other_member.person.unwrap().0;
    for uri in [
        format!("/api/people/{ben}"),
        format!("/api/people/{ben}/manual-grants"),
        format!("/api/bookings?person_id={ben}"),
        format!("/api/subscriptions?person_id={ben}"),
        format!("/api/locations/{}/people/{ben}/kisi", hub.location.0),
    ] {
        let (status, body) = hub.call(Who::Member, Method::GET, &uri, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {body}");
        assert!(
            !body.to_string().contains("ben@example.com"),
            "{uri} leaked: {body}"
        );
    }
    let (_, mine) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(mine["person_id"], hub.member.person.unwrap().0);
}

#[tokio::test]
async fn unknown_api_paths_answer_the_json_error_not_the_ui() {
    let hub = TestHub::new().await;
    let (status, body) = hub.call(Who::Admin, Method::GET, "/api/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(common::code(&body), "not_found");
}

#[tokio::test]
async fn the_openapi_document_is_served_without_a_session() {
    let hub = TestHub::new().await;
    let (status, doc) = hub
        .call(Who::Nobody, Method::GET, "/api/openapi.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/me/access"]["get"].is_object());
    let people_parameters = doc["paths"]["/api/people"]["get"]["parameters"].to_string();
    assert!(
        people_parameters.contains("\"search\""),
        "{people_parameters}"
    );
    let booking_parameters = doc["paths"]["/api/bookings"]["get"]["parameters"].to_string();
    assert!(
        booking_parameters.contains("\"until\""),
        "{booking_parameters}"
    );
    assert!(doc["paths"]["/api/plans/{id}"]["patch"].is_object());
    assert!(doc["components"]["schemas"]["CurrentSession"].is_object());
    assert!(doc["components"]["schemas"]["UnlockReport"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
}

#[tokio::test]
async fn without_a_built_ui_the_root_says_how_to_build_it() {
    let hub = TestHub::new().await;
    let html = hub.text(Method::GET, "/").await;
    assert!(html.contains("npm run build"), "{html}");
}
