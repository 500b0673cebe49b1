//! R15 through the hub: staff disconnect a member with "keep the Kisi user", the member's booking
//! grows meanwhile, staff reconnect them: Kisi ends up with the new window (the old grant was
//! Doorlink's and is replaced), and nothing waits in the sync queue refused by Kisi.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use chrono::{DateTime, Utc};
use kisi_space::KisiSpace;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnecting_a_member_who_kept_their_kisi_user_writes_their_changed_window() {
    let space = KisiSpace::start().await;
    let person_path = format!(
        "/api/locations/{}/people/{}/kisi",
        space.location, space.ana
    );
    space
        .admin
        .post(
            &format!("{person_path}/disconnect"),
            json!({"mode": "keep_kisi_user"}),
        )
        .await;
    space.sync().await;
    assert_eq!(
        space.ana_assignments_in(space.room_group).len(),
        1,
        "the kept Kisi user keeps its grant"
    );

    // Meanwhile the front desk books the room for Ana again, right after her first booking.
    let first = space.ana_assignments_in(space.room_group)[0].clone();
    let second_start = first.valid_until.unwrap() - chrono::Duration::minutes(30);
    let second_end = second_start + chrono::Duration::hours(2);
    space
        .admin
        .post(
            "/api/bookings",
            json!({
                "resource_id": space.room, "booker_id": space.ana,
                "start": second_start.to_rfc3339(), "end": second_end.to_rfc3339(),
            }),
        )
        .await;
    space.sync().await;
    space
        .admin
        .post(&format!("{person_path}/reconnect"), json!({}))
        .await;
    space.sync().await;

    let now = space.ana_assignments_in(space.room_group);
    assert_eq!(now.len(), 1, "R13: one merged grant: {now:?}");
    let until: DateTime<Utc> = now[0].valid_until.unwrap();
    assert_eq!(until, second_end + chrono::Duration::minutes(30));
    assert_eq!(now[0].valid_from, first.valid_from);
    let queue = space.state.store().outbox().entries(None).await.unwrap();
    assert!(queue.is_empty(), "nothing refused by Kisi waits: {queue:?}");
    let opened = space.ana_unlocks_the_room().await;
    assert_eq!(opened["unlocked"], true, "{opened}");
    space.stop().await;
}
