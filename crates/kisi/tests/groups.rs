//! Groups and group locks.

use crate::common;

use common::*;
use kisi::{GroupId, KisiError, NewGroup};

#[tokio::test]
async fn groups_lists_every_group_and_filters_by_ids() {
    let fixture = Fixture::start().await;
    let all = fixture.admin.groups(&[]).await.unwrap();
    let mut names: Vec<_> = all.iter().map(|group| group.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Annex", "Members"]);
    let members = all.iter().find(|group| group.name == "Members").unwrap();
    assert_eq!(members.description.as_deref(), Some("Everyone with a plan"));

    let only = fixture
        .admin
        .groups(&[fixture.group("Annex")])
        .await
        .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].id, fixture.group("Annex"));
}

#[tokio::test]
async fn create_group_returns_it_and_it_is_listed() {
    let fixture = Fixture::start().await;
    let new = NewGroup {
        name: "Meeting room Ada".to_owned(),
        description: Some("Bookable".to_owned()),
    };
    let created = fixture.admin.create_group(&new).await.unwrap();
    assert_eq!(created.name, "Meeting room Ada");
    assert_eq!(created.description.as_deref(), Some("Bookable"));
    let listed = fixture.admin.groups(&[created.id]).await.unwrap();
    assert_eq!(listed.first().map(|group| group.id), Some(created.id));
}

#[tokio::test]
async fn create_group_without_a_name_is_invalid_and_names_the_field() {
    let fixture = Fixture::start().await;
    let err = fixture
        .admin
        .create_group(&NewGroup {
            name: String::new(),
            description: None,
        })
        .await
        .unwrap_err();
    let KisiError::Invalid { fields, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(fields.contains_key("name"), "{fields:?}");
}

#[tokio::test]
async fn group_locks_can_be_listed_added_and_removed() {
    let fixture = Fixture::start().await;
    let annex = fixture.group("Annex");
    let before = fixture.admin.group_locks(annex).await.unwrap();
    assert_eq!(
        before.iter().map(|gl| gl.lock_id).collect::<Vec<_>>(),
        vec![fixture.lock("Annex door")]
    );

    let added = fixture
        .admin
        .add_lock_to_group(annex, fixture.lock("Front door"))
        .await
        .unwrap();
    assert_eq!(
        (added.group_id, added.lock_id),
        (annex, fixture.lock("Front door"))
    );
    assert_eq!(fixture.admin.group_locks(annex).await.unwrap().len(), 2);

    fixture.admin.remove_group_lock(added.id).await.unwrap();
    assert_eq!(fixture.admin.group_locks(annex).await.unwrap(), before);
}

#[tokio::test]
async fn a_deleted_group_is_reported_as_not_found() {
    let fixture = Fixture::start().await;
    let annex = fixture.group("Annex");
    fixture
        .emulator
        .control()
        .delete_group(annex.0.unsigned_abs())
        .unwrap();
    let err = fixture
        .admin
        .add_lock_to_group(annex, fixture.lock("Front door"))
        .await
        .unwrap_err();
    let KisiError::GroupNotFound { message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(message, "Group is not found");
}

#[tokio::test]
async fn a_group_id_that_never_existed_is_forbidden_not_not_found() {
    let fixture = Fixture::start().await;
    let err = fixture
        .admin
        .group_locks(GroupId(987_654))
        .await
        .unwrap_err();
    assert!(matches!(err, KisiError::Forbidden { .. }), "{err:?}");
    assert!(err.to_string().contains("does not exist"));
}

#[tokio::test]
async fn groups_doorlink_creates_let_members_unlock_from_an_app() {
    // Kisi's "Allow App Access" off (the emulator's reading of an absent `login_enabled`) would
    // refuse every unlock from the Access page.
    let fixture = Fixture::start().await;
    let new = NewGroup {
        name: "Studio".to_owned(),
        description: None,
    };
    let created = fixture.admin.create_group(&new).await.unwrap();
    assert_eq!(created.login_enabled, Some(true), "{created:?}");
}
