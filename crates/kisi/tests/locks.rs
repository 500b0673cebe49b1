//! Locks: listing with filters, and unlocking with every refusal Kisi can give.

use crate::common;

use chrono::{TimeZone, Utc};
use common::*;
use kisi::{KisiError, Location, LockFilter, LockId, UnlockContext};
use kisi_emulator::{TIME_RESTRICTION_CLOSES_HOUR, TIME_RESTRICTION_OPENS_HOUR};

fn at_the_door() -> UnlockContext {
    UnlockContext {
        location: Some(Location {
            latitude: HIVE_LATITUDE,
            longitude: HIVE_LONGITUDE,
        }),
        proximity_proof: None,
    }
}

#[tokio::test]
async fn locks_without_filter_lists_every_lock_with_its_restrictions() {
    let fixture = Fixture::start().await;
    let locks = fixture.admin.locks(&LockFilter::default()).await.unwrap();
    assert_eq!(locks.len(), 5);
    let reader = locks
        .iter()
        .find(|lock| lock.name == "Reader door")
        .unwrap();
    assert!(reader.reader_restriction_enabled);
    assert!(!reader.geofence_restriction_enabled && !reader.time_restriction_enabled);
    assert_eq!(reader.place_id, Some(fixture.place("Hive Berlin")));
    let geo = locks.iter().find(|lock| lock.name == "Geo door").unwrap();
    assert!(geo.geofence_restriction_enabled);
    assert!(
        geo.geofence_restriction_radius
            .is_some_and(|radius| radius > 0.0)
    );
}

#[tokio::test]
async fn locks_filtered_by_place_only_lists_that_place() {
    let fixture = Fixture::start().await;
    let filter = LockFilter {
        place_id: Some(fixture.place("Hive Annex")),
        ids: Vec::new(),
    };
    let locks = fixture.admin.locks(&filter).await.unwrap();
    let ids: Vec<LockId> = locks.iter().map(|lock| lock.id).collect();
    assert_eq!(ids, vec![fixture.lock("Annex door")]);
}

#[tokio::test]
async fn locks_filtered_by_ids_lists_exactly_those() {
    let fixture = Fixture::start().await;
    let wanted = vec![fixture.lock("Front door"), fixture.lock("Night door")];
    let filter = LockFilter {
        place_id: None,
        ids: wanted.clone(),
    };
    let mut ids: Vec<LockId> = fixture
        .admin
        .locks(&filter)
        .await
        .unwrap()
        .iter()
        .map(|l| l.id)
        .collect();
    ids.sort();
    assert_eq!(ids, wanted);
}

#[tokio::test]
async fn unlocking_a_plain_door_says_unlocked() {
    let fixture = Fixture::start().await;
    let message = fixture
        .admin
        .unlock(fixture.lock("Front door"), &UnlockContext::default())
        .await
        .unwrap();
    assert_eq!(message, "Unlocked!");
}

#[tokio::test]
async fn reader_restricted_door_cannot_be_opened_from_a_desktop() {
    let fixture = Fixture::start().await;
    let door = fixture.lock("Reader door");
    let err = fixture
        .admin
        .unlock(door, &at_the_door())
        .await
        .unwrap_err();
    let KisiError::ReaderRestricted { lock_id, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*lock_id, Some(door));
    assert_eq!(
        message,
        "Please ask an administrator to disable the Kisi Reader restriction."
    );
    assert!(err.to_string().contains(&door.to_string()));
}

#[tokio::test]
async fn geofenced_door_needs_the_location() {
    let fixture = Fixture::start().await;
    let door = fixture.lock("Geo door");
    let err = fixture
        .admin
        .unlock(door, &UnlockContext::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, KisiError::GeofenceRestricted { lock_id: Some(id), .. } if id == door),
        "{err:?}"
    );
}

#[tokio::test]
async fn geofenced_door_refuses_a_location_far_away() {
    let fixture = Fixture::start().await;
    let far = UnlockContext {
        location: Some(Location {
            latitude: 48.137,
            longitude: 11.575,
        }), // Munich
        proximity_proof: None,
    };
    let err = fixture
        .admin
        .unlock(fixture.lock("Geo door"), &far)
        .await
        .unwrap_err();
    assert!(
        matches!(err, KisiError::GeofenceRestricted { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn geofenced_door_opens_with_a_location_at_the_place() {
    let fixture = Fixture::start().await;
    let message = fixture
        .admin
        .unlock(fixture.lock("Geo door"), &at_the_door())
        .await
        .unwrap();
    assert_eq!(message, "Unlocked!");
}

#[tokio::test]
async fn time_restricted_door_refuses_outside_its_hours_and_opens_within() {
    let fixture = Fixture::start().await;
    let door = fixture.lock("Night door");
    // January: Berlin is UTC+1, so local hour h is UTC hour h-1.
    let before_opening = Utc
        .with_ymd_and_hms(2026, 1, 15, TIME_RESTRICTION_OPENS_HOUR - 2, 30, 0)
        .unwrap();
    fixture.emulator.control().set_clock(before_opening);
    let err = fixture
        .admin
        .unlock(door, &UnlockContext::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, KisiError::TimeRestricted { lock_id: Some(id), .. } if id == door),
        "{err:?}"
    );

    let midday = (TIME_RESTRICTION_OPENS_HOUR + TIME_RESTRICTION_CLOSES_HOUR) / 2 - 1;
    fixture
        .emulator
        .control()
        .set_clock(Utc.with_ymd_and_hms(2026, 1, 15, midday, 0, 0).unwrap());
    assert_eq!(
        fixture
            .admin
            .unlock(door, &UnlockContext::default())
            .await
            .unwrap(),
        "Unlocked!"
    );
}

#[tokio::test]
async fn member_without_a_current_assignment_is_told_they_have_no_access_now() {
    let fixture = Fixture::start().await;
    let login = fixture
        .admin
        .create_login_for_user(MEMBER_EMAIL)
        .await
        .unwrap();
    let member = fixture.client(login.secret, fast_retry());
    let door = fixture.lock("Front door");
    let err = member
        .unlock(door, &UnlockContext::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, KisiError::NoCurrentAccess { lock_id: Some(id), .. } if id == door),
        "{err:?}"
    );
}

#[tokio::test]
async fn unlocking_a_lock_that_does_not_exist_is_forbidden() {
    let fixture = Fixture::start().await;
    let err = fixture
        .admin
        .unlock(LockId(999_999), &UnlockContext::default())
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Forbidden { .. }), "{err:?}");
}
