//! One writer per location (issue 12), through the hub's routes against the emulator over TCP,
//! with the sync worker running in the background as in production:
//! - connecting after onboarding runs the location's reconcile once, as the worker's entry, not a
//!   second time inline beside it (the adversary: the worker racing the connect route);
//! - disconnecting stops a sync already running (C3; the adversary: a bulk sync mid-flight);
//! - "Retry now" runs as the location's entry through the worker, serving holds made meanwhile.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use std::time::Duration;

use chrono::Utc;
use doorlink_core::{LocationId, PersonId};
use kisi_emulator::{Fault, OverlapPolicy, RoleAssignment, User};
use kisi_space::KisiSpace;
use serde_json::json;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The hub's sync worker, running on its own as `doorlink serve` runs it.
struct BackgroundWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl BackgroundWorker {
    fn start(space: &KisiSpace) -> Self {
        let (stop, stopped) = watch::channel(false);
        let worker = space.state.sync().clone();
        Self {
            stop,
            task: tokio::spawn(worker.run(stopped)),
        }
    }

    async fn stop(self) {
        self.stop.send(true).unwrap();
        self.task.await.unwrap();
    }
}

/// Waits (bounded) until nothing is left in the outbox: every entry ran, or was dropped.
async fn until_outbox_empty(space: &KisiSpace) {
    for _ in 0..600 {
        if space
            .state
            .store()
            .outbox()
            .entries(None)
            .await
            .unwrap()
            .is_empty()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let left = space.state.store().outbox().entries(None).await.unwrap();
    panic!("the outbox never emptied: {left:#?}");
}

/// Creates `count` people, each with a booking running now of a desk of their own behind the
/// room's group (a resource is booked once at a time); their e-mails and ids.
async fn onboard(space: &KisiSpace, count: usize) -> Vec<(String, i64)> {
    let now = Utc::now();
    let mut people = Vec::new();
    for i in 0..count {
        let desk = space
            .admin
            .post(
                "/api/resources",
                json!({
                    "location_id": space.location, "name": format!("Desk {i}"), "kind": "desk",
                    "door_access": {"groups": [space.room_group]},
                }),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let email = format!("member{i}@harbor.example");
        let person = space
            .admin
            .post(
                "/api/people",
                json!({"name": format!("Member {i}"), "email": email}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        space
            .admin
            .post(
                "/api/bookings",
                json!({
                    "resource_id": desk, "booker_id": person,
                    "start": (now - chrono::Duration::minutes(10)).to_rfc3339(),
                    "end": (now + chrono::Duration::hours(2)).to_rfc3339(),
                }),
            )
            .await;
        people.push((email, person));
    }
    people
}

async fn disconnect(space: &KisiSpace) {
    space
        .admin
        .post(
            &format!("/api/locations/{}/kisi/disconnect", space.location),
            json!({"revoke_all": false}),
        )
        .await;
}

async fn connect(space: &KisiSpace) {
    let api_key = space.kisi.seed_ids().unwrap().owner_api_key.clone();
    space
        .admin
        .post(
            &format!("/api/locations/{}/kisi", space.location),
            json!({"method": "api_key", "api_key": api_key, "base_url": space.kisi.base_url()}),
        )
        .await;
}

fn users_with(space: &KisiSpace, email: &str) -> Vec<User> {
    space
        .kisi
        .control()
        .state()
        .users
        .into_iter()
        .filter(|u| u.email == email)
        .collect()
}

fn assignments_of(space: &KisiSpace, user: u64) -> Vec<RoleAssignment> {
    space
        .kisi
        .control()
        .state()
        .role_assignments
        .into_iter()
        .filter(|a| a.user_id == user && a.group_id as i64 == space.room_group)
        .collect()
}

async fn connect_after_onboarding_writes_each_assignment_once(policy: OverlapPolicy) {
    let space = KisiSpace::start().await;
    space.kisi.control().set_overlap_policy(policy);
    let worker = BackgroundWorker::start(&space);
    disconnect(&space).await;
    let people = onboard(&space, 6).await;
    until_outbox_empty(&space).await; // dropped: nothing is written while disconnected (C3)
    // Kisi answers slowly, so a second sync beside the worker's would overlap it.
    space
        .kisi
        .control()
        .inject(Fault::Latency(Duration::from_millis(60)));

    connect(&space).await;
    until_outbox_empty(&space).await;
    worker.stop().await;

    for (email, person) in &people {
        let users = users_with(&space, email);
        assert_eq!(users.len(), 1, "one Kisi user for {email}: {users:?}");
        let assignments = assignments_of(&space, users[0].id);
        assert_eq!(
            assignments.len(),
            1,
            "{email} got exactly one role assignment: {assignments:?}"
        );
        let linked = space
            .state
            .store()
            .kisi_mirror()
            .user(LocationId(space.location), PersonId(*person))
            .await
            .unwrap()
            .unwrap();
        assert!(
            linked.owned,
            "{email}'s Kisi user was created by Doorlink and is recorded so (I4, R15 delete removes it)"
        );
    }
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_after_onboarding_writes_each_assignment_once_when_kisi_refuses_overlaps() {
    connect_after_onboarding_writes_each_assignment_once(OverlapPolicy::Refuse).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_after_onboarding_writes_each_assignment_once_when_kisi_allows_overlaps() {
    connect_after_onboarding_writes_each_assignment_once(OverlapPolicy::Allow).await;
}

/// What Kisi holds that a sync writes: users and role assignments.
fn written(space: &KisiSpace) -> (Vec<User>, Vec<RoleAssignment>) {
    let state = space.kisi.control().state();
    (state.users, state.role_assignments)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disconnect_stops_a_sync_already_running() {
    let space = KisiSpace::start().await;
    let (users_before, _) = written(&space);
    onboard(&space, 8).await;
    // Kisi answers slowly: the bulk sync of eight people is still running when the admin
    // disconnects.
    space
        .kisi
        .control()
        .inject(Fault::Latency(Duration::from_millis(100)));
    let worker = BackgroundWorker::start(&space);
    for _ in 0..400 {
        if written(&space).0.len() > users_before.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        written(&space).0.len() > users_before.len(),
        "the sync never started writing"
    );

    disconnect(&space).await;
    let answered = written(&space);
    // A booking made right after the disconnect answered (C3: no future grant), after Ana's own.
    space
        .book_room(chrono::Duration::hours(2), chrono::Duration::hours(3))
        .await;
    until_outbox_empty(&space).await;
    worker.stop().await;

    let later = written(&space);
    assert_eq!(
        later.0.len(),
        answered.0.len(),
        "no Kisi user was created after the disconnect answered"
    );
    assert_eq!(
        later.1, answered.1,
        "no role assignment was written or removed after the disconnect answered"
    );
    assert!(
        later.0.len() < users_before.len() + 8,
        "the disconnect came while the sync was still running (else this test proves nothing)"
    );
    space.stop().await;
}

/// Deletes every role assignment of the room's group by hand, as someone in the Kisi dashboard
/// would: the next full reconcile restores them, one Kisi call each.
async fn delete_room_assignments_by_hand(space: &KisiSpace) -> usize {
    let key = space.kisi.seed_ids().unwrap().owner_api_key.clone();
    let client = reqwest::Client::new();
    let in_room: Vec<RoleAssignment> = space
        .kisi
        .control()
        .state()
        .role_assignments
        .into_iter()
        .filter(|a| a.group_id as i64 == space.room_group)
        .collect();
    for assignment in &in_room {
        let answer = client
            .delete(format!(
                "{}/role_assignments/{}",
                space.kisi.base_url(),
                assignment.id
            ))
            .header("Authorization", format!("KISI-LOGIN {key}"))
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{}", answer.status());
    }
    in_room.len()
}

/// The adversary: staff press "Retry now" on a location whose full reconcile has many grants to
/// restore, and meanwhile put a member on hold. The reconcile runs as the location's outbox entry
/// through the worker, which serves the hold between its operations: the member is revoked
/// before "Retry now" answers, not after the whole reconcile (R14, issue 12's priorities).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_now_serves_a_hold_made_while_it_runs() {
    let space = KisiSpace::start().await;
    let people = onboard(&space, 8).await;
    space.sync().await;
    let restored = delete_room_assignments_by_hand(&space).await;
    assert!(restored >= 8, "every member's grant was in Kisi");
    space
        .kisi
        .control()
        .inject(Fault::Latency(Duration::from_millis(100)));
    let (first_email, first) = people[0].clone();
    let first_user = users_with(&space, &first_email)[0].id;

    let retry_path = format!("/api/locations/{}/sync/retry", space.location);
    let retry = space.admin.post(&retry_path, json!({}));
    let hold = async {
        for _ in 0..600 {
            if !assignments_of(&space, first_user).is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(
            !assignments_of(&space, first_user).is_empty(),
            "the reconcile restored the first member's grant"
        );
        space
            .admin
            .post(
                &format!("/api/locations/{}/people/{first}/hold", space.location),
                json!({}),
            )
            .await;
    };
    let (answer, ()) = tokio::join!(retry, hold);

    assert!(
        assignments_of(&space, first_user).is_empty(),
        "the hold was served before Retry now answered: {answer}"
    );
    let history = space.kisi.control().assignment_history();
    let revoked = history
        .iter()
        .rposition(|c| !c.created && c.assignment.user_id == first_user)
        .expect("the hold revoked the member's grant");
    let last_restore = history.iter().rposition(|c| c.created).unwrap();
    assert!(
        revoked < last_restore,
        "the hold waited for the whole reconcile: revoked at change {revoked}, last restore {last_restore}"
    );
    for (email, _) in &people[1..] {
        let user = users_with(&space, email)[0].id;
        assert_eq!(assignments_of(&space, user).len(), 1, "{email} restored");
    }
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains("matches")),
        "{answer}"
    );
    space.stop().await;
}
