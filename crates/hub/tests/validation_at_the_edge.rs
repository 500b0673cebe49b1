//! Validation at the edge (issue 16): a request is checked whole before anything is written — every
//! refused field named in one answer — and only the store's own "not found" is ever worded as "does
//! not exist". A failing or locked database is the server's trouble (500) or a moment's (503, "try
//! again"), never staff's "person 12 does not exist".
#![allow(clippy::unwrap_used, reason = "a test stops loudly")]

use crate::common;

use axum::http::{Method, StatusCode};
use common::{TestHub, Who, code, fields};
use serde_json::{Value, json};

/// What a refused booking request could have written: bookings, their invitees, the sync queue.
async fn booking_rows(hub: &TestHub) -> (i64, i64, i64) {
    let pool = hub.state.store().pool();
    let count = |table: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
            .fetch_one(pool)
            .await
            .unwrap()
    };
    (
        count("bookings").await,
        count("booking_invitees").await,
        count("outbox").await,
    )
}

async fn a_room(hub: &TestHub) -> i64 {
    let (status, room) = hub
        .call(
            Who::Admin,
            Method::POST,
            "/api/resources",
            Some(json!({"location_id": hub.location.0, "name": "Room A", "kind": "room"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{room}");
    room["id"].as_i64().unwrap()
}

/// The problems an answer names, as `field: problem`.
fn problems(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f["field"].as_str().unwrap(),
                f["problem"].as_str().unwrap()
            )
        })
        .collect()
}

/// Makes one table unreadable for the length of `call` (renamed away, then back), like a database
/// whose file is damaged under that table: the look-up of the record fails, it does not come back
/// empty.
async fn with_table_unreadable<F: Future<Output = (StatusCode, Value)>>(
    hub: &TestHub,
    table: &str,
    call: F,
) -> (StatusCode, Value) {
    let pool = hub.state.store().pool();
    let rename = |from: String, to: String| async move {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE {from} RENAME TO {to}"
        )))
        .execute(pool)
        .await
        .unwrap();
    };
    rename(table.to_owned(), format!("{table}_unreadable")).await;
    let answer = call.await;
    rename(format!("{table}_unreadable"), table.to_owned()).await;
    answer
}

#[tokio::test]
async fn a_failing_database_is_a_server_error_never_a_record_that_does_not_exist() {
    let hub = TestHub::new().await;
    let location = hub.location.0;
    let ana = hub.member.person.unwrap().0;
    let room = a_room(&hub).await;
    let start = "2026-12-01T10:00:00Z";
    let end = "2026-12-01T11:00:00Z";
    // Each look-up that checks a field, with the table it reads failing under it.
    let cases: Vec<(&str, Method, String, Value, Who)> = vec![
        (
            "people",
            Method::POST,
            "/api/bookings".into(),
            json!({"resource_id": room, "booker_id": ana, "invitee_ids": [ana], "start": start, "end": end}),
            Who::Staff,
        ),
        (
            "resources",
            Method::POST,
            "/api/bookings".into(),
            json!({"resource_id": room, "booker_id": ana, "start": start, "end": end}),
            Who::Staff,
        ),
        (
            "people",
            Method::GET,
            format!("/api/bookings?person_id={ana}"),
            Value::Null,
            Who::Staff,
        ),
        (
            "resources",
            Method::GET,
            format!("/api/bookings?resource_id={room}"),
            Value::Null,
            Who::Staff,
        ),
        (
            "people",
            Method::POST,
            "/api/auth/invitations".into(),
            json!({"email": "new@example.com", "role": "member", "person_id": ana}),
            Who::Admin,
        ),
        (
            "locations",
            Method::POST,
            "/api/plans".into(),
            json!({"location_id": location, "name": "Night"}),
            Who::Admin,
        ),
        (
            "locations",
            Method::POST,
            "/api/manual-grants".into(),
            json!({"location_id": location, "person_id": ana, "door_access": {"groups": [1], "locks": []},
                   "starts_at": start}),
            Who::Staff,
        ),
        (
            "locations",
            Method::POST,
            "/api/subscriptions".into(),
            json!({"location_id": location, "holder": {"kind": "person", "id": ana},
                   "start": "2026-12-01", "items": [{"sells": {"kind": "plan", "id": 1}}]}),
            Who::Staff,
        ),
        (
            "locations",
            Method::POST,
            "/api/me/unlock-events".into(),
            json!({"lock_id": 1, "location_id": location, "unlocked": true, "message": "Unlocked",
                   "at": chrono::Utc::now()}),
            Who::Member,
        ),
    ];
    let mut failures = Vec::new();
    for (table, method, uri, body, who) in cases {
        let body = (!body.is_null()).then_some(body);
        let (status, answer) =
            with_table_unreadable(&hub, table, hub.call(who, method.clone(), &uri, body)).await;
        let text = answer.to_string();
        if status != StatusCode::INTERNAL_SERVER_ERROR || text.contains("does not exist") {
            failures.push(format!(
                "{method} {uri} with {table} unreadable answered {status} {text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(booking_rows(&hub).await.0, 0, "nothing was booked");
}

#[tokio::test]
async fn a_database_locked_by_another_writer_answers_try_again_not_does_not_exist() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("doorlink.db");
    let hub = TestHub::on_disk(&path).await;
    let ana = hub.member.person.unwrap().0;
    let room = a_room(&hub).await;
    // Another process (a `doorlink sync` run, a second hub) holds SQLite's write lock throughout.
    let other = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&path))
        .await
        .unwrap();
    let mut holder = other.begin_with("BEGIN IMMEDIATE").await.unwrap();
    sqlx::query("UPDATE locations SET name = name")
        .execute(&mut *holder)
        .await
        .unwrap();
    let (status, answer) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(
                json!({"resource_id": room, "booker_id": ana, "invitee_ids": [ana],
                        "start": "2026-12-01T10:00:00Z", "end": "2026-12-01T11:00:00Z"}),
            ),
        )
        .await;
    holder.rollback().await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    assert_eq!(code(&answer), "busy");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("try again"), "{message}");
    assert!(!answer.to_string().contains("does not exist"), "{answer}");
    assert_eq!(booking_rows(&hub).await.0, 0, "nothing was booked");
}

#[tokio::test]
async fn a_booking_with_three_bad_fields_names_all_three_and_writes_nothing() {
    let hub = TestHub::new().await;
    let before = booking_rows(&hub).await;
    let (status, answer) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(json!({"resource_id": 4040, "booker_id": 4041,
                        "start": "2026-12-01T11:00:00Z", "end": "2026-12-01T10:00:00Z"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let named = fields(&answer);
    for field in ["end", "resource_id", "booker_id"] {
        assert!(named.iter().any(|f| f == field), "{field} in {named:?}");
    }
    let said = problems(&answer).join("\n");
    assert!(said.contains("resource 4040 does not exist"), "{said}");
    assert!(said.contains("person 4041 does not exist"), "{said}");
    assert!(said.contains("must be after start"), "{said}");
    assert_eq!(
        booking_rows(&hub).await,
        before,
        "a refused booking writes nothing"
    );
}

#[tokio::test]
async fn an_invitee_list_of_unknown_people_names_each_unknown_id_once() {
    let hub = TestHub::new().await;
    let ana = hub.member.person.unwrap().0;
    let room = a_room(&hub).await;
    let before = booking_rows(&hub).await;
    // A hand-made request: unknown ids among a known one, one unknown id twice.
    let invitees = json!([901, ana, 902, 901, 903]);
    let (status, answer) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(
                json!({"resource_id": room, "booker_id": ana, "invitee_ids": invitees,
                        "start": "2026-12-01T10:00:00Z", "end": "2026-12-01T11:00:00Z"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let unknown = [
        "invitee_ids: person 901 does not exist",
        "invitee_ids: person 902 does not exist",
        "invitee_ids: person 903 does not exist",
    ];
    assert_eq!(problems(&answer), unknown);
    assert_eq!(
        booking_rows(&hub).await,
        before,
        "a refused booking writes nothing"
    );

    // Changing the invitees of a booking names them the same way and keeps the old list.
    let (status, booking) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/bookings",
            Some(
                json!({"resource_id": room, "booker_id": ana, "invitee_ids": [ana],
                        "start": "2026-12-01T10:00:00Z", "end": "2026-12-01T11:00:00Z"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let id = booking["id"].as_i64().unwrap();
    let (status, answer) = hub
        .call(
            Who::Staff,
            Method::PUT,
            &format!("/api/bookings/{id}/invitees"),
            Some(json!({"invitee_ids": invitees})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(problems(&answer), unknown);
    let (_, kept) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/bookings/{id}"),
            None,
        )
        .await;
    assert_eq!(kept["invitee_ids"], json!([ana]));
}

#[tokio::test]
async fn a_time_zone_that_is_no_iana_name_is_refused_at_its_field_beside_the_others() {
    let hub = TestHub::new().await;
    let (status, answer) = hub
        .call(
            Who::Admin,
            Method::POST,
            "/api/locations",
            Some(json!({"name": " ", "time_zone": "Mars/Olympus", "booking_grace_minutes": 999})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(
        fields(&answer),
        ["name", "time_zone", "booking_grace_minutes"]
    );
    let said = problems(&answer).join("\n");
    assert!(
        said.contains("\"Mars/Olympus\" is not a known IANA time zone"),
        "{said}"
    );

    let location = hub.location.0;
    let (status, answer) = hub
        .call(
            Who::Admin,
            Method::PATCH,
            &format!("/api/locations/{location}"),
            Some(json!({"time_zone": "Europe/Berlinn"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(fields(&answer), ["time_zone"]);
    let (_, kept) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/locations/{location}"),
            None,
        )
        .await;
    assert_eq!(kept["time_zone"], "Europe/Berlin");
}
