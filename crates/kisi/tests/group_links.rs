//! Group links: visitor access links.

use crate::common;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use kisi::{KisiError, NewGroupLink};

fn visitor_link(fixture: &Fixture, group: &str) -> NewGroupLink {
    let from = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    NewGroupLink {
        name: "Visitor Vera".to_owned(),
        group_id: fixture.group(group),
        email: Some("vera@visitor.test".to_owned()),
        valid_from: Some(from),
        valid_until: Some(from + Duration::hours(3)),
    }
}

#[tokio::test]
async fn create_group_link_returns_a_secret_and_keeps_the_window() {
    let fixture = Fixture::start().await;
    let new = visitor_link(&fixture, "Members");
    let link = fixture.admin.create_group_link(&new).await.unwrap();
    assert_eq!(link.group_id, fixture.group("Members"));
    assert_eq!(link.email.as_deref(), Some("vera@visitor.test"));
    assert_eq!(
        (link.valid_from, link.valid_until),
        (new.valid_from, new.valid_until)
    );
    assert!(
        link.secret
            .as_ref()
            .is_some_and(|secret| !secret.expose().is_empty())
    );
    assert!(!format!("{link:?}").contains(link.secret.as_ref().unwrap().expose()));
}

#[tokio::test]
async fn group_link_for_a_deleted_group_is_group_not_found() {
    let fixture = Fixture::start().await;
    fixture
        .emulator
        .control()
        .delete_group(fixture.group("Annex").0.unsigned_abs())
        .unwrap();
    let err = fixture
        .admin
        .create_group_link(&visitor_link(&fixture, "Annex"))
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::GroupNotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn group_links_lists_the_links_of_a_group_and_delete_revokes_one() {
    let fixture = Fixture::start().await;
    let created = fixture
        .admin
        .create_group_link(&visitor_link(&fixture, "Members"))
        .await
        .unwrap();
    let listed = fixture
        .admin
        .group_links(fixture.group("Members"))
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|l| l.id).collect::<Vec<_>>(),
        vec![created.id]
    );
    assert!(
        fixture
            .admin
            .group_links(fixture.group("Annex"))
            .await
            .unwrap()
            .is_empty()
    );

    fixture.admin.delete_group_link(created.id).await.unwrap();
    assert!(
        fixture
            .admin
            .group_links(fixture.group("Members"))
            .await
            .unwrap()
            .is_empty()
    );
    let again = fixture
        .admin
        .delete_group_link(created.id)
        .await
        .unwrap_err();
    assert!(matches!(again, KisiError::Forbidden { .. }), "{again:?}");
}
