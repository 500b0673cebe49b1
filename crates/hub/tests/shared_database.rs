//! Several hubs over one database (ARCHITECTURE), or a hub beside a `doorlink sync` run: a write
//! made by another process reaches this hub's Access page on the next read, with no change
//! notice, because the cached facts and Kisi view are checked against the store's revision.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use common::{Caller, account, one_door_directory_in};
use doorlink_core::{DoorAccess, KisiGroupId, LocationId};
use doorlink_hub::{AppState, HubConfig, app};
use doorlink_store::{AccountRole, NewLocation, Store};
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

const FRONT_DOOR: i64 = 11;
const MEMBERS_GROUP: i64 = 21;

/// One hub process over the shared database file.
struct Hub {
    state: AppState,
    router: Router,
}

impl Hub {
    async fn over(path: &std::path::Path) -> Self {
        let store = Store::open(path).await.unwrap();
        let mut config = HubConfig::with_database(path);
        config.run_sync_worker = false;
        config.ui_dist = Some("/nonexistent-ui-dist".into());
        let state = AppState::new(store, config);
        Self {
            router: app(state.clone()),
            state,
        }
    }

    async fn call(&self, caller: &Caller, method: Method, uri: &str, body: Option<Value>) -> Value {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {}", caller.token));
        let request = match body {
            Some(json) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
            .await
            .unwrap();
        let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert!(status.is_success(), "{status}: {json}");
        json
    }

    /// The names of the doors the member may open now, as this hub's Access page lists them.
    async fn doors_open_now(&self, member: &Caller) -> Vec<String> {
        let access = self.call(member, Method::GET, "/api/me/access", None).await;
        access["locations"][0]["open_now"]
            .as_array()
            .unwrap()
            .iter()
            .map(|lock| lock["name"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// Two hubs over one file; the location, its Kisi directory and a "Hot desk" plan opening the
/// members' group. Ana is a member signed in at the second hub, staff at the first.
struct TwoHubs {
    _dir: TempDir,
    first: Hub,
    second: Hub,
    location: LocationId,
    plan: i64,
    ana: Caller,
    desk: Caller,
}

async fn two_hubs() -> TwoHubs {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let first = Hub::over(&path).await;
    let second = Hub::over(&path).await;
    let store = first.state.store();
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    one_door_directory_in(
        store,
        location,
        (MEMBERS_GROUP, "Members"),
        (FRONT_DOOR, "Front door"),
    )
    .await;
    let plan = store
        .catalog()
        .create_plan(
            location,
            "Hot desk",
            &DoorAccess::groups([KisiGroupId(MEMBERS_GROUP)]),
        )
        .await
        .unwrap();
    let person = store
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();
    let ana = account(
        &second.state,
        "ana@example.com",
        AccountRole::Member,
        Some(person.id),
    )
    .await;
    let desk = account(&first.state, "desk@example.com", AccountRole::Staff, None).await;
    TwoHubs {
        _dir: dir,
        first,
        second,
        location,
        plan: plan.id.0,
        ana,
        desk,
    }
}

#[tokio::test]
async fn a_subscription_made_at_one_hub_opens_the_door_on_the_other_hubs_access_page() {
    let hubs = two_hubs().await;
    assert!(hubs.second.doors_open_now(&hubs.ana).await.is_empty());

    hubs.first
        .call(
            &hubs.desk,
            Method::POST,
            "/api/subscriptions",
            Some(json!({"location_id": hubs.location.0,
                        "holder": {"kind": "person", "id": hubs.ana.person.unwrap().0},
                        "start": "2026-01-01", "end": null,
                        "items": [{"sells": {"kind": "plan", "id": hubs.plan}, "access_override": null}]})),
        )
        .await;

    assert_eq!(hubs.second.doors_open_now(&hubs.ana).await, ["Front door"]);
}

#[tokio::test]
async fn a_lock_renamed_by_a_sync_in_another_process_shows_its_new_name() {
    let hubs = two_hubs().await;
    hubs.first
        .call(
            &hubs.desk,
            Method::POST,
            "/api/subscriptions",
            Some(json!({"location_id": hubs.location.0,
                        "holder": {"kind": "person", "id": hubs.ana.person.unwrap().0},
                        "start": "2026-01-01", "end": null,
                        "items": [{"sells": {"kind": "plan", "id": hubs.plan}, "access_override": null}]})),
        )
        .await;
    assert_eq!(hubs.second.doors_open_now(&hubs.ana).await, ["Front door"]);

    // `doorlink sync` in another process re-reads the directory: Kisi renamed the lock.
    let elsewhere = hubs.first.state.config().database.open().await.unwrap();
    one_door_directory_in(
        &elsewhere,
        hubs.location,
        (MEMBERS_GROUP, "Members"),
        (FRONT_DOOR, "Main entrance"),
    )
    .await;

    assert_eq!(
        hubs.second.doors_open_now(&hubs.ana).await,
        ["Main entrance"]
    );
}
