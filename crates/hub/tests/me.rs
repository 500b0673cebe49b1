//! The Access page, explanations and the unlock refusal decided before Kisi (A1–A5).
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::{TestHub, Who};
use doorlink_core::{
    DoorAccess, DoorState, Holder, ItemKind, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId,
    PaymentStatus,
};
use doorlink_store::{DirectoryGroup, DirectoryPlace, KisiDirectory, NewItem, NewSubscription};
use serde_json::json;

const FRONT_DOOR: i64 = 11;
const MEMBERS_GROUP: i64 = 21;

async fn member_with_front_door(hub: &TestHub) {
    let store = hub.state.store();
    common::one_door_directory(hub, (MEMBERS_GROUP, "Members"), (FRONT_DOOR, "Front door")).await;
    let plan = store
        .catalog()
        .create_plan(
            hub.location,
            "Hot desk",
            &DoorAccess::groups([KisiGroupId(MEMBERS_GROUP)]),
        )
        .await
        .unwrap();
    let today = Utc::now().date_naive();
    store
        .subscriptions()
        .create(&NewSubscription {
            location: hub.location,
            holder: Holder::Person(hub.member.person.unwrap()),
            start: today - Duration::days(3),
            end: None,
            items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::Unpaid,
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_member_sees_the_front_door_of_their_plan_with_its_window_and_why() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let (status, access) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{access}");
    let page = &access["locations"][0];
    assert_eq!(page["visible"], true);
    let lock = &page["open_now"][0];
    assert_eq!(lock["lock_id"], FRONT_DOOR);
    assert_eq!(lock["name"], "Front door");
    assert!(
        lock["window"]["until"].is_null(),
        "open-ended subscription: {lock}"
    );
    assert!(lock["why"][0] == "Hot desk plan", "{lock}");
}

#[tokio::test]
async fn no_locks_is_never_shown_without_its_reason() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let (status, access) = hub
        .call(Who::OtherMember, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = &access["locations"][0];
    assert_eq!(page["open_now"].as_array().unwrap().len(), 0);
    let reasons = page["reasons"].as_array().unwrap();
    assert!(!reasons.is_empty(), "{page}");
    assert!(
        reasons
            .iter()
            .all(|r| !r["fix"].as_str().unwrap().is_empty())
    );
}

#[tokio::test]
async fn explain_names_the_grant_or_the_first_rule_in_the_way() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let uri = format!("/api/me/locks/{FRONT_DOOR}/explain");
    let (_, yes) = hub.call(Who::Member, Method::GET, &uri, None).await;
    assert_eq!(yes["may_open"], true, "{yes}");
    let (_, no) = hub.call(Who::OtherMember, Method::GET, &uri, None).await;
    assert_eq!(no["may_open"], false, "{no}");
    assert!(no["reason"]["cause"].is_string());
}

#[tokio::test]
async fn an_unlock_a_rule_forbids_is_refused_in_plain_words_without_asking_kisi() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let uri = format!("/api/me/locks/{FRONT_DOOR}/unlock");
    let (status, outcome) = hub
        .call(Who::OtherMember, Method::POST, &uri, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["unlocked"], false);
    assert!(!outcome["reason"]["fix"].as_str().unwrap().is_empty());
}

/// The adversary: a staff account created without a person (as the front desk's were), which
/// used to get 403 on its own Access page. Every account is now a person's (issue 17).
#[tokio::test]
async fn staff_and_admins_have_an_access_page_of_their_own() {
    let hub = TestHub::new().await;
    for who in [Who::Staff, Who::Admin] {
        let (status, body) = hub.call(who, Method::GET, "/api/me/access", None).await;
        assert_eq!(status, StatusCode::OK, "{who:?}: {body}");
        assert!(body["person_id"].as_i64().is_some(), "{body}");
    }
    let desk = hub
        .state
        .store()
        .people()
        .by_email("desk@example.com")
        .await;
    assert_eq!(
        desk.unwrap().unwrap().name,
        "Desk",
        "named after the e-mail"
    );
}

#[tokio::test]
async fn a_half_given_position_is_refused_naming_the_missing_field() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .call(
            Who::Member,
            Method::POST,
            "/api/me/locks/11/unlock",
            Some(json!({"latitude": 52.5})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "longitude");
}

#[tokio::test]
async fn a_members_only_page_does_not_unlock_for_someone_with_a_booking_only() {
    use doorlink_core::ResourceKind;
    use doorlink_store::NewBooking;
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let store = hub.state.store();
    let room = store
        .catalog()
        .create_resource(
            hub.location,
            "Elbe",
            ResourceKind::Room,
            &DoorAccess::groups([KisiGroupId(MEMBERS_GROUP)]),
        )
        .await
        .unwrap();
    let now = Utc::now();
    store
        .bookings()
        .create(&NewBooking {
            resource: room.id,
            booker: hub.other_member.person.unwrap(),
            invitees: BTreeSet::new(),
            start: now - Duration::minutes(5),
            end: now + Duration::hours(1),
        })
        .await
        .unwrap();
    let uri = format!("/api/me/locks/{FRONT_DOOR}/unlock");
    let (status, outcome) = hub
        .call(Who::OtherMember, Method::POST, &uri, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["unlocked"], false);
    assert_eq!(
        outcome["reason"]["cause"], "access_page_members_only",
        "{outcome}"
    );
}

#[tokio::test]
async fn the_access_page_carries_its_locations_time_zone() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let (_, access) = hub
        .call(Who::Member, Method::GET, "/api/me/access", None)
        .await;
    let location = hub
        .state
        .store()
        .locations()
        .get(hub.location)
        .await
        .unwrap();
    assert_eq!(
        access["locations"][0]["time_zone"],
        location.time_zone.name(),
        "members read 'until 16:30' in the location's zone, not their browser's"
    );
}

#[tokio::test]
async fn the_front_desk_sees_a_persons_access_and_why_a_door_stays_shut() {
    let hub = TestHub::new().await;
    member_with_front_door(&hub).await;
    let member = hub.member.person.unwrap().0;
    let other = hub.other_member.person.unwrap().0;

    let (status, access) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/people/{member}/access"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{access}");
    assert_eq!(access["person_id"], member);
    let lock = &access["locations"][0]["open_now"][0];
    assert_eq!(lock["lock_id"], FRONT_DOOR);
    assert_eq!(lock["why"][0], "Hot desk plan");

    let explain = format!("/api/people/{other}/locks/{FRONT_DOOR}/explain");
    let (status, no) = hub.call(Who::Staff, Method::GET, &explain, None).await;
    assert_eq!(status, StatusCode::OK, "{no}");
    assert_eq!(no["may_open"], false);
    assert!(!no["reason"]["fix"].as_str().unwrap().is_empty(), "{no}");

    let (status, _) = hub
        .call(Who::Staff, Method::GET, "/api/people/999999/access", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

const SERVER_ROOM: i64 = 12;

/// The member's plan opens the Members group (the front door); the location also has a Server
/// Room, in no group of theirs.
async fn member_and_a_server_room(hub: &TestHub) {
    member_with_front_door(hub).await;
    let place = Some(KisiPlaceId(1));
    let lock = |id: i64, name: &str| KisiLock {
        id: KisiLockId(id),
        name: name.into(),
        place,
        reader_restriction: false,
        geofence_restriction: false,
        time_restriction: false,
        state: DoorState::default(),
    };
    hub.state
        .store()
        .kisi_mirror()
        .replace_directory(
            hub.location,
            &KisiDirectory {
                places: vec![DirectoryPlace {
                    id: KisiPlaceId(1),
                    name: "Kreuzberg".into(),
                }],
                groups: vec![DirectoryGroup {
                    id: KisiGroupId(MEMBERS_GROUP),
                    name: "Members".into(),
                    place,
                    locks: BTreeSet::from([KisiLockId(FRONT_DOOR)]),
                    reader_restriction: false,
                    geofence_restriction: false,
                    time_restriction: false,
                    has_foreign_members: false,
                    app_access: Some(true),
                    primary_device_restriction: Some(false),
                }],
                locks: vec![
                    lock(FRONT_DOOR, "Front door"),
                    lock(SERVER_ROOM, "Server Room"),
                ],
            },
        )
        .await
        .unwrap();
}

/// Issue 17, point 3. The adversary: the staff sentence reaching the member ("lock … is not in the
/// person's Kisi groups (Members)", "give them a manual grant … Passes, visits & grants"). The
/// member's own page reads what it means for them and whom to ask; the front desk, asking the
/// same question on the person's page, reads the fix.
#[tokio::test]
async fn the_member_reads_their_words_and_staff_read_the_fix_for_the_same_door() {
    let hub = TestHub::new().await;
    member_and_a_server_room(&hub).await;
    let uri = format!("/api/me/locks/{SERVER_ROOM}/explain");
    let (status, own) = hub.call(Who::Member, Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own["reason"]["cause"], "lock_not_in_groups", "{own}");
    assert_eq!(
        own["reason"]["message"],
        "Your Hot desk plan doesn't include the Server Room"
    );
    assert_eq!(own["reason"]["fix"], "Ask the front desk if you need it.");

    let person = hub.member.person.unwrap().0;
    let staff_uri = format!("/api/people/{person}/locks/{SERVER_ROOM}/explain");
    let (status, staff) = hub.call(Who::Staff, Method::GET, &staff_uri, None).await;
    assert_eq!(status, StatusCode::OK, "{staff}");
    assert_eq!(staff["reason"]["cause"], "lock_not_in_groups", "{staff}");
    let message = staff["reason"]["message"].as_str().unwrap();
    assert!(message.contains("Kisi groups (Members)"), "{message}");
    let fix = staff["reason"]["fix"].as_str().unwrap();
    assert!(
        fix.contains("manual grant") && fix.contains("Passes, visits & grants"),
        "{fix}"
    );
}

/// The adversary: "Person 44 is not known at this location. Add the person…" on a member's own
/// page, and the staff menus of the page's reasons. Another member with nothing here reads, on
/// their own Access page, member words only; the staff view of the same person reads the fix.
#[tokio::test]
async fn a_member_s_access_page_reasons_carry_no_staff_menus_or_ids() {
    let hub = TestHub::new().await;
    member_and_a_server_room(&hub).await;
    let (status, access) = hub
        .call(Who::OtherMember, Method::GET, "/api/me/access", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{access}");
    let reasons = access["locations"][0]["reasons"].as_array().unwrap();
    assert!(!reasons.is_empty(), "{access}");
    let person = hub.other_member.person.unwrap().0;
    for reason in reasons {
        let text = format!("{} {}", reason["message"], reason["fix"]);
        assert!(
            text.contains("front desk") && !text.contains('›') && !text.contains("Admin"),
            "{text}"
        );
        assert!(!text.contains(&format!("erson {person}")), "{text}");
    }
    let (_, staff) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/people/{person}/access"),
            None,
        )
        .await;
    let staff_reasons = staff["locations"][0]["reasons"].as_array().unwrap();
    assert_eq!(staff_reasons.len(), reasons.len(), "{staff}");
    assert!(
        staff_reasons
            .iter()
            .all(|r| !r["fix"].as_str().unwrap().contains("front desk")),
        "{staff}"
    );
}

/// Issue 17, point 4. The adversary: a list that tells a member more than door names — the doors
/// they already open, or someone else's access. They get the location's other doors, by name.
#[tokio::test]
async fn a_member_lists_the_doors_they_cannot_open_by_name_only() {
    let hub = TestHub::new().await;
    member_and_a_server_room(&hub).await;
    let (status, doors) = hub
        .call(Who::Member, Method::GET, "/api/me/other-doors", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{doors}");
    let location = &doors["locations"][0];
    assert_eq!(location["time_zone"], "Europe/Berlin", "{doors}");
    assert_eq!(
        location["doors"],
        json!([{ "lock_id": SERVER_ROOM, "name": "Server Room" }]),
        "not the front door she opens"
    );
    let (status, _) = hub
        .call(Who::Nobody, Method::GET, "/api/me/other-doors", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, unknown) = hub
        .call(
            Who::Member,
            Method::GET,
            "/api/me/other-doors?location_id=999999",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{unknown}");
}
