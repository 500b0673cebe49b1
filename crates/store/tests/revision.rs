//! The change feed (migration 0006): every write to the facts or Kisi's mirror moves its counter in
//! the same transaction, whoever writes; what feeds no cache (the outbox, audit log, sessions) and a
//! refused write move nothing.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use common::{file_store, shared_store};
use doorlink_core::DoorAccess;
use doorlink_store::{DataRevision, NewLocation, Store};

async fn revision(store: &Store) -> DataRevision {
    store.data_revision().await.unwrap()
}

#[tokio::test]
async fn a_domain_write_moves_the_facts_revision_and_a_mirror_write_the_kisi_one() {
    let (store, _clock, _dir, database) = shared_store().await;
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap()
        .id;

    let before = revision(&store).await;
    store
        .catalog()
        .create_plan(location, "Hot desk", &DoorAccess::default())
        .await
        .unwrap();
    let after_plan = revision(&store).await;
    assert!(after_plan.facts > before.facts);
    assert_eq!(after_plan.kisi, before.kisi, "a plan is not Kisi's mirror");

    // Another process on the same database (a `doorlink sync` run, another hub) writes the mirror.
    let elsewhere = database.open().await.unwrap();
    sqlx::query(
        "INSERT INTO kisi_places (location_id, kisi_place_id, name, synced_at) \
         VALUES ($1, 1, 'Kreuzberg', 0)",
    )
    .bind(location.0)
    .execute(elsewhere.pool())
    .await
    .unwrap();
    let after_mirror = revision(&store).await;
    assert!(after_mirror.kisi > after_plan.kisi);
    assert_eq!(after_mirror.facts, after_plan.facts);
}

#[tokio::test]
async fn a_refused_write_and_the_audit_log_move_nothing() {
    let (store, _clock, _dir) = file_store().await;
    store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap();
    store
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();
    let before = revision(&store).await;

    assert!(
        store
            .people()
            .create("Ana again", "ANA@example.com")
            .await
            .is_err()
    );
    sqlx::query(
        "INSERT INTO outbox (location_id, dedupe_key, reason, next_try_at, created_at, updated_at) \
         SELECT id, 'location:' || id, 'test', 0, 0, 0 FROM locations",
    )
    .execute(store.pool())
    .await
    .unwrap();

    assert_eq!(revision(&store).await, before);
}
