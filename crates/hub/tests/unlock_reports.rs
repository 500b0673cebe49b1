//! A4: the desktop app reports the unlocks it made straight with Kisi; they appear in the admin's
//! audit log beside the hub's own, under the person signed in.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use common::{TestHub, Who, code, fields};
use doorlink_core::{DoorAccess, Holder, ItemKind, KisiGroupId, PaymentStatus};
use doorlink_store::{NewItem, NewLocation, NewSubscription};
use serde_json::{Value, json};

const FRONT_DOOR: i64 = 7;
const MEMBERS_GROUP: i64 = 21;

/// Kisi's directory of the location lists the front door (lock 7).
async fn front_door(hub: &TestHub) {
    common::one_door_directory(hub, (MEMBERS_GROUP, "Members"), (FRONT_DOOR, "Front door")).await;
}

/// The front door, and Ana's hot-desk plan opening it since three days ago.
async fn ana_may_open_the_front_door(hub: &TestHub) {
    front_door(hub).await;
    let store = hub.state.store();
    let plan = store
        .catalog()
        .create_plan(
            hub.location,
            "Hot desk",
            &DoorAccess::groups([KisiGroupId(MEMBERS_GROUP)]),
        )
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
            payment_status: PaymentStatus::Unpaid,
        })
        .await
        .unwrap();
}

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
        "lock_id": FRONT_DOOR,
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
    front_door(&hub).await;
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
    assert_eq!(entry["path"], format!("/locks/{FRONT_DOOR}/unlock"));
    let operation = entry["operation"].as_str().unwrap();
    assert!(operation.starts_with("unlock lock 7"), "{operation}");
    assert!(operation.contains("desktop app"), "{operation}");
    assert_eq!(
        entry["desktop_claim"], true,
        "the log tells the desktop's claim from what Doorlink or Kisi saw"
    );
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
    ana_may_open_the_front_door(&hub).await;
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
    front_door(&hub).await;
    let mut body = report(hub.location.0, hub.state.now());
    // A person id smuggled into the body is not part of the report: refused by name.
    body["person_id"] = json!(hub.other_member.person.unwrap().0);
    let (status, refused) = send_report(&hub, body.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&refused), vec!["person_id"], "{refused}");
    body.as_object_mut().unwrap().remove("person_id");
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
    common::one_door_directory_in(
        hub.state.store(),
        mitte.id,
        (MEMBERS_GROUP, "Members"),
        (FRONT_DOOR, "Front door"),
    )
    .await;
    let (status, body) = send_report(&hub, report(mitte.id.0, hub.state.now())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// The adversary: a staff account, which had no person and so no access of its own: its
/// desktop's reports are now recorded under the staff member's own person (issue 17).
#[tokio::test]
async fn a_staff_members_desktop_report_is_filed_under_their_own_person() {
    let hub = TestHub::new().await;
    front_door(&hub).await;
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/me/unlock-events",
            Some(report(hub.location.0, hub.state.now())),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let desk = hub.staff.person.expect("every account is a person's").0;
    let (status, log) = hub
        .call(
            Who::Admin,
            Method::GET,
            &format!("/api/audit?person_id={desk}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    assert_eq!(log["entries"][0]["person_id"], desk, "{log}");
}

#[tokio::test]
async fn a_report_dated_more_than_a_day_ahead_or_a_month_back_is_refused_naming_at() {
    let hub = TestHub::new().await;
    front_door(&hub).await;
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

/// Attacker: a member posting "succeeded" unlocks of doors they cannot open, and of lock ids that
/// are no doors at all, to write fake history into the admin's audit log.
#[tokio::test]
async fn a_member_cannot_record_successful_unlocks_of_doors_they_cannot_open() {
    let hub = TestHub::new().await;
    front_door(&hub).await; // listed in Kisi, but Ana holds no plan or booking that opens it
    for lock in [-1, 0, 999_999, FRONT_DOOR] {
        let mut body = report(hub.location.0, hub.state.now());
        body["lock_id"] = json!(lock);
        body["unlocked"] = json!(true);
        body["cause"] = Value::Null;
        body["message"] = json!("Unlocked");
        let (status, body) = send_report(&hub, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "lock {lock}: {body}"
        );
        assert_eq!(fields(&body), vec!["lock_id"], "lock {lock}: {body}");
    }
    let (_, log) = hub.call(Who::Admin, Method::GET, "/api/audit", None).await;
    assert_eq!(log["entries"], json!([]), "nothing was recorded");
}

/// Attacker: a member sending failure reports of doors that do not exist.
#[tokio::test]
async fn a_member_cannot_record_any_unlock_of_a_lock_kisi_does_not_list() {
    let hub = TestHub::new().await;
    front_door(&hub).await;
    let mut body = report(hub.location.0, hub.state.now());
    body["lock_id"] = json!(999_999);
    let (status, body) = send_report(&hub, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), vec!["lock_id"], "{body}");
}

/// The database file's bytes once the write-ahead log is folded in.
async fn bytes_on_disk(hub: &TestHub, path: &std::path::Path) -> u64 {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(hub.state.store().pool())
        .await
        .unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// Attacker: a member filling the hub's disk with huge reports (20 of them added 76 MB).
#[tokio::test]
async fn a_member_cannot_fill_the_disk_with_huge_unlock_reports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorlink.db");
    let hub = TestHub::on_disk(&path).await;
    front_door(&hub).await;
    let before = bytes_on_disk(&hub, &path).await;
    let mut refused_cause = 0;
    for _ in 0..100 {
        let mut body = report(hub.location.0, hub.state.now());
        body["cause"] = json!("c".repeat(30_000));
        body["message"] = json!("m".repeat(30_000));
        let (status, body) = send_report(&hub, body).await;
        assert_ne!(status, StatusCode::CREATED, "{body}");
        refused_cause += usize::from(fields(&body) == vec!["cause"]);
    }
    assert!(
        refused_cause > 0,
        "the oversized cause is refused at its field"
    );
    let grown = bytes_on_disk(&hub, &path).await.saturating_sub(before);
    assert!(
        grown < 64 * 1024,
        "100 huge reports grew the database by {grown} bytes"
    );
}

/// Attacker: a member sending the largest report the hub takes, as fast as it answers.
#[tokio::test]
async fn a_member_flooding_unlock_reports_is_held_to_a_rate_and_a_bounded_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorlink.db");
    let hub = TestHub::on_disk(&path).await;
    front_door(&hub).await;
    let before = bytes_on_disk(&hub, &path).await;
    let (mut recorded, mut held_back) = (0, 0);
    for _ in 0..300 {
        let mut body = report(hub.location.0, hub.state.now());
        body["message"] = json!("m".repeat(60_000));
        let (status, body) = send_report(&hub, body).await;
        match status {
            StatusCode::CREATED => recorded += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(code(&body), "throttled");
                held_back += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert!(
        held_back > 0 && recorded < 100,
        "{recorded} recorded, {held_back} held back"
    );
    let grown = bytes_on_disk(&hub, &path).await.saturating_sub(before);
    assert!(
        grown < 512 * 1024,
        "300 reports grew the database by {grown} bytes"
    );
}
