//! Issue 14's two-hub test, with real processes: two `doorlink serve` on one PostgreSQL database
//! and one Kisi (the emulator over TCP, at Kisi's 5 requests a second). Staff write through both
//! hubs while they sync; the hub holding the location's writer lease is killed with SIGKILL in
//! the middle of the sync (subscriptions and room bookings), Kisi slowed down; the survivor takes the lease over once the dead
//! one's expires (3 s, `SyncConfig::location_lease`). The emulator is the judge: Kisi ends
//! exactly as the rules say, no write was made twice, no request was refused for the rate. A
//! staff page open on hub B hears a write made through hub A (the change feed).
//!
//! Skipped without `DOORLINK_TEST_POSTGRES_URL`. Waits are ceilings, never timing assertions.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test stops loudly and prints what it saw"
)]

use crate::common;

use std::collections::BTreeMap;
use std::future::Future;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::hub_process::{Api, HubProcess, within};
use doorlink_core::LocationId;
use doorlink_store::{SecretBox, Store};
use kisi_emulator::{DEFAULT_RATE_LIMIT_PER_SECOND, EmulatorConfig, Fault, RunningEmulator, Seed};
use serde_json::json;

const FLEX: &str = "Flex Desk Members";
const ROOM: &str = "Room Elbe";
/// Members who also book the room (one hour each, tomorrow): time-windowed role assignments.
const BOOKERS: usize = 4;
/// People subscribed before the kill: a sync of a few dozen Kisi users and role assignments,
/// ~20 s of Kisi's 5 requests a second, slowed further by the latency fault.
const MEMBERS: usize = 40;
const CEILING: Duration = Duration::from_secs(90);

async fn until<T, F, Fut>(what: &str, hubs: &[&HubProcess], probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    within(CEILING, probe).await.unwrap_or_else(|| {
        let logs: Vec<String> = hubs.iter().map(|hub| hub.log_tail()).collect();
        panic!(
            "not within {CEILING:?}: {what}\n--- the hubs' logs ---\n{}",
            logs.join("\n---\n")
        )
    })
}

/// Sends `signal` (`STOP`, `CONT`) to a hub process.
fn signal(hub: &HubProcess, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &hub.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {}", hub.pid());
}

/// Reads SSE text from `response` until it holds `needle` (the test fails after [`CEILING`]).
async fn hear(response: &mut reqwest::Response, needle: &str) {
    let mut seen = String::new();
    let heard = tokio::time::timeout(CEILING, async {
        while let Ok(Some(chunk)) = response.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(needle) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(heard, Ok(true), "never heard {needle}; heard {seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hubs_one_killed_mid_sync_leave_kisi_exactly_as_the_rules_say() {
    let Some(url) = common::postgres::fresh_database().await else {
        return;
    };
    let kisi: RunningEmulator = kisi_emulator::start(EmulatorConfig {
        rate_limit_per_second: Some(DEFAULT_RATE_LIMIT_PER_SECOND),
        seed: Some(Seed::demo().unwrap()),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let ids = kisi.seed_ids().unwrap().clone();
    let flex = ids.groups[FLEX];
    let room_group = ids.groups[ROOM];
    let logs = tempfile::tempdir().unwrap();
    let mut hubs = [
        HubProcess::on_postgres(logs.path(), &url).await,
        HubProcess::on_postgres(logs.path(), &url).await,
    ];
    let (a, b) = (
        Api::sign_in_as_admin(&hubs[0]).await,
        Api::sign_in_as_admin(&hubs[1]).await,
    );
    let store = Store::open_postgres_with(
        &url,
        SecretBox::from_hex(common::postgres::TEST_SECRET_KEY).unwrap(),
    )
    .await
    .unwrap();

    // A staff page on hub B, open before anything is written.
    let mut page_on_b = reqwest::Client::new()
        .get(format!("{}/api/events", hubs[1].base_url()))
        .bearer_auth(b.token())
        .send()
        .await
        .unwrap();
    assert_eq!(page_on_b.status(), 200);

    // Writes through both hubs: the location and its Kisi connection on A, the plan on B.
    let location = a
        .post(
            "/api/locations",
            json!({"name": "Harbor Berlin", "time_zone": "Europe/Berlin", "access_page_visibility": "public"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    hear(&mut page_on_b, "\"location_changed\"").await;
    a.post(
        &format!("/api/locations/{location}/kisi"),
        json!({"method": "api_key", "api_key": ids.owner_api_key, "base_url": kisi.base_url()}),
    )
    .await;
    let plan = b
        .post(
            "/api/plans",
            json!({"location_id": location, "name": "Desk", "door_access": {"groups": [flex]}}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let room = a
        .post(
            "/api/resources",
            json!({"location_id": location, "name": "Elbe", "kind": "room", "door_access": {"groups": [room_group]}}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    // Kisi slows down (each request waits before Kisi acts), so the kill lands mid-sync.
    kisi.control()
        .inject(Fault::Latency(Duration::from_millis(300)));
    let yesterday = (Utc::now() - chrono::Duration::days(1)).date_naive();
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let through = if i % 2 == 0 { &a } else { &b };
        let email = format!("member{i}@harbor.example");
        let person = through
            .post(
                "/api/people",
                json!({"name": format!("Member {i}"), "email": email}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        through
            .post(
                "/api/subscriptions",
                json!({"location_id": location, "holder": {"kind": "person", "id": person},
                       "start": yesterday, "end": null,
                       "items": [{"sells": {"kind": "plan", "id": plan}, "access_override": null}]}),
            )
            .await;
        if i < BOOKERS {
            let start = (Utc::now() + chrono::Duration::days(1))
                .date_naive()
                .and_hms_opt(8 + u32::try_from(i).unwrap(), 0, 0)
                .unwrap()
                .and_utc();
            through
                .post(
                    "/api/bookings",
                    json!({"resource_id": room, "booker_id": person,
                           "start": start, "end": start + chrono::Duration::hours(1)}),
                )
                .await;
        }
        members.push(email);
    }
    // The change feed: hub B's open page heard a subscription made through hub A.
    hear(&mut page_on_b, "\"subscription_changed\"").await;

    let roles_in = |email: &str, group: u64| {
        let state = kisi.control().state();
        let Some(user) = state.users.iter().find(|u| u.email == email) else {
            return 0;
        };
        state
            .role_assignments
            .iter()
            .filter(|r| r.user_id == user.id && r.group_id == group)
            .count()
    };
    let in_kisi = |email: &str| roles_in(email, flex);
    let booked = |i: usize| usize::from(i < BOOKERS);
    let m = &members;
    until(
        "the sync started writing members to Kisi",
        &[&hubs[0], &hubs[1]],
        || async {
            let done = m.iter().filter(|e| in_kisi(e) > 0).count();
            (done > 0).then_some(())
        },
    )
    .await;

    // Which hub writes? Pause hub A: if the lease's expiry stops moving, A holds it.
    let leases = store.leases();
    let before = leases.holder(LocationId(location)).await.unwrap();
    signal(&hubs[0], "STOP");
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    let after = leases.holder(LocationId(location)).await.unwrap();
    signal(&hubs[0], "CONT");
    let a_writes = after.owner.is_some() && after == before;
    let (killed, survivor) = if a_writes { (0, 1) } else { (1, 0) };
    let synced_before_kill = members.iter().filter(|e| in_kisi(e) > 0).count();
    hubs[killed].kill();
    println!(
        "killed hub {} (lease holder: {}), {synced_before_kill} of {MEMBERS} members in Kisi",
        ["A", "B"][killed],
        if after.owner.is_some() {
            "yes"
        } else {
            "between passes"
        },
    );
    assert!(
        synced_before_kill < MEMBERS,
        "the sync had finished before the kill: the test proves nothing"
    );
    let killed_at = Instant::now();
    kisi.control().clear_faults();

    // The survivor takes over once the dead hub's lease runs out, and finishes the sync.
    let survivor_hub = &hubs[survivor];
    until(
        "Kisi holds every member's access",
        &[survivor_hub],
        || async {
            m.iter()
                .enumerate()
                .all(|(i, e)| in_kisi(e) == 1 && roles_in(e, room_group) == booked(i))
                .then_some(())
        },
    )
    .await;
    println!(
        "every member in Kisi {:.1} s after the kill",
        killed_at.elapsed().as_secs_f64()
    );
    if after.owner.is_some() {
        // The dead hub can neither renew nor give back its lease: a new owner means the
        // survivor took it over once it expired.
        let now = leases.holder(LocationId(location)).await.unwrap();
        assert_ne!(
            now.owner, after.owner,
            "the dead hub's lease was taken over"
        );
    }

    // Exactly the rules: one Kisi user per member, one Flex role each, nothing else made.
    let state = kisi.control().state();
    for (i, email) in members.iter().enumerate() {
        assert_eq!(
            state.users.iter().filter(|u| &u.email == email).count(),
            1,
            "{email}: one Kisi user"
        );
        assert_eq!(in_kisi(email), 1, "{email}: one Flex desk role");
        assert_eq!(
            roles_in(email, room_group),
            booked(i),
            "{email}: the room's role for the booked hour only"
        );
    }
    let doorlinks: usize = members
        .iter()
        .map(|e| roles_in(e, flex) + roles_in(e, room_group))
        .sum();
    let theirs = state
        .role_assignments
        .iter()
        .filter(|r| {
            state
                .users
                .iter()
                .any(|u| u.id == r.user_id && members.contains(&u.email))
        })
        .count();
    assert_eq!(theirs, doorlinks, "no other role for the members in Kisi");
    // 0 duplicated writes: no (user, group, window) was ever created twice.
    let mut created: BTreeMap<_, usize> = BTreeMap::new();
    for change in kisi.control().assignment_history() {
        if change.created {
            let r = change.assignment;
            *created
                .entry((r.user_id, r.group_id, r.valid_from, r.valid_until))
                .or_default() += 1;
        }
    }
    let twice: Vec<_> = created.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "role assignments created twice: {twice:?}"
    );
    // The rate limit: Kisi refused none of the owner's requests (5 a second, burst 5), both
    // hubs together. Holds here because one hub at a time writes to a location (the lease);
    // the budget shared through the database (helper "limits", not merged into this branch)
    // is what keeps it for hubs syncing different locations with one Kisi user.
    let requests = kisi.control().requests_of_user(ids.owner_id);
    println!(
        "Kisi saw {} requests of the owner, {} refused for the rate",
        requests.allowed, requests.rate_limited
    );
    assert_eq!(requests.rate_limited, 0, "Kisi's rate limit was exceeded");
}
