//! A4: the desktop app reports the unlocks it made straight with Kisi; they appear in the admin's
//! audit log beside the hub's own, under the person signed in.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

mod common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use common::{TestHub, Who, code, fields};
use doorlink_store::NewLocation;
use serde_json::{Value, json};

/// The member (Ana) reports an unlock from the desktop app.
async fn send_report(hub: &TestHub, report: Value) -> (StatusCode, Value) {
    hub.call(
        Who::Member,
        Method::POST,
        "/api/me/unlock-events",
        Some(report),
    )
    .await
}

fn report(location: i64, at: DateTime<Utc>) -> Value {
    json!({
        "lock_id": 7,
        "location_id": location,
        "unlocked": false,
        "cause": "reader_restriction",
        "message": "lock \"Front door\" requires the Kisi Reader",
        "at": at,
    })
}

#[tokio::test]
async fn a_desktop_unlock_report_appears_in_the_admin_audit_log_under_the_member() {
    let hub = TestHub::new().await;
    let pressed_at = hub.state.now() - Duration::hours(3);
    let (status, body) = send_report(&hub, report(hub.location.0, pressed_at)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let ana = hub.member.person.unwrap().0;
    let (status, log) = hub
        .call(
            Who::Admin,
            Method::GET,
            &format!("/api/audit?person_id={ana}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let entry = &log["entries"][0];
    assert_eq!(entry["person_id"], ana);
    assert_eq!(entry["location_id"], hub.location.0);
    assert_eq!(entry["outcome"], "failed");
    assert_eq!(entry["kisi_error_code"], "reader_restriction");
    assert_eq!(entry["path"], "/locks/7/unlock");
    let operation = entry["operation"].as_str().unwrap();
    assert!(operation.starts_with("unlock lock 7"), "{operation}");
    assert!(operation.contains("desktop app"), "{operation}");
    assert!(
        entry["message"].as_str().unwrap().contains("Kisi Reader"),
        "{entry}"
    );
    let recorded: DateTime<Utc> = serde_json::from_value(entry["at"].clone()).unwrap();
    assert_eq!(
        recorded.timestamp_millis(),
        pressed_at.timestamp_millis(),
        "the log keeps when the lock was pressed, not when the report arrived"
    );
}

#[tokio::test]
async fn a_successful_desktop_unlock_is_logged_as_succeeded() {
    let hub = TestHub::new().await;
    let mut body = report(hub.location.0, hub.state.now());
    body["unlocked"] = json!(true);
    body["cause"] = Value::Null;
    body["message"] = json!("Unlocked");
    let (status, _) = send_report(&hub, body).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, log) = hub.call(Who::Staff, Method::GET, "/api/audit", None).await;
    assert_eq!(log["entries"][0]["outcome"], "succeeded");
    assert_eq!(log["entries"][0]["kisi_error_code"], Value::Null);
}

#[tokio::test]
async fn a_report_is_always_recorded_for_the_person_signed_in() {
    let hub = TestHub::new().await;
    let mut body = report(hub.location.0, hub.state.now());
    // A person id smuggled into the body is not part of the report and changes nothing.
    body["person_id"] = json!(hub.other_member.person.unwrap().0);
    let (status, _) = send_report(&hub, body).await;
    assert_eq!(status, StatusCode::CREATED);
    let ben = hub.other_member.person.unwrap().0;
    let (_, bens) = hub
        .call(
            Who::Admin,
            Method::GET,
            &format!("/api/audit?person_id={ben}"),
            None,
        )
        .await;
    assert_eq!(bens["entries"], json!([]));
}

#[tokio::test]
async fn a_member_may_report_an_unlock_at_another_location() {
    let hub = TestHub::new().await;
    let mitte = hub
        .state
        .store()
        .locations()
        .create(&NewLocation::new("Mitte", "Europe/Berlin"))
        .await
        .unwrap();
    let (status, body) = send_report(&hub, report(mitte.id.0, hub.state.now())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn staff_without_a_person_cannot_report_unlocks() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/me/unlock-events",
            Some(report(hub.location.0, hub.state.now())),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

#[tokio::test]
async fn a_report_dated_more_than_a_day_ahead_or_a_month_back_is_refused_naming_at() {
    let hub = TestHub::new().await;
    let now = hub.state.now();
    for at in [
        now + Duration::hours(24) + Duration::minutes(1),
        now - Duration::days(30) - Duration::minutes(1),
    ] {
        let (status, body) = send_report(&hub, report(hub.location.0, at)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{at}: {body}");
        assert_eq!(code(&body), "validation_failed");
        assert_eq!(fields(&body), vec!["at"], "{body}");
    }
    for at in [now + Duration::hours(23), now - Duration::days(29)] {
        let (status, body) = send_report(&hub, report(hub.location.0, at)).await;
        assert_eq!(status, StatusCode::CREATED, "{at}: {body}");
    }
}

#[tokio::test]
async fn a_report_for_an_unknown_location_names_location_id() {
    let hub = TestHub::new().await;
    let (status, body) = send_report(&hub, report(9_999, hub.state.now())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&body), vec!["location_id"], "{body}");
}
