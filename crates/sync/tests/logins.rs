//! Doorlink's own Kisi logins: a reconnect signs the previous one out, so connecting again and
//! again never fills the owner's 40 logins (Kisi then silently expires the oldest, which may be
//! another integration's key).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::common;

use common::*;
use doorlink_store::AuditFilter;
use doorlink_sync::{ConnectError, KisiCredentials};
use kisi::{OwnerCredentials, Secret};

fn owner_credentials() -> OwnerCredentials {
    OwnerCredentials {
        domain: "hive".to_owned(),
        email: "owner@hive.test".to_owned(),
        password: Secret::new("correct horse"),
    }
}

fn owner_sign_in() -> KisiCredentials {
    KisiCredentials::OwnerLogin {
        credentials: owner_credentials(),
        otp_attempt: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnecting_signs_doorlinks_old_login_out() {
    let space = Space::connected(|_| {}).await;
    let engine = space.engine();
    let owners_logins = || {
        space
            .kisi()
            .logins
            .into_iter()
            .filter(|l| l.user_id == space.ids.owner_id)
            .map(|l| l.id)
            .collect::<Vec<_>>()
    };
    let before = owners_logins();
    engine
        .connect(space.location, &space.emulator.base_url(), &owner_sign_in())
        .await
        .unwrap();
    let first: Vec<u64> = owners_logins()
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(first.len(), 1, "the connect made one login");

    for _ in 0..3 {
        engine
            .connect(space.location, &space.emulator.base_url(), &owner_sign_in())
            .await
            .unwrap();
    }

    let after = owners_logins();
    let doorlinks: Vec<&u64> = after.iter().filter(|id| !before.contains(id)).collect();
    assert_eq!(
        doorlinks.len(),
        1,
        "one login of Doorlink's left: {after:?}"
    );
    assert!(!after.contains(&first[0]), "the first login was signed out");
    assert!(
        before.iter().all(|id| after.contains(id)),
        "the owner's other keys are untouched"
    );
    let log = space
        .store
        .audit()
        .list(&AuditFilter::default(), None, 200)
        .await
        .unwrap();
    let sign_outs = log
        .entries
        .iter()
        .filter(|e| e.http_method == "DELETE" && e.path == "/login")
        .count();
    assert_eq!(sign_outs, 3, "each sign-out is audited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disconnecting_with_revoke_everything_signs_doorlinks_login_out_afterwards() {
    let space = Space::connected(|_| {}).await;
    let engine = space.engine();
    let before: Vec<u64> = space.kisi().logins.iter().map(|l| l.id).collect();
    engine
        .connect(space.location, &space.emulator.base_url(), &owner_sign_in())
        .await
        .unwrap();
    assert_eq!(space.kisi().logins.len(), before.len() + 1);

    // C3: the admin disconnects and chooses to revoke everything Doorlink granted.
    engine.disconnect(space.location).await.unwrap();
    let report = engine.revoke_everything(space.location).await.unwrap();

    assert!(report.succeeded(), "{report:?}");
    let after: Vec<u64> = space.kisi().logins.iter().map(|l| l.id).collect();
    assert_eq!(
        after, before,
        "Doorlink's own login is signed out, no other"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_with_two_factor_sign_in_connects_only_with_the_current_code() {
    let space = Space::connected(|_| {}).await;
    space
        .control()
        .require_two_factor("owner@hive.test", "246810")
        .unwrap();
    let engine = space.engine();

    let without = engine
        .connect(space.location, &space.emulator.base_url(), &owner_sign_in())
        .await
        .unwrap_err();
    assert!(
        matches!(without, ConnectError::OwnerLoginRefused),
        "{without:?}"
    );

    let with_code = KisiCredentials::OwnerLogin {
        credentials: owner_credentials(),
        otp_attempt: Some("246810".to_owned()),
    };
    let connection = engine
        .connect(space.location, &space.emulator.base_url(), &with_code)
        .await
        .unwrap();
    assert!(connection.is_active());
}
