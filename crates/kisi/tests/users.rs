//! Users: search, managed creation, deletion, and paging through long lists.

use crate::common;

use std::collections::BTreeSet;

use common::*;
use kisi::{KisiError, NewUser};
use kisi_emulator::{EmulatorConfig, SeedUser};

#[tokio::test]
async fn find_user_by_email_picks_the_exact_match() {
    let fixture = Fixture::start().await;
    let found = fixture
        .admin
        .find_user_by_email("MEMBER@hive.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, fixture.user(MEMBER_EMAIL));
    assert!(found.confirmed);
    assert!(
        fixture
            .admin
            .find_user_by_email("ghost@hive.test")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn create_managed_user_makes_a_confirmed_user_that_can_be_found() {
    let fixture = Fixture::start().await;
    let new = NewUser {
        email: "ines@guest.test".to_owned(),
        name: "Ines Invitee".to_owned(),
    };
    let created = fixture.admin.create_managed_user(&new).await.unwrap();
    assert_eq!(created.email, "ines@guest.test");
    assert_eq!(created.name.as_deref(), Some("Ines Invitee"));
    assert!(created.confirmed, "managed users are created confirmed");
    let found = fixture.admin.find_users("ines@guest.test").await.unwrap();
    assert_eq!(
        found.iter().map(|user| user.id).collect::<Vec<_>>(),
        vec![created.id]
    );
}

#[tokio::test]
async fn create_managed_user_with_a_bad_email_names_the_field() {
    let fixture = Fixture::start().await;
    let new = NewUser {
        email: "not-an-email".to_owned(),
        name: "X".to_owned(),
    };
    let err = fixture.admin.create_managed_user(&new).await.unwrap_err();
    let KisiError::Invalid {
        fields, message, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(message, "Validation failed");
    assert!(
        fields
            .get("email")
            .is_some_and(|problems| !problems.is_empty()),
        "{fields:?}"
    );
    assert!(err.to_string().contains("email"));
}

#[tokio::test]
async fn delete_user_removes_them() {
    let fixture = Fixture::start().await;
    let member = fixture.user(MEMBER_EMAIL);
    fixture.admin.delete_user(member).await.unwrap();
    assert!(
        fixture
            .admin
            .find_user_by_email(MEMBER_EMAIL)
            .await
            .unwrap()
            .is_none()
    );
    let err = fixture.admin.delete_user(member).await.unwrap_err();
    assert!(
        matches!(err, KisiError::Forbidden { .. }),
        "deleting again names an unknown id: {err:?}"
    );
}

#[tokio::test]
async fn lists_longer_than_a_page_are_read_whole() {
    let mut seed = seed();
    for n in 0..230 {
        seed.users.push(SeedUser {
            email: format!("walk-in-{n:03}@crowd.test"),
            name: format!("Walk-in {n}"),
            confirmed: true,
            managed: true,
            admin: false,
            password: None,
        });
    }
    let fixture = Fixture::start_seeded(seed, EmulatorConfig::default()).await;
    let users = fixture.admin.find_users("@crowd.test").await.unwrap();
    let emails: BTreeSet<_> = users.iter().map(|user| user.email.clone()).collect();
    assert_eq!(users.len(), 230, "every user exactly once");
    assert_eq!(emails.len(), 230);
    assert!(emails.contains("walk-in-000@crowd.test") && emails.contains("walk-in-229@crowd.test"));
}

#[tokio::test]
async fn an_empty_search_result_is_an_empty_list() {
    let fixture = Fixture::start().await;
    assert!(
        fixture
            .admin
            .find_users("@nowhere.test")
            .await
            .unwrap()
            .is_empty()
    );
}
