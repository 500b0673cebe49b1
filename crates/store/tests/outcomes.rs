//! Outcome events, their deliveries and revocation receipts (issue 15), on SQLite and (with
//! `DOORLINK_TEST_BACKEND=postgres`) PostgreSQL. Adversaries: a run that confirms the same
//! revocation twice (after a crash), two senders claiming at once, a sender that dies holding its
//! claims, an endpoint that keeps failing, a paused endpoint and another location's endpoint.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use std::time::Duration;

use chrono::Duration as Span;
use doorlink_core::LocationId;
use doorlink_core::outcome::{Outcome, PingOutcome};
use doorlink_store::{
    Attempt, DeliveryStatus, NewOutcomeEndpoint, NewReceipt, OutcomeEndpointId, SecretValue, Store,
};

use crate::common;
use common::file_store;
use common::space::space;

async fn endpoint(
    store: &Store,
    events: &[&str],
    location: Option<LocationId>,
    enabled: bool,
) -> OutcomeEndpointId {
    store
        .outcomes()
        .create_endpoint(
            &NewOutcomeEndpoint {
                url: "https://example.com/hooks".into(),
                description: String::new(),
                events: events.iter().map(|e| (*e).to_owned()).collect(),
                location,
                enabled,
            },
            &SecretValue::new("s3cret"),
        )
        .await
        .unwrap()
        .id
}

fn ping(n: u32) -> Outcome {
    Outcome::Ping(PingOutcome {
        message: format!("ping {n}"),
    })
}

#[tokio::test]
async fn a_revocation_confirmed_twice_is_kept_once_for_the_endpoints_that_asked_for_it() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    // Before anyone listens, a revocation keeps its receipt and no event.
    store
        .revocations()
        .record(&NewReceipt {
            location: s.location,
            person: s.ana.id,
            person_name: s.ana.name.clone(),
            what: "group \"Room Elbe\"".into(),
            key: "role_assignment 76".into(),
            ended_at: clock.now(),
            confirmed_at: clock.now(),
        })
        .await
        .unwrap();
    let asked = endpoint(&store, &["revocation.completed"], None, true).await;
    let other_type = endpoint(&store, &["unlock.denied"], None, true).await;
    let paused = endpoint(&store, &["revocation.completed"], None, false).await;
    let elsewhere = store
        .locations()
        .create(&doorlink_store::NewLocation::new("Other", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    let other_location = endpoint(&store, &["revocation.completed"], Some(elsewhere), true).await;
    let receipt = NewReceipt {
        location: s.location,
        person: s.ana.id,
        person_name: s.ana.name.clone(),
        what: "group \"Room Elbe\"".into(),
        key: "role_assignment 77".into(),
        ended_at: clock.now() - Span::seconds(3),
        confirmed_at: clock.now(),
    };
    store.revocations().record(&receipt).await.unwrap();
    store.revocations().record(&receipt).await.unwrap();

    let receipts = store
        .revocations()
        .since(s.location, clock.now() - Span::days(7))
        .await
        .unwrap();
    assert_eq!(
        receipts.len(),
        2,
        "the one before anyone listened, and this one once"
    );
    assert_eq!(receipts[0].millis(), 3000);
    assert_eq!(
        receipts[0].person_name.as_deref(),
        Some(s.ana.name.as_str())
    );
    let outcomes = store.outcomes();
    let count = |id| async move { outcomes.deliveries(id, None, None, 50).await.unwrap().len() };
    assert_eq!(count(asked).await, 1, "kept once");
    assert_eq!(count(other_type).await, 0, "asked for other events");
    assert_eq!(count(paused).await, 0, "paused: nothing kept for it");
    assert_eq!(count(other_location).await, 0, "another location's");
    let delivery = &outcomes.deliveries(asked, None, None, 50).await.unwrap()[0];
    let body: serde_json::Value = serde_json::from_str(&delivery.body).unwrap();
    assert_eq!(body["type"], "revocation.completed");
    assert_eq!(body["id"], delivery.event_id.as_str());
    assert_eq!(body["data"]["millis"], 3000);
}

#[tokio::test]
async fn two_senders_claim_each_delivery_once_and_a_dead_senders_claims_run_out() {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    endpoint(&store, &["ping"], None, true).await;
    for n in 0..6 {
        store
            .outcomes()
            .record(s.location, &format!("ping {n}"), ping(n))
            .await
            .unwrap();
    }
    let lease = Duration::from_secs(60);
    let outcomes = store.outcomes();
    let (one, two) = tokio::join!(outcomes.claim_due(4, lease), outcomes.claim_due(4, lease));
    let (one, two) = (one.unwrap(), two.unwrap());
    let mut ids: Vec<i64> = one.iter().chain(&two).map(|d| d.id.0).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        one.len() + two.len(),
        "no delivery claimed twice"
    );
    assert_eq!(ids.len(), 6);
    assert!(
        store
            .outcomes()
            .claim_due(10, lease)
            .await
            .unwrap()
            .is_empty(),
        "claimed ones wait for their sender"
    );
    // Both senders died: after the lease another takes everything over.
    clock.advance(Duration::from_secs(61));
    assert_eq!(
        store.outcomes().claim_due(10, lease).await.unwrap().len(),
        6
    );
}

#[tokio::test]
async fn a_failing_delivery_retries_then_is_given_up_and_send_again_queues_it_with_its_id_until_pruned()
 {
    let (store, clock, _dir) = file_store().await;
    let s = space(&store).await;
    let id = endpoint(&store, &["ping"], None, true).await;
    store
        .outcomes()
        .record(s.location, "ping once", ping(1))
        .await
        .unwrap();
    let outcomes = store.outcomes();
    let lease = Duration::from_secs(60);
    let due = outcomes.claim_due(10, lease).await.unwrap();
    assert_eq!(due[0].secret.expose(), "s3cret");
    let event_id = due[0].event_id.clone();
    let retry_at = clock.now() + Span::seconds(30);
    outcomes
        .settle(
            due[0].id,
            &Attempt::Failed {
                status: Some(500),
                error: "the endpoint answered 500".into(),
                retry_at: Some(retry_at),
            },
        )
        .await
        .unwrap();
    assert!(
        outcomes.claim_due(10, lease).await.unwrap().is_empty(),
        "backing off"
    );
    assert_eq!(outcomes.next_due().await.unwrap(), Some(retry_at));
    clock.advance(Duration::from_secs(30));
    let again = outcomes.claim_due(10, lease).await.unwrap();
    assert_eq!(again[0].attempts, 1);
    outcomes
        .settle(
            again[0].id,
            &Attempt::Failed {
                status: None,
                error: "could not connect to the endpoint".into(),
                retry_at: None,
            },
        )
        .await
        .unwrap();
    let failed = outcomes
        .deliveries(id, Some(DeliveryStatus::Failed), None, 50)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 2);
    assert_eq!(failed[0].last_status_code, None);
    assert!(
        outcomes
            .deliveries(id, Some(DeliveryStatus::Pending), None, 50)
            .await
            .unwrap()
            .is_empty()
    );

    let queued = outcomes.send_again(failed[0].id).await.unwrap().unwrap();
    assert_eq!(queued.status, DeliveryStatus::Pending);
    let resent = outcomes.claim_due(10, lease).await.unwrap();
    assert_eq!(resent[0].event_id, event_id, "the same idempotency key");
    outcomes
        .settle(resent[0].id, &Attempt::Delivered { status: 204 })
        .await
        .unwrap();
    let endpoint = outcomes.endpoint(id).await.unwrap().unwrap();
    assert_eq!((endpoint.pending, endpoint.failed), (0, 0));
    assert_eq!(endpoint.last_delivered_at, Some(clock.now()));
    // A month on, what was delivered is forgotten; what still waits is not.
    outcomes
        .record(s.location, "ping later", ping(2))
        .await
        .unwrap();
    let later = clock.now() + Span::days(31);
    assert_eq!(outcomes.prune(later).await.unwrap(), 1);
    let left = outcomes.deliveries(id, None, None, 50).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].status, DeliveryStatus::Pending);
    assert!(outcomes.remove_endpoint(id).await.unwrap());
    assert!(!outcomes.remove_endpoint(id).await.unwrap());
}
