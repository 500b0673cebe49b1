//! "Re-sync now" starts from what Kisi holds for the person, not from Doorlink's
//! mirror: an assignment an administrator deleted by hand in Kisi comes back at once, without
//! waiting for the location's full reconcile.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::kisi_space;

use kisi::{Connection, KisiClient, KisiConfig, RoleAssignmentId, Secret};
use kisi_space::KisiSpace;
use serde_json::json;

/// The location owner's own Kisi client: what the Kisi dashboard does on their behalf.
fn kisi_dashboard(space: &KisiSpace) -> KisiClient {
    KisiClient::new(KisiConfig {
        connection: Connection {
            base_url: space.kisi.base_url(),
            rate_limit: None,
            ..Connection::default()
        },
        credential: Secret::new(space.kisi.seed_ids().unwrap().owner_api_key.clone()),
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn re_sync_now_restores_an_assignment_deleted_by_hand_in_kisi() {
    let space = KisiSpace::start().await;
    let granted = space.ana_assignments_in(space.room_group);
    assert_eq!(granted.len(), 1);
    kisi_dashboard(&space)
        .delete_role_assignment(RoleAssignmentId(i64::try_from(granted[0].id).unwrap()))
        .await
        .unwrap();
    assert!(space.ana_assignments_in(space.room_group).is_empty());

    let answer = space
        .admin
        .post(
            &format!(
                "/api/locations/{}/people/{}/resync",
                space.location, space.ana
            ),
            json!({}),
        )
        .await;
    space.sync().await;

    let restored = space.ana_assignments_in(space.room_group);
    assert_eq!(restored.len(), 1, "{answer}");
    assert_eq!(restored[0].valid_until, granted[0].valid_until);
    space.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn re_sync_now_makes_a_new_kisi_user_when_the_old_one_was_deleted_in_kisi() {
    let space = KisiSpace::start().await;
    let old_user = space.ana_user();
    kisi_dashboard(&space)
        .delete_user(kisi::UserId(i64::try_from(old_user).unwrap()))
        .await
        .unwrap();

    space
        .admin
        .post(
            &format!(
                "/api/locations/{}/people/{}/resync",
                space.location, space.ana
            ),
            json!({}),
        )
        .await;
    space.sync().await;

    assert_ne!(space.ana_user(), old_user);
    assert_eq!(space.ana_assignments_in(space.room_group).len(), 1);
    space.stop().await;
}
