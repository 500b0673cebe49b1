//! Front-desk mode without a window: this computer's own hub runs in the process, staff sign in
//! to it like to any hub, and its change notices are followed in-process (no connection to
//! itself), filtered as its events route filters them.

// The helpers below belong to the tests: a broken hub should stop them loudly.
#![allow(clippy::expect_used, clippy::panic)]

use std::time::Duration;

use doorlink_api::desktop::{DesktopMode, DesktopSettings};
use doorlink_api::events::ChangeKind;
use doorlink_core::Email;
use doorlink_desktop::desktop::{Desktop, LiveSource, may_see};
use doorlink_desktop::secrets::Secrets;
use doorlink_store::{AccountRole, Store};

const DESK_EMAIL: &str = "desk@harbor.example";
const DESK_PASSWORD: &str = "a long front desk password";

/// The front desk's staff account, made in its hub's database before the hub first starts (as
/// the bootstrap admin would be).
async fn prepare_front_desk_hub(data_dir: &std::path::Path) {
    let database = data_dir.join("hub").join("doorlink.db");
    std::fs::create_dir_all(database.parent().expect("a folder")).expect("the hub's folder");
    let store = Store::open(&database).await.expect("the hub's database");
    let hash = doorlink_hub::hash_password(DESK_PASSWORD)
        .await
        .expect("a password hash");
    store
        .accounts()
        .create(
            &Email::parse(DESK_EMAIL).expect("an e-mail"),
            AccountRole::Staff,
            None,
            &hash,
        )
        .await
        .expect("the staff account");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_front_desk_the_apps_own_hub_is_followed_in_process() {
    let dir = tempfile::tempdir().expect("a temp dir");
    prepare_front_desk_hub(dir.path()).await;
    let settings = DesktopSettings {
        mode: Some(DesktopMode::FrontDesk),
        ..DesktopSettings::default()
    };
    let secrets = Secrets::encrypted_file(dir.path()).expect("the secrets file");
    let desktop = Desktop::open(dir.path(), settings, secrets)
        .await
        .expect("the desktop opens");
    let hub_url = desktop
        .front_desk_hub_url()
        .await
        .expect("this computer's hub starts");
    assert!(hub_url.starts_with("http://127.0.0.1:"), "{hub_url}");
    desktop
        .sign_in(&hub_url, DESK_EMAIL, DESK_PASSWORD)
        .await
        .expect("staff sign in to this computer's hub");

    let LiveSource::FrontDesk {
        mut notices,
        viewer,
    } = desktop.live_source().await
    else {
        panic!("the front desk follows its own hub in-process");
    };
    let person = desktop
        .hub_request(
            "POST",
            "/people",
            &[],
            Some(&serde_json::json!({ "name": "Noor Haddad", "email": "noor@harbor.example" })),
        )
        .await
        .expect("staff add a person");
    let notice = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let notice = notices.recv().await.expect("the hub runs");
            if notice.kind == ChangeKind::PersonChanged {
                return notice;
            }
        }
    })
    .await
    .expect("the notice arrives");
    assert_eq!(notice.id, person["id"].as_i64());
    assert!(may_see(&viewer, &notice), "staff hear every notice");

    // Signing out leaves nothing to follow.
    desktop.sign_out().await.expect("sign-out");
    assert!(matches!(desktop.live_source().await, LiveSource::SignedOut));
    desktop.stop_front_desk().await;
}

async fn fresh_front_desk(dir: &std::path::Path) -> Desktop {
    let settings = DesktopSettings {
        mode: Some(DesktopMode::FrontDesk),
        ..DesktopSettings::default()
    };
    let secrets = Secrets::encrypted_file(dir).expect("the secrets file");
    Desktop::open(dir, settings, secrets)
        .await
        .expect("the desktop opens")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_front_desk_creates_its_first_admin_once_and_signs_them_in() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let desktop = fresh_front_desk(dir.path()).await;
    let setup = desktop.front_desk_setup().await.expect("the hub starts");
    assert!(setup.needs_first_admin);
    assert_eq!(setup.password_rule.min_chars, 10);

    let admin = desktop
        .create_first_admin(
            "Ada Okafor",
            "ada@harbor.example",
            "a long front desk password",
        )
        .await
        .expect("the first admin is created");
    assert_eq!(admin.email, "ada@harbor.example");
    assert!(
        !desktop
            .front_desk_setup()
            .await
            .expect("setup")
            .needs_first_admin
    );
    let hub_url = desktop.front_desk_hub_url().await.expect("the hub runs");
    let (session, _) = desktop
        .sign_in(&hub_url, "ada@harbor.example", "a long front desk password")
        .await
        .expect("the first admin signs in");
    assert_eq!(session.account.role, doorlink_api::auth::Role::Admin);

    let second = desktop
        .create_first_admin("Eve", "eve@harbor.example", "another long password")
        .await
        .expect_err("a second first admin is refused");
    assert_eq!((second.status, second.code.as_str()), (409, "conflict"));
    assert!(second.message.contains("invitation"), "{}", second.message);
    desktop.stop_front_desk().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_form_is_refused_field_by_field_and_nothing_is_created() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let desktop = fresh_front_desk(dir.path()).await;
    let refused = desktop
        .create_first_admin("", "ada", "short")
        .await
        .expect_err("the form is refused");
    assert_eq!(
        (refused.status, refused.code.as_str()),
        (422, "validation_failed")
    );
    let fields: Vec<_> = refused.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "email", "password"]);
    assert!(
        desktop
            .front_desk_setup()
            .await
            .expect("setup")
            .needs_first_admin
    );
    desktop.stop_front_desk().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_front_desk_with_an_account_goes_straight_to_sign_in() {
    let dir = tempfile::tempdir().expect("a temp dir");
    prepare_front_desk_hub(dir.path()).await;
    let desktop = fresh_front_desk(dir.path()).await;
    assert!(
        !desktop
            .front_desk_setup()
            .await
            .expect("setup")
            .needs_first_admin
    );
    desktop.stop_front_desk().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_front_desk_makes_a_first_admin() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let settings = DesktopSettings {
        mode: Some(DesktopMode::RemoteHub {
            url: "https://doorlink.harbor.example".to_owned(),
        }),
        ..DesktopSettings::default()
    };
    let secrets = Secrets::encrypted_file(dir.path()).expect("the secrets file");
    let desktop = Desktop::open(dir.path(), settings, secrets)
        .await
        .expect("the desktop opens");
    let refused = desktop
        .create_first_admin("Ada", "ada@harbor.example", "a long front desk password")
        .await
        .expect_err("not the front desk");
    assert_eq!(refused.code, "front_desk");
}
