//! Every list and answer the client reads, through the emulator's `null_flags` fault: each boolean
//! Kisi sends is `null` (as Kisi's own `GET /locks` example does for the restriction flags) and
//! each object carries a field Doorlink has never seen. Nothing is lost, nothing fails.

use crate::common;

use common::*;
use kisi::{LockFilter, NewRoleAssignment};
use kisi_emulator::Fault;

#[tokio::test]
async fn a_proxy_that_nulls_every_flag_loses_no_record_of_any_list() {
    let fixture = Fixture::start().await;
    let admin = &fixture.admin;
    let before = (
        admin.places().await.unwrap().len(),
        admin.locks(&LockFilter::default()).await.unwrap().len(),
        admin.groups(&[]).await.unwrap().len(),
    );
    let member = fixture.user(MEMBER_EMAIL);
    let group = fixture.group("Members");
    fixture.emulator.control().inject(Fault::NullFlags);

    let created = admin
        .create_role_assignment(&NewRoleAssignment {
            user_id: member,
            group_id: group,
            valid_from: None,
            valid_until: None,
        })
        .await
        .unwrap();
    let locks = admin.locks(&LockFilter::default()).await.unwrap();
    assert!(locks.iter().all(|lock| !lock.reader_restriction_enabled));
    assert_eq!(
        (
            admin.places().await.unwrap().len(),
            locks.len(),
            admin.groups(&[]).await.unwrap().len(),
        ),
        before
    );
    let users = admin.find_users(MEMBER_EMAIL).await.unwrap();
    assert!(!users.is_empty() && users.iter().all(|user| !user.confirmed));
    let held = admin.role_assignments_of_user(member).await.unwrap();
    assert!(held.iter().any(|ra| ra.id == created.id));
    assert!(!admin.group_locks(group).await.unwrap().is_empty());
    admin.current_user().await.unwrap();
}
