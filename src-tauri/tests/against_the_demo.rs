//! The shell's logic without a window, against a real hub and the Kisi emulator (the pieces
//! `doorlink demo` starts): sign in, the doors from the hub, unlock straight at Kisi (A4), a
//! restart that renders from the cache with no network, and the hub gone (A6).

// The helpers below belong to the tests: a broken demo should stop them loudly.
#![allow(clippy::expect_used, clippy::panic)]

use chrono::Utc;
use doorlink_api::desktop::AccessSource;
use doorlink_api::desktop::DesktopSettings;
use doorlink_cli::commands::demo::{self, DemoOptions, RunningDemo};
use doorlink_desktop::desktop::Desktop;
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

fn lock_id(access: &doorlink_api::desktop::DesktopAccess, name: &str) -> i64 {
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
        DesktopSettings::default(),
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
    // The latest: the demo's morning at the doors (other people's taps) comes before it.
    let unlock = events
        .iter()
        .rev()
        .find(|event| event.object_name == "Front Door" && event.success)
        .expect("Kisi logged the unlock");
    assert!(unlock.actor_name.contains("Mia"), "{unlock:?}");

    // The reader-restricted door is refused with the reason and its fix.
    let server_room = lock_id(&fresh, "Server Room");
    let refused = desktop.unlock(server_room).await.unwrap();
    assert!(!refused.unlocked);
    assert_eq!(
        refused.reason.unwrap().cause,
        doorlink_api::common::Cause::ReaderRestriction
    );

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
    let desktop = Desktop::open(dir.path(), DesktopSettings::default(), secrets)
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
        DesktopSettings::default(),
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

fn sign_in_of(demo: &RunningDemo, role: AccountRole) -> (String, String) {
    let sign_in = demo
        .sign_ins
        .iter()
        .find(|sign_in| sign_in.role == role)
        .expect("the demo has this sign-in");
    (sign_in.email.clone(), sign_in.password.clone())
}

/// The audit log's desktop unlocks, as an admin reads them through the hub's API.
async fn desktop_unlocks_in_the_audit_log(admin: &Desktop) -> Vec<serde_json::Value> {
    let page = admin
        .hub_request(
            "GET",
            "/audit",
            &[("limit".to_owned(), "200".to_owned())],
            None,
        )
        .await
        .expect("the admin reads the audit log");
    page["entries"]
        .as_array()
        .expect("audit entries")
        .iter()
        .filter(|entry| {
            entry["operation"]
                .as_str()
                .is_some_and(|operation| operation.contains("from the desktop app"))
        })
        .cloned()
        .collect()
}

async fn signed_in_desktop(
    dir: &std::path::Path,
    hub_url: &str,
    (email, password): (String, String),
) -> Desktop {
    let desktop = Desktop::open(
        dir,
        DesktopSettings::default(),
        Secrets::encrypted_file(dir).expect("the secrets file"),
    )
    .await
    .expect("the desktop opens");
    desktop
        .sign_in(hub_url, &email, &password)
        .await
        .expect("the demo sign-in works");
    desktop
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unlock_made_while_the_hub_is_down_reaches_the_audit_log_once_the_hub_answers_again() {
    let demo = start_demo().await;
    let hub_url = demo.hub.base_url();
    let (member_dir, admin_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let member = signed_in_desktop(member_dir.path(), &hub_url, member(&demo)).await;
    let admin = signed_in_desktop(
        admin_dir.path(),
        &hub_url,
        sign_in_of(&demo, AccountRole::Admin),
    )
    .await;
    let front_door = lock_id(
        &member.refresh_access(Utc::now()).await.unwrap(),
        "Front Door",
    );

    // The hub answers: the report goes out right after the press.
    assert!(member.unlock(front_door).await.unwrap().unlocked);
    member.send_unlock_reports(Utc::now()).await.unwrap();
    let reported = desktop_unlocks_in_the_audit_log(&admin).await;
    assert_eq!(reported.len(), 1, "{reported:?}");
    assert_eq!(reported[0]["outcome"], "succeeded");

    // The hub goes away; Kisi still opens the door, and the report waits on this computer.
    let RunningDemo {
        hub,
        emulator,
        store,
        data,
        ..
    } = demo;
    let address = hub.local_addr();
    hub.shutdown().await;
    assert!(member.unlock(front_door).await.unwrap().unlocked);
    let waiting = member.send_unlock_reports(Utc::now()).await.unwrap();
    assert_eq!((waiting.sent, waiting.waiting), (0, 1), "{waiting:?}");

    // The hub is back at the same address: the next refresh sends the backlog, once.
    let mut config = doorlink_hub::HubConfig::with_database(data.path().join("restarted.db"));
    config.listen = address;
    config.run_sync_worker = false;
    let restarted = doorlink_hub::Hub::with_store(store.clone(), config)
        .await
        .unwrap()
        .spawn(tokio::net::TcpListener::bind(address).await.unwrap())
        .unwrap();
    member.refresh_access(Utc::now()).await.unwrap();
    let after = member.send_unlock_reports(Utc::now()).await.unwrap();
    assert_eq!(after.waiting, 0, "{after:?}");
    let reported = desktop_unlocks_in_the_audit_log(&admin).await;
    assert_eq!(reported.len(), 2, "each report once: {reported:?}");
    let member_person = member
        .current_account()
        .await
        .unwrap()
        .person_id
        .expect("the member is a person");
    assert!(
        reported
            .iter()
            .all(|entry| entry["person_id"] == member_person),
        "the audit log names the member: {reported:?}"
    );

    restarted.shutdown().await;
    emulator.shutdown().await;
    store.close().await;
    drop(data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_that_waited_more_than_thirty_days_is_dropped_not_sent() {
    let demo = start_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let member = signed_in_desktop(dir.path(), &demo.hub.base_url(), member(&demo)).await;
    let front_door = lock_id(
        &member.refresh_access(Utc::now()).await.unwrap(),
        "Front Door",
    );
    let RunningDemo {
        hub,
        emulator,
        store,
        data,
        ..
    } = demo;
    hub.shutdown().await;
    assert!(member.unlock(front_door).await.unwrap().unlocked);

    let a_month_later = Utc::now() + chrono::Duration::days(31);
    let round = member.send_unlock_reports(a_month_later).await.unwrap();
    assert_eq!(
        (round.too_old, round.sent, round.waiting),
        (1, 0, 0),
        "{round:?}"
    );

    emulator.shutdown().await;
    store.close().await;
    drop(data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_person_sets_a_password_in_the_app_and_is_signed_in_with_the_token_kept_safe() {
    let demo = start_demo().await;
    let hub_url = demo.hub.base_url();
    let admin_dir = tempfile::tempdir().unwrap();
    let admin = signed_in_desktop(
        admin_dir.path(),
        &hub_url,
        sign_in_of(&demo, AccountRole::Admin),
    )
    .await;
    let email = "noor@harbor.example";
    let person = admin
        .hub_request(
            "POST",
            "/people",
            &[],
            Some(&serde_json::json!({ "name": "Noor Haddad", "email": email })),
        )
        .await
        .unwrap();
    let invitation = admin
        .hub_request(
            "POST",
            "/auth/invitations",
            &[],
            Some(
                &serde_json::json!({ "email": email, "role": "member", "person_id": person["id"] }),
            ),
        )
        .await
        .unwrap();
    let token = invitation["token"].as_str().unwrap().to_owned();

    let dir = tempfile::tempdir().unwrap();
    let desktop = Desktop::open(
        dir.path(),
        DesktopSettings::default(),
        Secrets::encrypted_file(dir.path()).unwrap(),
    )
    .await
    .unwrap();
    let (session, settings) = desktop
        .redeem_invitation(&hub_url, &format!(" {token} "), "a long enough password")
        .await
        .unwrap();
    assert_eq!(session.account.email, email);
    assert!(
        session.token.is_empty(),
        "the token never reaches the webview"
    );
    assert_eq!(
        settings
            .signed_in
            .as_ref()
            .map(|s| s.account.email.as_str()),
        Some(email)
    );
    let on_disk = std::fs::read_to_string(dir.path().join("secrets.json")).unwrap();
    assert!(on_disk.contains("hub-session"), "kept like sign-in's");
    assert!(!on_disk.contains(&token), "{on_disk}");

    // The session is real: the hub answers the new member's Access page with it.
    desktop.refresh_access(Utc::now()).await.unwrap();

    // An invitation works once.
    std::fs::create_dir_all(dir.path().join("second")).unwrap();
    let again = Desktop::open(
        &dir.path().join("second"),
        DesktopSettings::default(),
        Secrets::encrypted_file(&dir.path().join("second")).unwrap(),
    )
    .await
    .unwrap();
    let error = again
        .redeem_invitation(&hub_url, &token, "another long password")
        .await
        .unwrap_err();
    assert_eq!(error.status, 404, "{error:?}");
    assert!(error.message.contains("already used"), "{error:?}");
    demo.shutdown().await;
}
