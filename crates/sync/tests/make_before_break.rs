//! R8 "no gap": editing a running booking replaces its role assignment without locking the person
//! out, under each answer Kisi may give to overlapping assignments of one user in one group (not
//! documented; the emulator models both). The emulator's record of every assignment change is
//! replayed: after each change, did Ana hold an assignment valid now?
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test: a failed read should stop the test loudly"
)]

use crate::common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use doorlink_core::{BookingId, DoorAccess};
use doorlink_store::AuditFilter;
use kisi_emulator::{Fault, OverlapPolicy};

const ANA: &str = "ana@hive.test";

/// Ana's booking of Room A runs 08:00–12:00; the clock stands at 09:00.
async fn running_booking(policy: OverlapPolicy) -> (Space, BookingId) {
    let space = Space::start().await;
    space.control().set_overlap_policy(policy);
    let room_a = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    let booking = space
        .book(
            room_a,
            ana,
            &[],
            berlin("2026-03-02 08:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.sync().await;
    assert_eq!(space.assignments_of(ANA).len(), 1);
    (space, booking)
}

/// For each assignment change from `from` on: whether Ana held a Room A assignment valid now
/// right after it, and whether the change was a create.
fn coverage_after_each_change(space: &Space, from: usize) -> Vec<(bool, bool)> {
    coverage_in(space, from, Some(space.ids.groups["Room A"]))
}

/// The same over Ana's assignments in `group`, or in any group.
fn coverage_in(space: &Space, from: usize, group: Option<u64>) -> Vec<(bool, bool)> {
    let user = space.kisi_user(ANA).unwrap();
    let in_scope = |a: &kisi_emulator::RoleAssignment| {
        a.user_id == user && group.is_none_or(|g| a.group_id == g)
    };
    let now = space.now();
    let mut held = BTreeMap::new();
    let mut coverage = Vec::new();
    for (at, change) in space.control().assignment_history().into_iter().enumerate() {
        let a = change.assignment;
        if change.created {
            held.insert(a.id, a.clone());
        } else {
            held.remove(&a.id);
        }
        if at >= from && in_scope(&a) {
            let covered = held.values().any(|h| {
                in_scope(h)
                    && h.valid_from.is_none_or(|f| f <= now)
                    && h.valid_until.is_none_or(|u| now < u)
            });
            coverage.push((covered, change.created));
        }
    }
    coverage
}

async fn gaps_noted_in_the_audit_log(space: &Space) -> usize {
    space
        .store
        .audit()
        .list(&AuditFilter::default(), None, 500)
        .await
        .unwrap()
        .entries
        .iter()
        .filter(|e| e.operation.contains("gap unavoidable"))
        .count()
}

async fn extend_to_one(space: &Space, booking: BookingId) {
    space
        .store
        .bookings()
        .reschedule(
            booking,
            berlin("2026-03-02 08:00"),
            berlin("2026-03-02 13:00"),
        )
        .await
        .unwrap();
}

fn windows(space: &Space) -> Vec<KisiWindow> {
    space.windows_in(ANA, space.group("Room A"))
}

fn extended() -> Vec<KisiWindow> {
    vec![(
        Some(berlin("2026-03-02 07:30")),
        Some(berlin("2026-03-02 13:30")),
    )]
}

#[tokio::test]
async fn editing_a_running_booking_never_leaves_a_gap_when_kisi_allows_overlaps() {
    let (space, booking) = running_booking(OverlapPolicy::Allow).await;
    let from = space.control().assignment_history().len();
    extend_to_one(&space, booking).await;
    space.sync().await;

    assert_eq!(windows(&space), extended());
    let coverage = coverage_after_each_change(&space, from);
    assert_eq!(
        coverage,
        vec![(true, true), (true, false)],
        "the new assignment came first, then the old one went; Ana was never out"
    );
    assert_eq!(gaps_noted_in_the_audit_log(&space).await, 0);
}

#[tokio::test]
async fn editing_a_running_booking_where_kisi_refuses_overlaps_leaves_one_call_long_gap_and_says_so()
 {
    let (space, booking) = running_booking(OverlapPolicy::Refuse).await;
    for edit in 0..2 {
        let from = space.control().assignment_history().len();
        let end = if edit == 0 { "13:00" } else { "14:00" };
        space
            .store
            .bookings()
            .reschedule(
                booking,
                berlin("2026-03-02 08:00"),
                berlin(&format!("2026-03-02 {end}")),
            )
            .await
            .unwrap();
        space.sync().await;
        let coverage = coverage_after_each_change(&space, from);
        assert_eq!(
            coverage,
            vec![(false, false), (true, true)],
            "edit {edit}: the old assignment went right before the new one came, nothing between"
        );
    }
    assert_eq!(
        windows(&space),
        vec![(
            Some(berlin("2026-03-02 07:30")),
            Some(berlin("2026-03-02 14:30")),
        )]
    );
    assert_eq!(
        gaps_noted_in_the_audit_log(&space).await,
        2,
        "each unavoidable gap is in the audit log"
    );
    let refused_creates = space
        .store
        .audit()
        .list(&AuditFilter::default(), None, 500)
        .await
        .unwrap()
        .entries
        .iter()
        .filter(|e| e.http_status == Some(422))
        .count();
    assert_eq!(
        refused_creates, 1,
        "Kisi's refusal was learnt once and remembered for the connection"
    );
}

#[tokio::test]
async fn a_kisi_outage_during_an_edit_keeps_the_person_in_when_kisi_allows_overlaps() {
    let (space, booking) = running_booking(OverlapPolicy::Allow).await;
    let from = space.control().assignment_history().len();
    space
        .control()
        .inject(Fault::ServerErrors { fraction: 1.0 });
    extend_to_one(&space, booking).await;
    let pass = space.sync().await;
    assert_eq!(pass.failed, 1, "Kisi is down: {pass:?}");
    assert_eq!(
        windows(&space),
        vec![(
            Some(berlin("2026-03-02 07:30")),
            Some(berlin("2026-03-02 12:30")),
        )],
        "Ana keeps her grant while Kisi fails"
    );
    space.control().clear_faults();
    space.advance(Duration::from_secs(5));
    space.sync_until_settled(4).await;

    assert_eq!(windows(&space), extended());
    assert!(
        coverage_after_each_change(&space, from)
            .iter()
            .all(|(covered, _)| *covered),
        "no instant without a valid assignment"
    );
}

#[tokio::test]
async fn a_foreign_open_ended_role_blocking_a_grant_is_named_with_the_fix() {
    let space = Space::start().await;
    // Ana was given Room A by hand in the Kisi dashboard, open-ended; Kisi refuses overlaps.
    let ana_by_hand = space.control().add_regular_user(ANA, "Ana", true).unwrap();
    let foreign = space
        .control()
        .add_role_assignment_by_hand(ana_by_hand.id, space.ids.groups["Room A"], None, None)
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

    let pass = space.sync().await;

    assert_eq!(pass.failed, 1, "{pass:?}");
    let entries = space.store.outbox().entries(None).await.unwrap();
    let message = entries[0].last_error.clone().unwrap_or_default();
    assert!(
        message.contains(&format!("role assignment {}", foreign.id))
            && message.contains("remove it in the Kisi dashboard"),
        "staff see which role blocks the grant and what to do: {message:?}"
    );
    assert!(
        space
            .kisi()
            .role_assignments
            .iter()
            .any(|a| a.id == foreign.id),
        "I4: the foreign role is never removed by Doorlink"
    );
}

/// The adversary: the admin moving a room's door access to another Kisi group while it is
/// booked — the old group's revocation ran before the new group's grant in a bulk run, locking
/// the member out for the length of the run (up to minutes for 2,000 people at 5 requests/s).
async fn moving_a_rooms_door_access_to_another_group_never_locks_its_booker_out(
    policy: OverlapPolicy,
) {
    let (space, _booking) = running_booking(policy).await;
    let (_, mut room) = space
        .store
        .catalog()
        .resources(space.location)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r))
        .next()
        .unwrap();
    let from = space.control().assignment_history().len();

    room.door_access = DoorAccess::groups([space.group("Studio")]);
    space.store.catalog().update_resource(&room).await.unwrap();
    space.sync_until_settled(4).await;

    let groups: Vec<u64> = space
        .assignments_of(ANA)
        .iter()
        .map(|a| a.group_id)
        .collect();
    assert_eq!(
        groups,
        vec![space.ids.groups["Studio"]],
        "Ana moved to the Studio group"
    );
    assert_eq!(
        coverage_in(&space, from, None),
        vec![(true, true), (true, false)],
        "the Studio grant came first, then Room A went: Ana was never out"
    );
    assert_eq!(
        gaps_noted_in_the_audit_log(&space).await,
        0,
        "no gap, none noted"
    );
}

#[tokio::test]
async fn moving_a_rooms_door_access_to_another_group_never_locks_its_booker_out_when_kisi_refuses_overlaps()
 {
    moving_a_rooms_door_access_to_another_group_never_locks_its_booker_out(OverlapPolicy::Refuse)
        .await;
}

#[tokio::test]
async fn moving_a_rooms_door_access_to_another_group_never_locks_its_booker_out_when_kisi_allows_overlaps()
 {
    moving_a_rooms_door_access_to_another_group_never_locks_its_booker_out(OverlapPolicy::Allow)
        .await;
}
