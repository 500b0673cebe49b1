//! `doorlink sync --dry-run`: the Kisi changes the sync engine would make, in plain words.

use crate::common;

use std::collections::BTreeSet;

use chrono::Duration;
use doorlink_cli::commands::demo::demo_kisi_connection;
use doorlink_cli::commands::sync::dry_run_report;
use doorlink_cli::demo_space::{cast, names};
use doorlink_store::{Clock, NewBooking};
use doorlink_sync::{SyncConfig, SyncEngine};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_shows_a_new_booking_as_a_grant_and_changes_nothing() {
    let (emulator, store, space) = common::synced_demo().await;
    let engine = SyncEngine::new(
        store.clone(),
        Clock::system(),
        SyncConfig {
            kisi: demo_kisi_connection(&emulator.base_url()),
            ..SyncConfig::default()
        },
    );
    let settled = dry_run_report(&engine, space.location).await.unwrap();
    assert!(settled.contains("nothing to do"), "{settled}");

    let elbe = store
        .catalog()
        .resources(space.location)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == names::ROOM_ELBE)
        .unwrap();
    let booker = space.person(cast::CANCELLED);
    let start = chrono::Utc::now() + Duration::days(3);
    store
        .bookings()
        .create(&NewBooking {
            resource: elbe.id,
            booker: booker.id,
            invitees: BTreeSet::new(),
            start,
            end: start + Duration::hours(1),
        })
        .await
        .unwrap();
    let assignments_before = emulator.control().state().role_assignments.len();

    let planned = dry_run_report(&engine, space.location).await.unwrap();
    assert!(planned.contains("would make"), "{planned}");
    assert!(
        planned.contains(&format!(
            "grant {} <{}> group \"Room Elbe\"",
            booker.name, booker.email
        )),
        "{planned}"
    );
    assert_eq!(
        emulator.control().state().role_assignments.len(),
        assignments_before,
        "a dry run writes nothing to Kisi"
    );
    assert!(
        dry_run_report(&engine, space.location)
            .await
            .unwrap()
            .contains("Room Elbe"),
        "and the plan is still pending"
    );
    emulator.shutdown().await;
}
