//! Hostile input at the edge (issue 11): an anonymous caller or a signed-in member trying to grow
//! the hub's memory or disk, or to write fake history. Each test is the attacker's steps.
#![allow(clippy::unwrap_used, reason = "a test stops loudly")]

use crate::common;

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use common::{TestHub, Who, code, fields};
use doorlink_hub::{AppState, HubConfig, app};
use doorlink_store::{Clock, Store};
use serde_json::json;
use tower::ServiceExt;

/// Attacker: anonymous, signing in with unique e-mails of 1.9 MB each (this took the hub from 52 to
/// 345 MB, never freed: every e-mail became a throttle key).
#[tokio::test]
async fn anonymous_sign_ins_with_megabyte_emails_are_refused_before_parsing_and_remember_nothing() {
    let hub = TestHub::new().await;
    let padding = "a".repeat(1_900_000);
    for n in 0..150 {
        let (status, body) = hub
            .call(
                Who::Nobody,
                Method::POST,
                "/api/auth/sign-in",
                Some(json!({"email": format!("{n}{padding}@example.com"), "password": "guess"})),
            )
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_eq!(code(&body), "too_large");
    }
    assert_eq!(hub.state.throttle().key_count().await.unwrap(), 0);
}

/// Attacker: anonymous, staying under the body limit with e-mails of 60 KB, each unique.
#[tokio::test]
async fn anonymous_sign_ins_with_overlong_emails_are_refused_at_the_field_and_remember_nothing() {
    let hub = TestHub::new().await;
    let padding = "a".repeat(60_000);
    for n in 0..150 {
        let (status, body) = hub
            .call(
                Who::Nobody,
                Method::POST,
                "/api/auth/sign-in",
                Some(json!({"email": format!("{n}{padding}@example.com"), "password": "guess"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(fields(&body), vec!["email"]);
        assert!(
            body.to_string().len() < 1000,
            "the refusal does not echo the e-mail"
        );
    }
    assert_eq!(hub.state.throttle().key_count().await.unwrap(), 0);
}

/// Attacker: anonymous, redeeming made-up invitation tokens of 1.9 MB each.
#[tokio::test]
async fn redeeming_megabyte_invitation_tokens_is_refused_before_parsing_and_remembers_nothing() {
    let hub = TestHub::new().await;
    let padding = "t".repeat(1_900_000);
    for n in 0..20 {
        let (status, body) = hub
            .call(
                Who::Nobody,
                Method::POST,
                "/api/auth/invitations/redeem",
                Some(json!({"token": format!("{n}{padding}"), "password": "long enough password"})),
            )
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    }
    assert_eq!(hub.state.throttle().key_count().await.unwrap(), 0);
}

/// Attacker: a signed-in member sending a body over the limit to a write route.
#[tokio::test]
async fn every_write_route_refuses_an_oversized_body_with_413() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(
            Who::Member,
            Method::POST,
            "/api/me/unlock-events",
            Some(json!({"message": "m".repeat(doorlink_hub::MAX_BODY_BYTES)})),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("larger than"),
        "{body}"
    );
}

/// A hub behind a reverse proxy at 10.0.0.2 (configured as trusted).
async fn hub_behind_proxy() -> Router {
    let mut config = HubConfig::with_database(":memory:");
    config.run_sync_worker = false;
    config.ui_dist = Some("/nonexistent-ui-dist".into());
    config.trusted_proxies = vec!["10.0.0.2/32".parse().unwrap()];
    // The clock stands still: the throttle's window must not refill while slow (argon2, a busy
    // machine) sign-ins run, or the sixth guess would pass for reasons of time, not of addresses.
    let now = Utc::now();
    let clock = Clock::from_fn(move || now);
    app(AppState::with_clock(
        Store::open_in_memory()
            .await
            .unwrap()
            .with_clock(clock.clone()),
        config,
        clock,
    ))
}

/// A sign-in arriving over a socket from `peer`, carrying `forwarded_for` when given.
async fn sign_in_from(
    router: &Router,
    peer: &str,
    forwarded_for: Option<&str>,
    email: &str,
) -> StatusCode {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/sign-in")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    if let Some(client) = forwarded_for {
        request = request.header("x-forwarded-for", client);
    }
    let body = json!({"email": email, "password": "not the password"}).to_string();
    let response = router
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    response.status()
}

/// Attacker: one client behind the office's reverse proxy guessing passwords of many accounts.
/// Every request reaches the hub from the proxy's address; counting that address would lock out
/// everyone behind the proxy after five bad passwords.
#[tokio::test]
async fn behind_a_trusted_proxy_one_clients_bad_passwords_do_not_lock_out_another_client() {
    let router = hub_behind_proxy().await;
    for n in 0..5 {
        let status = sign_in_from(
            &router,
            "10.0.0.2:40000",
            Some("203.0.113.5"),
            &format!("guess{n}@example.com"),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let guesser = sign_in_from(
        &router,
        "10.0.0.2:40000",
        Some("203.0.113.5"),
        "guess9@example.com",
    )
    .await;
    assert_eq!(
        guesser,
        StatusCode::TOO_MANY_REQUESTS,
        "the guesser is held back"
    );
    let colleague = sign_in_from(
        &router,
        "10.0.0.2:40001",
        Some("198.51.100.7"),
        "ben@example.com",
    )
    .await;
    assert_eq!(
        colleague,
        StatusCode::UNAUTHORIZED,
        "another client still may try"
    );
}

/// Attacker: a client reaching the hub directly, writing a new `X-Forwarded-For` on every guess to
/// look like many clients.
#[tokio::test]
async fn a_forged_forwarded_for_header_from_an_untrusted_peer_is_ignored() {
    let router = hub_behind_proxy().await;
    for n in 0..5 {
        let forged = format!("192.0.2.{n}");
        let status = sign_in_from(
            &router,
            "198.51.100.9:50000",
            Some(&forged),
            &format!("guess{n}@example.com"),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let sixth = sign_in_from(
        &router,
        "198.51.100.9:50000",
        Some("192.0.2.99"),
        "guess9@example.com",
    )
    .await;
    assert_eq!(sixth, StatusCode::TOO_MANY_REQUESTS);
}

/// How many people, bookings and locations are stored: a refused request leaves them as they were.
async fn stored(hub: &TestHub) -> (usize, usize, usize) {
    let store = hub.state.store();
    let count = |sql: &'static str| async move {
        let n: i64 = sqlx::query_scalar(sql)
            .fetch_one(store.pool())
            .await
            .unwrap();
        usize::try_from(n).unwrap()
    };
    (
        count("SELECT count(*) FROM people").await,
        count("SELECT count(*) FROM bookings").await,
        count("SELECT count(*) FROM locations").await,
    )
}

/// Staff typing (or a script sending) nonsense: each is refused at its field, nothing is stored.
#[tokio::test]
async fn nonsense_is_refused_at_its_field_and_nothing_is_stored() {
    let hub = TestHub::new().await;
    let location = hub.location.0;
    let room = hub
        .call(
            Who::Admin,
            Method::POST,
            "/api/resources",
            Some(json!({"location_id": location, "name": "Room A", "kind": "room"})),
        )
        .await
        .1["id"]
        .clone();
    let ana = hub.member.person.unwrap().0;
    let before = stored(&hub).await;
    let cases = [
        ("/api/people", json!({"name": "X", "email": "@"}), "email"),
        ("/api/people", json!({"name": "X", "email": "a@"}), "email"),
        (
            "/api/people",
            json!({"name": "X", "email": "x@example.com\r\nBcc: all@example.com"}),
            "email",
        ),
        (
            "/api/people",
            json!({"name": "X", "email": "x@example.com", "is_admin": true}),
            "is_admin",
        ),
        ("/api/people", json!([]), "body"),
        (
            "/api/people",
            json!({"name": 5, "email": "x@example.com"}),
            "name",
        ),
        (
            "/api/locations",
            json!({"name": "B", "time_zone": "Europe/Berlin", "booking_grace_minutes": 241}),
            "booking_grace_minutes",
        ),
        (
            "/api/locations",
            json!({"name": "B", "time_zone": "Europe/Berlin", "booking_grace_minutes": "thirty"}),
            "booking_grace_minutes",
        ),
        (
            "/api/plans",
            json!({"location_id": location, "name": "P", "door_access": {"groups": ["all"]}}),
            "door_access.groups[0]",
        ),
        (
            "/api/bookings",
            json!({"resource_id": room, "booker_id": ana,
                   "start": "1926-06-01T10:00:00Z", "end": "2026-06-01T11:00:00Z"}),
            "start",
        ),
        (
            "/api/bookings",
            json!({"resource_id": room, "booker_id": ana,
                   "start": "2026-06-01T10:00:00Z", "end": "2926-06-01T11:00:00Z"}),
            "end",
        ),
        (
            "/api/bookings",
            json!({"resource_id": room, "booker_id": ana, "start": "2026-06-01T10:00:00Z"}),
            "end",
        ),
    ];
    for (uri, body, field) in cases {
        let (status, answer) = hub
            .call(Who::Admin, Method::POST, uri, Some(body.clone()))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri} {body}: {answer}"
        );
        assert_eq!(fields(&answer), vec![field], "{uri} {body}: {answer}");
    }
    let (_, raw_list) = hub
        .call(Who::Admin, Method::POST, "/api/people", Some(json!([])))
        .await;
    assert!(
        raw_list["error"]["message"]
            .as_str()
            .unwrap()
            .contains("must be a JSON object"),
        "{raw_list}"
    );
    assert_eq!(stored(&hub).await, before);
}

/// Two desks (or a script) booking one room for overlapping times: the second is a conflict.
#[tokio::test]
async fn a_room_booked_twice_for_overlapping_times_is_a_conflict() {
    let hub = TestHub::new().await;
    let room = hub
        .call(
            Who::Admin,
            Method::POST,
            "/api/resources",
            Some(json!({"location_id": hub.location.0, "name": "Room A", "kind": "room"})),
        )
        .await
        .1["id"]
        .clone();
    let ana = hub.member.person.unwrap().0;
    let ben = hub.other_member.person.unwrap().0;
    let book = |booker: i64, start: &str, end: &str| json!({"resource_id": room, "booker_id": booker, "start": start, "end": end});
    let (status, first) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(book(ana, "2026-06-01T10:00:00Z", "2026-06-01T12:00:00Z")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(book(ben, "2026-06-01T11:00:00Z", "2026-06-01T13:00:00Z")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "conflict");
    // Back to back is fine: windows are half-open.
    let (status, second) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(book(ben, "2026-06-01T12:00:00Z", "2026-06-01T13:00:00Z")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    // Moving the second into the first is a conflict too.
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::PUT,
            &format!("/api/bookings/{}/time", second["id"]),
            Some(json!({"start": "2026-06-01T11:30:00Z", "end": "2026-06-01T13:00:00Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

/// Staff's browser (or a script with a staff session) searching people with a 200 KB query.
#[tokio::test]
async fn an_overlong_people_search_is_refused_naming_search() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/people?search={}", "a".repeat(10_000)),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), vec!["search"]);
}
