//! A4: a door Kisi refuses is explained by one cause, whichever way the person pressed it: through
//! the hub (the browser) or straight at Kisi with their own login (the desktop app).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test stops loudly"
)]

use crate::kisi_space;

use doorlink_api::common::{Cause, Reason};
use kisi::{Connection, KisiClient, KisiConfig, LockId, RoleAssignmentId, Secret, UnlockContext};
use kisi_space::KisiSpace;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_unlock_has_one_cause_from_hub_to_desktop() {
    let space = KisiSpace::start().await;
    // Someone removes Ana's access by hand in the Kisi dashboard; Doorlink still gives her the door.
    let admin = KisiClient::new(KisiConfig {
        connection: Connection::new(space.kisi.base_url()),
        credential: Secret::new(space.kisi.seed_ids().unwrap().owner_api_key.clone()),
    })
    .unwrap();
    for assignment in space.ana_assignments_in(space.room_group) {
        admin
            .delete_role_assignment(RoleAssignmentId(i64::try_from(assignment.id).unwrap()))
            .await
            .unwrap();
    }

    let by_hub = space.ana_unlocks_the_room().await;
    let hub_reason: Reason = serde_json::from_value(by_hub["reason"].clone()).unwrap();

    // The desktop app: Ana's own Kisi login, straight at Kisi, its refusal worded by the one map.
    let secret = space.ana_login_secret().await;
    let kisi = KisiClient::new(KisiConfig {
        connection: Connection::new(space.kisi.base_url()),
        credential: Secret::new(secret),
    })
    .unwrap();
    let error = kisi
        .unlock(LockId(space.room_lock), &UnlockContext::default())
        .await
        .unwrap_err();
    let desktop_reason = doorlink_hub::refusal_reason(
        doorlink_sync::unlock_refusal(&error),
        "Meeting Room Elbe",
        doorlink_sync::kisi_error_code(&error).as_deref(),
        doorlink_core::Audience::Member,
    );

    assert_eq!(by_hub["unlocked"], false, "{by_hub}");
    assert_eq!(hub_reason.cause, Cause::NoCurrentAccess, "{by_hub}");
    assert_eq!(hub_reason, desktop_reason);
    assert!(
        !hub_reason.message.contains("You do not have access"),
        "Kisi's own text is logged, not shown: {}",
        hub_reason.message
    );
    space.stop().await;
}
