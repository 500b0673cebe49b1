//! Door events (issue 15) over real TCP: how fast the hub keeps Kisi's signed webhook deliveries,
//! and how soon a door opened shows on the front desk (the `door_events_changed` notice on the
//! server-sent events stream, then Who's in listing the person).
//!
//! Set-up: a hub on a SQLite file in a temp folder, served on 127.0.0.1:0 (no sync worker), one
//! location (Europe/Berlin) with 20 doors in its Kisi directory, 1,000 people linked to Kisi users,
//! the event webhook set up, a staff session. Requests go through reqwest.
//! 1. Ingestion: N distinct events (`DOORLINK_BENCH_EVENTS`, default 5,000; Kisi's documented
//!    fields, ~10% refused unlocks, spread over the past week so today's Who's in stays empty),
//!    each a signed delivery, 8 in flight at once: events kept per second, p50/p99 per delivery;
//!    then the same N deliveries again (Kisi's retries: answered, kept once): the rate.
//! 2. Presence latency: 200 deliveries (`DOORLINK_BENCH_PRESENCE`), 20 ms apart, each a different
//!    person opening an entrance now, while a staff client listens on `GET /api/events`. Measured
//!    from just before the POST is sent to (a) the notice naming the person arriving on the stream
//!    and (b) `GET /api/locations/{id}/presence` listing the person — read as the UI does, after
//!    the notice, again until listed.
//! 3. Outcome webhooks (the hub's background sender, as deployed): an endpoint on loopback asks
//!    for `unlock.succeeded`/`unlock.denied`; 2,000 more distinct deliveries (`DOORLINK_BENCH_OUTCOMES`),
//!    8 in flight: the rate they are kept at while each also keeps its outcome and a delivery, and
//!    how many outcomes a second reach the endpoint (from the first delivery to the last one
//!    heard); then 200 single unlocks, 20 ms apart: from Kisi's delivery leaving to the endpoint
//!    hearing the outcome.
//!
//! `cargo bench -p doorlink-hub --bench door_events`. Timings are printed, never asserted.
//!
//! Figures, 2026-12-05, this 2-core VM shared with other builds (noisy: run it twice), default
//! knobs (5,000 events, 8 in flight, 200 walk-ins 20 ms apart).
//!
//! Release (`bench` profile), 05:28 UTC, load average 3.8–4.1:
//!
//! what                                  count      rate/s   p50 ms   p99 ms   max ms
//! deliveries, distinct (kept)            5000        1986     2.68    26.07   172.47
//! deliveries, again (duplicates)         5000        2551     2.24    20.58   130.55
//! send → SSE door_events_changed          200           -     1.01     4.69    51.48
//! send → presence lists the person        200           -     5.67    20.95    55.72
//!
//! Debug (`cargo bench --profile dev`), 05:08 UTC, load average 3.7–4.4:
//!
//! what                                  count      rate/s   p50 ms   p99 ms   max ms
//! deliveries, distinct (kept)            5000         554    11.06    69.40   549.07
//! deliveries, again (duplicates)         5000         610    10.20    67.85   337.20
//! send → SSE door_events_changed          200           -     3.92    60.03   103.51
//! send → presence lists the person        200           -    37.43   134.20   163.94
//!
//! (In both runs Who's in listed the person at the first read after the notice, every time.)
//!
//! Release, 08:45 UTC, load average 1.9, with section 3 (the sender and the background tasks now
//! running through all sections):
//!
//! what                                  count      rate/s   p50 ms   p99 ms   max ms
//! deliveries, distinct (kept)            5000        2315     2.19    35.29   131.16
//! deliveries, again (duplicates)         5000        4429     1.14    19.08   129.21
//! send → SSE door_events_changed          200           -     1.24     2.21    13.93
//! send → presence lists the person        200           -     6.42     9.63    20.56
//! deliveries kept, outcomes told         2000        1884     2.36    35.64   336.10
//! outcomes at the endpoint               2000        1166        -        -        -
//! send → endpoint hears unlock            200           -     1.67    15.78    60.21
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark binary: it prints its figures and stops loudly on a broken set-up"
)]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use doorlink_core::{DoorState, Email, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId, KisiUserId};
use doorlink_hub::testing::{open_session, sign_kisi_webhook};
use doorlink_hub::{AppState, Hub, HubConfig, kisi_webhook_path, set_up_kisi_webhook};
use doorlink_store::{
    AccountRole, DirectoryGroup, DirectoryPlace, KisiDirectory, MirrorUser, NewLocation,
    NewOutcomeEndpoint, SecretValue,
};
use reqwest::Client;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const DOORS: i64 = 20;
const PEOPLE: i64 = 1_000;
const CONCURRENCY: usize = 8;
const FIRST_DOOR: i64 = 700;
const FIRST_KISI_USER: i64 = 50_000;
const PLACE: i64 = 3;
const ORGANIZATION: i64 = 42;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift), so every run sends the same events.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn door_name(door: i64) -> String {
    match door - FIRST_DOOR {
        0 => "Front Door".to_owned(),
        1 => "Back Door".to_owned(),
        2 => "Bike Room".to_owned(),
        n => format!("Room {n}"),
    }
}

/// One event as Kisi's Event Webhook delivers it (docs.kisi.io, "Track unlocks using webhooks").
fn kisi_event(uuid: &str, person: i64, door: i64, at: DateTime<Utc>, success: bool) -> Value {
    json!({
        "uuid": uuid,
        "actor_type": "User",
        "actor_id": FIRST_KISI_USER + person,
        "actor_name": format!("Member {person}"),
        "object_type": "Lock",
        "object_id": door,
        "object_name": door_name(door),
        "organization_id": ORGANIZATION,
        "place_id": PLACE,
        "success": success,
        "type": "lock.unlock",
        "error_code": if success { Value::Null } else { json!("afc507") },
        "error_message": if success {
            Value::Null
        } else {
            json!("You do not have access to this lock.")
        },
        "created_at": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    })
}

/// A signed delivery: the body and its X-Signature.
fn signed(secret: &str, event: &Value) -> (Vec<u8>, String) {
    let body = serde_json::to_vec(event).unwrap();
    let signature = sign_kisi_webhook(secret, &body);
    (body, signature)
}

struct Space {
    base: String,
    location: i64,
    secret: String,
    staff_token: String,
    /// Person id (hub) of the n-th member.
    people: Vec<i64>,
}

async fn space(state: &AppState) -> Space {
    let store = state.store();
    let location = store
        .locations()
        .create(&NewLocation::new("Harbor", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    let locks: Vec<KisiLock> = (FIRST_DOOR..FIRST_DOOR + DOORS)
        .map(|door| KisiLock {
            id: KisiLockId(door),
            name: door_name(door),
            place: Some(KisiPlaceId(PLACE)),
            reader_restriction: false,
            geofence_restriction: false,
            time_restriction: false,
            state: DoorState::default(),
        })
        .collect();
    store
        .kisi_mirror()
        .replace_directory(
            location,
            &KisiDirectory {
                places: vec![DirectoryPlace {
                    id: KisiPlaceId(PLACE),
                    name: "Harbor".into(),
                }],
                groups: vec![DirectoryGroup {
                    id: KisiGroupId(1),
                    name: "Members".into(),
                    place: Some(KisiPlaceId(PLACE)),
                    locks: locks.iter().map(|lock| lock.id).collect::<BTreeSet<_>>(),
                    reader_restriction: false,
                    geofence_restriction: false,
                    time_restriction: false,
                    has_foreign_members: false,
                    app_access: Some(true),
                    primary_device_restriction: Some(false),
                }],
                locks,
            },
        )
        .await
        .unwrap();
    let mut people = Vec::new();
    for n in 0..PEOPLE {
        let email = format!("member{n}@example.com");
        let person = store
            .people()
            .create(&format!("Member {n}"), &email)
            .await
            .unwrap();
        store
            .kisi_mirror()
            .save_user(
                location,
                person.id,
                &MirrorUser {
                    kisi_user: KisiUserId(FIRST_KISI_USER + n),
                    kisi_email: email,
                    confirmed: true,
                    owned: true,
                },
            )
            .await
            .unwrap();
        people.push(person.id.0);
    }
    let (_, secret) = set_up_kisi_webhook(store, location).await.unwrap();
    let staff = store
        .accounts()
        .create(
            &Email::parse("desk@example.com").unwrap(),
            AccountRole::Staff,
            None,
            "$argon2id$unused",
        )
        .await
        .unwrap();
    let staff_token = open_session(state, &staff).await.unwrap().token;
    Space {
        base: String::new(),
        location: location.0,
        secret,
        staff_token,
        people,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
    stored: u64,
    duplicates: u64,
}

/// Sends every delivery, `CONCURRENCY` in flight at once; each answer must be 200.
async fn deliver_all(client: &Client, url: &str, deliveries: Arc<[(Vec<u8>, String)]>) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (client, url, deliveries, next) = (
            client.clone(),
            url.to_owned(),
            deliveries.clone(),
            next.clone(),
        );
        workers.spawn(async move {
            let mut latencies = Vec::new();
            let (mut stored, mut duplicates) = (0, 0);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((body, signature)) = deliveries.get(i) else {
                    break;
                };
                let sent = Instant::now();
                let response = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("x-signature", signature)
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                let receipt: Value = response.json().await.unwrap();
                latencies.push(sent.elapsed());
                assert!(status.is_success(), "delivery {i}: {status} {receipt}");
                stored += receipt["stored"].as_u64().unwrap();
                duplicates += receipt["duplicates"].as_u64().unwrap();
            }
            (latencies, stored, duplicates)
        });
    }
    let mut run = Run {
        wall: Duration::ZERO,
        latencies: Vec::new(),
        stored: 0,
        duplicates: 0,
    };
    while let Some(done) = workers.join_next().await {
        let (latencies, stored, duplicates) = done.unwrap();
        run.latencies.extend(latencies);
        run.stored += stored;
        run.duplicates += duplicates;
    }
    run.wall = started.elapsed();
    run.latencies.sort();
    run
}

/// Reads `GET /api/events` and forwards each `change` notice with the moment it was read.
async fn listen(
    client: Client,
    url: String,
    token: String,
    notices: mpsc::UnboundedSender<(Instant, Value)>,
) {
    let mut response = client.get(&url).bearer_auth(&token).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let mut buffer = String::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let read = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let message: String = buffer.drain(..end + 2).collect();
            let mut kind = "";
            let mut data = String::new();
            for line in message.lines() {
                if let Some(value) = line.strip_prefix("event:") {
                    kind = value.trim();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim_start());
                }
            }
            if kind == "change"
                && let Ok(notice) = serde_json::from_str(&data)
                && notices.send((read, notice)).is_err()
            {
                return;
            }
        }
    }
}

/// A loopback endpoint that answers 200 and hands each body, with when it came, to the bench.
async fn outcome_receiver() -> (String, mpsc::UnboundedReceiver<(Instant, String)>) {
    let (heard, told) = mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/told",
        axum::routing::post(move |body: String| {
            let heard = heard.clone();
            async move {
                let _ = heard.send((Instant::now(), body));
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/told", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, told)
}

async fn present(client: &Client, url: &str, token: &str, person: i64) -> bool {
    let view: Value = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    view["present"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["person_id"].as_i64() == Some(person))
}

#[tokio::main]
async fn main() {
    let events = env_count("DOORLINK_BENCH_EVENTS", 5_000);
    let rounds = env_count("DOORLINK_BENCH_PRESENCE", 200).min(PEOPLE as usize);

    let data = tempfile::tempdir().unwrap();
    let mut config = HubConfig::with_database(data.path().join("doorlink.db"));
    // The background tasks run as deployed: the outcome sender among them (section 3). The
    // location is not connected to Kisi, so the sync worker and the backfill find nothing to do.
    config.run_sync_worker = true;
    config.sync.reconcile_interval = None;
    config.ui_dist = Some("/nonexistent-ui-dist".into());
    let store = config.database.open().await.unwrap();
    let state = AppState::new(store, config);
    let set_up = Instant::now();
    let mut space = space(&state).await;
    let set_up = set_up.elapsed();
    let store = state.store().clone();
    let running = Hub::with_state(state)
        .await
        .unwrap()
        .spawn(TcpListener::bind("127.0.0.1:0").await.unwrap())
        .unwrap();
    space.base = running.base_url();
    let client = Client::new();
    let webhook = format!(
        "{}{}",
        space.base,
        kisi_webhook_path(doorlink_core::LocationId(space.location))
    );
    println!(
        "set-up: {DOORS} doors, {PEOPLE} people linked to Kisi users, in {:.1} s",
        set_up.as_secs_f64()
    );

    // 1. Ingestion: a week of history, then Kisi delivering all of it again.
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let now = Utc::now();
    let deliveries: Vec<(Vec<u8>, String)> = (0..events)
        .map(|n| {
            let person = dice.below(PEOPLE as u64) as i64;
            let door = FIRST_DOOR + dice.below(DOORS as u64) as i64;
            let ago = 86_400 + dice.below(6 * 86_400) as i64;
            let success = dice.below(10) != 0;
            let event = kisi_event(
                &format!("bench-{n:08}"),
                person,
                door,
                now - chrono::Duration::seconds(ago),
                success,
            );
            signed(&space.secret, &event)
        })
        .collect();
    let deliveries: Arc<[(Vec<u8>, String)]> = deliveries.into();
    let first = deliver_all(&client, &webhook, deliveries.clone()).await;
    assert_eq!(first.stored, events as u64, "every distinct event is kept");
    let again = deliver_all(&client, &webhook, deliveries).await;
    assert_eq!(again.duplicates, events as u64, "a retry is kept once");

    // 2. Presence latency: a staff page listening, one person at a time walking in.
    let (notices, mut heard) = mpsc::unbounded_channel();
    let listener = tokio::spawn(listen(
        client.clone(),
        format!("{}/api/events", space.base),
        space.staff_token.clone(),
        notices,
    ));
    // Let the stream open before the first delivery.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let presence_url = format!("{}/api/locations/{}/presence", space.base, space.location);
    let (mut to_notice, mut to_presence) = (Vec::new(), Vec::new());
    let mut presence_reads = 0usize;
    for round in 0..rounds {
        let n = (round * 7919) % PEOPLE as usize;
        let person = space.people[n];
        let event = kisi_event(
            &format!("walk-in-{round:05}"),
            n as i64,
            FIRST_DOOR,
            Utc::now(),
            true,
        );
        let (body, signature) = signed(&space.secret, &event);
        let sent = Instant::now();
        let post = {
            let request = client
                .post(&webhook)
                .header("content-type", "application/json")
                .header("x-signature", signature)
                .body(body);
            tokio::spawn(async move { request.send().await.unwrap().status() })
        };
        let noticed = loop {
            let (at, notice) = tokio::time::timeout(Duration::from_secs(10), heard.recv())
                .await
                .expect("a notice within 10 s")
                .expect("the stream stays open");
            if notice["kind"] == "door_events_changed"
                && notice["people"]
                    .as_array()
                    .is_some_and(|people| people.iter().any(|p| p.as_i64() == Some(person)))
            {
                break at;
            }
        };
        to_notice.push(noticed - sent);
        loop {
            presence_reads += 1;
            if present(&client, &presence_url, &space.staff_token, person).await {
                break;
            }
            assert!(
                sent.elapsed() < Duration::from_secs(10),
                "listed within 10 s"
            );
        }
        to_presence.push(sent.elapsed());
        assert!(post.await.unwrap().is_success());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    listener.abort();
    to_notice.sort();
    to_presence.sort();

    // 3. Outcome webhooks: an endpoint for the unlocks, listening on loopback.
    let (endpoint_url, mut told) = outcome_receiver().await;
    store
        .outcomes()
        .create_endpoint(
            &NewOutcomeEndpoint {
                url: endpoint_url,
                description: "bench".into(),
                events: vec!["unlock.succeeded".into(), "unlock.denied".into()],
                location: None,
                enabled: true,
            },
            &SecretValue::new("bench-secret"),
        )
        .await
        .unwrap();
    let outcome_events = env_count("DOORLINK_BENCH_OUTCOMES", 2_000);
    let with_outcomes: Vec<(Vec<u8>, String)> = (0..outcome_events)
        .map(|n| {
            let person = dice.below(PEOPLE as u64) as i64;
            let door = FIRST_DOOR + dice.below(DOORS as u64) as i64;
            let at = now - chrono::Duration::seconds(86_400 + dice.below(86_400) as i64);
            let event = kisi_event(&format!("told-{n:08}"), person, door, at, true);
            signed(&space.secret, &event)
        })
        .collect();
    let started = Instant::now();
    let kept_and_told = deliver_all(&client, &webhook, with_outcomes.into()).await;
    assert_eq!(kept_and_told.stored, outcome_events as u64);
    for _ in 0..outcome_events {
        tokio::time::timeout(Duration::from_secs(60), told.recv())
            .await
            .expect("every outcome reaches the endpoint within a minute")
            .expect("the receiver runs");
    }
    let all_told = started.elapsed();
    // One unlock at a time: from Kisi's delivery leaving to the endpoint hearing the outcome.
    let mut to_endpoint = Vec::new();
    for round in 0..rounds {
        let uuid = format!("told-walk-in-{round:05}");
        let event = kisi_event(
            &uuid,
            (round * 31) as i64 % PEOPLE,
            FIRST_DOOR,
            Utc::now(),
            true,
        );
        let (body, signature) = signed(&space.secret, &event);
        let sent = Instant::now();
        let answer = client
            .post(&webhook)
            .header("content-type", "application/json")
            .header("x-signature", signature)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
        loop {
            let (at, heard) = tokio::time::timeout(Duration::from_secs(10), told.recv())
                .await
                .expect("the outcome within 10 s")
                .expect("the receiver runs");
            if heard.contains(&uuid) {
                to_endpoint.push(at - sent);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    to_endpoint.sort();

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "profile: {}, cores: {}, load average now: {}",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        std::thread::available_parallelism().map_or(0, usize::from),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!();
    println!("what                                  count      rate/s   p50 ms   p99 ms   max ms");
    for (what, run) in [
        ("deliveries, distinct (kept)", &first),
        ("deliveries, again (duplicates)", &again),
    ] {
        println!(
            "{what:<36} {:>6} {:>11.0} {:>8.2} {:>8.2} {:>8.2}",
            run.latencies.len(),
            run.latencies.len() as f64 / run.wall.as_secs_f64(),
            ms(percentile(&run.latencies, 50.0)),
            ms(percentile(&run.latencies, 99.0)),
            ms(run.latencies.last().copied().unwrap_or_default()),
        );
    }
    for (what, latencies) in [
        ("send → SSE door_events_changed", &to_notice),
        ("send → presence lists the person", &to_presence),
    ] {
        println!(
            "{what:<36} {:>6} {:>11} {:>8.2} {:>8.2} {:>8.2}",
            latencies.len(),
            "-",
            ms(percentile(latencies, 50.0)),
            ms(percentile(latencies, 99.0)),
            ms(latencies.last().copied().unwrap_or_default()),
        );
    }
    println!(
        "{:<36} {:>6} {:>11.0} {:>8.2} {:>8.2} {:>8.2}",
        "deliveries kept, outcomes told",
        kept_and_told.latencies.len(),
        kept_and_told.latencies.len() as f64 / kept_and_told.wall.as_secs_f64(),
        ms(percentile(&kept_and_told.latencies, 50.0)),
        ms(percentile(&kept_and_told.latencies, 99.0)),
        ms(kept_and_told.latencies.last().copied().unwrap_or_default()),
    );
    println!(
        "{:<36} {:>6} {:>11.0} {:>8} {:>8} {:>8}",
        "outcomes at the endpoint",
        outcome_events,
        outcome_events as f64 / all_told.as_secs_f64(),
        "-",
        "-",
        "-",
    );
    println!(
        "{:<36} {:>6} {:>11} {:>8.2} {:>8.2} {:>8.2}",
        "send → endpoint hears unlock",
        to_endpoint.len(),
        "-",
        ms(percentile(&to_endpoint, 50.0)),
        ms(percentile(&to_endpoint, 99.0)),
        ms(to_endpoint.last().copied().unwrap_or_default()),
    );
    println!(
        "({CONCURRENCY} deliveries in flight; presence read {:.2} times per walk-in; {events} \
         events kept before the walk-ins)",
        presence_reads as f64 / rounds.max(1) as f64
    );
    running.shutdown().await;
}
