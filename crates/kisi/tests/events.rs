//! Events: the unlock audit trail.

use crate::common;

use common::*;
use kisi::{KisiError, UnlockContext};

#[tokio::test]
async fn unlocks_and_refusals_appear_in_the_event_log() {
    let fixture = Fixture::start().await;
    fixture
        .admin
        .unlock(fixture.lock("Front door"), &UnlockContext::default())
        .await
        .unwrap();
    let refused = fixture
        .admin
        .unlock(fixture.lock("Reader door"), &UnlockContext::default())
        .await;
    assert!(matches!(refused, Err(KisiError::ReaderRestricted { .. })));

    let events = fixture.admin.events().await.unwrap();
    let unlocks: Vec<_> = events
        .iter()
        .filter(|event| event.kind == "lock.unlock")
        .collect();
    assert_eq!(unlocks.len(), 2, "{events:?}");
    let opened = unlocks
        .iter()
        .find(|event| event.success == Some(true))
        .unwrap();
    assert_eq!(opened.object_name.as_deref(), Some("Front door"));
    assert_eq!(opened.actor_id, Some(fixture.owner().0));
    let refused = unlocks
        .iter()
        .find(|event| event.success == Some(false))
        .unwrap();
    assert_eq!(refused.object_name.as_deref(), Some("Reader door"));
    assert!(
        refused
            .error_message
            .as_deref()
            .is_some_and(|m| m.contains("Reader restriction"))
    );
}
