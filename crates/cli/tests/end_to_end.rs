//! End to end over TCP: the pieces `doorlink demo` starts (Kisi emulator, hub with its sync
//! worker, synced demo space), driven through the hub's HTTP API like the UI drives it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions stop loudly too"
)]

use std::time::Duration;

use chrono::{DateTime, Utc};
use doorlink_api::auth::SessionView;
use doorlink_api::me::{MyAccess, UnlockOutcome};
use doorlink_cli::commands::demo::{self, DemoOptions, RunningDemo};
use doorlink_cli::demo_space::{cast, names};
use doorlink_store::AccountRole;
use kisi_emulator::{AssignmentSource, Snapshot};
use serde_json::json;

async fn start_demo() -> RunningDemo {
    demo::start(DemoOptions {
        data: None,
        port: 0,
        emulator_port: 0,
    })
    .await
    .unwrap()
}

/// Signs in with the demo's sign-in for `role` and returns the bearer token.
async fn sign_in(client: &reqwest::Client, demo: &RunningDemo, role: AccountRole) -> String {
    let sign_in = demo.sign_ins.iter().find(|s| s.role == role).unwrap();
    let response = client
        .post(format!("{}/api/auth/sign-in", demo.hub.base_url()))
        .json(&json!({ "email": sign_in.email, "password": sign_in.password }))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "sign-in: {}",
        response.status()
    );
    response.json::<SessionView>().await.unwrap().token
}

/// Waits (bounded) until the emulator's state satisfies `done`; the sync worker runs in the
/// background, so a write reaches Kisi shortly after the API answered.
async fn eventually(demo: &RunningDemo, what: &str, done: impl Fn(&Snapshot) -> bool) -> Snapshot {
    for _ in 0..200 {
        let state = demo.emulator.control().state();
        if done(&state) {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the emulator never showed {what}");
}

fn user_id(state: &Snapshot, email: &str) -> Option<u64> {
    state.users.iter().find(|u| u.email == email).map(|u| u.id)
}

fn group_id(state: &Snapshot, name: &str) -> u64 {
    state.groups.iter().find(|g| g.name == name).unwrap().id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booking_created_through_the_api_becomes_a_role_assignment_in_kisi() {
    let demo = start_demo().await;
    let client = reqwest::Client::new();
    let staff = sign_in(&client, &demo, AccountRole::Staff).await;
    // Someone whose subscription was cancelled: nothing in Kisi gives them Room Spree.
    let booker = demo.space.person(cast::CANCELLED).clone();
    let spree = demo
        .store
        .catalog()
        .resources(demo.space.location)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == names::ROOM_SPREE)
        .unwrap();
    let start: DateTime<Utc> = (Utc::now() + chrono::Duration::days(2))
        .date_naive()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        .and_utc();
    let end = start + chrono::Duration::hours(2);

    let response = client
        .post(format!("{}/api/bookings", demo.hub.base_url()))
        .bearer_auth(&staff)
        .json(&json!({
            "resource_id": spree.id.0,
            "booker_id": booker.id.0,
            "invitee_ids": [],
            "start": start,
            "end": end,
        }))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "booking: {} {}",
        response.status(),
        response.text().await.unwrap_or_default()
    );

    // R6: the window is the booking widened by the 30-minute grace on both sides.
    let grace = chrono::Duration::minutes(30);
    let email = booker.email.to_string();
    let state = eventually(&demo, "the booking's role assignment", |state| {
        let (Some(user), spree_group) = (user_id(state, &email), group_id(state, "Room Spree"))
        else {
            return false;
        };
        state.role_assignments.iter().any(|a| {
            a.user_id == user
                && a.group_id == spree_group
                && a.source == AssignmentSource::Api
                && a.valid_from == Some(start - grace)
                && a.valid_until == Some(end + grace)
        })
    })
    .await;
    assert!(user_id(&state, &email).is_some());
    demo.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_unlocks_the_front_door_and_kisi_names_them() {
    let demo = start_demo().await;
    let client = reqwest::Client::new();
    let member = sign_in(&client, &demo, AccountRole::Member).await;
    let access: MyAccess = client
        .get(format!("{}/api/me/access", demo.hub.base_url()))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let front_door = access.locations[0]
        .open_now
        .iter()
        .find(|l| l.name == "Front Door")
        .expect("the member's Access page lists the front door");

    let outcome: UnlockOutcome = client
        .post(format!(
            "{}/api/me/locks/{}/unlock",
            demo.hub.base_url(),
            front_door.lock_id
        ))
        .bearer_auth(&member)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(outcome.unlocked, "{outcome:?}");

    // A4: Kisi's own log names the member, because the hub unlocked with their own Kisi login.
    let state = demo.emulator.control().state();
    let mia = user_id(&state, demo.space.person(cast::MEMBER).email.as_str()).unwrap();
    let event = state
        .events
        .iter()
        .rev()
        .find(|e| e.object_name == "Front Door")
        .expect("an unlock event for the front door");
    assert!(event.success, "{event:?}");
    assert_eq!(event.actor_id, mia, "{event:?}");
    assert_eq!(event.actor_name, demo.space.person(cast::MEMBER).name);
    demo.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_restricted_door_answers_with_the_reason_and_its_fix() {
    let demo = start_demo().await;
    let client = reqwest::Client::new();
    let member = sign_in(&client, &demo, AccountRole::Member).await;
    let server_room = demo
        .emulator
        .control()
        .state()
        .locks
        .into_iter()
        .find(|l| l.name == names::READER_RESTRICTED_LOCK)
        .unwrap();

    let response = client
        .post(format!(
            "{}/api/me/locks/{}/unlock",
            demo.hub.base_url(),
            server_room.id
        ))
        .bearer_auth(&member)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let outcome: UnlockOutcome = response.json().await.unwrap();
    assert!(!outcome.unlocked);
    let reason = outcome.reason.expect("a refused unlock says why");
    assert_eq!(
        reason.cause,
        doorlink_api::common::Cause::ReaderRestriction,
        "{reason:?}"
    );
    assert!(
        reason.message.contains(names::READER_RESTRICTED_LOCK),
        "{reason:?}"
    );
    assert!(reason.fix.contains("Kisi Reader"), "{reason:?}");
    demo.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_prints_the_hub_url_and_a_sign_in_for_each_role() {
    let demo = start_demo().await;
    let banner = demo.banner();
    assert!(banner.contains(&demo.hub.base_url()), "{banner}");
    assert!(banner.contains(&demo.emulator.base_url()), "{banner}");
    for role in [AccountRole::Member, AccountRole::Staff, AccountRole::Admin] {
        let sign_in = demo.sign_ins.iter().find(|s| s.role == role).unwrap();
        assert!(banner.contains(&sign_in.email), "{banner}");
        assert!(banner.contains(&sign_in.password), "{banner}");
        // Each printed sign-in really signs in.
        sign_in_as(&demo, role).await;
    }
    demo.shutdown().await;
}

async fn sign_in_as(demo: &RunningDemo, role: AccountRole) {
    let client = reqwest::Client::new();
    assert!(!sign_in(&client, demo, role).await.is_empty());
}
