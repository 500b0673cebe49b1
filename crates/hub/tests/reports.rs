//! Issue 15: occupancy and the CSV exports. Adversaries: a person named like a spreadsheet formula
//! (`=HYPERLINK(…)`), a message from Kisi that starts with `=`, a reversed or over-long range, a
//! member asking for the location's records, and an export too large to build in memory (5,000
//! events, which must arrive in several chunks).
#![allow(
    clippy::unwrap_used,
    reason = "test: a failed read should stop the test loudly"
)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{DateTime, Duration, Utc};
use doorlink_core::{KisiUserId, PersonId};
use doorlink_store::{AuditOutcome, EventSource, MirrorUser, NewAuditEntry, NewDoorEvent};
use serde_json::{Value, json};
use tokio_stream::StreamExt;
use tower::ServiceExt;

use crate::common::{TestHub, Who, code, fields};
use crate::door_events::{
    ANA_IN_KISI, FRONT_DOOR, hub_with_webhook_in, signed, ten_in_berlin, unlock,
};

const MALLORY_IN_KISI: i64 = 9003;
const HOSTILE_NAME: &str = "=HYPERLINK(\"http://evil.example\",\"x\")";

/// A person Doorlink knows as Kisi user `kisi_user`.
async fn linked(hub: &TestHub, name: &str, email: &str, kisi_user: i64) -> PersonId {
    let store = hub.state.store();
    let person = store.people().create(name, email).await.unwrap().id;
    store
        .kisi_mirror()
        .save_user(
            hub.location,
            person,
            &MirrorUser {
                kisi_user: KisiUserId(kisi_user),
                kisi_email: email.into(),
                confirmed: true,
                owned: true,
            },
        )
        .await
        .unwrap();
    person
}

/// Kisi's unlock event by another actor.
fn unlock_by(actor: i64, uuid: &str, at: &str, success: bool) -> Value {
    let mut event = unlock(uuid, at, success);
    event["actor_id"] = json!(actor);
    event
}

/// A download as staff (or `who`): status, headers, and the body's chunks as they arrived.
async fn download(
    hub: &TestHub,
    who: Who,
    uri: &str,
) -> (StatusCode, header::HeaderMap, Vec<String>) {
    let mut request = Request::builder().method(Method::GET).uri(uri);
    if let Some(caller) = hub.caller(who) {
        request = request.header(header::AUTHORIZATION, format!("Bearer {}", caller.token));
    }
    let response = hub
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let mut chunks = Vec::new();
    let mut stream = response.into_body().into_data_stream();
    while let Some(chunk) = stream.next().await {
        chunks.push(String::from_utf8(chunk.unwrap().to_vec()).unwrap());
    }
    (status, headers, chunks)
}

fn lines(chunks: &[String]) -> Vec<String> {
    let body = chunks.concat();
    assert!(
        body.ends_with("\r\n"),
        "every record ends with CRLF: {body:?}"
    );
    body.split_terminator("\r\n").map(str::to_owned).collect()
}

fn export(hub: &TestHub, kind: &str, from: &str, to: &str) -> String {
    format!(
        "/api/locations/{}/exports/{kind}.csv?from={from}&to={to}",
        hub.location.0
    )
}

#[tokio::test]
async fn occupancy_charts_the_hours_people_were_in_and_not_the_refused() {
    let (hub, secret) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    // Berlin is UTC+1 in March: 08:50 refused, 09:12 opened; it is 10:00 now.
    signed(
        &hub,
        &secret,
        &unlock("refused", "2026-03-02T07:50:00Z", false),
    )
    .await;
    signed(
        &hub,
        &secret,
        &unlock("opened", "2026-03-02T08:12:00Z", true),
    )
    .await;

    let uri = format!("/api/locations/{}/occupancy", hub.location.0);
    let (status, body) = hub.call(Who::Staff, Method::GET, &uri, None).await;

    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["time_zone"], "Europe/Berlin");
    assert_eq!(
        (&body["from"], &body["to"]),
        (&json!("2026-02-03"), &json!("2026-03-02")),
        "four weeks ending today"
    );
    let days = body["days"].as_array().unwrap();
    assert_eq!(days.len(), 28);
    let today = &days[27];
    let mut hours = vec![0; 24];
    hours[9] = 1;
    assert_eq!(
        today,
        &json!({"date": "2026-03-02", "hours": hours, "peak": 1, "visitors": 1}),
        "in from 09:12 until now (10:00); the refusal checked nobody in"
    );
}

#[tokio::test]
async fn occupancy_and_exports_refuse_a_reversed_or_too_long_range_naming_the_field() {
    let hub = TestHub::at(ten_in_berlin()).await;
    let occupancy = |query: &str| format!("/api/locations/{}/occupancy?{query}", hub.location.0);
    for (uri, field) in [
        (occupancy("from=2026-03-02&to=2026-03-01"), "to"),
        (occupancy("from=2025-11-30&to=2026-03-02"), "from"),
        (export(&hub, "attendance", "2026-03-02", "2026-03-01"), "to"),
        (export(&hub, "ledger", "2025-03-01", "2026-03-02"), "from"),
        (export(&hub, "audit", "2025-03-01", "2026-03-02"), "from"),
    ] {
        let (status, body) = hub.call(Who::Staff, Method::GET, &uri, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}: {body}");
        assert_eq!(code(&body), "validation_failed");
        assert_eq!(fields(&body), [field], "{uri}");
    }
    let (status, _) = hub
        .call(
            Who::Staff,
            Method::GET,
            &export(&hub, "audit", "2025-03-02", "2026-03-02"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "366 days is the most, and allowed");
}

#[tokio::test]
async fn members_get_no_occupancy_and_no_exports() {
    let hub = TestHub::at(ten_in_berlin()).await;
    let mut uris = vec![format!("/api/locations/{}/occupancy", hub.location.0)];
    for kind in ["attendance", "ledger", "audit"] {
        uris.push(export(&hub, kind, "2026-03-01", "2026-03-02"));
    }
    for uri in uris {
        let (status, _, _) = download(&hub, Who::Member, &uri).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
    }
}

#[tokio::test]
async fn the_attendance_export_has_a_row_per_person_and_day_and_defuses_a_formula_name() {
    let (hub, secret) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    linked(&hub, HOSTILE_NAME, "mallory@example.com", MALLORY_IN_KISI).await;
    for (uuid, at, opened) in [
        ("a-sun", "2026-03-01T10:00:00Z", true),
        ("a-refused", "2026-03-02T07:50:00Z", false),
        ("a-in", "2026-03-02T08:12:00Z", true),
    ] {
        signed(&hub, &secret, &unlock(uuid, at, opened)).await;
    }
    signed(
        &hub,
        &secret,
        &unlock_by(MALLORY_IN_KISI, "m-in", "2026-03-02T08:20:00Z", true),
    )
    .await;

    let (status, headers, chunks) = download(
        &hub,
        Who::Staff,
        &export(&hub, "attendance", "2026-03-01", "2026-03-02"),
    )
    .await;

    assert_eq!(status, StatusCode::OK, "{chunks:?}");
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        format!(
            "attachment; filename=\"attendance-{}-2026-03-01-2026-03-02.csv\"",
            hub.location.0
        )
    );
    assert_eq!(
        lines(&chunks),
        [
            "date,person,first in,last seen,doors opened,refused",
            "2026-03-02,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",\
             2026-03-02T09:20:00+01:00,2026-03-02T09:20:00+01:00,1,0",
            "2026-03-02,Ana,2026-03-02T09:12:00+01:00,2026-03-02T09:12:00+01:00,1,1",
            "2026-03-01,Ana,2026-03-01T11:00:00+01:00,2026-03-01T11:00:00+01:00,1,0",
        ]
    );
}

#[tokio::test]
async fn the_ledger_export_says_what_let_each_person_in_and_why_kisi_refused() {
    let (hub, secret) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    let store = hub.state.store();
    let ana = hub.member.person.unwrap();
    linked(&hub, HOSTILE_NAME, "mallory@example.com", MALLORY_IN_KISI).await;
    let door = doorlink_core::DoorAccess::groups([doorlink_core::KisiGroupId(11)]);
    let product = store
        .catalog()
        .create_product(
            hub.location,
            "Day Pass",
            doorlink_core::ProductKind::DayPass,
            &door,
        )
        .await
        .unwrap()
        .id;
    store
        .passes()
        .sell_day_pass(ana, product, "2026-03-02".parse().unwrap())
        .await
        .unwrap();
    signed(&hub, &secret, &unlock("a-in", "2026-03-02T08:12:00Z", true)).await;
    signed(
        &hub,
        &secret,
        &unlock("a-out", "2026-03-02T08:30:00Z", false),
    )
    .await;
    signed(
        &hub,
        &secret,
        &unlock_by(MALLORY_IN_KISI, "m-in", "2026-03-02T08:20:00Z", true),
    )
    .await;

    let (status, headers, chunks) = download(
        &hub,
        Who::Staff,
        &export(&hub, "ledger", "2026-03-02", "2026-03-02"),
    )
    .await;

    assert_eq!(status, StatusCode::OK, "{chunks:?}");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        format!(
            "attachment; filename=\"ledger-{}-2026-03-02-2026-03-02.csv\"",
            hub.location.0
        )
    );
    let lines = lines(&chunks);
    assert_eq!(
        lines[..2],
        [
            "time,person,door,outcome,entitled,because,Kisi's reason,Doorlink's explanation",
            "2026-03-02T09:30:00+01:00,Ana,Front Door,denied at the door,yes,\
             \"day pass (Day Pass), Mon 2 Mar\",You do not have access to this lock.,",
        ],
        "newest first; a lockout keeps Kisi's words: {lines:?}"
    );
    let without = "2026-03-02T09:20:00+01:00,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",\
                   Front Door,opened,no,,,";
    assert!(
        lines[2].starts_with(without) && lines[2].len() > without.len(),
        "entered without an entitlement, and Doorlink's explanation why: {}",
        lines[2]
    );
    assert_eq!(
        lines[3],
        "2026-03-02T09:12:00+01:00,Ana,Front Door,opened,yes,\"day pass (Day Pass), Mon 2 Mar\",,"
    );
    assert_eq!(lines.len(), 4);
}

#[tokio::test]
async fn the_audit_export_lists_the_locations_calls_with_kisis_words_defused() {
    let hub = TestHub::at(ten_in_berlin()).await;
    hub.state
        .store()
        .audit()
        .record(&NewAuditEntry {
            location: Some(hub.location),
            person: None,
            outbox_entry: None,
            operation: "grant Front Door to ana@example.com".into(),
            http_method: "POST".into(),
            path: "/role_assignments".into(),
            outcome: AuditOutcome::Failed,
            http_status: Some(422),
            kisi_error_code: Some("afc507".into()),
            message: Some("=cmd|' /C calc'!A0".into()),
            duration: std::time::Duration::from_millis(40),
        })
        .await
        .unwrap();

    let (status, headers, chunks) = download(
        &hub,
        Who::Staff,
        &export(&hub, "audit", "2026-03-02", "2026-03-02"),
    )
    .await;

    assert_eq!(status, StatusCode::OK, "{chunks:?}");
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        lines(&chunks),
        [
            "time,actor,action or call,subject,outcome,detail",
            "2026-03-02T10:00:00+01:00,Doorlink,grant Front Door to ana@example.com,\
             POST /role_assignments,failed,'=cmd|' /C calc'!A0; HTTP 422; Kisi code afc507",
        ]
    );
    let (_, _, none) = download(
        &hub,
        Who::Staff,
        &export(&hub, "audit", "2026-03-01", "2026-03-01"),
    )
    .await;
    assert_eq!(
        lines(&none).len(),
        1,
        "only the header on a day without calls"
    );
}

#[tokio::test]
async fn a_large_export_is_streamed_in_pages() {
    let (hub, _) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    // 5,000 events over ten days, 500 a day from 08:00 Berlin time, every tenth refused.
    let first: DateTime<Utc> = "2026-02-20T07:00:00Z".parse().unwrap();
    let events: Vec<NewDoorEvent> = (0..5_000_i64)
        .map(|i| NewDoorEvent {
            uuid: format!("bulk-{i}"),
            kind: "lock.unlock".into(),
            opened: i % 10 != 0,
            kisi_lock_id: Some(FRONT_DOOR),
            lock_name: "Front Door".into(),
            kisi_place_id: Some(1),
            actor_type: "User".into(),
            kisi_actor_id: Some(ANA_IN_KISI),
            actor_name: "Ana".into(),
            error_code: None,
            error_message: None,
            occurred_at: first + Duration::days(i / 500) + Duration::minutes(i % 500),
        })
        .collect();
    let recorded = hub
        .state
        .store()
        .door_events()
        .record(hub.location, EventSource::Backfill, &events)
        .await
        .unwrap();
    assert_eq!(recorded.stored, 5_000);

    let (status, _, chunks) = download(
        &hub,
        Who::Staff,
        &export(&hub, "attendance", "2026-02-20", "2026-03-01"),
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        chunks.len() > 5,
        "read and sent a page at a time, not built whole: {} chunks",
        chunks.len()
    );
    let lines = lines(&chunks);
    assert_eq!(lines.len(), 11, "a header and ten days: {lines:?}");
    assert_eq!(
        lines[1],
        "2026-03-01,Ana,2026-03-01T08:01:00+01:00,2026-03-01T16:19:00+01:00,450,50"
    );
    assert_eq!(
        lines[10],
        "2026-02-20,Ana,2026-02-20T08:01:00+01:00,2026-02-20T16:19:00+01:00,450,50"
    );
}
