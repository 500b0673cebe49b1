//! Conformance: who may open which door, when (kisi-api.md, "Places, locks, groups" and "Users
//! and access rights"): assignments, windows at the emulator's clock, restrictions, events.

use crate::common;

use std::time::Duration;

use common::{
    ACCESS_DENIED, FORBIDDEN, GEOFENCE_RESTRICTED, HIVE, LOCK_OFFLINE, LOCKED_DOWN,
    PRIMARY_DEVICE_RESTRICTED, TIME_RESTRICTED, UNCONFIRMED_EMAIL, at, hive,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn near_the_door() -> Value {
    json!({"context": {"location": {"latitude": HIVE.0 + 0.0002, "longitude": HIVE.1}}})
}

#[tokio::test]
async fn a_member_opens_a_door_of_their_group() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Room A").await;
    let answer = kisi.unlock(&ana, "Room A", json!({})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["message"], "Unlocked!");
}

#[tokio::test]
async fn a_door_outside_the_members_groups_stays_shut() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Room A").await;
    let answer = kisi.unlock(&ana, "Server Room", json!({})).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.code(), ACCESS_DENIED);
    assert_eq!(
        answer.body["error"],
        "You do not have access to this lock right now."
    );
}

#[tokio::test]
async fn unlocking_a_lock_that_does_not_exist_is_forbidden() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Room A").await;
    let answer = kisi.post(&ana, "/locks/987654/unlock", json!({})).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.code(), FORBIDDEN);
}

#[tokio::test]
async fn a_booking_window_is_enforced_at_the_emulators_clock() {
    let kisi = hive().await;
    let control = kisi.emulator.control();
    control.set_clock(at("2026-03-02T08:00:00Z"));
    let ana = kisi.managed_user("ana@example.com").await;
    let window = (
        Some(at("2026-03-02T09:00:00Z")),
        Some(at("2026-03-02T10:00:00Z")),
    );
    assert_eq!(
        kisi.assign(ana, "Room A", window.0, window.1).await.status,
        StatusCode::OK
    );
    let key = kisi.login_for("ana@example.com").await;

    let before = kisi.unlock(&key, "Room A", json!({})).await;
    assert_eq!(
        (before.status, before.code()),
        (StatusCode::FORBIDDEN, ACCESS_DENIED)
    );

    control.advance_clock(Duration::from_secs(3600)); // 09:00, the window opens
    assert_eq!(
        kisi.unlock(&key, "Room A", json!({})).await.status,
        StatusCode::OK
    );

    control.set_clock(at("2026-03-02T09:59:59Z"));
    assert_eq!(
        kisi.unlock(&key, "Room A", json!({})).await.status,
        StatusCode::OK
    );

    control.set_clock(at("2026-03-02T10:00:00Z")); // valid_until is exclusive
    assert_eq!(
        kisi.unlock(&key, "Room A", json!({})).await.code(),
        ACCESS_DENIED
    );
}

#[tokio::test]
async fn a_members_own_lock_list_shows_only_what_they_may_open_now() {
    let kisi = hive().await;
    let control = kisi.emulator.control();
    control.set_clock(at("2026-03-02T08:00:00Z"));
    let ana = kisi.managed_user("ana@example.com").await;
    kisi.assign(ana, "Room A", Some(at("2026-03-02T09:00:00Z")), None)
        .await;
    let key = kisi.login_for("ana@example.com").await;

    let early = kisi.get(&key, "/locks").await;
    assert_eq!(early.status, StatusCode::OK);
    assert_eq!(early.body, json!([]));

    control.set_clock(at("2026-03-02T09:00:00Z"));
    let names: Vec<String> = kisi
        .get(&key, "/locks")
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|lock| lock["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, vec!["Front Door", "Room A"]);

    let all = kisi.get(kisi.owner_key(), "/locks").await;
    assert_eq!(
        all.body.as_array().unwrap().len(),
        5,
        "the owner sees every lock"
    );
}

#[tokio::test]
async fn a_reader_restricted_door_needs_a_proximity_proof_a_desktop_never_has() {
    let kisi = hive().await;
    let (_, it) = kisi.member_of("ivan@example.com", "IT").await;
    let desktop = kisi.unlock(&it, "Server Room", json!({})).await;
    assert_eq!(desktop.status, StatusCode::FORBIDDEN);
    assert_eq!(desktop.code(), "bb5bbff");
    assert_eq!(
        desktop.body["error"],
        "Please ask an administrator to disable the Kisi Reader restriction."
    );
    let at_reader = kisi
        .unlock(
            &it,
            "Server Room",
            json!({"lock": {"proximity_proof": "tap"}}),
        )
        .await;
    assert_eq!(at_reader.status, StatusCode::OK);
}

#[tokio::test]
async fn turning_the_reader_restriction_off_opens_the_door_from_a_desktop() {
    let kisi = hive().await;
    let (_, it) = kisi.member_of("ivan@example.com", "IT").await;
    kisi.emulator
        .control()
        .set_lock_restrictions(kisi.lock_id("Server Room"), false, false, false)
        .unwrap();
    assert_eq!(
        kisi.unlock(&it, "Server Room", json!({})).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_geofenced_gate_opens_only_near_the_place() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Members").await;
    let nowhere = kisi.unlock(&ana, "Gate", json!({})).await;
    assert_eq!(
        (nowhere.status, nowhere.code()),
        (StatusCode::FORBIDDEN, GEOFENCE_RESTRICTED)
    );
    assert_eq!(
        nowhere.body["error"],
        "You need to be near the door to unlock it."
    );
    let far = json!({"context": {"location": {"latitude": 48.1351, "longitude": 11.5820}}});
    assert_eq!(
        kisi.unlock(&ana, "Gate", far).await.code(),
        GEOFENCE_RESTRICTED
    );
    assert_eq!(
        kisi.unlock(&ana, "Gate", near_the_door()).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_time_restricted_terrace_opens_only_in_allowed_hours_local_time() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Members").await;
    // 21:30 UTC is 22:30 in Berlin in winter: closed. 09:00 UTC is 10:00 in Berlin: open.
    kisi.emulator
        .control()
        .set_clock(at("2026-01-15T21:30:00Z"));
    let late = kisi.unlock(&ana, "Terrace", json!({})).await;
    assert_eq!(
        (late.status, late.code()),
        (StatusCode::FORBIDDEN, TIME_RESTRICTED)
    );
    assert_eq!(
        late.body["error"],
        "This door cannot be unlocked at this time."
    );
    kisi.emulator
        .control()
        .set_clock(at("2026-01-15T09:00:00Z"));
    assert_eq!(
        kisi.unlock(&ana, "Terrace", json!({})).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn group_restrictions_combine_as_a_union_across_a_users_groups() {
    let kisi = hive().await;
    // Night Shift is reader-restricted and holds the front door.
    let (ana_id, ana) = kisi.member_of("ana@example.com", "Night Shift").await;
    let only_restricted = kisi.unlock(&ana, "Front Door", json!({})).await;
    assert_eq!(only_restricted.code(), "bb5bbff");
    // A second group with the same door and no restriction lets her through.
    assert_eq!(
        kisi.assign(ana_id, "Room A", None, None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        kisi.unlock(&ana, "Front Door", json!({})).await.status,
        StatusCode::OK
    );
    // Restricting that group too closes the door again.
    kisi.emulator
        .control()
        .set_group_restrictions(kisi.group_id("Room A"), true, false, false)
        .unwrap();
    assert_eq!(
        kisi.unlock(&ana, "Front Door", json!({})).await.code(),
        "bb5bbff"
    );
}

#[tokio::test]
async fn doorlink_cannot_log_in_for_an_unconfirmed_managed_user() {
    let kisi = hive().await;
    let answer = kisi
        .post(
            kisi.owner_key(),
            "/users",
            json!({"user": {"email": "una@example.com", "name": "Una", "confirm": false}}),
        )
        .await;
    let una = answer.body["id"].as_u64().unwrap();
    assert_eq!(answer.body["confirmed"], false);
    kisi.assign(una, "Room A", None, None).await;
    let login = kisi
        .post(
            kisi.owner_key(),
            "/logins",
            json!({"login": {"type": "device", "email": "una@example.com"}}),
        )
        .await;
    assert_eq!(login.code(), UNCONFIRMED_EMAIL);
}

#[tokio::test]
async fn unlocks_are_logged_and_attributed_to_the_logins_user() {
    let kisi = hive().await;
    let (ana_id, ana) = kisi.member_of("ana@example.com", "Room A").await;
    let (ben_id, ben) = kisi.member_of("ben@example.com", "IT").await;
    kisi.unlock(&ana, "Room A", json!({})).await;
    kisi.unlock(&ben, "Server Room", json!({})).await; // refused: reader restriction

    let events = kisi.get(kisi.owner_key(), "/events").await;
    assert_eq!(events.status, StatusCode::OK);
    let events = events.body.as_array().unwrap().clone();
    assert_eq!(events.len(), 2);
    // Newest first.
    assert_eq!(events[0]["actor_id"], ben_id);
    assert_eq!(events[0]["success"], false);
    assert_eq!(events[0]["error_code"], "bb5bbff");
    assert_eq!(events[1]["actor_id"], ana_id);
    assert_eq!(events[1]["actor_type"], "User");
    assert_eq!(events[1]["actor_name"], "ana@example.com");
    assert_eq!(events[1]["object_id"], kisi.lock_id("Room A"));
    assert_eq!(events[1]["type"], "lock.unlock");
    assert_eq!(events[1]["success"], true);

    let anas = kisi
        .get(kisi.owner_key(), &format!("/events?actor_id={ana_id}"))
        .await;
    assert_eq!(anas.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn events_can_be_filtered_by_place() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Room A").await;
    kisi.unlock(&ana, "Room A", json!({})).await;
    let place = kisi.ids.places["Hive"];
    let here = kisi
        .get(kisi.owner_key(), &format!("/events?place_id={place}"))
        .await;
    assert_eq!(here.body.as_array().unwrap().len(), 1);
    let elsewhere = kisi
        .get(
            kisi.owner_key(),
            &format!("/events?place_id={}", place + 1_000),
        )
        .await;
    assert_eq!(elsewhere.body, json!([]));
}

#[tokio::test]
async fn a_visitor_link_opens_its_groups_doors_in_its_window_ignoring_reader_restrictions() {
    let kisi = hive().await;
    let control = kisi.emulator.control();
    control.set_clock(at("2026-03-02T08:00:00Z"));
    let link = kisi
        .post(
            kisi.owner_key(),
            "/group_links",
            json!({"group_link": {"name": "Visitor Vera", "group_id": kisi.group_id("Night Shift"),
                "email": "vera@example.com",
                "valid_from": "2026-03-02T09:00:00Z", "valid_until": "2026-03-02T17:00:00Z"}}),
        )
        .await;
    assert_eq!(link.status, StatusCode::OK, "{}", link.body);
    let secret = link.body["secret"].as_str().unwrap().to_owned();

    assert_eq!(
        kisi.unlock(&secret, "Front Door", json!({})).await.code(),
        ACCESS_DENIED
    );
    control.set_clock(at("2026-03-02T12:00:00Z"));
    assert_eq!(
        kisi.unlock(&secret, "Front Door", json!({})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        kisi.unlock(&secret, "Room A", json!({})).await.code(),
        ACCESS_DENIED
    );
    let events = kisi.get(kisi.owner_key(), "/events").await.body;
    assert_eq!(events[0]["actor_type"], "GroupLink");
}

#[tokio::test]
async fn a_deleted_lock_disappears_from_lists_and_cannot_be_opened() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Room A").await;
    kisi.emulator
        .control()
        .delete_lock(kisi.lock_id("Room A"))
        .unwrap();
    assert_eq!(
        kisi.unlock(&ana, "Room A", json!({})).await.code(),
        FORBIDDEN
    );
    let names = kisi.get(&ana, "/locks").await.body;
    assert_eq!(names.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_group_with_app_access_turned_off_in_the_dashboard_opens_nothing_for_doorlink() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Room A").await;
    let group = kisi.group_id("Room A");
    let off = kisi
        .call(
            Method::PATCH,
            Some(kisi.owner_key()),
            &format!("/groups/{group}"),
            Some(json!({"group": {"login_enabled": false}})),
        )
        .await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.body);
    let answer = kisi.unlock(&ana, "Room A", json!({})).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.code(), ACCESS_DENIED);
}

#[tokio::test]
async fn a_primary_device_group_refuses_a_login_made_on_the_members_behalf() {
    let kisi = hive().await;
    let (ana_id, ana) = kisi.member_of("ana@example.com", "Room A").await;
    let group = kisi.group_id("Room A");
    kisi.call(
        Method::PUT,
        Some(kisi.owner_key()),
        &format!("/groups/{group}"),
        Some(json!({"group": {"primary_device_restriction_enabled": true}})),
    )
    .await;
    let refused = kisi.unlock(&ana, "Room A", json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), PRIMARY_DEVICE_RESTRICTED);

    // Restrictions are a union: another current group with the door and no such rule opens it.
    kisi.assign(ana_id, "Members", None, None).await;
    let opened = kisi.unlock(&ana, "Front Door", json!({})).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
}

#[tokio::test]
async fn a_locked_down_door_opens_for_no_one_until_the_lockdown_ends() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Room A").await;
    let door = kisi.lock_id("Room A");
    kisi.emulator
        .control()
        .set_lock_state(door, true, true)
        .unwrap();

    // The lockdown stops every unlock, the owner's too (Kisi: "no unlock actions can take place").
    for key in [ana.as_str(), kisi.owner_key()] {
        let refused = kisi.unlock(key, "Room A", json!({})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert_eq!(refused.code(), LOCKED_DOWN);
    }
    let listed = kisi.get(&ana, &format!("/locks/{door}")).await.body;
    assert_eq!(listed["locked_down"], true, "{listed}");

    kisi.emulator
        .control()
        .set_lock_state(door, true, false)
        .unwrap();
    let opened = kisi.unlock(&ana, "Room A", json!({})).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
}

#[tokio::test]
async fn an_offline_door_refuses_a_remote_unlock_and_says_so_in_its_lock_record() {
    let kisi = hive().await;
    let (_, ana) = kisi.member_of("ana@example.com", "Room A").await;
    let door = kisi.lock_id("Room A");
    kisi.emulator
        .control()
        .set_lock_state(door, false, false)
        .unwrap();

    let refused = kisi.unlock(&ana, "Room A", json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.code(), LOCK_OFFLINE);
    let listed = kisi.get(&ana, &format!("/locks/{door}")).await.body;
    assert_eq!(listed["online"], false, "{listed}");
    let events = kisi.get(kisi.owner_key(), "/events").await.body;
    assert_eq!(
        events[0]["success"], false,
        "the refusal is in Kisi's log: {events}"
    );
}
