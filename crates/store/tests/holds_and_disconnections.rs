//! Holds (R14) and Kisi disconnections (R15), each in its own repository: every write enqueues
//! the person, and undoing what is not there is refused as not found.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use common::space::space;
use common::{drain_outbox, file_store, outbox_scopes, people_at};
use doorlink_core::DisconnectMode;
use doorlink_store::StoreError;

#[tokio::test]
async fn holding_and_disconnecting_a_person_enqueue_them_and_can_be_undone() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    drain_outbox(&store).await;

    let hold = store.holds().hold(s.location, s.ana.id).await.unwrap();
    assert_eq!(hold.since, clock.now());
    assert_eq!(
        outbox_scopes(&store).await,
        people_at(s.location, &[s.ana.id])
    );
    store
        .holds()
        .release_hold(s.location, s.ana.id)
        .await
        .unwrap();
    assert!(matches!(
        store.holds().release_hold(s.location, s.ana.id).await,
        Err(StoreError::NotFound { .. })
    ));

    let gone = store
        .kisi_disconnections()
        .disconnect_person(s.location, s.bo.id, DisconnectMode::DeleteKisiUser)
        .await
        .unwrap();
    assert_eq!(gone.mode, DisconnectMode::DeleteKisiUser);
    store
        .kisi_disconnections()
        .reconnect_person(s.location, s.bo.id)
        .await
        .unwrap();
}
