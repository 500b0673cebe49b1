//! `doorlink explain` on the demo space: the first rule standing in the way, in plain words with
//! its fix (A5), or the grants that open the door.

use crate::common;

use chrono::Utc;
use doorlink_cli::commands::explain::report;
use doorlink_cli::demo_space::{DemoSpace, MEMBER_EMAIL, cast, names};
use doorlink_store::Store;

#[allow(clippy::unwrap_used, reason = "a test helper stops loudly")]
async fn explain(store: &Store, space: &DemoSpace, email: &str, lock: Option<&str>) -> String {
    let location = store.locations().get(space.location).await.unwrap();
    report(store, &location, email, lock, Utc::now())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_learns_the_server_room_needs_a_kisi_reader_and_may_open_the_front_door() {
    let (emulator, store, space) = common::synced_demo().await;

    let server_room = explain(&store, &space, MEMBER_EMAIL, Some("server room")).await;
    assert!(
        server_room.contains("Cannot open \"Server Room\" now."),
        "{server_room}"
    );
    assert!(
        server_room.contains("can only be opened at a Kisi Reader"),
        "{server_room}"
    );
    assert!(
        server_room
            .contains("Fix: Ask a Kisi administrator to disable the Kisi Reader restriction"),
        "{server_room}"
    );

    let front_door = explain(&store, &space, MEMBER_EMAIL, Some("Front Door")).await;
    assert!(
        front_door.contains("May open \"Front Door\" now:"),
        "{front_door}"
    );
    assert!(front_door.contains("Hot desk plan"), "{front_door}");
    assert!(front_door.contains("manual grant"), "{front_door}");

    let page = explain(&store, &space, MEMBER_EMAIL, None).await;
    assert!(page.contains("Doors they may open now:"), "{page}");
    assert!(page.contains("but a remote unlock fails"), "{page}");
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_without_doors_are_told_the_first_rule_and_its_fix() {
    let (emulator, store, space) = common::synced_demo().await;
    let email = |position| space.person(position).email.to_string();

    let not_started = explain(&store, &space, &email(cast::STARTS_NEXT_WEEK), None).await;
    assert!(
        not_started.contains("No doors open for them now."),
        "{not_started}"
    );
    assert!(not_started.contains("has not started"), "{not_started}");
    assert!(
        not_started.contains("Doors that open for them later:"),
        "{not_started}"
    );

    let on_hold = explain(&store, &space, &email(cast::ON_HOLD), None).await;
    assert!(on_hold.contains("Why: door access is on hold"), "{on_hold}");
    // The fix names the real tab and button (issue 17: staff words name the UI's menus).
    assert!(
        on_hold.contains("Fix: On the person's page, Kisi user › Re-enable door access"),
        "{on_hold}"
    );

    let left = explain(
        &store,
        &space,
        &email(cast::LEFT_NORTHWIND),
        Some("Office 101"),
    )
    .await;
    assert!(
        left.contains("not a member of company \"Northwind Labs\""),
        "{left}"
    );

    let cancelled = explain(&store, &space, &email(cast::CANCELLED), None).await;
    assert!(
        cancelled.contains("no booking or subscription"),
        "{cancelled}"
    );

    let no_doors = explain(&store, &space, &email(cast::BOOKED_WITHOUT_DOORS), None).await;
    assert!(
        no_doors.contains("resource \"Event Space\" has no door access"),
        "{no_doors}"
    );
    assert!(
        no_doors.contains(
            "Fix: In Admin › Door access › Resources, select a Kisi group or lock for \"Event Space\""
        ),
        "{no_doors}"
    );

    let not_beneficiary = *cast::BLUE_FINCH_MEMBERS.end();
    let finch = explain(&store, &space, &email(not_beneficiary), None).await;
    assert!(finch.contains("not a beneficiary"), "{finch}");
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_people_and_locks_are_refused_with_what_is_known() {
    let (emulator, store, space) = common::synced_demo().await;
    let location = store.locations().get(space.location).await.unwrap();

    let stranger = report(&store, &location, "nobody@example.com", None, Utc::now())
        .await
        .unwrap_err();
    assert!(
        stranger.to_string().contains("nobody@example.com"),
        "{stranger:#}"
    );

    let lock = report(
        &store,
        &location,
        MEMBER_EMAIL,
        Some("Basement"),
        Utc::now(),
    )
    .await
    .unwrap_err();
    let message = lock.to_string();
    assert!(message.contains("no lock named \"Basement\""), "{message}");
    assert!(
        message.contains(names::READER_RESTRICTED_LOCK),
        "lists the locks: {message}"
    );
    emulator.shutdown().await;
}
