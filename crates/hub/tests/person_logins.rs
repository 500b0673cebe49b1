//! A4: each person's own Kisi login is made once, stored sealed and reused after a hub restart
//! (Kisi keeps at most 40 logins per user); a login Kisi refuses (401) is replaced once; disconnecting
//! the location (C3) or the person (R15) forgets it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use doorlink_core::{LocationId, PersonId};
use kisi::{Connection, KisiClient, KisiConfig, Secret};
use kisi_space::KisiSpace;
use serde_json::json;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_hub_reuses_the_persons_kisi_login_instead_of_making_another() {
    let mut space = KisiSpace::start().await;
    let opened = space.ana_unlocks_the_room().await;
    assert_eq!(opened["unlocked"], true, "{opened}");
    let secret = space.ana_login_secret().await;
    let logins: Vec<u64> = space.ana_logins().iter().map(|l| l.id).collect();
    assert_eq!(logins.len(), 1, "one login on Ana's behalf");

    space.restart().await;
    let opened = space.ana_unlocks_the_room().await;

    assert_eq!(opened["unlocked"], true, "{opened}");
    assert_eq!(space.ana_login_secret().await, secret);
    assert_eq!(
        space.ana_logins().iter().map(|l| l.id).collect::<Vec<_>>(),
        logins,
        "the restart made no new login in Kisi"
    );
    for entry in std::fs::read_dir(space.data_dir()).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_some_and(|e| e == "key") {
            continue;
        }
        assert!(
            !contains(&std::fs::read(&file).unwrap(), secret.as_bytes()),
            "{} holds Ana's login secret in plain text",
            file.display()
        );
    }
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn making_a_members_kisi_login_on_their_behalf_is_written_to_the_audit_log() {
    let space = KisiSpace::start().await;
    // The desktop app asks for Ana's own Kisi login: the hub has it made with the admin key.
    space.ana_login_secret().await;

    let log = space
        .admin
        .get(&format!("/api/audit?person_id={}", space.ana))
        .await;
    let made: Vec<&serde_json::Value> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["http_method"] == "POST" && e["path"] == "/logins")
        .collect();
    assert_eq!(made.len(), 1, "one audited login creation: {log}");
    assert_eq!(made[0]["outcome"], "succeeded", "{log}");
    assert_eq!(space.ana_logins().len(), 1);
    space.stop().await;
}

/// One place makes every Kisi call (sync, audited): the hub builds no Kisi client of its own.
#[test]
fn the_hub_makes_no_kisi_call_of_its_own() {
    let sources = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut folders = vec![sources];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for needle in [
                "KisiClient",
                "KisiConfig",
                "sign_in_with_code",
                "kisi::Connection",
            ] {
                if text.contains(needle) {
                    offenders.push(format!("{} uses {needle}", path.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_kisi_refuses_is_replaced_by_one_new_login_and_the_unlock_goes_through() {
    let space = KisiSpace::start().await;
    let refused = space.ana_login_secret().await;
    // Someone signs the login out in the Kisi dashboard: Kisi answers 401 for it from now on.
    KisiClient::new(KisiConfig {
        connection: Connection::new(space.kisi.base_url()),
        credential: Secret::new(refused.clone()),
    })
    .unwrap()
    .sign_out()
    .await
    .unwrap();
    assert!(space.ana_logins().is_empty());

    let opened = space.ana_unlocks_the_room().await;

    assert_eq!(opened["unlocked"], true, "{opened}");
    assert_eq!(space.ana_logins().len(), 1, "exactly one new login");
    let renewed = space.ana_login_secret().await;
    assert_ne!(renewed, refused);
    let opened = space.ana_unlocks_the_room().await;
    assert_eq!(opened["unlocked"], true, "{opened}");
    assert_eq!(
        space.ana_logins().len(),
        1,
        "the new login is kept and reused"
    );
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disconnecting_the_location_signs_the_peoples_logins_out_and_forgets_them_c3() {
    let space = KisiSpace::start().await;
    let before = space.ana_login_secret().await;

    space
        .admin
        .post(
            &format!("/api/locations/{}/kisi/disconnect", space.location),
            json!({"revoke_all": false}),
        )
        .await;

    let stored = space
        .state
        .store()
        .kisi_mirror()
        .person_login(LocationId(space.location), PersonId(space.ana))
        .await
        .unwrap();
    assert_eq!(stored, None);
    assert!(
        space.ana_logins().is_empty(),
        "Ana's login never expires in Kisi, so the disconnect signed it out"
    );
    let api_key = space.kisi.seed_ids().unwrap().owner_api_key.clone();
    space
        .admin
        .post(
            &format!("/api/locations/{}/kisi", space.location),
            json!({"method": "api_key", "api_key": api_key, "base_url": space.kisi.base_url()}),
        )
        .await;
    assert_ne!(space.ana_login_secret().await, before);
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disconnecting_the_person_from_kisi_forgets_their_login_r15() {
    let space = KisiSpace::start().await;
    space.ana_login_secret().await;

    space
        .admin
        .post(
            &format!(
                "/api/locations/{}/people/{}/kisi/disconnect",
                space.location, space.ana
            ),
            json!({"mode": "keep_kisi_user"}),
        )
        .await;
    space.sync().await;

    let stored = space
        .state
        .store()
        .kisi_mirror()
        .person_login(LocationId(space.location), PersonId(space.ana))
        .await
        .unwrap();
    assert_eq!(stored, None);
    space.stop().await;
}

/// The adversary: the admin (a person too, without door access here) asking for their own Kisi
/// login. Doorlink says why at once instead of asking Kisi, which could only refuse (a 502 before).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_without_a_kisi_user_is_told_why_and_kisi_is_not_asked() {
    let space = KisiSpace::start().await;
    let logins_before = space.kisi.control().state().logins.len();
    let (status, body) = space
        .admin
        .send(
            reqwest::Method::GET,
            &format!("/api/me/kisi-login?location_id={}", space.location),
            None,
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("no Kisi user at this location yet"),
        "{body}"
    );
    assert_eq!(
        space.kisi.control().state().logins.len(),
        logins_before,
        "no login was asked of Kisi"
    );
    space.stop().await;
}
