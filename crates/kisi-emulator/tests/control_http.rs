//! The control API over HTTP mirrors `Control` (the README's "Control API"): seed, state, clock,
//! faults, deletions, restrictions, hand-made users and assignments, quota and rate limit.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a broken set-up should stop the test loudly"
)]

use kisi_emulator::{DEMO_SEED_JSON, EmulatorConfig, SeedIds, Snapshot};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Emulator {
    base: String,
    http: reqwest::Client,
    _running: kisi_emulator::RunningEmulator,
}

impl Emulator {
    async fn start() -> Self {
        let config = EmulatorConfig {
            rate_limit_per_second: None,
            ..EmulatorConfig::default()
        };
        let running = kisi_emulator::start(config).await.unwrap();
        Self {
            base: running.base_url(),
            http: reqwest::Client::new(),
            _running: running,
        }
    }

    async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .http
            .request(method, format!("{}/__emulator{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    async fn kisi(
        &self,
        key: &str,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> reqwest::Response {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", format!("KISI-LOGIN {key}"))
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn the_demo_seed_loads_over_http_and_its_owner_key_works() {
    let emulator = Emulator::start().await;
    let seed: Value = serde_json::from_str(DEMO_SEED_JSON).unwrap();
    let answer = emulator
        .control(reqwest::Method::POST, "/seed", Some(seed))
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let ids: SeedIds = answer.json().await.unwrap();
    assert!(ids.locks.contains_key("Server Room"));
    let me = emulator
        .kisi(
            &ids.owner_api_key,
            reqwest::Method::GET,
            "/user",
            json!(null),
        )
        .await;
    assert_eq!(me.status(), StatusCode::OK);

    let state: Snapshot = emulator
        .control(reqwest::Method::GET, "/state", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(state.locks.len(), ids.locks.len());
    assert_eq!(state.organization.unwrap().domain, "harbor-coworking");
}

#[tokio::test]
async fn an_inconsistent_seed_is_refused_with_the_names_to_fix() {
    let emulator = Emulator::start().await;
    let seed = json!({"organization": {"name": "X", "domain": "x"},
        "owner": {"email": "o@x.test", "password": "p", "name": "O"},
        "locks": [{"name": "Door", "place": "Nowhere"}]});
    let answer = emulator
        .control(reqwest::Method::POST, "/seed", Some(seed))
        .await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = answer.json().await.unwrap();
    let message = body["error"].as_str().unwrap();
    assert!(
        message.contains("Door") && message.contains("Nowhere"),
        "{message}"
    );
}

#[tokio::test]
async fn the_clock_can_be_frozen_and_advanced_over_http() {
    let emulator = Emulator::start().await;
    let set = emulator
        .control(
            reqwest::Method::PUT,
            "/clock",
            Some(json!({"now": "2026-03-02T09:00:00Z"})),
        )
        .await;
    assert_eq!(set.status(), StatusCode::OK);
    let advanced: Value = emulator
        .control(
            reqwest::Method::POST,
            "/clock/advance",
            Some(json!({"seconds": 90})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(advanced["now"], "2026-03-02T09:01:30Z");
}

#[tokio::test]
async fn faults_deletions_and_restrictions_are_driven_over_http() {
    let emulator = Emulator::start().await;
    let seed: Value = serde_json::from_str(DEMO_SEED_JSON).unwrap();
    let ids: SeedIds = emulator
        .control(reqwest::Method::POST, "/seed", Some(seed))
        .await
        .json()
        .await
        .unwrap();
    let key = ids.owner_api_key.clone();

    let injected = emulator
        .control(
            reqwest::Method::POST,
            "/faults",
            Some(json!({"too_many_requests": {"count": 1}})),
        )
        .await;
    assert_eq!(injected.status(), StatusCode::NO_CONTENT);
    let limited = emulator
        .kisi(&key, reqwest::Method::GET, "/user", json!(null))
        .await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    emulator
        .control(reqwest::Method::DELETE, "/faults", None)
        .await;

    let group = ids.groups["Room Elbe"];
    let deleted = emulator
        .control(reqwest::Method::DELETE, &format!("/groups/{group}"), None)
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let again = emulator
        .control(reqwest::Method::DELETE, &format!("/groups/{group}"), None)
        .await;
    assert_eq!(again.status(), StatusCode::GONE);

    let lock = ids.locks["Front Door"];
    let restricted = emulator
        .control(
            reqwest::Method::PUT,
            &format!("/locks/{lock}/restrictions"),
            Some(json!({"reader": true, "geofence": false, "time": false})),
        )
        .await;
    assert_eq!(restricted.status(), StatusCode::NO_CONTENT);
    let unlock = emulator
        .kisi(
            &key,
            reqwest::Method::POST,
            &format!("/locks/{lock}/unlock"),
            json!({}),
        )
        .await;
    assert_eq!(unlock.status(), StatusCode::FORBIDDEN);
    let body: Value = unlock.json().await.unwrap();
    assert_eq!(body["code"], "bb5bbff");

    // A door's own state: offline and locked down, as `GET /locks/{id}` reports it.
    let other = ids.locks["Meeting Room Elbe"];
    let state = emulator
        .control(
            reqwest::Method::PUT,
            &format!("/locks/{other}/state"),
            Some(json!({"online": false, "locked_down": true})),
        )
        .await;
    assert_eq!(state.status(), StatusCode::NO_CONTENT);
    let record: Value = emulator
        .kisi(
            &key,
            reqwest::Method::GET,
            &format!("/locks/{other}"),
            json!(null),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&record["online"], &record["locked_down"]),
        (&json!(false), &json!(true))
    );
    let unknown = emulator
        .control(
            reqwest::Method::PUT,
            "/locks/987654/state",
            Some(json!({"online": true, "locked_down": false})),
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let user: Value = emulator
        .control(
            reqwest::Method::POST,
            "/users",
            Some(json!({"email": "hand@x.test", "name": "Hand", "confirmed": true})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(user["managed"], false);
    let assignment = emulator
        .control(
            reqwest::Method::POST,
            "/role_assignments",
            Some(json!({"user_id": user["id"], "group_id": ids.groups["Day Pass"]})),
        )
        .await;
    assert_eq!(assignment.status(), StatusCode::CREATED);
    let assignment: Value = assignment.json().await.unwrap();
    assert_eq!(assignment["source"], "dashboard");

    let quota = emulator
        .control(
            reqwest::Method::PUT,
            "/login_quota",
            Some(json!({"login_quota": 0})),
        )
        .await;
    assert_eq!(quota.status(), StatusCode::NO_CONTENT);
    let state: Snapshot = emulator
        .control(reqwest::Method::GET, "/state", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(state.login_quota, 0);
    assert_eq!(state.deleted_group_ids, vec![group]);
    let rate = emulator
        .control(
            reqwest::Method::PUT,
            "/rate_limit",
            Some(json!({"per_second": null})),
        )
        .await;
    assert_eq!(rate.status(), StatusCode::NO_CONTENT);
}
