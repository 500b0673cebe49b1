//! Outcome webhooks (issue 15), over TCP: a small receiver on loopback stands in for the other
//! system. Adversaries: a receiver that answers 500 (the event must come again, with the same id),
//! one that never answers (given up after its attempts, then "send again"), two senders at once
//! (each attempt once), a revocation confirmed twice (one receipt), and hostile endpoint input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "the test's receiver and helpers stop loudly when a socket, a lock or an answer fails"
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::Utc;
use doorlink_hub::{
    EVENT_TYPE_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, SendPolicy, outcome_signature,
    send_due_outcomes,
};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::kisi_space::KisiSpace;

/// What the receiver heard: each request's headers and body.
#[derive(Debug, Clone)]
struct Heard {
    signature: String,
    idempotency_key: String,
    event_type: String,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    heard: Arc<Mutex<Vec<Heard>>>,
    /// Answers 500 to this many requests first.
    refuse_first: Arc<Mutex<u32>>,
}

impl Receiver {
    async fn start(refuse_first: u32) -> (Self, String) {
        let receiver = Self {
            refuse_first: Arc::new(Mutex::new(refuse_first)),
            ..Self::default()
        };
        let app = axum::Router::new()
            .route("/hooks", post(hear))
            .with_state(receiver.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, url)
    }

    fn heard(&self) -> Vec<Heard> {
        self.heard.lock().unwrap().clone()
    }

    fn of_type(&self, kind: &str) -> Vec<Heard> {
        self.heard()
            .into_iter()
            .filter(|h| h.event_type == kind)
            .collect()
    }
}

async fn hear(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    receiver.heard.lock().unwrap().push(Heard {
        signature: header(SIGNATURE_HEADER),
        idempotency_key: header(IDEMPOTENCY_HEADER),
        event_type: header(EVENT_TYPE_HEADER),
        body,
    });
    let mut refuse = receiver.refuse_first.lock().unwrap();
    if *refuse > 0 {
        *refuse -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// Retries at once, so a test needs no waiting: the back-off itself is unit-tested.
fn eager() -> SendPolicy {
    SendPolicy {
        first_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        attempts: 3,
        timeout: Duration::from_secs(5),
        ..SendPolicy::default()
    }
}

/// Sends what is due until nothing is, as the hub's sender does between its polls.
async fn send_all(space: &KisiSpace, policy: &SendPolicy) {
    let client = reqwest::Client::new();
    for _ in 0..20 {
        let sent = send_due_outcomes(space.state.store(), space.state.clock(), &client, policy)
            .await
            .unwrap();
        if sent == 0 {
            return;
        }
    }
}

async fn register(space: &KisiSpace, url: &str, events: &[&str]) -> (i64, String) {
    let answer = space
        .admin
        .post(
            "/api/outcome-endpoints",
            json!({"url": url, "description": "Billing system", "events": events}),
        )
        .await;
    (
        answer["endpoint"]["id"].as_i64().expect("endpoint created"),
        answer["secret"].as_str().unwrap().to_owned(),
    )
}

/// The receiver's check of a delivery, as `docs/outcome-webhooks.md` tells it to.
fn verify(heard: &Heard, secret: &str) -> Value {
    let timestamp: i64 = heard
        .signature
        .split(',')
        .find_map(|part| part.strip_prefix("t="))
        .and_then(|t| t.parse().ok())
        .expect("a timestamp in the signature");
    assert_eq!(
        heard.signature,
        outcome_signature(secret, timestamp, &heard.body),
        "signed over the timestamp and the body with the endpoint's secret"
    );
    assert!(
        (Utc::now().timestamp() - timestamp).abs() < 300,
        "timestamped now"
    );
    let body: Value = serde_json::from_str(&heard.body).unwrap();
    assert_eq!(body["id"], heard.idempotency_key.as_str());
    assert_eq!(body["type"], heard.event_type.as_str());
    body
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// Kisi's event webhook for the room's lock, signed with the location's secret.
async fn kisi_delivers(space: &KisiSpace, secret: &str, uuid: &str, success: bool) {
    let event = json!({
        "uuid": uuid,
        "actor_type": "User",
        "actor_id": space.ana_user(),
        "actor_name": "Ana Lima",
        "object_type": "Lock",
        "object_id": space.room_lock,
        "object_name": "Meeting Room Elbe",
        "success": success,
        "type": "lock.unlock",
        "error_code": if success { Value::Null } else { json!("afc507") },
        "error_message": if success { Value::Null } else { json!("You do not have access to this lock.") },
        "created_at": Utc::now().to_rfc3339(),
    });
    let body = serde_json::to_vec(&event).unwrap();
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/api/kisi/webhooks/{}",
            space.admin.base, space.location
        ))
        .header(
            "X-Signature",
            doorlink_hub::testing::sign_kisi_webhook(secret, &body),
        )
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn a_receiver_gets_each_outcome_signed_as_documented_and_again_after_answering_500() {
    let space = KisiSpace::start().await;
    let (receiver, url) = Receiver::start(1).await;
    let (endpoint, secret) = register(
        &space,
        &url,
        &[
            "grant.applied",
            "grant.failed",
            "revocation.completed",
            "unlock.succeeded",
            "unlock.denied",
            "presence.changed",
        ],
    )
    .await;
    let policy = eager();

    // grant.applied: a booking this afternoon reaches Kisi.
    let booking = space
        .book_room(chrono::Duration::hours(3), chrono::Duration::hours(4))
        .await["id"]
        .as_i64()
        .unwrap();
    space.sync().await;
    send_all(&space, &policy).await;
    let applied = receiver.of_type("grant.applied");
    assert_eq!(applied.len(), 2, "refused once with 500, then accepted");
    assert_eq!(
        applied[0].body, applied[1].body,
        "the same event, the same id"
    );
    let event = verify(&applied[1], &secret);
    assert_eq!(
        keys(&event),
        ["created_at", "data", "id", "location_id", "type"]
    );
    assert_eq!(event["location_id"], space.location);
    assert_eq!(
        keys(&event["data"]),
        [
            "access",
            "cause",
            "grant",
            "kisi_group_id",
            "person_id",
            "person_name",
            "valid_from",
            "valid_until"
        ]
    );
    assert_eq!(event["data"]["person_name"], "Ana Lima");
    assert_eq!(event["data"]["grant"], "role_assignment");
    assert_eq!(event["data"]["kisi_group_id"], space.room_group);
    assert_eq!(event["data"]["cause"], Value::Null);
    let log = space
        .admin
        .get(&format!("/api/outcome-endpoints/{endpoint}/deliveries"))
        .await;
    let first = &log["deliveries"][0];
    assert_eq!(
        (
            &first["status"],
            &first["attempts"],
            &first["last_status_code"]
        ),
        (&json!("delivered"), &json!(2), &json!(200)),
        "{log}"
    );

    // revocation.completed: staff cancel it; Kisi confirms the grant gone.
    let (status, _) = space
        .admin
        .send(
            reqwest::Method::POST,
            &format!("/api/bookings/{booking}/cancel"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 200);
    space.sync().await;
    send_all(&space, &policy).await;
    let revoked = receiver.of_type("revocation.completed");
    assert_eq!(revoked.len(), 1);
    let event = verify(&revoked[0], &secret);
    assert_eq!(
        keys(&event["data"]),
        [
            "confirmed_at",
            "ended_at",
            "millis",
            "person_id",
            "person_name",
            "what"
        ]
    );
    assert!(
        event["data"]["what"]
            .as_str()
            .unwrap()
            .contains("Room Elbe")
    );
    let stats = space
        .admin
        .get(&format!(
            "/api/locations/{}/sync/revocations",
            space.location
        ))
        .await;
    assert_eq!(stats["count"], 1, "{stats}");
    assert!(stats["p50_millis"].is_i64() && stats["p99_millis"].is_i64());
    assert_eq!(stats["recent"][0]["person_name"], "Ana Lima");

    // grant.failed: Kisi fails while a new booking is written; the cause is in words.
    space
        .kisi
        .control()
        .inject(kisi_emulator::Fault::ServerErrors { fraction: 1.0 });
    space
        .book_room(chrono::Duration::hours(5), chrono::Duration::hours(6))
        .await;
    space.sync().await;
    space.kisi.control().clear_faults();
    send_all(&space, &policy).await;
    let failed = receiver.of_type("grant.failed");
    assert!(!failed.is_empty());
    let event = verify(&failed[0], &secret);
    assert!(
        event["data"]["cause"]
            .as_str()
            .is_some_and(|c| !c.is_empty()),
        "{event}"
    );

    // unlock.succeeded, presence.changed and unlock.denied: Kisi's own events come in.
    let kisi_secret = space
        .admin
        .post(
            &format!("/api/locations/{}/kisi/webhook", space.location),
            json!({}),
        )
        .await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    kisi_delivers(&space, &kisi_secret, "ana-opens", true).await;
    kisi_delivers(&space, &kisi_secret, "ana-opens", true).await;
    kisi_delivers(&space, &kisi_secret, "ana-refused", false).await;
    send_all(&space, &policy).await;
    let opened = receiver.of_type("unlock.succeeded");
    assert_eq!(opened.len(), 1, "Kisi's duplicate delivery is told once");
    let event = verify(&opened[0], &secret);
    assert_eq!(
        keys(&event["data"]),
        [
            "actor_name",
            "cause",
            "cause_code",
            "door",
            "kisi_event",
            "kisi_lock_id",
            "occurred_at",
            "person_id",
            "person_name"
        ]
    );
    assert_eq!(event["data"]["person_id"], space.ana);
    let presence = receiver.of_type("presence.changed");
    assert_eq!(presence.len(), 1);
    let event = verify(&presence[0], &secret);
    assert_eq!(
        keys(&event["data"]),
        ["at", "door", "person_id", "person_name", "present"]
    );
    assert_eq!(event["data"]["present"], true);
    let denied = receiver.of_type("unlock.denied");
    assert_eq!(denied.len(), 1);
    let event = verify(&denied[0], &secret);
    assert_eq!(
        event["data"]["cause"],
        "You do not have access to this lock."
    );
    assert_eq!(event["data"]["cause_code"], "afc507");

    // "Send again": the same event, the same idempotency key, once more.
    let delivered = first["id"].as_i64().unwrap();
    let again = space
        .admin
        .post(
            &format!("/api/outcome-deliveries/{delivered}/send-again"),
            json!({}),
        )
        .await;
    assert_eq!(again["status"], "pending", "{again}");
    send_all(&space, &policy).await;
    let applied = receiver.of_type("grant.applied");
    assert_eq!(applied.len(), 3);
    assert_eq!(applied[2].idempotency_key, applied[0].idempotency_key);
    space.stop().await;
}

#[tokio::test]
async fn an_endpoint_that_never_answers_is_given_up_after_its_attempts_and_can_be_sent_again() {
    let space = KisiSpace::start().await;
    // A port nothing listens on: every attempt fails to connect.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_url = format!("http://{}/hooks", closed.local_addr().unwrap());
    drop(closed);
    let (endpoint, _) = register(&space, &dead_url, &["grant.applied"]).await;
    let policy = eager();
    space
        .book_room(chrono::Duration::hours(3), chrono::Duration::hours(4))
        .await;
    space.sync().await;
    send_all(&space, &policy).await;
    let log = space
        .admin
        .get(&format!(
            "/api/outcome-endpoints/{endpoint}/deliveries?status=failed"
        ))
        .await;
    let delivery = &log["deliveries"][0];
    assert_eq!(delivery["attempts"], 3, "{log}");
    assert_eq!(delivery["next_attempt_at"], Value::Null);
    assert_eq!(
        delivery["last_error"], "could not connect to the endpoint",
        "{log}"
    );

    // The admin fixes the address and sends it again.
    let (receiver, url) = Receiver::start(0).await;
    let answer = space
        .admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/outcome-endpoints/{endpoint}"),
            Some(json!({"url": url, "description": "", "events": ["grant.applied"]})),
        )
        .await;
    assert_eq!(answer.0, 200, "{}", answer.1);
    space
        .admin
        .post(
            &format!(
                "/api/outcome-deliveries/{}/send-again",
                delivery["id"].as_i64().unwrap()
            ),
            json!({}),
        )
        .await;
    send_all(&space, &policy).await;
    assert_eq!(receiver.of_type("grant.applied").len(), 1);
    space.stop().await;
}

#[tokio::test]
async fn two_senders_at_once_send_each_delivery_once() {
    let space = KisiSpace::start().await;
    let (receiver, url) = Receiver::start(0).await;
    register(&space, &url, &["grant.applied", "revocation.completed"]).await;
    // Three hours apart: each is its own grant (R13 merges only windows that meet).
    for n in 1..=6 {
        space
            .book_room(
                chrono::Duration::hours(3 * n),
                chrono::Duration::hours(3 * n) + chrono::Duration::minutes(30),
            )
            .await;
    }
    space.sync().await;
    let policy = eager();
    tokio::join!(send_all(&space, &policy), send_all(&space, &policy));
    let heard = receiver.heard();
    let mut ids: Vec<&str> = heard.iter().map(|h| h.idempotency_key.as_str()).collect();
    ids.sort_unstable();
    let all = ids.len();
    ids.dedup();
    assert_eq!(all, ids.len(), "no event sent twice");
    assert_eq!(all, 6, "one grant per booking");
    space.stop().await;
}

#[tokio::test]
async fn a_revocation_confirmed_twice_keeps_one_receipt_and_one_event() {
    let space = KisiSpace::start().await;
    let (receiver, url) = Receiver::start(0).await;
    register(&space, &url, &["revocation.completed"]).await;
    let receipt = doorlink_store::NewReceipt {
        location: doorlink_core::LocationId(space.location),
        person: doorlink_core::PersonId(space.ana),
        person_name: "Ana Lima".into(),
        what: "Room Elbe".into(),
        key: "role_assignment 77".into(),
        ended_at: Utc::now() - chrono::Duration::seconds(2),
        confirmed_at: Utc::now(),
    };
    // A run that died after Kisi confirmed runs again and confirms it again.
    let revocations = space.state.store().revocations();
    revocations.record(&receipt).await.unwrap();
    revocations.record(&receipt).await.unwrap();
    send_all(&space, &eager()).await;
    assert_eq!(receiver.of_type("revocation.completed").len(), 1);
    let stats = space
        .admin
        .get(&format!(
            "/api/locations/{}/sync/revocations",
            space.location
        ))
        .await;
    assert_eq!(stats["count"], 1, "{stats}");
    assert_eq!(stats["p50_millis"], 2000);
    space.stop().await;
}

#[tokio::test]
async fn hostile_endpoint_input_is_refused_field_by_field_and_nothing_is_kept() {
    let space = KisiSpace::start().await;
    let (status, answer) = space
        .admin
        .send(
            reqwest::Method::POST,
            "/api/outcome-endpoints",
            Some(json!({
                "url": "ftp://user:pw@example.com/x",
                "description": "d".repeat(201),
                "events": ["grant.applied", "=cmd|' /C calc'!A0"],
                "location_id": 999_999,
            })),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    let fields = crate::common::fields(&answer);
    for field in ["url", "description", "events", "location_id"] {
        assert!(fields.contains(&field.to_owned()), "{field}: {answer}");
    }
    let (status, answer) = space
        .admin
        .send(
            reqwest::Method::POST,
            "/api/outcome-endpoints",
            Some(json!({"url": format!("https://example.com/{}", "a".repeat(2000)), "events": []})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(crate::common::fields(&answer), ["url", "events"]);
    let (status, answer) = space
        .admin
        .send(
            reqwest::Method::POST,
            "/api/outcome-endpoints",
            Some(json!({"url": "https://user:pw@example.com/x", "events": ["ping"]})),
        )
        .await;
    assert_eq!(status, 422, "ping is sent on demand only: {answer}");
    assert_eq!(crate::common::fields(&answer), ["url", "events"]);
    assert_eq!(
        space.admin.get("/api/outcome-endpoints").await,
        json!([]),
        "nothing was kept"
    );
    space.stop().await;
}
