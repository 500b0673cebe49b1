//! Role assignments: windows that Kisi itself enforces.

use crate::common;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use kisi::{GroupId, KisiError, NewRoleAssignment, UnlockContext};

#[tokio::test]
async fn create_role_assignment_keeps_its_window_and_is_listed_by_user_and_group() {
    let fixture = Fixture::start().await;
    let from = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let until = from + Duration::hours(2);
    let new = NewRoleAssignment {
        user_id: fixture.user(MEMBER_EMAIL),
        group_id: fixture.group("Members"),
        valid_from: Some(from),
        valid_until: Some(until),
    };
    let created = fixture.admin.create_role_assignment(&new).await.unwrap();
    assert_eq!(created.role_id, "group_basic");
    assert_eq!(
        (created.valid_from, created.valid_until),
        (Some(from), Some(until))
    );
    assert_eq!(created.group_id, Some(fixture.group("Members")));

    let by_user = fixture
        .admin
        .role_assignments_of_user(fixture.user(MEMBER_EMAIL))
        .await
        .unwrap();
    assert_eq!(by_user, vec![created.clone()]);
    let by_group = fixture
        .admin
        .role_assignments_of_group(fixture.group("Members"))
        .await
        .unwrap();
    assert_eq!(by_group, vec![created]);
    assert!(
        fixture
            .admin
            .role_assignments_of_group(fixture.group("Annex"))
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn kisi_enforces_the_window_on_unlock() {
    let fixture = Fixture::start().await;
    let control = fixture.emulator.control();
    let from = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    control.set_clock(from - Duration::minutes(1));
    let new = NewRoleAssignment {
        user_id: fixture.user(MEMBER_EMAIL),
        group_id: fixture.group("Members"),
        valid_from: Some(from),
        valid_until: Some(from + Duration::hours(1)),
    };
    fixture.admin.create_role_assignment(&new).await.unwrap();
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
        matches!(err, KisiError::NoCurrentAccess { .. }),
        "a minute early: {err:?}"
    );
    control.set_clock(from);
    assert_eq!(
        member
            .unlock(door, &UnlockContext::default())
            .await
            .unwrap(),
        "Unlocked!"
    );
    control.set_clock(from + Duration::hours(1) + Duration::seconds(1));
    let err = member
        .unlock(door, &UnlockContext::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, KisiError::NoCurrentAccess { .. }),
        "after the window: {err:?}"
    );
}

#[tokio::test]
async fn delete_role_assignment_removes_it() {
    let fixture = Fixture::start().await;
    let new = NewRoleAssignment {
        user_id: fixture.user(MEMBER_EMAIL),
        group_id: fixture.group("Annex"),
        valid_from: None,
        valid_until: None,
    };
    let created = fixture.admin.create_role_assignment(&new).await.unwrap();
    fixture
        .admin
        .delete_role_assignment(created.id)
        .await
        .unwrap();
    assert!(
        fixture
            .admin
            .role_assignments_of_user(fixture.user(MEMBER_EMAIL))
            .await
            .unwrap()
            .is_empty()
    );
    let err = fixture
        .admin
        .delete_role_assignment(created.id)
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Forbidden { .. }), "{err:?}");
}

#[tokio::test]
async fn assignment_to_a_deleted_group_is_group_not_found() {
    let fixture = Fixture::start().await;
    let annex = fixture.group("Annex");
    fixture
        .emulator
        .control()
        .delete_group(annex.0.unsigned_abs())
        .unwrap();
    let new = NewRoleAssignment {
        user_id: fixture.user(MEMBER_EMAIL),
        group_id: annex,
        valid_from: None,
        valid_until: None,
    };
    let err = fixture
        .admin
        .create_role_assignment(&new)
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::GroupNotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn assignment_to_a_group_that_never_existed_is_forbidden() {
    let fixture = Fixture::start().await;
    let new = NewRoleAssignment {
        user_id: fixture.user(MEMBER_EMAIL),
        group_id: GroupId(424_242),
        valid_from: None,
        valid_until: None,
    };
    let err = fixture
        .admin
        .create_role_assignment(&new)
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Forbidden { .. }), "{err:?}");
}

#[tokio::test]
async fn a_window_that_ends_before_it_starts_is_invalid() {
    let fixture = Fixture::start().await;
    let from = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let new = NewRoleAssignment {
        user_id: fixture.user(MEMBER_EMAIL),
        group_id: fixture.group("Members"),
        valid_from: Some(from),
        valid_until: Some(from - Duration::hours(1)),
    };
    let err = fixture
        .admin
        .create_role_assignment(&new)
        .await
        .unwrap_err();
    let KisiError::Invalid { fields, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(!fields.is_empty(), "the 422 names the offending field");
}
