//! Issue 12, items 4 and 5, through the real hub process: `doorlink serve` with its sync worker on,
//! over a SQLite file, against the Kisi emulator over TCP at Kisi's 5 requests a second; staff
//! work through the hub's routes; the hub is killed with SIGKILL at a chosen point and started
//! again at once over the same file; Kisi's state (the emulator's) is the judge.
//!
//! Waits are ceilings (generous, for a loaded machine), never speed assertions; the times are
//! printed (`--nocapture`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test stops loudly and prints what it measured"
)]

use crate::common;

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::hub_process::{Api, HubProcess, within};
use doorlink_core::{LocationId, PersonId};
use doorlink_store::{OutboxScope, Store};
use kisi_emulator::{
    DEFAULT_RATE_LIMIT_PER_SECOND, EmulatorConfig, Fault, RoleAssignment, RunningEmulator, Seed,
    Snapshot,
};
use serde_json::json;
use tempfile::TempDir;

const FLEX: &str = "Flex Desk Members";
const DEDICATED: &str = "Dedicated Desk Members";
/// Long enough that a lease of minutes fails the test, short enough for a loaded machine.
const CEILING: Duration = Duration::from_secs(90);

/// A location connected to the emulator (demo seed, Kisi's own rate limit), a "Desk" plan whose
/// door access is the Flex desk group, and the hub running as its own process. `by_hand` runs
/// in Kisi's dashboard before Doorlink connects (its first reconcile sees what it made).
struct Space {
    kisi: RunningEmulator,
    hub: HubProcess,
    admin: Api,
    /// The hub's database, read beside the running process (the outbox, the Kisi mirror).
    store: Store,
    location: i64,
    plan: i64,
    data: TempDir,
}

impl Space {
    async fn start(by_hand: impl FnOnce(&RunningEmulator)) -> Self {
        let kisi = kisi_emulator::start(EmulatorConfig {
            rate_limit_per_second: Some(DEFAULT_RATE_LIMIT_PER_SECOND),
            seed: Some(Seed::demo().unwrap()),
            ..EmulatorConfig::default()
        })
        .await
        .unwrap();
        by_hand(&kisi);
        let data = tempfile::tempdir().unwrap();
        let hub = HubProcess::start(data.path()).await;
        let admin = Api::sign_in_as_admin(&hub).await;
        let store = Store::open(data.path().join("doorlink.db")).await.unwrap();
        let location = admin
            .post(
                "/api/locations",
                json!({"name": "Harbor Berlin", "time_zone": "Europe/Berlin", "access_page_visibility": "public"}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let api_key = kisi.seed_ids().unwrap().owner_api_key.clone();
        admin
            .post(
                &format!("/api/locations/{location}/kisi"),
                json!({"method": "api_key", "api_key": api_key, "base_url": kisi.base_url()}),
            )
            .await;
        let mut space = Self {
            kisi,
            hub,
            admin,
            store,
            location,
            plan: 0,
            data,
        };
        space.plan = space
            .admin
            .post(
                "/api/plans",
                json!({"location_id": location, "name": "Desk", "door_access": {"groups": [space.group(FLEX)]}}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        space
    }

    fn group(&self, name: &str) -> i64 {
        self.kisi.seed_ids().unwrap().groups[name] as i64
    }

    fn kisi_state(&self) -> Snapshot {
        self.kisi.control().state()
    }

    /// A person with a running subscription to the plan; their id.
    async fn member(&self, name: &str, email: &str) -> i64 {
        let person = self
            .admin
            .post("/api/people", json!({"name": name, "email": email}))
            .await["id"]
            .as_i64()
            .unwrap();
        let yesterday = (Utc::now() - chrono::Duration::days(1)).date_naive();
        self.admin
            .post(
                "/api/subscriptions",
                json!({"location_id": self.location, "holder": {"kind": "person", "id": person},
                       "start": yesterday, "end": null,
                       "items": [{"sells": {"kind": "plan", "id": self.plan}, "access_override": null}]}),
            )
            .await;
        person
    }

    /// The role assignments in Kisi of the user with `email`, in `group`.
    fn assignments(&self, email: &str, group: &str) -> Vec<RoleAssignment> {
        let state = self.kisi_state();
        let Some(user) = state.users.iter().find(|u| u.email == email) else {
            return Vec::new();
        };
        let group = self.group(group) as u64;
        state
            .role_assignments
            .into_iter()
            .filter(|a| a.user_id == user.id && a.group_id == group)
            .collect()
    }

    /// The outbox entry of `person`, while one waits or runs.
    async fn entry_of(&self, person: i64) -> Option<doorlink_store::OutboxEntry> {
        let scope = OutboxScope::Person {
            location: LocationId(self.location),
            person: PersonId(person),
        };
        self.store.outbox().entry_of(scope).await.unwrap()
    }

    /// Waits (at most [`CEILING`]) until `probe` gives a value; the hub's log tells why not.
    async fn until<T, F, Fut>(&self, what: &str, probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        within(CEILING, probe).await.unwrap_or_else(|| {
            panic!(
                "not within {CEILING:?}: {what}\n--- the hub's log ---\n{}",
                self.hub.log_tail()
            )
        })
    }

    /// Waits until the worker has run everything it was asked to.
    async fn until_synced(&self) {
        let store = &self.store;
        self.until("the outbox emptied", || async move {
            let left = store.outbox().entries(None).await.unwrap();
            left.is_empty().then_some(())
        })
        .await;
    }

    /// `doorlink serve` again over the same file (after a kill -9), at once.
    async fn restart(&mut self) -> Instant {
        let restarted = Instant::now();
        self.hub = HubProcess::start(self.data.path()).await;
        self.admin.at(&self.hub);
        restarted
    }
}

/// Item 4. The adversary: kill -9 while the worker holds a member's hold (R14) claimed — its
/// revocation on its way to Kisi, Kisi slow to act — in the middle of a bulk plan change that
/// is still syncing, then an immediate restart over the same database. The claims and the
/// location's writer lease the dead process held must run out in seconds: with the former
/// 10-minute lease the hold reached Kisi after 601 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_reaches_kisi_soon_after_the_hub_is_killed_mid_sync_and_restarted() {
    let mut space = Space::start(|_| {}).await;
    let mut members = Vec::new();
    for i in 0..20 {
        let email = format!("member{i}@harbor.example");
        let person = space.member(&format!("Member {i}"), &email).await;
        members.push((email, person));
    }
    space.until_synced().await;
    for (email, _) in &members {
        assert_eq!(space.assignments(email, FLEX).len(), 1, "{email}");
    }

    // The bulk change: every member moves to the dedicated desk group, two Kisi writes each.
    let dedicated = space.group(DEDICATED);
    space
        .admin
        .put(
            &format!("/api/plans/{}/door-access", space.plan),
            json!({"groups": [dedicated]}),
        )
        .await;
    let (s, m) = (&space, &members);
    s.until("the bulk change started writing to Kisi", || async move {
        let moved = m
            .iter()
            .any(|(email, _)| !s.assignments(email, DEDICATED).is_empty());
        moved.then_some(())
    })
    .await;
    // Kisi slows down: each request waits before Kisi acts, so the hold's revocation is still
    // undone when the hub dies.
    space
        .kisi
        .control()
        .inject(Fault::Latency(Duration::from_secs(3)));
    let (held_email, held) = members.last().unwrap().clone();
    space
        .admin
        .post(
            &format!("/api/locations/{}/people/{held}/hold", space.location),
            json!({}),
        )
        .await;
    let s = &space;
    s.until("the worker claimed the hold's entry", || async move {
        let entry = s.entry_of(held).await;
        entry.and_then(|e| e.claimed_until).map(drop)
    })
    .await;

    let killed = Instant::now();
    space.hub.kill();
    let still_there = space.assignments(&held_email, FLEX).len()
        + space.assignments(&held_email, DEDICATED).len();
    assert!(
        still_there > 0,
        "the kill came after Kisi revoked: the test proves nothing"
    );
    space.kisi.control().clear_faults(); // Kisi recovers
    let restarted = space.restart().await;

    let (s, e) = (&space, &held_email);
    s.until("the hold's revocation reached Kisi", || async move {
        let left = s.assignments(e, FLEX).len() + s.assignments(e, DEDICATED).len();
        (left == 0).then_some(())
    })
    .await;
    println!(
        "the hold reached Kisi {:.1} s after the restart ({:.1} s after kill -9)",
        restarted.elapsed().as_secs_f64(),
        killed.elapsed().as_secs_f64()
    );

    // The bulk change the crash interrupted still completes, once for each member.
    let others = &members[..members.len() - 1];
    s.until("the bulk change completed", || async move {
        let done = others.iter().all(|(email, _)| {
            s.assignments(email, DEDICATED).len() == 1 && s.assignments(email, FLEX).is_empty()
        });
        done.then_some(())
    })
    .await;
    println!(
        "the bulk change completed {:.1} s after the restart",
        restarted.elapsed().as_secs_f64()
    );
}

/// Item 5. The adversary: kill -9 after Kisi carried out the `POST /users` creating a member's
/// user and before its answer reached the hub (Kisi holds the answer), then an immediate
/// restart. The user must still be known as Doorlink's own (I4), so R15 "delete the Kisi user"
/// deletes it; a user someone made by hand in Kisi stays untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kisi_user_created_just_before_a_crash_is_deleted_by_doorlink_later() {
    let mut made_by_hand = None;
    let mut space = Space::start(|kisi| {
        let control = kisi.control();
        let user = control
            .add_regular_user("walk-in@harbor.example", "Walk-in, added by hand", true)
            .unwrap();
        let flex = kisi.seed_ids().unwrap().groups[FLEX];
        let role = control
            .add_role_assignment_by_hand(user.id, flex, None, None)
            .unwrap();
        made_by_hand = Some((user, role));
    })
    .await;
    let (walk_in, by_hand) = made_by_hand.unwrap();
    space.until_synced().await;

    // Kisi acts at once but holds every answer: the hub waits while Kisi already has the user.
    space
        .kisi
        .control()
        .inject(Fault::HeldAnswers(Duration::from_secs(10)));
    let nora_email = "nora@harbor.example";
    let nora = space.member("Nora Quist", nora_email).await;
    let s = &space;
    s.until("Kisi created Nora's user", || async move {
        let state = s.kisi_state();
        state
            .users
            .iter()
            .any(|u| u.email == nora_email)
            .then_some(())
    })
    .await;

    space.hub.kill();
    let mirror = space.store.kisi_mirror();
    let location = LocationId(space.location);
    assert!(
        mirror
            .user(location, PersonId(nora))
            .await
            .unwrap()
            .is_none(),
        "the hub had recorded Kisi's answer before it died: the test proves nothing"
    );
    space.kisi.control().clear_faults();
    let restarted = space.restart().await;
    space.until_synced().await;
    assert_eq!(
        space.assignments(nora_email, FLEX).len(),
        1,
        "Nora's membership reached Kisi after the restart"
    );
    println!(
        "Nora's access was in Kisi {:.1} s after the restart",
        restarted.elapsed().as_secs_f64()
    );

    // R15: staff disconnect Nora and choose to delete her Kisi user.
    space
        .admin
        .post(
            &format!(
                "/api/locations/{}/people/{nora}/kisi/disconnect",
                space.location
            ),
            json!({"mode": "delete_kisi_user"}),
        )
        .await;
    let s = &space;
    s.until("Nora's Kisi user was deleted", || async move {
        let state = s.kisi_state();
        (!state.users.iter().any(|u| u.email == nora_email)).then_some(())
    })
    .await;

    let state = space.kisi_state();
    let still = state.users.iter().find(|u| u.id == walk_in.id);
    assert_eq!(still, Some(&walk_in), "I4: the hand-made user is untouched");
    assert!(
        state.role_assignments.contains(&by_hand),
        "I4: the hand-made role assignment is untouched: {:?}",
        state.role_assignments
    );
}
