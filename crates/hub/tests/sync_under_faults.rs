//! Issue 12 through the front desk's own routes, against the emulator over TCP:
//! - R8 "no gap": staff moving a running booking never lock its member out, under each answer Kisi
//!   may give to overlapping assignments (undocumented; the emulator models both), and Kisi
//!   failing in the middle of the edit leaves the member their old grant until the new one holds;
//! - a foreign open-ended role (given by hand in the Kisi dashboard) that makes Kisi refuse
//!   Doorlink's grant is named to staff with the fix, and never removed (I4).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kisi_emulator::{Fault, OverlapPolicy};
use kisi_space::KisiSpace;
use serde_json::{Value, json};

/// Ana's running booking of the room (the fixture's), through the bookings list.
async fn anas_booking(space: &KisiSpace) -> i64 {
    let page = space
        .admin
        .get(&format!("/api/bookings?person_id={}", space.ana))
        .await;
    page["items"][0]["id"].as_i64().expect("Ana has a booking")
}

/// Staff move Ana's booking to end `hours` from now (it began ten minutes ago).
async fn move_anas_booking(space: &KisiSpace, booking: i64, hours: i64) -> Value {
    let now = Utc::now();
    let (status, answer) = space
        .admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/bookings/{booking}/time"),
            Some(json!({
                "start": (now - chrono::Duration::minutes(10)).to_rfc3339(),
                "end": (now + chrono::Duration::hours(hours)).to_rfc3339(),
            })),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// Replays Kisi's record of assignment changes from `from` on: after each change to Ana's
/// assignments in the room's group, did she hold one valid now?
fn ana_covered_after_each_change(space: &KisiSpace, from: usize) -> Vec<bool> {
    let user = space.ana_user();
    let group = u64::try_from(space.room_group).unwrap();
    let now = Utc::now();
    let mut held = BTreeMap::new();
    let mut covered = Vec::new();
    for (at, change) in space
        .kisi
        .control()
        .assignment_history()
        .into_iter()
        .enumerate()
    {
        let a = change.assignment;
        if change.created {
            held.insert(a.id, a.clone());
        } else {
            held.remove(&a.id);
        }
        if at >= from && a.user_id == user && a.group_id == group {
            covered.push(held.values().any(|h| {
                h.user_id == user
                    && h.group_id == group
                    && h.valid_from.is_none_or(|f| f <= now)
                    && h.valid_until.is_none_or(|u| now < u)
            }));
        }
    }
    covered
}

/// The ends of Ana's assignments in the room's group.
fn ana_assignment_ends(space: &KisiSpace) -> Vec<Option<DateTime<Utc>>> {
    space
        .ana_assignments_in(space.room_group)
        .iter()
        .map(|a| a.valid_until)
        .collect()
}

async fn audit_mentions(space: &KisiSpace, words: &str) -> usize {
    let page = space.admin.get("/api/audit?limit=200").await;
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.to_string().contains(words))
        .count()
}

#[tokio::test]
async fn staff_moving_a_running_booking_never_lock_the_member_out_when_kisi_allows_overlaps() {
    let space = KisiSpace::start().await;
    space
        .kisi
        .control()
        .set_overlap_policy(OverlapPolicy::Allow);
    let booking = anas_booking(&space).await;
    let from = space.kisi.control().assignment_history().len();

    move_anas_booking(&space, booking, 3).await;
    space.sync().await;

    assert_eq!(
        ana_covered_after_each_change(&space, from),
        vec![true, true],
        "the new assignment came first, then the old one went: Ana was never out"
    );
    assert_eq!(ana_assignment_ends(&space).len(), 1);
    assert_eq!(audit_mentions(&space, "gap unavoidable").await, 0);
    space.stop().await;
}

#[tokio::test]
async fn where_kisi_refuses_overlaps_a_moved_booking_has_one_call_long_gap_and_the_audit_log_says_so()
 {
    let space = KisiSpace::start().await;
    space
        .kisi
        .control()
        .set_overlap_policy(OverlapPolicy::Refuse);
    let booking = anas_booking(&space).await;
    let from = space.kisi.control().assignment_history().len();

    move_anas_booking(&space, booking, 3).await;
    space.sync().await;

    assert_eq!(
        ana_covered_after_each_change(&space, from),
        vec![false, true],
        "the old assignment went right before the new one came, nothing between"
    );
    assert_eq!(ana_assignment_ends(&space).len(), 1);
    assert_eq!(
        audit_mentions(&space, "gap unavoidable").await,
        1,
        "the unavoidable gap is in the audit log"
    );
    space.stop().await;
}

#[tokio::test]
async fn kisi_failing_in_the_middle_of_an_edit_leaves_the_member_their_old_grant_until_the_new_one_holds()
 {
    let space = KisiSpace::start().await;
    space
        .kisi
        .control()
        .set_overlap_policy(OverlapPolicy::Allow);
    let booking = anas_booking(&space).await;
    let before = ana_assignment_ends(&space);
    let from = space.kisi.control().assignment_history().len();

    space
        .kisi
        .control()
        .inject(Fault::ServerErrors { fraction: 1.0 });
    move_anas_booking(&space, booking, 3).await;
    space.sync().await;
    assert_eq!(
        ana_assignment_ends(&space),
        before,
        "Ana keeps her grant while Kisi fails"
    );
    let status = space
        .admin
        .get(&format!("/api/sync/status?location_id={}", space.location))
        .await;
    let failed = status["failures"][0]["last_error"].as_str().unwrap_or("");
    assert!(!failed.trim().is_empty(), "staff see why: {status}");

    space.kisi.control().clear_faults();
    space
        .admin
        .post(
            &format!("/api/locations/{}/sync/retry", space.location),
            json!({}),
        )
        .await;
    space.sync().await;

    let after = ana_assignment_ends(&space);
    assert_eq!(after.len(), 1);
    assert_ne!(
        after, before,
        "the moved window reached Kisi once it recovered"
    );
    assert!(
        ana_covered_after_each_change(&space, from)
            .iter()
            .all(|covered| *covered),
        "no instant without a valid assignment"
    );
    space.stop().await;
}

#[tokio::test]
async fn a_foreign_open_ended_role_that_makes_kisi_refuse_a_grant_is_named_to_staff_and_left_alone()
{
    let space = KisiSpace::start().await;
    let control = space.kisi.control();
    control.set_overlap_policy(OverlapPolicy::Refuse);
    // Ben was given the room's group by hand in the Kisi dashboard, open-ended.
    let ben_by_hand = control
        .add_regular_user("ben@harbor.example", "Ben", true)
        .unwrap();
    let group = u64::try_from(space.room_group).unwrap();
    let foreign = control
        .add_role_assignment_by_hand(ben_by_hand.id, group, None, None)
        .unwrap();
    // The front desk adds Ben and books him a desk behind the same group.
    let ben = space
        .admin
        .post(
            "/api/people",
            json!({"name": "Ben Ortiz", "email": "ben@harbor.example"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let desk = space
        .admin
        .post(
            "/api/resources",
            json!({"location_id": space.location, "name": "Desk 7", "kind": "desk",
                   "door_access": {"groups": [space.room_group]}}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let now = Utc::now();
    space
        .admin
        .post(
            "/api/bookings",
            json!({"resource_id": desk, "booker_id": ben,
                   "start": (now + chrono::Duration::hours(2)).to_rfc3339(),
                   "end": (now + chrono::Duration::hours(4)).to_rfc3339()}),
        )
        .await;
    space.sync().await;

    let status = space
        .admin
        .get(&format!("/api/sync/status?location_id={}", space.location))
        .await;
    let failures = status["failures"].as_array().unwrap();
    let ben_failure = failures
        .iter()
        .find(|f| f["person_id"] == json!(ben))
        .unwrap_or_else(|| panic!("Ben's grant failed visibly: {status}"));
    let message = ben_failure["last_error"].as_str().unwrap();
    assert!(
        message.contains(&format!("role assignment {}", foreign.id))
            && message.contains("remove it in the Kisi dashboard"),
        "staff see which role blocks the grant and what to do: {message:?}"
    );
    assert!(
        control
            .state()
            .role_assignments
            .iter()
            .any(|a| a.id == foreign.id),
        "I4: the foreign role is never removed by Doorlink"
    );
    space.stop().await;
}
