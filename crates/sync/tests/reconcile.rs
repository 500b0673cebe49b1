//! The full reconcile: drift repaired (an owned assignment deleted by hand comes back, a foreign
//! one stays), orphans marked (C4), the directory refreshed with restriction flags, and a second
//! reconcile writes nothing. Also the dry run and the connection-level operations of C3.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed read should stop the test loudly"
)]

use crate::common;

use common::*;
use doorlink_core::{AccessTarget, DoorAccess, PersonId};
use doorlink_store::{AuditFilter, KisiAuth, MappingOwner, SecretValue};
use doorlink_sync::{LOCK_GROUP_PREFIX, Notice, Operation, ReconcileReport, RunContext};
use kisi::RoleAssignmentId;

const ANA: &str = "ana@hive.test";

async fn reconcile(space: &Space) -> ReconcileReport {
    space
        .engine()
        .reconcile_location(space.location, RunContext::default())
        .await
        .unwrap()
}

/// Ana has Room A today 10:00–12:00 (Berlin), written to Kisi.
async fn ana_booked(space: &Space, access: DoorAccess) -> (PersonId, doorlink_core::ResourceId) {
    let room = space.room("Room A", access).await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    space.sync().await;
    (ana, room)
}

/// Kisi writes (POST, DELETE) in the audit log so far.
async fn kisi_writes(space: &Space) -> usize {
    let page = space
        .store
        .audit()
        .list(&AuditFilter::default(), None, 500)
        .await
        .unwrap();
    page.entries
        .iter()
        .filter(|e| e.http_method != "GET")
        .count()
}

#[tokio::test]
async fn an_assignment_deleted_in_the_kisi_dashboard_comes_back_at_the_next_reconcile() {
    let space = Space::start().await;
    ana_booked(&space, DoorAccess::groups([space.group("Room A")])).await;
    let before = space.assignments_of(ANA);
    assert_eq!(before.len(), 1);
    space
        .admin
        .delete_role_assignment(RoleAssignmentId(i64::try_from(before[0].id).unwrap()))
        .await
        .unwrap();
    assert!(space.assignments_of(ANA).is_empty());

    let report = reconcile(&space).await;

    assert_eq!(report.restored, 1);
    let after = space.assignments_of(ANA);
    assert_eq!(after.len(), 1);
    assert_eq!(
        (after[0].group_id, after[0].valid_from, after[0].valid_until),
        (
            before[0].group_id,
            before[0].valid_from,
            before[0].valid_until
        )
    );
}

#[tokio::test]
async fn a_user_deleted_in_the_kisi_dashboard_is_made_again_and_the_reconcile_does_not_stall() {
    // Found by the random campaign: Doorlink's user deleted by hand took its assignments along;
    // the reconcile forgot them and granted them again to a user Kisi no longer knew (403), and
    // failed so for ever, holding up the whole location's repair.
    let space = Space::start().await;
    let group = space.group("Room A");
    ana_booked(&space, DoorAccess::groups([group])).await;
    let old_user = space.kisi_user(ANA).unwrap();
    space
        .admin
        .delete_user(kisi::UserId(i64::try_from(old_user).unwrap()))
        .await
        .unwrap();

    space
        .store
        .outbox()
        .enqueue(
            doorlink_store::OutboxScope::Location(space.location),
            "periodic full reconcile",
        )
        .await
        .unwrap();
    space.sync_until_settled(5).await;

    let new_user = space.kisi_user(ANA).unwrap();
    assert_ne!(new_user, old_user, "a new managed user");
    assert_eq!(
        space.windows_in(ANA, group),
        vec![(
            Some(berlin("2026-03-02 09:30")),
            Some(berlin("2026-03-02 12:30"))
        )],
        "with Ana's grant"
    );
}

#[tokio::test]
async fn a_foreign_assignment_is_left_alone_and_marks_the_group_as_shared_m8() {
    let space = Space::start().await;
    ana_booked(&space, DoorAccess::groups([space.group("Room A")])).await;
    let frank = space
        .control()
        .add_regular_user("frank@elsewhere.test", "Frank", true)
        .unwrap();
    let foreign = space
        .control()
        .add_role_assignment_by_hand(frank.id, space.ids.groups["Room A"], None, None)
        .unwrap();

    let report = reconcile(&space).await;

    assert!(
        report.sync.succeeded() && report.restored == 0,
        "{report:?}"
    );
    assert!(
        space
            .kisi()
            .role_assignments
            .iter()
            .any(|a| a.id == foreign.id),
        "I4: never removed"
    );
    let shared = space
        .store
        .kisi_mirror()
        .shared_mapped_groups(space.location)
        .await
        .unwrap();
    assert_eq!(shared, vec![space.group("Room A")]);
}

#[tokio::test]
async fn a_mapped_group_deleted_in_kisi_is_marked_orphaned_with_what_it_breaks_c4() {
    let space = Space::start().await;
    let (ana, room) = ana_booked(&space, DoorAccess::groups([space.group("Room A")])).await;
    space
        .control()
        .delete_group(space.ids.groups["Room A"])
        .unwrap();

    let report = reconcile(&space).await;

    assert!(
        report.orphans.groups.contains(&space.group("Room A")),
        "{report:?}"
    );
    let orphans = space
        .store
        .kisi_mirror()
        .orphaned_targets(space.location)
        .await
        .unwrap();
    assert_eq!(orphans.len(), 1);
    assert_eq!(
        orphans[0].target,
        AccessTarget::Group(space.group("Room A"))
    );
    assert_eq!(orphans[0].used_by, vec![MappingOwner::Resource(room)]);
    let owned = space
        .store
        .kisi_mirror()
        .assignments(space.location, None)
        .await
        .unwrap();
    assert!(
        owned.is_empty(),
        "nothing is held in a deleted group: {owned:?}"
    );
    let plan = space
        .engine()
        .plan_person(space.location, ana)
        .await
        .unwrap();
    assert!(
        plan.is_empty(),
        "nothing is retried against a deleted group"
    );
    assert!(plan.notices.iter().any(|n| matches!(
        n,
        Notice::TargetOrphaned { target: AccessTarget::Group(g), .. } if *g == space.group("Room A")
    )));
}

#[tokio::test]
async fn a_group_deleted_between_reconciles_is_marked_orphaned_by_the_failing_grant() {
    let space = Space::start().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    space
        .control()
        .delete_group(space.ids.groups["Room A"])
        .unwrap();
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;

    let pass = space.sync().await;

    assert_eq!(pass.failed, 1, "Kisi said \"Group is not found\"");
    let entry = &space.store.outbox().entries(None).await.unwrap()[0];
    assert!(
        entry.last_error.as_deref().unwrap().contains("deleted"),
        "{entry:?}"
    );
    space.advance(std::time::Duration::from_secs(10));
    space.sync_until_settled(3).await;
    let orphans = space
        .store
        .kisi_mirror()
        .orphaned_targets(space.location)
        .await
        .unwrap();
    assert_eq!(
        orphans[0].target,
        AccessTarget::Group(space.group("Room A"))
    );
}

#[tokio::test]
async fn doorlinks_own_per_lock_group_deleted_in_kisi_is_made_again_m7() {
    let space = Space::start().await;
    ana_booked(&space, DoorAccess::locks([space.lock("Server Room")])).await;
    let ours = |space: &Space| {
        space
            .kisi()
            .groups
            .into_iter()
            .filter(|g| g.name.starts_with(LOCK_GROUP_PREFIX))
            .map(|g| g.id)
            .collect::<Vec<_>>()
    };
    let first = ours(&space);
    space.control().delete_group(first[0]).unwrap();

    let report = reconcile(&space).await;

    assert!(report.sync.succeeded(), "{report:?}");
    let second = ours(&space);
    assert_eq!(second.len(), 1);
    assert_ne!(second, first);
    let group = doorlink_core::KisiGroupId(i64::try_from(second[0]).unwrap());
    assert_eq!(
        space.windows_in(ANA, group),
        vec![(
            Some(berlin("2026-03-02 09:30")),
            Some(berlin("2026-03-02 12:30"))
        )]
    );
}

#[tokio::test]
async fn a_mapped_lock_deleted_in_kisi_is_marked_orphaned_c4() {
    let space = Space::start().await;
    let (_, room) = ana_booked(&space, DoorAccess::locks([space.lock("Server Room")])).await;
    space
        .control()
        .delete_lock(space.ids.locks["Server Room"])
        .unwrap();

    let report = reconcile(&space).await;

    assert!(report.orphans.locks.contains(&space.lock("Server Room")));
    let orphans = space
        .store
        .kisi_mirror()
        .orphaned_targets(space.location)
        .await
        .unwrap();
    assert_eq!(
        orphans[0].target,
        AccessTarget::Lock(space.lock("Server Room"))
    );
    assert_eq!(orphans[0].used_by, vec![MappingOwner::Resource(room)]);
}

#[tokio::test]
async fn the_directory_refresh_records_restriction_flags_for_the_explainer() {
    let space = Space::start().await;
    space
        .control()
        .set_lock_restrictions(space.ids.locks["Server Room"], true, false, false)
        .unwrap();
    space
        .control()
        .set_group_restrictions(space.ids.groups["Studio"], false, true, false)
        .unwrap();

    reconcile(&space).await;

    let view = space
        .store
        .kisi_mirror()
        .kisi_view(space.location)
        .await
        .unwrap();
    assert!(
        view.lock(space.lock("Server Room"))
            .unwrap()
            .reader_restriction
    );
    assert!(
        !view
            .lock(space.lock("Front Door"))
            .unwrap()
            .reader_restriction
    );
    let studio = view.group(space.group("Studio")).unwrap();
    assert!(studio.geofence_restriction);
    assert!(studio.locks.contains(&space.lock("Studio")));
}

#[tokio::test]
async fn a_second_reconcile_writes_nothing() {
    let space = Space::start().await;
    ana_booked(&space, DoorAccess::groups([space.group("Room A")])).await;
    reconcile(&space).await;
    let writes = kisi_writes(&space).await;

    let report = reconcile(&space).await;

    assert_eq!(report.sync.applied, 0);
    assert_eq!(kisi_writes(&space).await, writes);
}

#[tokio::test]
async fn the_dry_run_shows_the_diff_without_applying_it() {
    let space = Space::start().await;
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;
    let writes = kisi_writes(&space).await;

    let plan = space.engine().plan_location(space.location).await.unwrap();

    assert!(matches!(plan.operations[0], Operation::EnsureUser { person, .. } if person == ana));
    assert!(
        matches!(plan.operations[1], Operation::CreateAssignment { person, .. } if person == ana)
    );
    assert_eq!(plan.operations.len(), 2);
    assert_eq!(kisi_writes(&space).await, writes);
    assert!(space.kisi_user(ANA).is_none());
    assert_eq!(
        space
            .engine()
            .plan_person(space.location, ana)
            .await
            .unwrap(),
        plan,
        "the person's plan is the location's plan restricted to them"
    );
}

#[tokio::test]
async fn a_disconnected_location_gets_no_grants_and_reconnecting_catches_up_c3() {
    let space = Space::start().await;
    space.engine().disconnect(space.location).await.unwrap();
    let room = space
        .room("Room A", DoorAccess::groups([space.group("Room A")]))
        .await;
    let ana = space.person("Ana", ANA).await;
    space
        .book(
            room,
            ana,
            &[],
            berlin("2026-03-02 10:00"),
            berlin("2026-03-02 12:00"),
        )
        .await;

    space.sync().await;
    assert!(
        space.kisi_user(ANA).is_none(),
        "no grant while disconnected"
    );
    assert!(space.store.outbox().entries(None).await.unwrap().is_empty());

    space
        .store
        .locations()
        .connect(
            space.location,
            &space.emulator.base_url(),
            &KisiAuth::ApiKey,
            &SecretValue::new(space.ids.owner_api_key.clone()),
        )
        .await
        .unwrap();
    space.sync().await;
    assert_eq!(space.assignments_of(ANA).len(), 1);
}

#[tokio::test]
async fn revoking_everything_removes_what_doorlink_granted_and_nothing_else_c3() {
    let space = Space::start().await;
    ana_booked(&space, DoorAccess::groups([space.group("Room A")])).await;
    let frank = space
        .control()
        .add_regular_user("frank@elsewhere.test", "Frank", true)
        .unwrap();
    let foreign = space
        .control()
        .add_role_assignment_by_hand(frank.id, space.ids.groups["Room A"], None, None)
        .unwrap();
    space.engine().disconnect(space.location).await.unwrap();
    assert_eq!(
        space.assignments_of(ANA).len(),
        1,
        "disconnecting keeps grants"
    );

    let plan = space
        .engine()
        .plan_revoke_everything(space.location)
        .await
        .unwrap();
    assert_eq!(plan.operations.len(), 1);
    let report = space
        .engine()
        .revoke_everything(space.location)
        .await
        .unwrap();

    assert!(report.succeeded() && report.applied == 1, "{report:?}");
    assert!(space.assignments_of(ANA).is_empty());
    assert!(space.kisi_user(ANA).is_some(), "users stay");
    let remaining: Vec<_> = space.kisi().role_assignments.iter().map(|a| a.id).collect();
    assert_eq!(remaining, vec![foreign.id], "I4: the foreign grant stays");
}
