//! A domain write and its outbox entries commit together and roll back together.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use chrono::{TimeZone, Utc};
use common::space::space;
use common::{drain_outbox, file_store, outbox_scopes, people_at};
use doorlink_core::{DoorAccess, KisiGroupId, PersonId};
use doorlink_store::{Backend, NewBooking, Store};

/// Makes the database refuse any outbox entry for `person`, so a write fails after its domain rows
/// (and the entries for other people) were already written inside the transaction.
async fn refuse_outbox_entries_for(store: &Store, person: PersonId) {
    refuse_outbox_entries_where(store, &format!("NEW.person_id = {person}")).await;
}

/// Refuses every location-wide entry (mapping changes).
async fn refuse_location_entries(store: &Store) {
    refuse_outbox_entries_where(store, "NEW.person_id IS NULL").await;
}

/// A trigger that aborts the insert of an outbox entry matching `condition`, in each backend's
/// dialect.
async fn refuse_outbox_entries_where(store: &Store, condition: &str) {
    let statements = match store.backend() {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER refuse_outbox AFTER INSERT ON outbox WHEN {condition} \
             BEGIN SELECT RAISE(ABORT, 'outbox refused by the test'); END"
        )],
        Backend::Postgres => vec![
            "CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'outbox refused by the test'; END $$"
                .to_owned(),
            format!(
                "CREATE TRIGGER refuse_outbox AFTER INSERT ON outbox FOR EACH ROW \
                 WHEN ({condition}) EXECUTE FUNCTION refuse_outbox()"
            ),
        ],
    };
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(store.pool())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_booking_whose_last_outbox_entry_fails_leaves_neither_booking_nor_entries() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;
    refuse_outbox_entries_for(&store, s.cy.id).await;

    let result = store
        .bookings()
        .create(&NewBooking {
            resource: s.room.id,
            booker: s.ana.id,
            invitees: [s.bo.id, s.cy.id].into(),
            start: Utc.with_ymd_and_hms(2026, 3, 3, 11, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 3, 3, 15, 0, 0).unwrap(),
        })
        .await;

    assert!(result.is_err());
    let bookings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let invitees: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM booking_invitees")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!((bookings, invitees), (0, 0));
    assert!(
        outbox_scopes(&store).await.is_empty(),
        "the entries for Ana and Bo went with the booking"
    );
}

#[tokio::test]
async fn a_mapping_change_whose_outbox_entry_fails_keeps_the_old_mapping() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;
    refuse_location_entries(&store).await;
    let mut changed = s.flex.clone();
    changed.door_access = DoorAccess::groups([KisiGroupId(999)]);

    let result = store.catalog().update_plan(&changed).await;

    assert!(result.is_err());
    assert_eq!(store.catalog().plan(s.flex.id).await.unwrap().1, s.flex);
    assert!(outbox_scopes(&store).await.is_empty());
}

#[tokio::test]
async fn a_successful_write_commits_the_domain_rows_and_the_entries_together() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;
    refuse_outbox_entries_for(&store, s.cy.id).await;

    let booking = store
        .bookings()
        .create(&NewBooking {
            resource: s.room.id,
            booker: s.ana.id,
            invitees: [s.bo.id].into(),
            start: Utc.with_ymd_and_hms(2026, 3, 3, 11, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 3, 3, 15, 0, 0).unwrap(),
        })
        .await
        .unwrap();

    assert_eq!(store.bookings().get(booking.id).await.unwrap().1, booking);
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id, s.bo.id])
    );
}

#[tokio::test]
async fn a_write_right_after_a_refused_write_waits_instead_of_finding_the_database_locked() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    for round in 0..20 {
        // Refused inside its transaction (the name is taken); the rollback may still be on its way.
        let clash = store
            .catalog()
            .create_plan(s.location, "Flex", &DoorAccess::none())
            .await;
        assert!(clash.is_err());

        let next = store
            .catalog()
            .create_plan(s.location, &format!("Plan {round}"), &DoorAccess::none())
            .await;
        assert!(next.is_ok(), "round {round}: {next:?}");
    }
}
