//! The shell's logic without a window, against a real hub and the Kisi emulator (the pieces
//! `doorlink demo` starts): sign in, the doors from the hub, unlock straight at Kisi (A4), a
//! restart that renders from the cache with no network, and the hub gone (A6).

// The helpers below belong to the tests: a broken demo should stop them loudly.
#![allow(clippy::expect_used, clippy::panic)]

use chrono::Utc;
use doorlink_cli::commands::demo::{self, DemoOptions, RunningDemo};
use doorlink_desktop::access::AccessSource;
use doorlink_desktop::desktop::Desktop;
use doorlink_desktop::mode::Settings;
use doorlink_desktop::secrets::Secrets;
use doorlink_store::AccountRole;

async fn start_demo() -> RunningDemo {
    demo::start(DemoOptions {
        data: None,
        port: 0,
        emulator_port: 0,
    })
    .await
    .expect("the demo starts")
}

fn member(demo: &RunningDemo) -> (String, String) {
    let sign_in = demo
        .sign_ins
        .iter()
        .find(|sign_in| sign_in.role == AccountRole::Member)
        .expect("the demo has a member sign-in");
    (sign_in.email.clone(), sign_in.password.clone())
}

fn lock_id(access: &doorlink_desktop::access::DesktopAccess, name: &str) -> i64 {
    access
        .access
        .as_ref()
        .expect("an Access page")
        .locations
        .iter()
        .flat_map(|location| &location.open_now)
        .find(|lock| lock.name == name)
        .unwrap_or_else(|| panic!("{name} is open to the member: {access:?}"))
        .lock_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_unlocks_with_their_own_kisi_login_and_keeps_their_doors_when_the_hub_is_gone() {
    let demo = start_demo().await;
    let (email, password) = member(&demo);
    let dir = tempfile::tempdir().unwrap();
    let desktop = Desktop::open(
        dir.path(),
        Settings::default(),
        Secrets::encrypted_file(dir.path()).unwrap(),
    )
    .await
    .unwrap();

    let (session, settings) = desktop
        .sign_in(&demo.hub.base_url(), &email, &password)
        .await
        .unwrap();
    assert!(
        session.token.is_empty(),
        "the token never reaches the webview"
    );
    assert!(
        desktop.status().await.can_unlock_directly,
        "the hub delivered the member's Kisi login"
    );

    let fresh = desktop.refresh_access(Utc::now()).await.unwrap();
    assert_eq!(fresh.source, AccessSource::Hub);
    let front_door = lock_id(&fresh, "Front Door");

    // A4: straight to Kisi, and Kisi's log names the member.
    let outcome = desktop.unlock(front_door).await.unwrap();
    assert!(outcome.unlocked, "{outcome:?}");
    let events = demo.emulator.control().state().events;
    let unlock = events
        .iter()
        .find(|event| event.object_name == "Front Door" && event.success)
        .expect("Kisi logged the unlock");
    assert!(unlock.actor_name.contains("Mia"), "{unlock:?}");

    // The reader-restricted door is refused with the reason and its fix.
    let server_room = lock_id(&fresh, "Server Room");
    let refused = desktop.unlock(server_room).await.unwrap();
    assert!(!refused.unlocked);
    assert_eq!(refused.reason.unwrap().cause, "reader_restriction");

    // A restart renders from the cache without asking anyone.
    let restarted = Desktop::open(
        dir.path(),
        settings,
        Secrets::encrypted_file(dir.path()).unwrap(),
    )
    .await
    .unwrap();
    let cached = restarted.cached_access(Utc::now()).await.unwrap();
    assert_eq!(cached.source, AccessSource::Cache);
    assert_eq!(lock_id(&cached, "Front Door"), front_door);

    // A6: the hub is gone; the last known doors stay, with when they were confirmed, and unlock is off.
    let RunningDemo {
        hub,
        emulator,
        store,
        data,
        ..
    } = demo;
    hub.shutdown().await;
    let offline = restarted.refresh_access(Utc::now()).await.unwrap();
    assert_eq!(offline.source, AccessSource::Cache);
    assert!(!offline.can_unlock);
    assert!(
        offline
            .offline_reason
            .as_deref()
            .unwrap_or_default()
            .contains("Unlocking needs a connection")
    );
    assert_eq!(offline.confirmed_at, fresh.confirmed_at);
    assert_eq!(lock_id(&offline, "Front Door"), front_door);

    emulator.shutdown().await;
    store.close().await;
    drop(data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_forgets_the_token_the_kisi_login_and_the_cached_doors() {
    let demo = start_demo().await;
    let (email, password) = member(&demo);
    let dir = tempfile::tempdir().unwrap();
    let secrets = Secrets::encrypted_file(dir.path()).unwrap();
    let desktop = Desktop::open(dir.path(), Settings::default(), secrets)
        .await
        .unwrap();
    desktop
        .sign_in(&demo.hub.base_url(), &email, &password)
        .await
        .unwrap();

    let settings = desktop.sign_out().await.unwrap();
    assert_eq!(settings.signed_in, None);
    let error = desktop.cached_access(Utc::now()).await.unwrap_err();
    assert_eq!(error.code, "unauthenticated");
    let on_disk = std::fs::read_to_string(dir.path().join("secrets.json")).unwrap();
    assert!(!on_disk.contains("kisi-login"), "{on_disk}");
    assert!(!on_disk.contains("hub-session"), "{on_disk}");
    demo.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_the_hubs_refusal_in_its_own_words() {
    let demo = start_demo().await;
    let (email, _) = member(&demo);
    let dir = tempfile::tempdir().unwrap();
    let desktop = Desktop::open(
        dir.path(),
        Settings::default(),
        Secrets::encrypted_file(dir.path()).unwrap(),
    )
    .await
    .unwrap();
    let error = desktop
        .sign_in(&demo.hub.base_url(), &email, "not the password")
        .await
        .unwrap_err();
    assert_eq!(error.status, 401, "{error:?}");
    assert!(desktop.settings().await.signed_in.is_none());
    demo.shutdown().await;
}
