//! Server-sent change notices (a member hears only about themself) and the UI's files at `/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test stops loudly"
)]

use crate::common;

use std::time::Duration;

use axum::http::Method;
use common::{TestHub, Who};
use doorlink_core::{Email, ResourceKind};
use doorlink_hub::testing::open_session;
use doorlink_hub::{AppState, Hub, HubConfig, app};
use doorlink_store::{AccountRole, Store};
use serde_json::json;
use tokio::net::TcpListener;

/// Reads SSE frames until one carries `kind`, or gives up after `wait`; returns the `data:` lines.
async fn frames(response: &mut reqwest::Response, wait: Duration) -> Vec<String> {
    let mut seen = String::new();
    let _ = tokio::time::timeout(wait, async {
        while let Ok(Some(chunk)) = response.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await;
    seen.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(|l| l.trim().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_hears_about_their_own_booking_and_not_about_anyone_elses() {
    let store = Store::open_in_memory().await.unwrap();
    let mut config = HubConfig::with_database(":memory:");
    config.run_sync_worker = false;
    let state = AppState::new(store, config);
    let location = state
        .store()
        .locations()
        .create(&doorlink_store::NewLocation::new("Harbor", "Europe/Berlin"))
        .await
        .unwrap();
    let room = state
        .store()
        .catalog()
        .create_resource(location.id, "Elbe", ResourceKind::Room, &Default::default())
        .await
        .unwrap();
    let ana = state
        .store()
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();
    let ben = state
        .store()
        .people()
        .create("Ben", "ben@example.com")
        .await
        .unwrap();
    let open = |email: &'static str, role, person| {
        let state = state.clone();
        async move {
            let account = state
                .store()
                .accounts()
                .create(
                    &Email::parse(email).unwrap(),
                    role,
                    person,
                    "$argon2id$unused",
                )
                .await
                .unwrap();
            open_session(&state, &account).await.unwrap().token
        }
    };
    let ana_token = open("ana@example.com", AccountRole::Member, Some(ana.id)).await;
    let desk_token = open("desk@example.com", AccountRole::Staff, None).await;
    let hub = Hub::with_state(state).await.unwrap();
    let running = hub
        .spawn(TcpListener::bind("127.0.0.1:0").await.unwrap())
        .unwrap();
    let base = running.base_url();
    let client = reqwest::Client::new();
    let listen = |token: String| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            client
                .get(format!("{base}/api/events"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    let mut ana_events = listen(ana_token).await;
    let mut desk_events = listen(desk_token.clone()).await;
    assert_eq!(ana_events.headers()["content-type"], "text/event-stream");

    // One after the other: a room is booked by one booking at a time.
    for (booker, start, end) in [
        (ben.id.0, "2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z"),
        (ana.id.0, "2026-05-04T11:00:00Z", "2026-05-04T12:00:00Z"),
    ] {
        let answer = client
            .post(format!("{base}/api/bookings"))
            .bearer_auth(&desk_token)
            .json(&json!({"resource_id": room.id.0, "booker_id": booker,
                "start": start, "end": end}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
    }
    let ana_saw = frames(&mut ana_events, Duration::from_secs(2)).await;
    let desk_saw = frames(&mut desk_events, Duration::from_secs(2)).await;
    assert_eq!(ana_saw.len(), 1, "only Ana's own booking: {ana_saw:?}");
    assert!(ana_saw[0].contains("\"booking_changed\""), "{ana_saw:?}");
    assert!(
        ana_saw[0].contains(&format!("\"people\":[{}]", ana.id.0)),
        "{ana_saw:?}"
    );
    assert_eq!(desk_saw.len(), 2, "staff hear every change: {desk_saw:?}");
    running.shutdown().await;
}

#[tokio::test]
async fn the_built_ui_is_served_with_a_single_page_fallback() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>doorlink ui</html>").unwrap();
    std::fs::write(dist.path().join("app.js"), "console.log(1)").unwrap();
    let mut hub = TestHub::new().await;
    let mut config = hub.state.config().clone();
    config.ui_dist = Some(dist.path().to_owned());
    hub.router = app(AppState::new(hub.state.store().clone(), config));
    assert_eq!(hub.text(Method::GET, "/app.js").await, "console.log(1)");
    assert!(hub.text(Method::GET, "/").await.contains("doorlink ui"));
    assert!(
        hub.text(Method::GET, "/front-desk/bookings")
            .await
            .contains("doorlink ui"),
        "SPA routes fall back to index.html"
    );
    let (status, _) = hub
        .call(Who::Nobody, Method::GET, "/api/auth/session", None)
        .await;
    assert_eq!(status, 401, "the API is not swallowed by the UI");
}

/// The adversary: staff who were let go, with the front desk's live page still open. Disabling
/// the account ends its open event stream at the next notice, which it never hears.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_accounts_open_event_stream_ends_without_hearing_more() {
    let store = Store::open_in_memory().await.unwrap();
    let mut config = HubConfig::with_database(":memory:");
    config.run_sync_worker = false;
    let state = AppState::new(store, config);
    let mut tokens = Vec::new();
    for (email, role) in [
        ("desk@example.com", AccountRole::Staff),
        ("admin@example.com", AccountRole::Admin),
    ] {
        let account = state
            .store()
            .accounts()
            .create(
                &Email::parse(email).unwrap(),
                role,
                None,
                "$argon2id$unused",
            )
            .await
            .unwrap();
        tokens.push((
            account.id,
            open_session(&state, &account).await.unwrap().token,
        ));
    }
    let [(desk, desk_token), (_, admin_token)] = tokens.try_into().unwrap();
    let hub = Hub::with_state(state).await.unwrap();
    let running = hub
        .spawn(TcpListener::bind("127.0.0.1:0").await.unwrap())
        .unwrap();
    let base = running.base_url();
    let client = reqwest::Client::new();
    let mut stream = client
        .get(format!("{base}/api/events"))
        .bearer_auth(&desk_token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);

    let disabled = client
        .post(format!("{base}/api/accounts/{}/disable", desk.0))
        .bearer_auth(&admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 200);
    let created = client
        .post(format!("{base}/api/people"))
        .bearer_auth(&admin_token)
        .json(&json!({"name": "Dora", "email": "dora@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    let mut heard = String::new();
    let ended = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(chunk)) = stream.chunk().await {
            heard.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream is still open: {heard}");
    assert!(
        !heard.contains("data:"),
        "heard after being disabled: {heard}"
    );
    let again = client
        .get(format!("{base}/api/events"))
        .bearer_auth(&desk_token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401);
}
