//! Each person's own Kisi login (A4) is kept sealed, survives a reopen, and is forgotten with the
//! person's Kisi state (R15) or the location's connection (C3).

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use common::file_store;
use common::space::space;
use doorlink_core::KisiUserId;
use doorlink_store::{MirrorUser, PersonKisiLogin, SecretValue, Store};

const ANA_SECRET: &str = "ana-device-login-5c1e9b77a2f0";

fn ana_login() -> PersonKisiLogin {
    PersonKisiLogin {
        kisi_user: KisiUserId(41),
        email: "ana@example.com".to_owned(),
        secret: SecretValue::new(ANA_SECRET),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_person_login_survives_reopening_the_database_and_is_never_stored_in_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorlink.db");
    let store = Store::open(&path).await.unwrap();
    let s = space(&store).await;
    store
        .kisi_mirror()
        .save_person_login(s.location, s.ana.id, &ana_login())
        .await
        .unwrap();
    store.close().await;

    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_some_and(|e| e == "key") {
            continue;
        }
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains(&bytes, ANA_SECRET.as_bytes()),
            "{} holds the plain login secret",
            file.display()
        );
    }
    let reopened = Store::open(&path).await.unwrap();
    assert_eq!(
        reopened
            .kisi_mirror()
            .person_login(s.location, s.ana.id)
            .await
            .unwrap(),
        Some(ana_login())
    );
    assert_eq!(
        reopened
            .kisi_mirror()
            .person_login(s.location, s.bo.id)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_login_secret_copied_into_another_persons_row_does_not_open() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    mirror
        .save_person_login(s.location, s.ana.id, &ana_login())
        .await
        .unwrap();
    mirror
        .save_person_login(
            s.location,
            s.bo.id,
            &PersonKisiLogin {
                kisi_user: KisiUserId(42),
                email: "bo@example.com".to_owned(),
                secret: SecretValue::new("bo-secret"),
            },
        )
        .await
        .unwrap();

    sqlx::query(
        "UPDATE kisi_person_logins SET \
             secret_nonce = (SELECT secret_nonce FROM kisi_person_logins WHERE person_id = $1), \
             secret_ciphertext = (SELECT secret_ciphertext FROM kisi_person_logins WHERE person_id = $1) \
         WHERE person_id = $2",
    )
    .bind(s.ana.id.0)
    .bind(s.bo.id.0)
    .execute(store.pool())
    .await
    .unwrap();

    assert!(mirror.person_login(s.location, s.bo.id).await.is_err());
}

#[tokio::test]
async fn saving_a_new_login_replaces_the_refused_one() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    mirror
        .save_person_login(s.location, s.ana.id, &ana_login())
        .await
        .unwrap();

    let fresh = PersonKisiLogin {
        secret: SecretValue::new("ana-second-login"),
        ..ana_login()
    };
    mirror
        .save_person_login(s.location, s.ana.id, &fresh)
        .await
        .unwrap();

    assert_eq!(
        mirror.person_login(s.location, s.ana.id).await.unwrap(),
        Some(fresh)
    );
    assert!(
        mirror
            .forget_person_login(s.location, s.ana.id)
            .await
            .unwrap()
    );
    assert!(
        !mirror
            .forget_person_login(s.location, s.ana.id)
            .await
            .unwrap(),
        "forgetting twice finds nothing the second time"
    );
}

#[tokio::test]
async fn disconnecting_or_deleting_the_kisi_user_forgets_the_persons_login() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    mirror
        .save_user(
            s.location,
            s.ana.id,
            &MirrorUser {
                kisi_user: KisiUserId(41),
                kisi_email: "ana@example.com".to_owned(),
                confirmed: true,
                owned: true,
            },
        )
        .await
        .unwrap();
    mirror
        .save_person_login(s.location, s.ana.id, &ana_login())
        .await
        .unwrap();

    mirror.forget_person(s.location, s.ana.id).await.unwrap();

    assert_eq!(
        mirror.person_login(s.location, s.ana.id).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn disconnecting_the_location_forgets_every_persons_login_there() {
    let (store, _clock, _dir) = file_store().await;
    let s = space(&store).await;
    let mirror = store.kisi_mirror();
    for (person, user) in [(s.ana.id, 41), (s.bo.id, 42)] {
        let login = PersonKisiLogin {
            kisi_user: KisiUserId(user),
            ..ana_login()
        };
        mirror
            .save_person_login(s.location, person, &login)
            .await
            .unwrap();
    }

    assert_eq!(mirror.forget_person_logins(s.location).await.unwrap(), 2);

    assert_eq!(
        mirror.person_login(s.location, s.ana.id).await.unwrap(),
        None
    );
    assert_eq!(
        mirror.person_login(s.location, s.bo.id).await.unwrap(),
        None
    );
}
