//! `GET /api/me/access` through the router (no socket) in a location of 2,000 members, each with a
//! subscription and a linked Kisi user: the per-request cost of the Access page.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fixture stops loudly"
)]

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::Request;
use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use doorlink_core::{
    DoorAccess, DoorState, Email, Holder, ItemKind, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId,
    KisiUserId, PaymentStatus,
};
use doorlink_hub::testing::open_session;
use doorlink_hub::{AppState, HubConfig, app};
use doorlink_store::{
    AccountRole, DirectoryGroup, DirectoryPlace, KisiDirectory, MirrorUser, NewItem, NewLocation,
    NewSubscription, Store,
};
use tower::ServiceExt;

const PEOPLE: usize = 2_000;

async fn space() -> (axum::Router, String) {
    let store = Store::open_in_memory().await.unwrap();
    let mut config = HubConfig::with_database(":memory:");
    config.run_sync_worker = false;
    let state = AppState::new(store, config);
    let store = state.store();
    let location = store
        .locations()
        .create(&NewLocation::new("Harbor", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    store
        .kisi_mirror()
        .replace_directory(
            location,
            &KisiDirectory {
                places: vec![DirectoryPlace {
                    id: KisiPlaceId(1),
                    name: "Harbor".into(),
                }],
                groups: vec![DirectoryGroup {
                    id: KisiGroupId(1),
                    name: "Members".into(),
                    place: Some(KisiPlaceId(1)),
                    locks: BTreeSet::from([KisiLockId(1)]),
                    reader_restriction: false,
                    geofence_restriction: false,
                    time_restriction: false,
                    has_foreign_members: false,
                    app_access: Some(true),
                    primary_device_restriction: Some(false),
                }],
                locks: vec![KisiLock {
                    id: KisiLockId(1),
                    name: "Front door".into(),
                    place: Some(KisiPlaceId(1)),
                    reader_restriction: false,
                    geofence_restriction: false,
                    time_restriction: false,
                    state: DoorState::default(),
                }],
            },
        )
        .await
        .unwrap();
    let plan = store
        .catalog()
        .create_plan(location, "Hot desk", &DoorAccess::groups([KisiGroupId(1)]))
        .await
        .unwrap();
    let mut last = None;
    for n in 0..PEOPLE {
        let email = format!("member{n}@example.com");
        let person = store
            .people()
            .create(&format!("Member {n}"), &email)
            .await
            .unwrap();
        store
            .subscriptions()
            .create(&NewSubscription {
                location,
                holder: Holder::Person(person.id),
                start: Utc::now().date_naive() - Duration::days(10),
                end: None,
                items: vec![NewItem::inheriting(ItemKind::Plan(plan.id))],
                beneficiaries: BTreeSet::new(),
                payment_status: PaymentStatus::Paid,
            })
            .await
            .unwrap();
        store
            .kisi_mirror()
            .save_user(
                location,
                person.id,
                &MirrorUser {
                    kisi_user: KisiUserId(10_000 + n as i64),
                    kisi_email: email.clone(),
                    confirmed: true,
                    owned: true,
                },
            )
            .await
            .unwrap();
        last = Some((person, email));
    }
    let (person, email) = last.unwrap();
    let account = store
        .accounts()
        .create(
            &Email::parse(&email).unwrap(),
            AccountRole::Member,
            Some(person.id),
            "$argon2id$unused",
        )
        .await
        .unwrap();
    let token = open_session(&state, &account).await.unwrap().token;
    (app(state), token)
}

fn me_access(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (router, token) = runtime.block_on(space());
    c.bench_function("GET /api/me/access, 2,000 members", |b| {
        b.to_async(&runtime).iter(|| {
            let request = Request::get("/api/me/access")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            let router = router.clone();
            async move {
                let response = router.oneshot(request).await.unwrap();
                assert!(response.status().is_success());
            }
        });
    });
}

criterion_group!(benches, me_access);
criterion_main!(benches);
