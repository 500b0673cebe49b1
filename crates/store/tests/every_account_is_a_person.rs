//! Every account is a person's, staff and admins too, so everyone opens their own doors (issue
//! 17): an account made without a person gets the person with its e-mail, created when there is
//! none; accounts from before are linked at start, never to a person who has an account already.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use chrono::Duration;
use common::file_store;
use doorlink_core::Email;
use doorlink_store::{AccountRole, NewInvitation};

fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

/// The adversary: the e-mail is already a member's person, without an account.
#[tokio::test]
async fn a_staff_invitation_is_redeemed_as_the_person_on_file_without_a_copy() {
    let (store, clock, _dir) = file_store().await;
    let admin = store
        .accounts()
        .create_first_admin("Ada Owner", &email("ada@harbor.example"), "hash")
        .await
        .unwrap();
    let on_file = store
        .people()
        .create("Sam Desk", "sam@harbor.example")
        .await
        .unwrap();
    store
        .accounts()
        .invite(&NewInvitation {
            token_hash: "token".to_owned(),
            email: email("sam@harbor.example"),
            role: AccountRole::Staff,
            person: None,
            invited_by: Some(admin.id),
            expires_at: clock.now() + Duration::days(7),
        })
        .await
        .unwrap();
    let sam = store
        .accounts()
        .redeem("token", "hash")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sam.person, Some(on_file.id));
    assert_eq!(store.people().list().await.unwrap().len(), 2, "Ada and Sam");
}

#[tokio::test]
async fn an_account_without_a_person_gets_a_new_one_named_after_its_email() {
    let (store, _clock, _dir) = file_store().await;
    let desk = store
        .accounts()
        .create(
            &email("front.desk@harbor.example"),
            AccountRole::Staff,
            None,
            "hash",
        )
        .await
        .unwrap();
    let person = store
        .people()
        .by_email("front.desk@harbor.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(desk.person, Some(person.id));
    assert_eq!(person.name, "Front Desk");
}

/// The adversary: a database from before, with one account without a person whose e-mail is a
/// person's who already has another account (linking it would make two accounts one person's).
#[tokio::test]
async fn accounts_from_before_are_linked_at_start_but_never_to_a_person_with_an_account() {
    let (store, _clock, _dir) = file_store().await;
    let mia = store
        .people()
        .create("Mia", "mia@harbor.example")
        .await
        .unwrap();
    store
        .accounts()
        .create(
            &email("mia.work@harbor.example"),
            AccountRole::Member,
            Some(mia.id),
            "hash",
        )
        .await
        .unwrap();
    for (address, role) in [
        ("owner@harbor.example", "admin"),
        ("mia@harbor.example", "staff"),
    ] {
        sqlx::query(
            "INSERT INTO accounts (email, role, person_id, password_hash, created_at, updated_at) \
             VALUES ($1, $2, NULL, 'hash', 0, 0)",
        )
        .bind(address)
        .bind(role)
        .execute(store.pool())
        .await
        .unwrap();
    }

    assert_eq!(store.accounts().link_people().await.unwrap(), 1);
    let accounts = store.accounts().list().await.unwrap();
    let person_of = |address: &str| {
        accounts
            .iter()
            .find(|a| a.email.as_str() == address)
            .unwrap()
            .person
    };
    let owner = store
        .people()
        .by_email("owner@harbor.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person_of("owner@harbor.example"), Some(owner.id));
    assert_eq!(
        person_of("mia@harbor.example"),
        None,
        "Mia's person has an account"
    );
    assert_eq!(store.accounts().link_people().await.unwrap(), 0, "once");
}
