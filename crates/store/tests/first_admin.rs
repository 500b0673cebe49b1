//! A fresh hub's first admin is created with the person carrying their name in one transaction:
//! both exist afterwards or neither, and only ever once.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use common::file_store;
use doorlink_core::Email;
use doorlink_store::{AccountRole, StoreError};

fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

#[tokio::test]
async fn the_first_admin_and_their_person_are_created_together() {
    let (store, _clock, _dir) = file_store().await;
    let admin = store
        .accounts()
        .create_first_admin("Ada Owner", &email("ada@harbor.example"), "hash")
        .await
        .unwrap();
    assert_eq!(admin.role, AccountRole::Admin);
    let person = store
        .people()
        .by_email("ada@harbor.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.name, "Ada Owner");
    assert_eq!(admin.person, Some(person.id));
}

#[tokio::test]
async fn a_person_already_on_file_becomes_the_first_admin_without_a_copy() {
    let (store, _clock, _dir) = file_store().await;
    let on_file = store
        .people()
        .create("Ada O.", "ada@harbor.example")
        .await
        .unwrap();
    let admin = store
        .accounts()
        .create_first_admin("Ada Owner", &email("ada@harbor.example"), "hash")
        .await
        .unwrap();
    assert_eq!(admin.person, Some(on_file.id));
    assert_eq!(store.people().list().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_second_first_admin_is_refused_and_leaves_no_person_behind() {
    let (store, _clock, _dir) = file_store().await;
    store
        .accounts()
        .create_first_admin("Ada Owner", &email("ada@harbor.example"), "hash")
        .await
        .unwrap();
    let refused = store
        .accounts()
        .create_first_admin("Bob Late", &email("bob@harbor.example"), "hash")
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::Conflict { .. }),
        "{refused:?}"
    );
    assert!(
        store
            .people()
            .by_email("bob@harbor.example")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.accounts().list().await.unwrap().len(), 1);
}

#[tokio::test]
async fn two_front_desks_racing_make_exactly_one_first_admin() {
    let (store, _clock, _dir) = file_store().await;
    let (ada_email, bob_email) = (email("ada@harbor.example"), email("bob@harbor.example"));
    let accounts = store.accounts();
    let (ada, bob) = tokio::join!(
        accounts.create_first_admin("Ada Owner", &ada_email, "hash"),
        accounts.create_first_admin("Bob Owner", &bob_email, "hash"),
    );
    assert_eq!(u8::from(ada.is_ok()) + u8::from(bob.is_ok()), 1);
    assert_eq!(store.accounts().list().await.unwrap().len(), 1);
    assert_eq!(store.people().list().await.unwrap().len(), 1);
}
