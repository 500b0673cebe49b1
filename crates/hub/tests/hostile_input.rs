//! Hostile input at the edge (issue 11): an anonymous caller or a signed-in member trying to grow
//! the hub's memory or disk, or to write fake history. Each test is the attacker's steps.
#![allow(clippy::unwrap_used, reason = "a test stops loudly")]

mod common;

use axum::http::{Method, StatusCode};
use common::{TestHub, Who, code, fields};
use serde_json::json;

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
    assert_eq!(hub.state.throttle().key_count(), 0);
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
    assert_eq!(hub.state.throttle().key_count(), 0);
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
    assert_eq!(hub.state.throttle().key_count(), 0);
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
