//! Event webhooks (docs.kisi.io, "Track unlocks using webhooks"; kisi-api.md, "Group links,
//! events") and taps at the reader, seen from a loopback receiver the way Doorlink's hub would see
//! them: signed bodies, refusals, duplicates, drops, reordering, retries.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a broken set-up should stop the test loudly"
)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::routing::post;
use hmac::{Hmac, Mac};
use kisi_emulator::{DropEvents, NewWebhook, WebhookFaults};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::common::{ACCESS_DENIED, Kisi, LOCK_OFFLINE, at, hive};

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    signature: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
    json: Value,
}

#[derive(Clone, Default)]
struct Inbox {
    received: Arc<Mutex<Vec<Received>>>,
    /// Requests still to answer 500 before answering 200.
    failures_left: Arc<AtomicU32>,
}

/// A webhook endpoint on 127.0.0.1, recording every request's headers and body.
struct Receiver {
    url: String,
    inbox: Inbox,
}

async fn record(State(inbox): State<Inbox>, headers: HeaderMap, body: Bytes) -> AxumStatus {
    let header = |name: &str| {
        headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    inbox.received.lock().unwrap().push(Received {
        signature: header("x-signature"),
        content_type: header("content-type"),
        json: serde_json::from_slice(&body).unwrap(),
        body: body.to_vec(),
    });
    let failing = inbox
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        AxumStatus::INTERNAL_SERVER_ERROR
    } else {
        AxumStatus::OK
    }
}

impl Receiver {
    async fn start() -> Self {
        let inbox = Inbox::default();
        let app = Router::new()
            .route("/kisi", post(record))
            .with_state(inbox.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/kisi", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, inbox }
    }

    fn received(&self) -> Vec<Received> {
        self.inbox.received.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until `n` requests arrived, then a little longer to catch any extra.
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..500 {
            if self.received().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let received = self.received();
        assert!(
            received.len() >= n,
            "expected {n} deliveries, got {received:?}"
        );
        received
    }
}

fn hex_hmac(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn uuids(received: &[Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.json["uuid"].as_str().unwrap().to_owned())
        .collect()
}

/// The uuids of `GET /events`, oldest first.
async fn logged_uuids(kisi: &Kisi) -> Vec<String> {
    let answer = kisi.get(kisi.owner_key(), "/events?limit=100").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let mut uuids: Vec<String> = answer
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["uuid"].as_str().unwrap().to_owned())
        .collect();
    uuids.reverse();
    uuids
}

/// The hive with an unsigned integration pointing at a fresh receiver.
async fn hive_with_receiver() -> (Kisi, Receiver) {
    let kisi = hive().await;
    let receiver = Receiver::start().await;
    kisi.emulator
        .control()
        .add_webhook(NewWebhook {
            url: receiver.url.clone(),
            secret: None,
            event_types: None,
        })
        .unwrap();
    (kisi, receiver)
}

#[tokio::test]
async fn signature_verifies_with_the_secret_and_fails_with_another_secret() {
    let kisi = hive().await;
    let receiver = Receiver::start().await;
    let added = kisi
        .call(
            Method::POST,
            None,
            "/__emulator/webhooks",
            Some(json!({"url": receiver.url, "secret": "s3cret", "event_types": ["lock.unlock"]})),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body["id"].as_u64().is_some());
    let (user_id, key) = kisi.member_of("ada@hive.test", "Members").await;
    let unlocked = kisi.unlock(&key, "Front Door", json!({})).await;
    assert_eq!(unlocked.status, StatusCode::OK);

    let received = receiver.wait_for(1).await;
    assert_eq!(received.len(), 1);
    let delivery = &received[0];
    let signature = delivery.signature.as_deref().unwrap();
    assert_eq!(signature, hex_hmac("s3cret", &delivery.body));
    assert_ne!(signature, hex_hmac("another secret", &delivery.body));
    assert_eq!(delivery.content_type.as_deref(), Some("application/json"));
    let body = &delivery.json;
    assert_eq!(body["type"], "lock.unlock");
    assert_eq!(body["actor_type"], "User");
    assert_eq!(body["actor_id"], user_id);
    assert_eq!(body["object_type"], "Lock");
    assert_eq!(body["object_id"], kisi.lock_id("Front Door"));
    assert_eq!(body["success"], true);
    assert!(
        body.get("id").is_none() && body.get("login_id").is_none(),
        "{body}"
    );

    let listed = kisi
        .call(Method::GET, None, "/__emulator/webhooks", None)
        .await;
    assert_eq!(listed.body[0]["signed"], true);
    assert_eq!(listed.body[0]["deliveries"][0]["status"], 200);
    assert_eq!(listed.body[0]["deliveries"][0]["attempt"], 1);
    let id = listed.body[0]["id"].as_u64().unwrap();
    let removed = kisi
        .call(
            Method::DELETE,
            None,
            &format!("/__emulator/webhooks/{id}"),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    kisi.unlock(&key, "Front Door", json!({})).await;
    assert_eq!(
        receiver.wait_for(1).await.len(),
        1,
        "no delivery after removal"
    );
}

#[tokio::test]
async fn unlock_refused_by_kisi_is_delivered_with_success_false_and_kisis_code() {
    let (kisi, receiver) = hive_with_receiver().await;
    let (_, key) = kisi.member_of("ivan@hive.test", "IT").await;
    // The server room has the reader restriction; a desktop has no proximity proof.
    let refused = kisi.unlock(&key, "Server Room", json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let received = receiver.wait_for(1).await;
    let body = &received[0].json;
    assert_eq!(body["success"], false);
    assert_eq!(body["error_code"], "bb5bbff");
    assert_eq!(body["error_message"], refused.body["error"]);
    assert!(received[0].signature.is_none(), "no key, no signature");
}

#[tokio::test]
async fn duplicated_events_arrive_twice_with_the_same_uuid() {
    let (kisi, receiver) = hive_with_receiver().await;
    let (_, key) = kisi.member_of("ada@hive.test", "Members").await;
    let faults = kisi
        .call(
            Method::POST,
            None,
            "/__emulator/webhook_faults",
            Some(json!({"duplicate": true})),
        )
        .await;
    assert_eq!(faults.status, StatusCode::NO_CONTENT);
    kisi.unlock(&key, "Front Door", json!({})).await;

    let received = receiver.wait_for(2).await;
    assert_eq!(received.len(), 2);
    assert_eq!(uuids(&received)[0], uuids(&received)[1]);
    assert_eq!(received[0].body, received[1].body);
    assert_eq!(
        uuids(&received),
        vec![logged_uuids(&kisi).await[0].clone(); 2]
    );
}

#[tokio::test]
async fn dropped_events_never_arrive_but_are_listed_by_get_events() {
    let (kisi, receiver) = hive_with_receiver().await;
    let (_, key) = kisi.member_of("ada@hive.test", "Members").await;
    kisi.emulator
        .control()
        .inject_webhook_faults(WebhookFaults {
            drop: Some(DropEvents { count: 2 }),
            ..WebhookFaults::default()
        });
    for _ in 0..3 {
        kisi.unlock(&key, "Front Door", json!({})).await;
    }

    let received = receiver.wait_for(1).await;
    let logged = logged_uuids(&kisi).await;
    assert_eq!(logged.len(), 3, "every event stays in GET /events");
    assert_eq!(
        uuids(&received),
        vec![logged[2].clone()],
        "only the third arrives"
    );
    let log = &kisi.emulator.control().webhooks()[0].deliveries;
    let dropped: Vec<&str> = log
        .iter()
        .filter(|d| d.attempt == 0)
        .map(|d| d.event_uuid.as_str())
        .collect();
    assert_eq!(dropped, vec![logged[0].as_str(), logged[1].as_str()]);
}

#[tokio::test]
async fn reordered_events_arrive_out_of_order() {
    let (kisi, receiver) = hive_with_receiver().await;
    let (_, key) = kisi.member_of("ada@hive.test", "Room A").await;
    kisi.emulator
        .control()
        .inject_webhook_faults(WebhookFaults {
            reorder: Some(true),
            ..WebhookFaults::default()
        });
    kisi.unlock(&key, "Front Door", json!({})).await;
    kisi.unlock(&key, "Room A", json!({})).await;

    let received = receiver.wait_for(2).await;
    let logged = logged_uuids(&kisi).await;
    assert_eq!(uuids(&received), vec![logged[1].clone(), logged[0].clone()]);
    assert_eq!(received[0].json["object_id"], kisi.lock_id("Room A"));
}

#[tokio::test]
async fn receiver_answering_500_once_gets_the_event_again() {
    let (kisi, receiver) = hive_with_receiver().await;
    receiver.inbox.failures_left.store(1, Ordering::SeqCst);
    let (_, key) = kisi.member_of("ada@hive.test", "Members").await;
    kisi.unlock(&key, "Front Door", json!({})).await;

    let received = receiver.wait_for(2).await;
    assert_eq!(received.len(), 2);
    assert_eq!(uuids(&received)[0], uuids(&received)[1]);
    let log = &kisi.emulator.control().webhooks()[0].deliveries;
    let attempts: Vec<(u32, Option<u16>)> = log.iter().map(|d| (d.attempt, d.status)).collect();
    assert_eq!(attempts, vec![(1, Some(500)), (2, Some(200))]);
}

#[tokio::test]
async fn a_receiver_failing_beyond_the_retries_is_given_up() {
    let (kisi, receiver) = hive_with_receiver().await;
    receiver.inbox.failures_left.store(10, Ordering::SeqCst);
    kisi.emulator
        .control()
        .inject_webhook_faults(WebhookFaults {
            retries: Some(1),
            ..WebhookFaults::default()
        });
    let (_, key) = kisi.member_of("ada@hive.test", "Members").await;
    kisi.unlock(&key, "Front Door", json!({})).await;

    receiver.wait_for(2).await;
    // A second retry would follow 200 ms after the first; give it well over that.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(receiver.received().len(), 2, "one try and one retry");
    let log = &kisi.emulator.control().webhooks()[0].deliveries;
    let statuses: Vec<Option<u16>> = log.iter().map(|d| d.status).collect();
    assert_eq!(statuses, vec![Some(500), Some(500)]);
}

#[tokio::test]
async fn tap_by_a_user_without_a_valid_assignment_is_refused_and_delivered() {
    let (kisi, receiver) = hive_with_receiver().await;
    kisi.emulator
        .control()
        .set_clock(at("2026-03-02T10:00:00Z"));
    let user_id = kisi.managed_user("gone@hive.test").await;
    let expired = kisi
        .assign(
            user_id,
            "Members",
            Some(at("2026-02-01T00:00:00Z")),
            Some(at("2026-03-01T00:00:00Z")),
        )
        .await;
    assert_eq!(expired.status, StatusCode::OK, "{}", expired.body);

    let path = format!("/__emulator/locks/{}/tap", kisi.lock_id("Front Door"));
    let tap = kisi
        .call(
            Method::POST,
            None,
            &path,
            Some(json!({"user_id": user_id, "credential": "card"})),
        )
        .await;
    assert_eq!(tap.status, StatusCode::OK, "{}", tap.body);
    assert_eq!(tap.body["success"], false);
    assert_eq!(tap.body["error_message"], ACCESS_DENIED);

    let received = receiver.wait_for(1).await;
    let body = &received[0].json;
    assert_eq!(body["success"], false);
    assert_eq!(body["actor_type"], "User");
    assert_eq!(body["actor_id"], user_id);
    assert_eq!(body["error_message"], ACCESS_DENIED);
}

#[tokio::test]
async fn tap_by_a_user_with_a_valid_assignment_succeeds_at_a_reader_restricted_door() {
    let (kisi, receiver) = hive_with_receiver().await;
    let (user_id, _) = kisi.member_of("ivan@hive.test", "IT").await;

    let path = format!("/__emulator/locks/{}/tap", kisi.lock_id("Server Room"));
    let tap = kisi
        .call(
            Method::POST,
            None,
            &path,
            Some(json!({"user_id": user_id, "credential": "reader"})),
        )
        .await;
    assert_eq!(tap.status, StatusCode::OK, "{}", tap.body);
    assert_eq!(
        tap.body,
        json!({"success": true, "error_code": null, "error_message": null})
    );

    let received = receiver.wait_for(1).await;
    assert_eq!(received[0].json["success"], true);
    assert_eq!(received[0].json["actor_id"], user_id);
    let events = kisi.get(kisi.owner_key(), "/events").await;
    assert_eq!(events.body[0]["actor_type"], "User");
    assert_eq!(
        events.body[0]["login_id"],
        Value::Null,
        "a tap uses no login"
    );
}

#[tokio::test]
async fn tap_at_an_unknown_lock_or_by_an_unknown_user_is_a_404() {
    let kisi = hive().await;
    let control = kisi.emulator.control();
    let unknown_user = control.tap(
        kisi.lock_id("Front Door"),
        999_999,
        kisi_emulator::Credential::Card,
    );
    assert!(unknown_user.is_err());
    let path = "/__emulator/locks/999999/tap";
    let tap = kisi
        .call(
            Method::POST,
            None,
            path,
            Some(json!({"user_id": kisi.ids.owner_id, "credential": "card"})),
        )
        .await;
    assert_eq!(tap.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn integrations_get_only_the_event_types_they_asked_for() {
    let kisi = hive().await;
    let receiver = Receiver::start().await;
    kisi.emulator
        .control()
        .add_webhook(NewWebhook {
            url: receiver.url.clone(),
            secret: None,
            event_types: Some(vec!["lock.lockdown".to_owned()]),
        })
        .unwrap();
    let (_, key) = kisi.member_of("ada@hive.test", "Members").await;
    kisi.unlock(&key, "Front Door", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(receiver.received().is_empty());
}

#[tokio::test]
async fn a_delayed_webhook_arrives_late_without_delaying_the_unlock() {
    let (kisi, receiver) = hive_with_receiver().await;
    let (_, key) = kisi.member_of("ada@hive.test", "Members").await;
    kisi.emulator
        .control()
        .inject_webhook_faults(WebhookFaults {
            delay_ms: Some(800),
            ..WebhookFaults::default()
        });
    let started = std::time::Instant::now();
    let unlocked = kisi.unlock(&key, "Front Door", json!({})).await;
    assert_eq!(unlocked.status, StatusCode::OK);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "the unlock did not wait"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(receiver.received().is_empty(), "not before its delay");
    receiver.wait_for(1).await;
    assert!(started.elapsed() >= Duration::from_millis(800));
}

#[tokio::test]
async fn webhook_faults_combine_in_one_body_and_clear_over_http() {
    let (kisi, receiver) = hive_with_receiver().await;
    let (_, key) = kisi.member_of("ada@hive.test", "Members").await;
    let faults = json!({"duplicate": true, "drop": {"count": 1}, "retries": 0});
    let injected = kisi
        .call(
            Method::POST,
            None,
            "/__emulator/webhook_faults",
            Some(faults),
        )
        .await;
    assert_eq!(injected.status, StatusCode::NO_CONTENT);
    kisi.unlock(&key, "Front Door", json!({})).await; // dropped
    kisi.unlock(&key, "Front Door", json!({})).await; // twice
    let received = receiver.wait_for(2).await;
    assert_eq!(received.len(), 2);
    assert_eq!(
        uuids(&received),
        vec![logged_uuids(&kisi).await[1].clone(); 2]
    );

    let cleared = kisi
        .call(Method::DELETE, None, "/__emulator/webhook_faults", None)
        .await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT);
    kisi.unlock(&key, "Front Door", json!({})).await;
    assert_eq!(receiver.wait_for(3).await.len(), 3, "once, after clearing");
}

/// Taps `user_id`'s card at `lock` through the control API; the reader's verdict.
async fn tap_card(kisi: &Kisi, lock: &str, user_id: u64) -> Value {
    let path = format!("/__emulator/locks/{}/tap", kisi.lock_id(lock));
    let tap = kisi
        .call(
            Method::POST,
            None,
            &path,
            Some(json!({"user_id": user_id, "credential": "card"})),
        )
        .await;
    assert_eq!(tap.status, StatusCode::OK, "{}", tap.body);
    tap.body
}

#[tokio::test]
async fn an_offline_reader_refuses_a_tap_by_default_and_says_so_at_once() {
    let (kisi, receiver) = hive_with_receiver().await;
    let (ada, _) = kisi.member_of("ada@hive.test", "Members").await;
    let control = kisi.emulator.control();
    control
        .set_lock_state(kisi.lock_id("Front Door"), false, false)
        .unwrap();

    let tap = tap_card(&kisi, "Front Door", ada).await;

    assert_eq!(
        (&tap["success"], &tap["error_message"]),
        (&json!(false), &json!(LOCK_OFFLINE))
    );
    let received = receiver.wait_for(1).await;
    assert_eq!(received[0].json["error_message"], LOCK_OFFLINE);
    assert_eq!(logged_uuids(&kisi).await, uuids(&received));
}

/// Kisi's "Offline support" (kisi-api.md, OFFLINE): the reader opens from the list it cached when
/// the door went offline, and the events reach Kisi (the log, the webhooks) when it is back, with
/// the instants the taps happened. Adversary: a member added after the door went offline, whom
/// the cached list does not know.
#[tokio::test]
async fn an_offline_reader_opens_from_its_cache_and_syncs_the_taps_when_back_online() {
    let (kisi, receiver) = hive_with_receiver().await;
    let control = kisi.emulator.control();
    control.set_clock(at("2026-03-02T10:00:00Z"));
    let set = kisi
        .call(
            Method::PUT,
            None,
            "/__emulator/offline_readers",
            Some(json!({"readers": "open_from_cache"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    let (ada, _) = kisi.member_of("ada@hive.test", "Members").await;
    let door = kisi.lock_id("Front Door");
    control.set_lock_state(door, false, false).unwrap();
    let (late, _) = kisi.member_of("late@hive.test", "Members").await;

    control.set_clock(at("2026-03-02T10:05:00Z"));
    let opened = tap_card(&kisi, "Front Door", ada).await;
    control.set_clock(at("2026-03-02T10:06:00Z"));
    let refused = tap_card(&kisi, "Front Door", late).await;

    assert_eq!(opened["success"], true, "{opened}");
    assert_eq!(
        (&refused["success"], &refused["error_message"]),
        (&json!(false), &json!(ACCESS_DENIED)),
        "the cached list predates their role"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        receiver.received().is_empty(),
        "nothing synced while offline"
    );
    assert!(logged_uuids(&kisi).await.is_empty(), "nor in the log");

    control.set_clock(at("2026-03-02T10:40:00Z"));
    control.set_lock_state(door, true, false).unwrap();

    let received = receiver.wait_for(2).await;
    let seen: Vec<(u64, bool, String)> = received
        .iter()
        .map(|r| {
            (
                r.json["actor_id"].as_u64().unwrap(),
                r.json["success"].as_bool().unwrap(),
                r.json["created_at"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (ada, true, "2026-03-02T10:05:00Z".to_owned()),
            (late, false, "2026-03-02T10:06:00Z".to_owned()),
        ],
        "delivered when back, in order, with the instants of the taps"
    );
    assert_eq!(logged_uuids(&kisi).await, uuids(&received));
    let tap_again = tap_card(&kisi, "Front Door", late).await;
    assert_eq!(
        tap_again["success"], true,
        "online again: judged by Kisi now"
    );
}
