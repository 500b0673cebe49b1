//! What the sync worker changes in Kisi or the mirror reaches the member's Access page through
//! change notices alone: the hub's caches keep each location's facts and Kisi view until a notice
//! drops them, and the worker publishes one after every entry that changed something.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use doorlink_api::events::ChangeKind;
use kisi_space::KisiSpace;
use serde_json::Value;

fn open_locks(access: &Value) -> Vec<i64> {
    access["locations"][0]["open_now"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["lock_id"].as_i64().unwrap())
        .collect()
}

fn causes(access: &Value) -> Vec<String> {
    access["locations"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cause"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconcile_that_finds_the_group_deleted_shows_on_the_members_next_access_page() {
    let space = KisiSpace::start().await;
    let access = space.ana_access().await;
    assert!(open_locks(&access).contains(&space.room_lock), "{access}");
    let mut notices = space.state.subscribe();

    // Someone deletes the room's group in the Kisi dashboard. Until Doorlink reads Kisi again, the
    // page rightly shows what the mirror knows.
    space
        .kisi
        .control()
        .delete_group(u64::try_from(space.room_group).unwrap())
        .unwrap();
    assert!(open_locks(&space.ana_access().await).contains(&space.room_lock));
    space.state.sync().enqueue_reconciles().await.unwrap();
    space.sync().await;

    let access = space.ana_access().await;
    assert!(open_locks(&access).is_empty(), "{access}");
    assert!(
        causes(&access).contains(&"group_deleted".to_owned()),
        "A5: the page says the group was deleted in Kisi: {access}"
    );
    let notice = notices.try_recv().expect("the worker published no notice");
    assert_eq!(notice.kind, ChangeKind::SyncChanged);
    assert_eq!(notice.location_id, Some(space.location));
    assert!(
        notice.people.contains(&space.ana),
        "Ana's open page hears of it: {notice:?}"
    );
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_booking_shows_after_the_worker_grants_it_and_names_the_member() {
    let space = KisiSpace::start().await;
    let mut notices = space.state.subscribe();

    // The next hour, right after the booking the space starts with (a room has one at a time).
    space
        .book_room(chrono::Duration::hours(1), chrono::Duration::hours(2))
        .await;
    space.sync().await;

    let mut heard = Vec::new();
    while let Ok(notice) = notices.try_recv() {
        heard.push(notice);
    }
    assert!(
        heard
            .iter()
            .any(|n| n.kind == ChangeKind::SyncChanged && n.people.contains(&space.ana)),
        "{heard:?}"
    );
    space.stop().await;
}
