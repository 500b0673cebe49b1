//! Crash safety: the worker is killed at every step boundary of a multi-operation outbox entry
//! (after each Kisi answer, before and after each mirror and outbox write), then a fresh worker
//! takes over once the lease ran out. Kisi must end up exactly as desired, with no duplicates, and
//! the mirror must match Kisi.
//!
//! The kill: the clock handed to the dying worker panics at its N-th reading. Sync reads the clock
//! around every step (auditing a Kisi call, writing the mirror, settling the entry), so N = 1, 2, …
//! stops the task at each boundary in turn.
#![allow(
    clippy::panic,
    reason = "the panicking clock is how the test kills the worker"
)]
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed read should stop the test loudly"
)]

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use common::*;
use doorlink_core::DoorAccess;
use doorlink_store::{Clock, OutboxScope};
use doorlink_sync::{LOCK_GROUP_PREFIX, SyncEngine, Worker};
use kisi_emulator::OverlapPolicy;

const ANA: &str = "ana@hive.test";

/// A clock that panics at its `n`-th reading once armed.
fn dying_clock(space: &Space, countdown: &Arc<AtomicI64>) -> Clock {
    let control = space.control().clone();
    let countdown = Arc::clone(countdown);
    Clock::from_fn(move || {
        if countdown.fetch_sub(1, Ordering::SeqCst) == 1 {
            panic!("worker killed at a step boundary");
        }
        control.now()
    })
}

/// Ana books the server room (a single lock: user, per-lock group with its lock, assignment) and
/// Room A (a second assignment): one outbox entry with six Kisi calls.
async fn space_with_pending_entry() -> Space {
    let space = Space::start().await;
    let server_room = space
        .room(
            "Server Room",
            DoorAccess::locks([space.lock("Server Room")]),
        )
        .await;
    let room_a = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            server_room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space
        .book(
            room_a,
            ana,
            &[],
            berlin("2026-03-02 14:00"),
            berlin("2026-03-02 15:00"),
        )
        .await;
    space
}

/// Runs the pending entry with a worker that dies at its `n`-th clock reading; `true` if it died.
async fn run_dying_at(space: &Space, n: i64) -> bool {
    let countdown = Arc::new(AtomicI64::new(n));
    let clock = dying_clock(space, &countdown);
    let store = space.store.clone().with_clock(clock.clone());
    let config = space.engine().config().clone();
    let doomed = Worker::new(Arc::new(SyncEngine::new(store, clock, config)));
    let died = tokio::spawn(async move { doomed.drain().await })
        .await
        .is_err();
    countdown.store(i64::MAX, Ordering::SeqCst);
    died
}

async fn assert_exactly_as_desired(space: &Space) {
    let kisi = space.kisi();
    let users: Vec<_> = kisi.users.iter().filter(|u| u.email == ANA).collect();
    assert_eq!(users.len(), 1, "one Kisi user for Ana: {users:?}");
    let lock_groups: Vec<_> = kisi
        .groups
        .iter()
        .filter(|g| g.name.starts_with(LOCK_GROUP_PREFIX))
        .collect();
    assert_eq!(lock_groups.len(), 1, "one per-lock group: {lock_groups:?}");
    let lock_group = lock_groups[0].id;
    let locks: Vec<u64> = kisi
        .group_locks
        .iter()
        .filter(|gl| gl.group_id == lock_group)
        .map(|gl| gl.lock_id)
        .collect();
    assert_eq!(locks, vec![space.ids.locks["Server Room"]]);

    let mut windows: Vec<_> = space
        .assignments_of(ANA)
        .into_iter()
        .map(|a| (a.group_id, a.valid_from, a.valid_until))
        .collect();
    windows.sort();
    let mut expected = vec![
        (
            lock_group,
            Some(berlin("2026-03-02 09:30")),
            Some(berlin("2026-03-02 12:30")),
        ),
        (
            space.ids.groups["Room A"],
            Some(berlin("2026-03-02 13:30")),
            Some(berlin("2026-03-02 15:30")),
        ),
    ];
    expected.sort();
    assert_eq!(
        windows, expected,
        "exactly the desired assignments, no duplicate"
    );

    let mut in_kisi: Vec<i64> = space
        .assignments_of(ANA)
        .iter()
        .map(|a| i64::try_from(a.id).unwrap())
        .collect();
    in_kisi.sort_unstable();
    let mut in_mirror: Vec<i64> = space
        .store
        .kisi_mirror()
        .assignments(space.location, None)
        .await
        .unwrap()
        .iter()
        .map(|a| a.kisi_id.0)
        .collect();
    in_mirror.sort_unstable();
    assert_eq!(in_mirror, in_kisi, "the mirror matches Kisi");
    assert!(space.store.outbox().entries(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_worker_killed_at_any_step_boundary_leaves_nothing_a_successor_cannot_finish() {
    let mut boundaries = 0;
    for n in 1.. {
        let space = space_with_pending_entry().await;
        if !run_dying_at(&space, n).await {
            // The run finished before its n-th clock reading: every boundary was tried.
            assert_exactly_as_desired(&space).await;
            break;
        }
        boundaries += 1;
        space.advance(Duration::from_secs(61)); // the dead worker's lease runs out
        space.sync_until_settled(6).await;
        assert_exactly_as_desired(&space).await;
        assert!(n < 200, "the entry never finished");
    }
    assert!(
        boundaries >= 12,
        "six Kisi calls and their mirror writes are at least twelve boundaries, got {boundaries}"
    );
}

#[tokio::test]
async fn an_entry_stays_in_the_outbox_until_kisi_confirmed_and_the_mirror_is_written() {
    let space = space_with_pending_entry().await;
    // Kill right after the first Kisi call (the managed user) was answered and audited.
    assert!(run_dying_at(&space, 3).await);
    let entries = space.store.outbox().entries(None).await.unwrap();
    assert_eq!(
        entries.len(),
        1,
        "the entry survives the crash: {entries:?}"
    );
    assert!(
        entries[0].claimed_until.is_some(),
        "still leased to the dead worker"
    );

    space.advance(Duration::from_secs(61));
    space.sync_until_settled(6).await;
    assert_exactly_as_desired(&space).await;
}

#[tokio::test]
async fn a_worker_killed_after_the_work_but_before_settling_the_entry_writes_nothing_twice() {
    let space = space_with_pending_entry().await;
    let ana = space
        .store
        .people()
        .by_email(ANA)
        .await
        .unwrap()
        .unwrap()
        .id;
    // The work is done, as by a worker that then died before removing the entry.
    let report = space
        .engine()
        .sync_person(space.location, ana, doorlink_sync::RunContext::default())
        .await
        .unwrap();
    assert!(report.succeeded() && report.applied == 4, "{report:?}");
    let calls_before = audit_count(&space).await;

    space.sync_until_settled(2).await;

    assert_eq!(
        audit_count(&space).await,
        calls_before,
        "no Kisi call the second time"
    );
    assert_exactly_as_desired(&space).await;
}

async fn audit_count(space: &Space) -> usize {
    space
        .store
        .audit()
        .list(&doorlink_store::AuditFilter::default(), None, 500)
        .await
        .unwrap()
        .entries
        .len()
}

/// The outbox entry of Ana at the location, if one waits or runs.
async fn ana_entry(space: &Space) -> Option<doorlink_store::OutboxEntry> {
    space
        .store
        .outbox()
        .entries(None)
        .await
        .unwrap()
        .into_iter()
        .next()
}

/// Kills a worker (on the space's own configuration) at the first step boundary after it
/// claimed the pending entry, before any Kisi call of it: the crash the next worker must
/// recover from.
async fn kill_a_worker_right_after_its_claim(space: &Space) {
    for n in 1..100 {
        let died = run_dying_at(space, n).await;
        assert!(died, "the worker finished before it could be killed");
        if ana_entry(space)
            .await
            .is_some_and(|e| e.claimed_until.is_some())
        {
            return;
        }
    }
    panic!("the worker never claimed the entry");
}

#[tokio::test]
async fn a_restarted_worker_takes_over_a_crashed_workers_entry_within_seconds() {
    // The production leases (not the test fixture's): the point is how soon they run out.
    let production = doorlink_sync::SyncConfig::default();
    let space = Space::start_with(|config| {
        config.batch = production.batch;
        config.lease = production.lease;
        config.location_lease = production.location_lease;
    })
    .await;
    let room_a = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room_a,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.sync().await;
    assert_eq!(space.assignments_of(ANA).len(), 1);

    // Staff put Ana on hold (R14): a revocation. The worker that claims it is killed -9.
    space.store.holds().hold(space.location, ana).await.unwrap();
    kill_a_worker_right_after_its_claim(&space).await;
    assert_eq!(
        space.assignments_of(ANA).len(),
        1,
        "the revocation had not reached Kisi when the worker died"
    );

    // A restarted worker, eleven seconds later (the clock moved, nobody slept).
    space.advance(Duration::from_secs(11));
    let pass = space.sync().await;
    assert_eq!(
        pass.completed, 1,
        "the successor took the entry over: {pass:?}"
    );
    assert!(
        space.assignments_of(ANA).is_empty(),
        "the hold reached Kisi within seconds of the crash"
    );
}

/// Ana with a booking of Room A, not synced yet: her entry will create her Kisi user.
async fn space_with_ana_to_create() -> (Space, doorlink_core::PersonId) {
    let space = Space::start().await;
    let room_a = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room_a,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    (space, ana)
}

#[tokio::test]
async fn a_user_created_just_before_a_crash_stays_doorlinks() {
    // The worker dies right after Kisi created Ana's user, before Doorlink wrote it down: the
    // first step boundary at which Kisi has the user.
    let mut crashed = None;
    for n in 1..100 {
        let (space, ana) = space_with_ana_to_create().await;
        assert!(run_dying_at(&space, n).await, "the worker finished first");
        if space.kisi_user(ANA).is_some() {
            crashed = Some((space, ana));
            break;
        }
    }
    let (space, ana) = crashed.unwrap();
    assert!(
        space
            .store
            .kisi_mirror()
            .user(space.location, ana)
            .await
            .unwrap()
            .is_none(),
        "the crash came before the mirror learnt of the user"
    );

    space.advance(Duration::from_secs(61)); // the dead worker's lease runs out
    space.sync_until_settled(6).await;

    let linked = space
        .store
        .kisi_mirror()
        .user(space.location, ana)
        .await
        .unwrap()
        .unwrap();
    assert!(
        linked.owned,
        "the user Doorlink created is recorded as Doorlink's (I4), so R15 'delete' removes it"
    );
    assert_eq!(space.assignments_of(ANA).len(), 1);
}

#[tokio::test]
async fn a_user_added_by_hand_in_kisi_is_never_taken_for_doorlinks() {
    let space = Space::start().await;
    space
        .control()
        .add_regular_user(ANA, "Ana by hand", true)
        .unwrap();
    let room_a = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room_a,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    // Twice: the second attempt must not read the first one's refused create as a lost one.
    space.sync().await;
    space
        .store
        .kisi_mirror()
        .forget_person(space.location, ana)
        .await
        .unwrap();
    space
        .store
        .outbox()
        .enqueue(
            OutboxScope::Person {
                location: space.location,
                person: ana,
            },
            "again",
        )
        .await
        .unwrap();
    space.sync().await;
    let linked = space
        .store
        .kisi_mirror()
        .user(space.location, ana)
        .await
        .unwrap()
        .unwrap();
    assert!(!linked.owned, "I4: a user made by hand stays foreign");
}

#[tokio::test]
async fn an_entry_taken_over_from_a_crashed_worker_says_so_to_staff() {
    let space = space_with_pending_entry().await;
    kill_a_worker_right_after_its_claim(&space).await;
    space.advance(Duration::from_secs(61));

    let claims = space
        .store
        .outbox()
        .claim(1, Duration::from_secs(60))
        .await
        .unwrap();

    assert_eq!(claims.len(), 1);
    assert_eq!(
        claims[0].entry.last_error.as_deref(),
        Some(doorlink_store::outbox::TAKEN_OVER),
        "never an empty error on an entry that is being retried"
    );
}

#[tokio::test]
async fn an_assignment_granted_just_before_a_crash_is_not_granted_again_by_the_next_reconcile() {
    // Found by the random campaign: where Kisi accepts identical assignments (one setting of its
    // unverified overlap answer), the worker dies right after Kisi granted Ana's assignment and
    // before Doorlink wrote it down; the next run is the periodic full reconcile, a fresh entry
    // and not the dead worker's retried one.
    let mut crashed = None;
    for n in 1..100 {
        let (space, ana) = space_with_ana_to_create().await;
        space.control().set_overlap_policy(OverlapPolicy::Allow);
        assert!(run_dying_at(&space, n).await, "the worker finished first");
        if !space.assignments_of(ANA).is_empty() {
            crashed = Some((space, ana));
            break;
        }
    }
    let (space, ana) = crashed.unwrap();
    let mirror = space.store.kisi_mirror();
    let owned = mirror.assignments(space.location, Some(ana)).await.unwrap();
    assert!(
        owned.is_empty(),
        "the crash came before the mirror learnt of the assignment: {owned:?}"
    );

    space.advance(Duration::from_secs(61)); // the dead worker's lease runs out
    let reconcile = OutboxScope::Location(space.location);
    let outbox = space.store.outbox();
    outbox
        .enqueue(reconcile, "periodic full reconcile")
        .await
        .unwrap();
    assert!(space.worker.run_now(reconcile).await.unwrap());
    space.sync_until_settled(6).await;

    let granted = space.assignments_of(ANA);
    assert_eq!(granted.len(), 1, "granted once, not twice: {granted:?}");
    let owned = mirror.assignments(space.location, Some(ana)).await.unwrap();
    assert_eq!(owned.len(), 1, "and it is Doorlink's: {owned:?}");
}

#[tokio::test]
async fn a_user_made_by_hand_before_doorlinks_first_create_went_unanswered_stays_foreign() {
    // Found by the random campaign: Ana's Kisi user was made by hand; Doorlink's first create
    // for her lost its connection (Kisi answered nothing, so no "taken"), and the retry, finding
    // the user, took it for the one its lost create had made — until R15's "delete the Kisi user"
    // deleted a user Doorlink never made (I4).
    let space = Space::start().await;
    space
        .control()
        .add_regular_user(ANA, "Ana by hand", true)
        .unwrap();
    space.advance(Duration::from_secs(30 * 60));
    let room_a = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room_a,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space
        .control()
        .inject(kisi_emulator::Fault::DropConnections { count: 1 });
    let pass = space.sync().await;
    assert_eq!(pass.failed, 1, "{pass:?}");

    space.advance(Duration::from_secs(10));
    space.sync_until_settled(5).await;

    let linked = space
        .store
        .kisi_mirror()
        .user(space.location, ana)
        .await
        .unwrap()
        .unwrap();
    assert!(!linked.owned, "I4: a user made by hand stays foreign");
}
