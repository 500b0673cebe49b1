//! What Kisi says about a group's app settings and a door's own state reaches the people who act
//! on it, through the hub's API, read from the emulator over TCP:
//! - the mapping lint warns staff about a mapped group Kisi reports with app access off or
//!   primary device only (A4), and stays quiet when it is on or when Kisi says nothing (`null`);
//! - a member sees a door Kisi reports locked down or offline as such before pressing it, and a
//!   press Kisi refuses is explained by that state (docs/kisi-api.md, "Door state").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use doorlink_core::{KisiLockId, LocationId};
use kisi_emulator::Fault;
use kisi_space::KisiSpace;
use serde_json::{Value, json};

/// The Kisi dashboard's group settings, changed with the owner's key as an administrator would.
async fn set_group_in_kisi(space: &KisiSpace, group: Value) {
    let key = space.kisi.seed_ids().unwrap().owner_api_key.clone();
    let answer = reqwest::Client::new()
        .patch(format!(
            "{}/groups/{}",
            space.kisi.base_url(),
            space.room_group
        ))
        .header("Authorization", format!("KISI-LOGIN {key}"))
        .json(&json!({ "group": group }))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
}

/// Staff press "Retry now": the location's full reconcile reads Kisi's directory again.
async fn read_kisi_again(space: &KisiSpace) {
    space
        .admin
        .post(
            &format!("/api/locations/{}/sync/retry", space.location),
            json!({}),
        )
        .await;
}

/// The warnings on the room's mapping, as the admin's Mappings page reads them.
async fn room_warnings(space: &KisiSpace) -> Vec<String> {
    let mappings = space
        .admin
        .get(&format!("/api/locations/{}/mappings", space.location))
        .await;
    let room = mappings
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "resource" && m["id"] == space.room)
        .unwrap_or_else(|| panic!("no mapping of the room: {mappings}"));
    serde_json::from_value(room["warnings"].clone()).unwrap()
}

/// The room's group as the door-access picker reads it.
async fn room_group_in_directory(space: &KisiSpace) -> Value {
    let directory = space
        .admin
        .get(&format!("/api/locations/{}/kisi/catalogue", space.location))
        .await;
    directory["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == space.room_group)
        .cloned()
        .unwrap()
}

/// The room's door on Ana's Access page, if it is open to her now.
async fn room_door(space: &KisiSpace) -> Value {
    let access = space.ana_access().await;
    access["locations"][0]["open_now"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["lock_id"] == space.room_lock)
        .cloned()
        .unwrap_or_else(|| panic!("the room's door is not open to Ana: {access}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_with_app_access_turned_off_in_kisi_warns_on_its_mapping_until_it_is_on_again() {
    let space = KisiSpace::start().await;
    assert!(room_warnings(&space).await.is_empty());

    // An administrator turns "Allow App Access" off for the room's group in the Kisi dashboard.
    set_group_in_kisi(&space, json!({"login_enabled": false})).await;
    read_kisi_again(&space).await;
    let warnings = room_warnings(&space).await;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = &warnings[0];
    assert!(
        warning.contains("members of this group cannot unlock its doors from Doorlink"),
        "says what happens: {warning}"
    );
    assert!(
        warning.contains(
            "turn on app access (\"Allow App Access\") for the group in the Kisi dashboard"
        ),
        "says the fix: {warning}"
    );
    let group = room_group_in_directory(&space).await;
    assert_eq!(group["app_access"], false);
    assert_eq!(
        group["setting_warnings"],
        json!([warning]),
        "the picker reads the same words"
    );

    set_group_in_kisi(&space, json!({"login_enabled": true})).await;
    read_kisi_again(&space).await;
    assert!(room_warnings(&space).await.is_empty());
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_primary_device_group_warns_that_unlocking_from_doorlink_is_refused() {
    let space = KisiSpace::start().await;
    set_group_in_kisi(&space, json!({"primary_device_restriction_enabled": true})).await;
    read_kisi_again(&space).await;
    let warnings = room_warnings(&space).await;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("can unlock only from their primary device"),
        "{}",
        warnings[0]
    );
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_kisi_answers_as_null_warn_about_nothing_and_show_no_door_as_offline() {
    let space = KisiSpace::start().await;
    // The adversary: Kisi's docs answer these flags as null. The group's app access is really off,
    // but Kisi does not say so: Doorlink must not guess either way.
    set_group_in_kisi(&space, json!({"login_enabled": false})).await;
    space
        .kisi
        .control()
        .set_lock_state(u64::try_from(space.room_lock).unwrap(), false, true)
        .unwrap();
    space.kisi.control().inject(Fault::NullFlags);
    read_kisi_again(&space).await;

    assert!(room_warnings(&space).await.is_empty());
    let group = room_group_in_directory(&space).await;
    assert_eq!(
        (&group["app_access"], &group["setting_warnings"]),
        (&Value::Null, &json!([]))
    );
    let view = space
        .state
        .store()
        .kisi_mirror()
        .kisi_view(LocationId(space.location))
        .await
        .unwrap();
    let door = view.lock(KisiLockId(space.room_lock)).unwrap().state;
    assert_eq!(
        (door.online, door.locked_down),
        (None, None),
        "unknown, not offline"
    );
    assert!(door.read_at.is_some());
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_door_kisi_reports_locked_down_says_so_before_the_press_and_the_press_explains_it() {
    let space = KisiSpace::start().await;
    assert_eq!(room_door(&space).await["door_state"], Value::Null);

    let lock = u64::try_from(space.room_lock).unwrap();
    space
        .kisi
        .control()
        .set_lock_state(lock, true, true)
        .unwrap();
    read_kisi_again(&space).await;
    let door = room_door(&space).await;
    assert_eq!(door["door_state"]["cause"], "door_locked_down", "{door}");
    let message = door["door_state"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("\"Meeting Room Elbe\" is locked down in Kisi, as of "),
        "names the door and when Doorlink read it: {message}"
    );

    let pressed = space.ana_unlocks_the_room().await;
    assert_eq!(pressed["unlocked"], false, "{pressed}");
    assert_eq!(pressed["reason"]["cause"], "door_locked_down", "{pressed}");

    // The lockdown is lifted in Kisi before Doorlink reads it again: the press still asks Kisi,
    // which opens the door.
    space
        .kisi
        .control()
        .set_lock_state(lock, true, false)
        .unwrap();
    let pressed = space.ana_unlocks_the_room().await;
    assert_eq!(pressed["unlocked"], true, "{pressed}");
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_door_kisi_reports_offline_says_so_and_is_quiet_once_back_online() {
    let space = KisiSpace::start().await;
    let lock = u64::try_from(space.room_lock).unwrap();
    space
        .kisi
        .control()
        .set_lock_state(lock, false, false)
        .unwrap();
    read_kisi_again(&space).await;
    let door = room_door(&space).await;
    assert_eq!(door["door_state"]["cause"], "door_offline", "{door}");
    let pressed = space.ana_unlocks_the_room().await;
    assert_eq!(pressed["reason"]["cause"], "door_offline", "{pressed}");

    space
        .kisi
        .control()
        .set_lock_state(lock, true, false)
        .unwrap();
    read_kisi_again(&space).await;
    assert_eq!(room_door(&space).await["door_state"], Value::Null);
    space.stop().await;
}
