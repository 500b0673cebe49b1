//! Bookings with invitees (R6-R8): every write enqueues the booker and every invitee, old and new.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use std::collections::BTreeSet;

use chrono::{Duration, TimeZone, Utc};
use common::space::space;
use common::{drain_outbox, file_store, outbox_scopes, people_at};
use doorlink_core::PersonId;
use doorlink_store::{NewBooking, StoreError};

fn noon_to_four() -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    (
        Utc.with_ymd_and_hms(2026, 3, 3, 11, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 3, 15, 0, 0).unwrap(),
    )
}

#[tokio::test]
async fn a_booking_with_invitees_round_trips_and_enqueues_everyone_on_it() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;
    let (start, end) = noon_to_four();

    let booking = store
        .bookings()
        .create(&NewBooking {
            resource: s.room.id,
            booker: s.ana.id,
            invitees: [s.bo.id, s.cy.id].into(),
            start,
            end,
        })
        .await
        .unwrap();

    assert_eq!(
        store.bookings().get(booking.id).await.unwrap(),
        (s.location, booking.clone())
    );
    assert_eq!(
        store.bookings().of_person(s.cy.id).await.unwrap(),
        vec![booking.clone()]
    );
    assert_eq!(
        store
            .bookings()
            .of_resource(
                s.room.id,
                start - Duration::hours(1),
                start + Duration::minutes(1)
            )
            .await
            .unwrap(),
        vec![booking]
    );
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id, s.bo.id, s.cy.id])
    );
}

#[tokio::test]
async fn bookings_outside_the_asked_window_are_not_listed() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let (start, end) = noon_to_four();
    let new = NewBooking {
        resource: s.room.id,
        booker: s.ana.id,
        invitees: BTreeSet::new(),
        start,
        end,
    };
    store.bookings().create(&new).await.unwrap();

    // Half-open: a window ending exactly at the start, or starting at the end, does not overlap.
    let before = store
        .bookings()
        .of_resource(s.room.id, start - Duration::hours(2), start)
        .await;
    let after = store
        .bookings()
        .of_resource(s.room.id, end, end + Duration::hours(2))
        .await;

    assert!(before.unwrap().is_empty());
    assert!(after.unwrap().is_empty());
}

#[tokio::test]
async fn a_booking_that_ends_before_it_starts_is_refused_and_nothing_is_written() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;
    let (start, end) = noon_to_four();

    let error = store
        .bookings()
        .create(&NewBooking {
            resource: s.room.id,
            booker: s.ana.id,
            invitees: BTreeSet::new(),
            start: end,
            end: start,
        })
        .await
        .unwrap_err();

    assert!(matches!(error, StoreError::Validation(_)));
    assert!(
        store
            .bookings()
            .of_person(s.ana.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(outbox_scopes(&store).await.is_empty());
}

#[tokio::test]
async fn changing_invitees_enqueues_the_removed_and_the_added() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let (start, end) = noon_to_four();
    let booking = store
        .bookings()
        .create(&NewBooking {
            resource: s.room.id,
            booker: s.ana.id,
            invitees: [s.bo.id].into(),
            start,
            end,
        })
        .await
        .unwrap();
    drain_outbox(&store).await;

    let changed = store
        .bookings()
        .set_invitees(booking.id, &[s.cy.id].into())
        .await
        .unwrap();

    assert_eq!(changed.invitees, [s.cy.id].into());
    assert_eq!(store.bookings().get(booking.id).await.unwrap().1, changed);
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id, s.bo.id, s.cy.id])
    );
}

#[tokio::test]
async fn moving_a_booking_moves_its_window_and_cancelling_stamps_the_instant() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let (start, end) = noon_to_four();
    let booking = store
        .bookings()
        .create(&NewBooking {
            resource: s.room.id,
            booker: s.ana.id,
            invitees: [s.bo.id].into(),
            start,
            end,
        })
        .await
        .unwrap();
    drain_outbox(&store).await;

    let moved = store
        .bookings()
        .reschedule(
            booking.id,
            start + Duration::hours(1),
            end + Duration::hours(2),
        )
        .await
        .unwrap();
    assert_eq!(moved.start, start + Duration::hours(1));
    assert_eq!(store.bookings().get(booking.id).await.unwrap().1, moved);
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id, s.bo.id])
    );
    drain_outbox(&store).await;

    let cancelled = store.bookings().cancel(booking.id, None).await.unwrap();
    assert_eq!(cancelled.cancelled_at, Some(clock.now()));
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id, s.bo.id])
    );

    let error = store
        .bookings()
        .reschedule(booking.id, start, end)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Conflict { .. }), "{error:?}");
}

#[tokio::test]
async fn an_unknown_invitee_is_not_found_and_the_booking_is_not_kept() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;
    let (start, end) = noon_to_four();

    let error = store
        .bookings()
        .create(&NewBooking {
            resource: s.room.id,
            booker: s.ana.id,
            invitees: [PersonId(999)].into(),
            start,
            end,
        })
        .await
        .unwrap_err();

    assert!(matches!(
        error,
        StoreError::NotFound {
            entity: "person",
            id: 999
        }
    ));
    assert!(
        store
            .bookings()
            .of_person(s.ana.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(outbox_scopes(&store).await.is_empty());
}
