//! Issue 15: Kisi's signed webhook deliveries. Adversaries: a forger (no signature, another
//! secret, a body changed after signing), Kisi delivering one event twice and out of order, a
//! replaced or removed secret still in use, the `null`s and unknown fields of Kisi's own sample
//! payload, an event without a uuid, an event about another location's door, an oversized body,
//! and a staff login trying the admin's set-up.
#![allow(
    clippy::unwrap_used,
    reason = "test: a failed read should stop the test loudly"
)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use doorlink_core::KisiUserId;
use doorlink_hub::testing::sign_kisi_webhook;
use doorlink_store::{DoorEventQuery, MirrorUser};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::common::{TestHub, Who, code, fields, one_door_directory};

pub(crate) const FRONT_DOOR: i64 = 501;
pub(crate) const ANA_IN_KISI: i64 = 9001;

/// Kisi's sample payload (docs.kisi.io, "Track unlocks using webhooks"), made about this space.
pub(crate) fn unlock(uuid: &str, at: &str, success: bool) -> Value {
    json!({
        "uuid": uuid,
        "actor_type": "User",
        "actor_id": ANA_IN_KISI,
        "actor_name": "Ana",
        "object_type": "Lock",
        "object_id": FRONT_DOOR,
        "object_name": "Front Door",
        "organization_id": 1,
        "place_id": 1,
        "success": success,
        "type": "lock.unlock",
        "error_code": if success { Value::Null } else { json!("afc507") },
        "error_message": if success { Value::Null } else { json!("You do not have access to this lock.") },
        "created_at": at,
    })
}

/// A hub whose location has the front door in its directory, Ana linked to her Kisi user, and a
/// webhook set up; returns the secret.
async fn hub_with_webhook() -> (TestHub, String) {
    hub_with_webhook_in(TestHub::new().await).await
}

pub(crate) async fn hub_with_webhook_in(hub: TestHub) -> (TestHub, String) {
    one_door_directory(&hub, (11, "Members"), (FRONT_DOOR, "Front Door")).await;
    hub.state
        .store()
        .kisi_mirror()
        .save_user(
            hub.location,
            hub.member.person.unwrap(),
            &MirrorUser {
                kisi_user: KisiUserId(ANA_IN_KISI),
                kisi_email: "ana@example.com".into(),
                confirmed: true,
                owned: true,
            },
        )
        .await
        .unwrap();
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::POST,
            &format!("/api/locations/{}/kisi/webhook", hub.location.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let secret = body["secret"].as_str().unwrap().to_owned();
    (hub, secret)
}

/// Posts `body` to the location's webhook as Kisi would, with `signature` in X-Signature.
async fn deliver(hub: &TestHub, body: &[u8], signature: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/kisi/webhooks/{}", hub.location.0))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(signature) = signature {
        request = request.header("X-Signature", signature);
    }
    let response = hub
        .router
        .clone()
        .oneshot(request.body(Body::from(body.to_vec())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

pub(crate) async fn signed(hub: &TestHub, secret: &str, event: &Value) -> (StatusCode, Value) {
    let body = serde_json::to_vec(event).unwrap();
    deliver(hub, &body, Some(&sign_kisi_webhook(secret, &body))).await
}

async fn kept(hub: &TestHub) -> Vec<(String, bool, Option<i64>)> {
    hub.state
        .store()
        .door_events()
        .list(
            hub.location,
            DoorEventQuery {
                limit: 100,
                ..DoorEventQuery::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.uuid, e.opened, e.person.map(|p| p.0)))
        .collect()
}

#[tokio::test]
async fn a_signed_delivery_is_kept_with_the_person_kisi_names() {
    let (hub, secret) = hub_with_webhook().await;

    let (status, body) = signed(&hub, &secret, &unlock("u-1", "2026-03-02T08:00:00Z", true)).await;

    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"stored": 1, "duplicates": 0, "elsewhere": 0}));
    assert_eq!(
        kept(&hub).await,
        vec![("u-1".into(), true, Some(hub.member.person.unwrap().0))]
    );
}

#[tokio::test]
async fn a_forged_signature_is_refused_and_nothing_is_kept() {
    let (hub, secret) = hub_with_webhook().await;
    let body = serde_json::to_vec(&unlock("u-1", "2026-03-02T08:00:00Z", true)).unwrap();
    let tampered = serde_json::to_vec(&unlock("u-1", "2026-03-02T08:00:00Z", false)).unwrap();

    for (what, body, signature) in [
        ("no signature", body.clone(), None),
        (
            "another secret",
            body.clone(),
            Some(sign_kisi_webhook("guessed", &body)),
        ),
        (
            "changed after signing",
            tampered,
            Some(sign_kisi_webhook(&secret, &body)),
        ),
        ("not hex", body.clone(), Some("zz".repeat(32))),
        ("empty", body.clone(), Some(String::new())),
    ] {
        let (status, answer) = deliver(&hub, &body, signature.as_deref()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("X-Signature")
                || answer.to_string().contains("X-Signature"),
            "{what}: the refusal names the header: {answer}"
        );
    }
    assert!(kept(&hub).await.is_empty());
}

#[tokio::test]
async fn kisi_delivering_an_event_twice_keeps_it_once() {
    let (hub, secret) = hub_with_webhook().await;
    let event = unlock("u-1", "2026-03-02T08:00:00Z", true);

    let first = signed(&hub, &secret, &event).await;
    let second = signed(&hub, &secret, &event).await;

    assert_eq!(
        first.1,
        json!({"stored": 1, "duplicates": 0, "elsewhere": 0})
    );
    assert_eq!(second.0, StatusCode::OK, "Kisi must not retry a duplicate");
    assert_eq!(
        second.1,
        json!({"stored": 0, "duplicates": 1, "elsewhere": 0})
    );
    assert_eq!(kept(&hub).await.len(), 1);
}

#[tokio::test]
async fn events_delivered_out_of_order_are_listed_by_when_they_happened() {
    let (hub, secret) = hub_with_webhook().await;
    for (uuid, at) in [
        ("late", "2026-03-02T09:00:00Z"),
        ("early", "2026-03-02T08:00:00Z"),
        ("middle", "2026-03-02T08:30:00Z"),
    ] {
        signed(&hub, &secret, &unlock(uuid, at, true)).await;
    }

    let (status, page) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/locations/{}/door-events?limit=2", hub.location.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let uuids: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uuid"].as_str().unwrap())
        .collect();
    assert_eq!(uuids, ["late", "middle"]);
    let before = page["next_before"].as_i64().unwrap();
    let (_, rest) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!(
                "/api/locations/{}/door-events?limit=2&before={before}",
                hub.location.0
            ),
            None,
        )
        .await;
    let uuids: Vec<&str> = rest["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uuid"].as_str().unwrap())
        .collect();
    assert_eq!(uuids, ["early"]);
    assert_eq!(rest["next_before"], Value::Null);
}

#[tokio::test]
async fn kisis_nulls_and_unknown_fields_are_read_and_a_missing_uuid_is_refused() {
    let (hub, secret) = hub_with_webhook().await;
    let mut sparse = unlock("u-nulls", "2026-03-02T08:00:00Z", true);
    for field in ["actor_name", "object_name", "organization_id", "success"] {
        sparse[field] = Value::Null;
    }
    sparse["credential"] = json!({"type": "card", "something_new": true});

    let (status, body) = signed(&hub, &secret, &sparse).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let events = hub
        .state
        .store()
        .door_events()
        .list(
            hub.location,
            DoorEventQuery {
                limit: 10,
                ..DoorEventQuery::default()
            },
        )
        .await
        .unwrap();
    assert!(
        !events[0].opened,
        "a door Kisi does not say opened did not open"
    );
    assert_eq!(events[0].lock_name, "");

    let mut no_uuid = unlock("x", "2026-03-02T08:00:00Z", true);
    no_uuid["uuid"] = Value::Null;
    let (status, body) = signed(&hub, &secret, &no_uuid).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), "validation_failed");
    assert_eq!(fields(&body), ["uuid"]);
    assert_eq!(kept(&hub).await.len(), 1, "nothing more was kept");
}

#[tokio::test]
async fn an_event_about_another_locations_door_is_acknowledged_and_not_kept() {
    let (hub, secret) = hub_with_webhook().await;
    let mut elsewhere = unlock("u-2", "2026-03-02T08:00:00Z", true);
    elsewhere["object_id"] = json!(777);
    elsewhere["place_id"] = json!(2);

    let (status, body) = signed(&hub, &secret, &elsewhere).await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"stored": 0, "duplicates": 0, "elsewhere": 1}));
    assert!(kept(&hub).await.is_empty());
}

#[tokio::test]
async fn a_replaced_or_removed_secret_stops_working_at_once() {
    let (hub, old_secret) = hub_with_webhook().await;
    let uri = format!("/api/locations/{}/kisi/webhook", hub.location.0);
    let (_, replaced) = hub.call(Who::Admin, Method::POST, &uri, None).await;
    let new_secret = replaced["secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, old_secret);

    let (status, _) = signed(
        &hub,
        &old_secret,
        &unlock("u-1", "2026-03-02T08:00:00Z", true),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = signed(
        &hub,
        &new_secret,
        &unlock("u-1", "2026-03-02T08:00:00Z", true),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(
        hub.call(Who::Admin, Method::DELETE, &uri, None).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = signed(
        &hub,
        &new_secret,
        &unlock("u-2", "2026-03-02T08:05:00Z", true),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(kept(&hub).await.len(), 1, "the events kept stay");
}

#[tokio::test]
async fn only_an_admin_sets_up_the_webhook_and_its_secret_is_shown_once() {
    let (hub, secret) = hub_with_webhook().await;
    let uri = format!("/api/locations/{}/kisi/webhook", hub.location.0);

    for who in [Who::Staff, Who::Member, Who::Nobody] {
        let (status, _) = hub.call(who, Method::POST, &uri, None).await;
        assert!(
            matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED),
            "{who:?}: {status}"
        );
        let (status, _) = hub.call(who, Method::DELETE, &uri, None).await;
        assert!(
            matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED),
            "{who:?}: {status}"
        );
    }
    let (status, view) = hub.call(Who::Staff, Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!view.to_string().contains(&secret), "{view}");
    assert_eq!(
        view["path"],
        format!("/api/kisi/webhooks/{}", hub.location.0)
    );
    let (status, _) = hub
        .call(
            Who::Member,
            Method::GET,
            &format!("/api/locations/{}/door-events", hub.location.0),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "members do not read the door log"
    );
}

#[tokio::test]
async fn an_oversized_delivery_is_refused_before_it_is_read() {
    let (hub, secret) = hub_with_webhook().await;
    let mut huge = unlock("u-1", "2026-03-02T08:00:00Z", true);
    huge["padding"] = json!("x".repeat(doorlink_hub::MAX_BODY_BYTES));
    let body = serde_json::to_vec(&huge).unwrap();

    let (status, answer) = deliver(&hub, &body, Some(&sign_kisi_webhook(&secret, &body))).await;

    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert!(kept(&hub).await.is_empty());
}

/// 2026-03-02 10:00 in Berlin, where the test location is.
pub(crate) fn ten_in_berlin() -> chrono::DateTime<chrono::Utc> {
    "2026-03-02T09:00:00Z".parse().unwrap()
}

async fn whos_in(hub: &TestHub) -> Value {
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!("/api/locations/{}/presence", hub.location.0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn an_opened_door_checks_in_and_a_refused_attempt_does_not() {
    let (hub, secret) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    signed(
        &hub,
        &secret,
        &unlock("refused", "2026-03-02T07:50:00Z", false),
    )
    .await;
    assert_eq!(
        whos_in(&hub).await["present"],
        json!([]),
        "a refused attempt checks nobody in"
    );

    signed(
        &hub,
        &secret,
        &unlock("opened", "2026-03-02T08:12:00Z", true),
    )
    .await;

    let presence = whos_in(&hub).await;
    assert_eq!(presence["present"][0]["name"], "Ana", "{presence}");
    assert_eq!(presence["present"][0]["since"], "2026-03-02T08:12:00Z");
    assert_eq!(presence["present"][0]["last_door"], "Front Door");
    assert_eq!(presence["checkout"], "People are checked out at midnight.");
}

#[tokio::test]
async fn the_exit_door_the_admin_names_checks_out() {
    let (hub, secret) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    signed(&hub, &secret, &unlock("in", "2026-03-02T08:00:00Z", true)).await;
    let settings = format!("/api/locations/{}/presence/settings", hub.location.0);
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::PUT,
            &settings,
            Some(json!({"inactivity_minutes": 240, "entrance_lock_ids": [], "exit_lock_ids": [FRONT_DOOR]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        whos_in(&hub).await["present"],
        json!([]),
        "the front door is now the exit: her opening it checked her out"
    );
    assert_eq!(
        whos_in(&hub).await["checkout"],
        "People are checked out when they open Front Door, else after 4 hours without opening a door, else at midnight."
    );
}

#[tokio::test]
async fn presence_settings_name_each_wrong_field_and_keep_the_old_ones() {
    let (hub, _) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    let settings = format!("/api/locations/{}/presence/settings", hub.location.0);
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::PUT,
            &settings,
            Some(json!({"inactivity_minutes": 0, "entrance_lock_ids": [FRONT_DOOR, 42], "exit_lock_ids": [FRONT_DOOR]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        fields(&body),
        ["inactivity_minutes", "entrance_lock_ids", "exit_lock_ids"]
    );
    let (status, _) = hub
        .call(
            Who::Staff,
            Method::PUT,
            &settings,
            Some(json!({"inactivity_minutes": 60, "entrance_lock_ids": [], "exit_lock_ids": []})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "staff read the settings; admins change them"
    );
    let (_, kept) = hub.call(Who::Staff, Method::GET, &settings, None).await;
    assert_eq!(
        kept,
        json!({"location_id": hub.location.0, "inactivity_minutes": null, "entrance_lock_ids": [], "exit_lock_ids": []})
    );
}

#[tokio::test]
async fn attendance_counts_a_persons_days_and_refusals() {
    let (hub, secret) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    for (uuid, at, opened) in [
        ("a", "2026-02-27T08:00:00Z", true),
        ("b", "2026-03-02T07:00:00Z", false),
        ("c", "2026-03-02T07:05:00Z", true),
        ("d", "2026-03-02T08:30:00Z", true),
    ] {
        signed(&hub, &secret, &unlock(uuid, at, opened)).await;
    }
    let ana = hub.member.person.unwrap().0;

    let (status, body) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!(
                "/api/people/{ana}/attendance?location_id={}",
                hub.location.0
            ),
            None,
        )
        .await;

    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["days"],
        json!([
            {"date": "2026-03-02", "first_in": "2026-03-02T07:05:00Z", "last_seen": "2026-03-02T08:30:00Z", "unlocks": 2, "refusals": 1},
            {"date": "2026-02-27", "first_in": "2026-02-27T08:00:00Z", "last_seen": "2026-02-27T08:00:00Z", "unlocks": 1, "refusals": 0},
        ])
    );
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::GET,
            &format!(
                "/api/people/{ana}/attendance?location_id={}&from=2025-01-01&to=2026-03-02",
                hub.location.0
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["from"]);
}

/// The ledger. Adversaries: a door opened by someone Doorlink gave no access (a card Kisi issued
/// by hand), a day pass never used, a day pass whose first door marks it used, an attempt Kisi
/// refused (denied at the door, with Kisi's reason) and a refusal although Doorlink granted the
/// door (a lockout, which must not hide among ordinary refusals).
#[tokio::test]
async fn the_ledger_marks_a_day_pass_used_an_entry_without_an_entitlement_and_a_denial() {
    let (hub, secret) = hub_with_webhook_in(TestHub::at(ten_in_berlin()).await).await;
    let store = hub.state.store();
    let ana = hub.member.person.unwrap();
    let ben = hub.other_member.person.unwrap();
    store
        .kisi_mirror()
        .save_user(
            hub.location,
            ben,
            &MirrorUser {
                kisi_user: KisiUserId(9002),
                kisi_email: "ben@example.com".into(),
                confirmed: true,
                owned: true,
            },
        )
        .await
        .unwrap();
    let door = doorlink_core::DoorAccess::groups([doorlink_core::KisiGroupId(11)]);
    let product = store
        .catalog()
        .create_product(
            hub.location,
            "Day Pass",
            doorlink_core::ProductKind::DayPass,
            &door,
        )
        .await
        .unwrap()
        .id;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let (_, used) = store
        .passes()
        .sell_day_pass(ana, product, today)
        .await
        .unwrap();
    let (_, unused) = store
        .passes()
        .sell_day_pass(ana, product, today.pred_opt().unwrap())
        .await
        .unwrap();
    signed(
        &hub,
        &secret,
        &unlock("ana-in", "2026-03-02T08:12:00Z", true),
    )
    .await;
    let mut bens = unlock("ben-in", "2026-03-02T08:20:00Z", true);
    bens["actor_id"] = json!(9002);
    bens["actor_name"] = json!("Ben");
    signed(&hub, &secret, &bens).await;
    let mut bens_refused = unlock("ben-refused", "2026-03-02T08:25:00Z", false);
    bens_refused["actor_id"] = json!(9002);
    signed(&hub, &secret, &bens_refused).await;
    signed(
        &hub,
        &secret,
        &unlock("ana-locked-out", "2026-03-02T08:30:00Z", false),
    )
    .await;

    let ledger_of = |person: doorlink_core::PersonId| {
        format!(
            "/api/people/{}/ledger?location_id={}",
            person.0, hub.location.0
        )
    };
    let (status, anas) = hub
        .call(Who::Staff, Method::GET, &ledger_of(ana), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{anas}");
    assert_eq!(
        anas["entries"][1]["entitled"], true,
        "entries come newest first: {anas}"
    );
    assert_eq!(
        anas["entries"][1]["because"],
        json!(["day pass (Day Pass), Mon 2 Mar"]),
        "only today's pass let her in, though R13 merges it with yesterday's"
    );
    let lockout = &anas["entries"][0];
    assert_eq!(
        (
            &lockout["opened"],
            &lockout["entitled"],
            &lockout["refusal"]
        ),
        (
            &json!(false),
            &json!(true),
            &json!("You do not have access to this lock.")
        ),
        "refused although her day pass held: a lockout, with Kisi's words: {anas}"
    );
    assert_eq!(
        anas["passes_used"],
        json!([{"day_pass_id": used.id.0, "date": "2026-03-02", "used_at": "2026-03-02T08:12:00Z"}])
    );
    assert_eq!(anas["never_came"][0]["kind"], "day_pass", "{anas}");
    assert_eq!(anas["never_came"][0]["id"], unused.id.0);
    assert_eq!(
        anas["never_came"].as_array().unwrap().len(),
        1,
        "today's pass was used"
    );

    let (_, bens_ledger) = hub
        .call(Who::Staff, Method::GET, &ledger_of(ben), None)
        .await;
    assert_eq!(
        bens_ledger["entries"][1]["entitled"], false,
        "{bens_ledger}"
    );
    assert!(
        bens_ledger["entries"][1]["reason"]["cause"].is_string(),
        "the Access page's cause of the closed door: {bens_ledger}"
    );
    let denied = &bens_ledger["entries"][0];
    assert_eq!(
        (&denied["opened"], &denied["entitled"], &denied["refusal"]),
        (
            &json!(false),
            &json!(false),
            &json!("You do not have access to this lock.")
        ),
        "denied at the door with Kisi's reason: {bens_ledger}"
    );
    assert!(
        denied["reason"]["cause"].is_string(),
        "and why Doorlink gave him no access: {bens_ledger}"
    );
    let (status, _) = hub
        .call(Who::Member, Method::GET, &ledger_of(ana), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
