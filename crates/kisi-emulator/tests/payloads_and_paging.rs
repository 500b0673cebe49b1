//! Conformance: 403 for unknown ids, 404 for a deleted group, 422 for invalid payloads, paging
//! with `X-Collection-Range`, filters (kisi-api.md, "General", "Places, locks, groups", "Users and
//! access rights").

use crate::common;

use common::{FORBIDDEN, GROUP_NOT_FOUND, INVALID, Kisi, at, hive};
use reqwest::StatusCode;
use serde_json::json;

async fn add_groups(kisi: &Kisi, n: usize) {
    for i in 0..n {
        let answer = kisi
            .post(
                kisi.owner_key(),
                "/groups",
                json!({"group": {"name": format!("Extra {i}")}}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn lists_are_bare_arrays_paged_with_a_collection_range() {
    let kisi = hive().await;
    add_groups(&kisi, 21).await; // 4 seeded + 21 = 25 groups
    let first = kisi.get(kisi.owner_key(), "/groups").await;
    assert_eq!(
        first.body.as_array().unwrap().len(),
        10,
        "the default page holds 10"
    );
    assert_eq!(first.header("x-collection-range"), "0-9/25");

    let last = kisi
        .get(kisi.owner_key(), "/groups?limit=10&offset=20")
        .await;
    assert_eq!(last.body.as_array().unwrap().len(), 5);
    assert_eq!(last.header("x-collection-range"), "20-24/25");

    let beyond = kisi
        .get(kisi.owner_key(), "/groups?limit=10&offset=30")
        .await;
    assert_eq!(beyond.body, json!([]));
    assert_eq!(beyond.header("x-collection-range"), "*/25");
}

#[tokio::test]
async fn a_page_larger_than_the_maximum_is_invalid() {
    let kisi = hive().await;
    let answer = kisi.get(kisi.owner_key(), "/locks?limit=101").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.code(), INVALID);
    assert!(answer.body["errors"]["limit"].is_array());
    assert_eq!(
        kisi.get(kisi.owner_key(), "/locks?limit=100").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn locks_and_groups_filter_by_ids_and_place() {
    let kisi = hive().await;
    let (gate, terrace) = (kisi.lock_id("Gate"), kisi.lock_id("Terrace"));
    let locks = kisi
        .get(kisi.owner_key(), &format!("/locks?ids={gate},{terrace}"))
        .await;
    let ids: Vec<u64> = locks
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![gate, terrace]);
    let array_form = kisi
        .get(kisi.owner_key(), &format!("/locks?ids[]={gate}"))
        .await;
    assert_eq!(array_form.body.as_array().unwrap().len(), 1);

    let place = kisi.ids.places["Hive"];
    let at_place = kisi
        .get(kisi.owner_key(), &format!("/locks?place_id={place}"))
        .await;
    assert_eq!(at_place.header("x-collection-range"), "0-4/5");
    let elsewhere = kisi
        .get(
            kisi.owner_key(),
            &format!("/locks?place_id={}", place + 999),
        )
        .await;
    assert_eq!(elsewhere.header("x-collection-range"), "*/0");

    let members = kisi.group_id("Members");
    let groups = kisi
        .get(kisi.owner_key(), &format!("/groups?ids={members}"))
        .await;
    assert_eq!(groups.body[0]["name"], "Members");
    assert_eq!(groups.body[0]["locks_count"], 3);
}

#[tokio::test]
async fn places_and_locks_carry_their_documented_fields() {
    let kisi = hive().await;
    let places = kisi.get(kisi.owner_key(), "/places").await;
    assert_eq!(places.body[0]["time_zone"], "Europe/Berlin");
    assert!(places.body[0]["latitude"].is_f64());
    let lock = kisi
        .get(
            kisi.owner_key(),
            &format!("/locks?ids={}", kisi.lock_id("Server Room")),
        )
        .await;
    let lock = &lock.body[0];
    assert_eq!(lock["reader_restriction_enabled"], true);
    assert_eq!(lock["geofence_restriction_enabled"], false);
    assert_eq!(lock["place_id"], kisi.ids.places["Hive"]);
    for field in [
        "online",
        "configured",
        "locked_down",
        "geofence_restriction_radius",
        "time_restriction_time_zone",
    ] {
        assert!(!lock[field].is_null(), "{field}");
    }
}

#[tokio::test]
async fn an_unknown_group_id_is_forbidden_not_missing() {
    let kisi = hive().await;
    let ana = kisi.managed_user("ana@example.com").await;
    let answer = kisi
        .post(kisi.owner_key(), "/role_assignments",
            json!({"role_assignment": {"user_id": ana, "role_id": "group_basic", "group_id": 424242}}))
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.code(), FORBIDDEN);
    let unknown_user = kisi.assign(424242, "Room A", None, None).await;
    assert_eq!(unknown_user.status, StatusCode::FORBIDDEN);
    let unknown_lock = kisi
        .post(
            kisi.owner_key(),
            "/group_locks",
            json!({"group_lock": {"group_id": kisi.group_id("Room A"), "lock_id": 424242}}),
        )
        .await;
    assert_eq!(unknown_lock.status, StatusCode::FORBIDDEN);
    assert_eq!(
        kisi.delete(kisi.owner_key(), "/role_assignments/424242")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_group_deleted_behind_doorlinks_back_is_not_found() {
    let kisi = hive().await;
    let ana = kisi.managed_user("ana@example.com").await;
    assert_eq!(
        kisi.assign(ana, "Room A", None, None).await.status,
        StatusCode::OK
    );
    kisi.emulator
        .control()
        .delete_group(kisi.group_id("Room A"))
        .unwrap();

    let answer = kisi.assign(ana, "Room A", None, None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.code(), GROUP_NOT_FOUND);
    assert_eq!(answer.body["error"], "Group is not found");
    let listed = kisi
        .get(
            kisi.owner_key(),
            &format!("/role_assignments?group_id={}", kisi.group_id("Room A")),
        )
        .await;
    assert_eq!(listed.code(), GROUP_NOT_FOUND);
    // Its assignments went with it.
    let anas = kisi
        .get(
            kisi.owner_key(),
            &format!("/role_assignments?user_id={ana}"),
        )
        .await;
    assert_eq!(anas.body, json!([]));
}

#[tokio::test]
async fn invalid_payloads_name_the_field_and_the_problem() {
    let kisi = hive().await;
    let no_email = kisi
        .post(
            kisi.owner_key(),
            "/users",
            json!({"user": {"name": "Nameless"}}),
        )
        .await;
    assert_eq!(no_email.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_email.code(), INVALID);
    assert_eq!(no_email.body["error"], "Validation failed");
    assert!(no_email.body["errors"]["email"].is_array());

    let no_root = kisi
        .post(kisi.owner_key(), "/groups", json!({"name": "Unwrapped"}))
        .await;
    assert!(no_root.body["errors"]["group"].is_array());

    let ana = kisi.managed_user("ana@example.com").await;
    let backwards = kisi
        .post(
            kisi.owner_key(),
            "/role_assignments",
            json!({"role_assignment": {
            "user_id": ana, "role_id": "group_basic", "group_id": kisi.group_id("Room A"),
            "valid_from": "2026-03-02T10:00:00Z", "valid_until": "2026-03-02T09:00:00Z"}}),
        )
        .await;
    assert!(backwards.body["errors"]["valid_until"].is_array());
    let not_a_time = kisi
        .post(
            kisi.owner_key(),
            "/role_assignments",
            json!({"role_assignment": {
            "user_id": ana, "role_id": "group_basic", "group_id": kisi.group_id("Room A"),
            "valid_from": "tomorrow"}}),
        )
        .await;
    assert!(not_a_time.body["errors"]["valid_from"].is_array());
}

#[tokio::test]
async fn a_taken_email_is_invalid_and_the_user_can_be_found_by_query() {
    let kisi = hive().await;
    let ana = kisi.managed_user("ana@example.com").await;
    let again = kisi
        .post(
            kisi.owner_key(),
            "/users",
            json!({"user": {"email": "ANA@example.com", "name": "Ana"}}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.body["errors"]["email"][0], "has already been taken");
    let found = kisi
        .get(kisi.owner_key(), "/users?query=ana@example.com")
        .await;
    assert_eq!(found.body.as_array().unwrap().len(), 1);
    assert_eq!(found.body[0]["id"], ana);
    assert_eq!(found.body[0]["confirmed"], true);
}

#[tokio::test]
async fn an_overlapping_second_role_in_a_group_is_refused_but_a_disjoint_one_is_kept() {
    let kisi = hive().await;
    let ana = kisi.managed_user("ana@example.com").await;
    let monday = (at("2026-03-02T08:30:00Z"), at("2026-03-02T12:30:00Z"));
    let tuesday = (at("2026-03-03T08:30:00Z"), at("2026-03-03T12:30:00Z"));
    let first = kisi
        .assign(ana, "Room A", Some(monday.0), Some(monday.1))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let overlapping = kisi
        .assign(ana, "Room A", Some(at("2026-03-02T12:00:00Z")), None)
        .await;
    assert_eq!(overlapping.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(overlapping.body["errors"]["valid_from"].is_array());
    // Back-to-back windows do not overlap (half-open), and a booking on another day is its own
    // assignment (access-rules.md R13).
    let touching = kisi
        .assign(
            ana,
            "Room A",
            Some(monday.1),
            Some(at("2026-03-02T13:00:00Z")),
        )
        .await;
    assert_eq!(touching.status, StatusCode::OK);
    let next_day = kisi
        .assign(ana, "Room A", Some(tuesday.0), Some(tuesday.1))
        .await;
    assert_eq!(next_day.status, StatusCode::OK);

    let id = first.body["id"].as_u64().unwrap();
    assert_eq!(
        kisi.delete(kisi.owner_key(), &format!("/role_assignments/{id}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        kisi.assign(ana, "Room A", Some(monday.0), Some(monday.1))
            .await
            .status,
        StatusCode::OK,
        "a window changes by delete and re-create"
    );
}

#[tokio::test]
async fn group_locks_are_listed_added_and_removed() {
    let kisi = hive().await;
    let group = kisi
        .post(
            kisi.owner_key(),
            "/groups",
            json!({"group": {"name": "Lobby", "description": "d"}}),
        )
        .await;
    let group_id = group.body["id"].as_u64().unwrap();
    let added = kisi
        .post(
            kisi.owner_key(),
            "/group_locks",
            json!({"group_lock": {"group_id": group_id, "lock_id": kisi.lock_id("Front Door")}}),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK);
    let listed = kisi
        .get(
            kisi.owner_key(),
            &format!("/group_locks?group_id={group_id}"),
        )
        .await;
    assert_eq!(listed.body[0]["lock_id"], kisi.lock_id("Front Door"));
    let id = added.body["id"].as_u64().unwrap();
    assert_eq!(
        kisi.delete(kisi.owner_key(), &format!("/group_locks/{id}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let after = kisi
        .get(
            kisi.owner_key(),
            &format!("/group_locks?group_id={group_id}"),
        )
        .await;
    assert_eq!(after.header("x-collection-range"), "*/0");
}

#[tokio::test]
async fn deleting_a_managed_user_removes_their_logins_and_assignments() {
    let kisi = hive().await;
    let (ana, key) = kisi.member_of("ana@example.com", "Room A").await;
    assert_eq!(
        kisi.delete(kisi.owner_key(), &format!("/users/{ana}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        kisi.get(&key, "/user").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(kisi.emulator.control().state().role_assignments.is_empty());
    let owner = kisi.ids.owner_id;
    assert_eq!(
        kisi.delete(kisi.owner_key(), &format!("/users/{owner}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
