//! The audit log: recording Kisi calls, filters and keyset paging.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use std::time::Duration;

use common::file_store;
use doorlink_core::{LocationId, PersonId};
use doorlink_store::{AuditFilter, AuditOutcome, NewAuditEntry, NewLocation, Store};

fn call(location: LocationId, person: Option<PersonId>, status: u16) -> NewAuditEntry {
    let failed = status >= 400;
    NewAuditEntry {
        location: Some(location),
        person,
        outbox_entry: None,
        operation: "grant Front door".to_owned(),
        http_method: "POST".to_owned(),
        path: "/role_assignments".to_owned(),
        outcome: if failed {
            AuditOutcome::Failed
        } else {
            AuditOutcome::Succeeded
        },
        http_status: Some(status),
        kisi_error_code: failed.then(|| "group_not_found".to_owned()),
        message: failed.then(|| "Group is not found".to_owned()),
        duration: Duration::from_millis(120),
    }
}

async fn location(store: &Store) -> LocationId {
    store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_recorded_call_reads_back_with_status_error_code_and_duration() {
    let (store, clock, _dir) = file_store().await;
    let location = location(&store).await;

    let id = store
        .audit()
        .record(&call(location, Some(PersonId(7)), 404))
        .await
        .unwrap();

    let page = store
        .audit()
        .list(&AuditFilter::default(), None, 10)
        .await
        .unwrap();
    assert_eq!(page.entries.len(), 1);
    let entry = &page.entries[0];
    assert_eq!(entry.id, id);
    assert_eq!(entry.at, clock.now());
    assert_eq!(entry.http_status, Some(404));
    assert_eq!(entry.kisi_error_code.as_deref(), Some("group_not_found"));
    assert_eq!(entry.outcome, AuditOutcome::Failed);
    assert_eq!(entry.duration, Duration::from_millis(120));
    assert_eq!(page.next_before, None);
}

#[tokio::test]
async fn pages_run_newest_first_without_gaps_or_repeats() {
    let (store, clock, _dir) = file_store().await;
    let location = location(&store).await;
    let mut ids = Vec::new();
    for _ in 0..7 {
        ids.push(
            store
                .audit()
                .record(&call(location, None, 200))
                .await
                .unwrap(),
        );
        clock.advance(Duration::from_secs(1));
    }

    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .audit()
            .list(&AuditFilter::default(), before, 3)
            .await
            .unwrap();
        assert!(page.entries.len() <= 3);
        seen.extend(page.entries.iter().map(|e| e.id));
        match page.next_before {
            Some(cursor) => before = Some(cursor),
            None => break,
        }
    }

    ids.reverse();
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn filters_narrow_by_location_person_outcome_and_time() {
    let (store, clock, _dir) = file_store().await;
    let kreuzberg = location(&store).await;
    let mitte = store
        .locations()
        .create(&NewLocation::new("Mitte", "Europe/Berlin"))
        .await
        .unwrap()
        .id;
    let ana = PersonId(1);
    store
        .audit()
        .record(&call(kreuzberg, Some(ana), 200))
        .await
        .unwrap();
    store
        .audit()
        .record(&call(kreuzberg, None, 500))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(3600));
    let later = clock.now();
    store
        .audit()
        .record(&call(mitte, Some(ana), 429))
        .await
        .unwrap();

    let count = |filter: AuditFilter| {
        let store = store.clone();
        async move {
            store
                .audit()
                .list(&filter, None, 100)
                .await
                .unwrap()
                .entries
                .len()
        }
    };
    assert_eq!(
        count(AuditFilter {
            location: Some(kreuzberg),
            ..AuditFilter::default()
        })
        .await,
        2
    );
    assert_eq!(
        count(AuditFilter {
            person: Some(ana),
            ..AuditFilter::default()
        })
        .await,
        2
    );
    assert_eq!(
        count(AuditFilter {
            outcome: Some(AuditOutcome::Failed),
            ..AuditFilter::default()
        })
        .await,
        2
    );
    assert_eq!(
        count(AuditFilter {
            since: Some(later),
            ..AuditFilter::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(AuditFilter {
            until: Some(later),
            outcome: Some(AuditOutcome::Failed),
            ..AuditFilter::default()
        })
        .await,
        1
    );
}
