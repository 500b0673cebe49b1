//! Several hubs on one PostgreSQL database (issue 14): a write through hub A refreshes the pages
//! open on hub B, over the database's change feed (LISTEN/NOTIFY), with the members' rule kept
//! (a member hears only about themself), a notice too big for the feed arriving as "reload", and
//! the feed surviving its connection being killed. Each test runs on a fresh database of the
//! server `DOORLINK_TEST_POSTGRES_URL` names, and is skipped (saying so) without it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test stops loudly"
)]

use std::time::Duration;

use doorlink_api::events::{ChangeKind, ChangeNotice};
use doorlink_core::{Email, LocationId, PersonId, ResourceKind};
use doorlink_hub::testing::open_session;
use doorlink_hub::{Hub, HubConfig, RunningHub};
use doorlink_store::{AccountRole, NewLocation, SecretBox, Store};
use serde_json::json;
use sqlx::Connection;
use tokio::net::TcpListener;

/// How long a notice may take to cross from one hub to the other before the test gives up: far
/// above what it takes, so a loaded machine does not fail the test (no timing is asserted).
const PATIENCE: Duration = Duration::from_secs(20);

/// The URL of a fresh, empty database on the test server, or `None` (test skipped).
async fn fresh_database() -> Option<String> {
    doorlink_store::testing::postgres_or_skip().await.unwrap()
}

/// One SSE stream, read event by event.
struct Stream {
    response: reqwest::Response,
    buffer: String,
}

/// One server-sent event: its name (`change`, `lagged`) and data.
#[derive(Debug)]
struct Event {
    name: String,
    data: String,
}

impl Stream {
    async fn open(base: &str, token: &str) -> Self {
        let response = reqwest::Client::new()
            .get(format!("{base}/api/events"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped), or `None` when none came within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    frame
                        .lines()
                        .find_map(|line| line.strip_prefix(name))
                        .map(|value| value.trim().to_owned())
                };
                if let Some(data) = field("data:") {
                    let name = field("event:").unwrap_or_else(|| "message".to_owned());
                    return Some(Event { name, data });
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .unwrap()?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Every event up to and including the first that `last` accepts (the test fails when none
    /// comes within [`PATIENCE`]).
    async fn until(&mut self, last: impl Fn(&Event) -> bool) -> Vec<Event> {
        let mut seen = Vec::new();
        while let Some(event) = self.next(PATIENCE).await {
            let done = last(&event);
            seen.push(event);
            if done {
                return seen;
            }
        }
        panic!("the awaited event never came; saw {seen:?}");
    }
}

/// Two hubs serving on one database, each with its own store pool and change feed; a location
/// with a bookable room; Ana and Ben, members; the front desk, staff.
struct TwoHubs {
    a: RunningHub,
    b: RunningHub,
    a_state: doorlink_hub::AppState,
    b_state: doorlink_hub::AppState,
    database: String,
    location: LocationId,
    room: i64,
    ana: PersonId,
    ben: PersonId,
    desk: String,
    ana_token: String,
    ben_token: String,
}

impl TwoHubs {
    async fn start() -> Option<Self> {
        let url = fresh_database().await?;
        let database = url::Url::parse(&url).unwrap().path()[1..].to_owned();
        let key = [7; 32];
        let mut states = Vec::new();
        let mut running = Vec::new();
        for _ in 0..2 {
            let store = Store::open_postgres_with(&url, SecretBox::from_key(key))
                .await
                .unwrap();
            let mut config = HubConfig::with_database("/nonexistent-postgres-hub.db");
            config.run_sync_worker = false;
            config.ui_dist = Some("/nonexistent-ui-dist".into());
            let hub = Hub::with_store(store, config).await.unwrap();
            states.push(hub.state().clone());
            running.push(
                hub.spawn(TcpListener::bind("127.0.0.1:0").await.unwrap())
                    .unwrap(),
            );
        }
        let store = states[0].store().clone();
        let location = store
            .locations()
            .create(&NewLocation::new("Harbor", "Europe/Berlin"))
            .await
            .unwrap();
        let room = store
            .catalog()
            .create_resource(location.id, "Elbe", ResourceKind::Room, &Default::default())
            .await
            .unwrap();
        let ana = store
            .people()
            .create("Ana", "ana@example.com")
            .await
            .unwrap();
        let ben = store
            .people()
            .create("Ben", "ben@example.com")
            .await
            .unwrap();
        let mut tokens = Vec::new();
        for (email, role, person) in [
            ("desk@example.com", AccountRole::Staff, None),
            ("ana@example.com", AccountRole::Member, Some(ana.id)),
            ("ben@example.com", AccountRole::Member, Some(ben.id)),
        ] {
            let account = store
                .accounts()
                .create(
                    &Email::parse(email).unwrap(),
                    role,
                    person,
                    "$argon2id$unused",
                )
                .await
                .unwrap();
            tokens.push(open_session(&states[0], &account).await.unwrap().token);
        }
        let (b, b_state) = (running.pop().unwrap(), states.pop().unwrap());
        let (a, a_state) = (running.pop().unwrap(), states.pop().unwrap());
        let [desk, ana_token, ben_token] = <[String; 3]>::try_from(tokens).unwrap();
        Some(Self {
            a,
            b,
            a_state,
            b_state,
            database,
            location: location.id,
            room: room.id.0,
            ana: ana.id,
            ben: ben.id,
            desk,
            ana_token,
            ben_token,
        })
    }

    /// Books the room for `booker` through hub A, as the front desk, for an hour from `hour`.
    async fn book_through_a(&self, booker: PersonId, hour: u32) {
        let answer = reqwest::Client::new()
            .post(format!("{}/api/bookings", self.a.base_url()))
            .bearer_auth(&self.desk)
            .json(&json!({"resource_id": self.room, "booker_id": booker.0,
                "start": format!("2026-05-04T{hour:02}:00:00Z"),
                "end": format!("2026-05-04T{:02}:00:00Z", hour + 1)}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201, "{:?}", answer.text().await);
    }

    async fn stop(self) {
        self.a.shutdown().await;
        self.b.shutdown().await;
    }
}

fn names(notice: &Event, person: PersonId) -> bool {
    notice.name == "change"
        && notice.data.contains("\"booking_changed\"")
        && notice.data.contains(&format!("\"people\":[{}]", person.0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_made_through_hub_a_refreshes_the_desk_on_hub_b_and_only_its_booker() {
    let Some(hubs) = TwoHubs::start().await else {
        return;
    };
    let mut desk_on_b = Stream::open(&hubs.b.base_url(), &hubs.desk).await;
    let mut ana_on_b = Stream::open(&hubs.b.base_url(), &hubs.ana_token).await;
    let revision_before = hubs.b_state.store().data_revision().await.unwrap();

    // The adversary: Ben's booking, made on the other hub, must not reach Ana's page.
    hubs.book_through_a(hubs.ben, 10).await;
    hubs.book_through_a(hubs.ana, 11).await;

    let desk_saw = desk_on_b.until(|event| names(event, hubs.ana)).await;
    assert!(
        desk_saw.iter().any(|event| names(event, hubs.ben)),
        "staff on hub B hear every booking made on hub A: {desk_saw:?}"
    );
    // Notices cross in the order they were made: had Ben's reached Ana, it would come first.
    let ana_saw = ana_on_b.until(|event| names(event, hubs.ana)).await;
    assert_eq!(
        ana_saw.len(),
        1,
        "Ana hears only her own booking: {ana_saw:?}"
    );
    // The caches on hub B are checked against the database's revision, which A's write moved.
    let revision_after = hubs.b_state.store().data_revision().await.unwrap();
    assert!(revision_after.facts > revision_before.facts);
    hubs.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_pass_naming_thousands_reaches_hub_b_as_a_reload_that_names_nobody() {
    let Some(hubs) = TwoHubs::start().await else {
        return;
    };
    let mut desk_on_b = Stream::open(&hubs.b.base_url(), &hubs.desk).await;
    let mut ben_on_b = Stream::open(&hubs.b.base_url(), &hubs.ben_token).await;
    // The real payload: a full reconcile naming 3,000 people (Ana among them), ~30 KB of JSON,
    // over NOTIFY's 8,000 bytes.
    let mut people: Vec<i64> = (100_000..103_000).collect();
    people.push(hubs.ana.0);
    hubs.a_state.publish(ChangeNotice {
        kind: ChangeKind::SyncChanged,
        location_id: Some(hubs.location.0),
        people,
        id: None,
    });
    hubs.book_through_a(hubs.ben, 12).await;

    let desk_saw = desk_on_b.until(|event| names(event, hubs.ben)).await;
    assert_eq!(desk_saw[0].name, "lagged", "{desk_saw:?}");
    // Ben is not among the 3,000: he hears a reload naming nobody, never their ids.
    let ben_saw = ben_on_b.until(|event| names(event, hubs.ben)).await;
    assert!(
        ben_saw
            .iter()
            .all(|event| event.name == "lagged" && event.data == "{}" || names(event, hubs.ben)),
        "{ben_saw:?}"
    );
    hubs.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_b_hears_hub_a_again_after_its_listening_connection_is_killed() {
    let Some(hubs) = TwoHubs::start().await else {
        return;
    };
    let mut desk_on_b = Stream::open(&hubs.b.base_url(), &hubs.desk).await;
    let server = std::env::var("DOORLINK_TEST_POSTGRES_URL").unwrap();
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    let listening = "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN %'";
    let listeners: Vec<i32> = sqlx::query_scalar(listening)
        .bind(&hubs.database)
        .fetch_all(&mut admin)
        .await
        .unwrap();
    assert_eq!(listeners.len(), 2, "one listening connection per hub");
    // The fault: the database drops both hubs' listening connections (a failover, a restart).
    for pid in &listeners {
        let killed: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
            .bind(pid)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        assert!(killed);
    }
    // Whatever was announced meanwhile is lost: hub B's pages are told to reload.
    let desk_saw = desk_on_b.until(|event| event.name == "lagged").await;
    assert_eq!(desk_saw.len(), 1, "{desk_saw:?}");
    hubs.book_through_a(hubs.ana, 13).await;
    desk_on_b.until(|event| names(event, hubs.ana)).await;
    hubs.stop().await;
}
