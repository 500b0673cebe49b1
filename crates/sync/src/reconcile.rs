//! The full reconcile of one location: refresh the directory (places, groups, locks and their
//! restriction flags), re-read what Doorlink owns in Kisi and repair drift (an owned assignment
//! deleted in the Kisi dashboard is forgotten so the plan grants it again; a foreign one is left
//! alone and only makes its group "shared", M8), mark what Kisi no longer has as orphaned (C4),
//! then plan and apply the whole location.

use std::collections::{BTreeMap, BTreeSet};

use doorlink_core::{KisiGroupId, KisiView, LocationId};
use doorlink_store::KisiRoleAssignmentId;
use kisi::{GroupId, KisiError, Lane};

use crate::audit::{AuditedKisi, CallInfo};
use crate::clients::Use;
use crate::directory::{DirectorySnapshot, Orphans, read_directory, save_snapshot};
use crate::engine::{RunContext, SyncEngine, SyncReport};
use crate::error::{Result, SyncError};
use crate::interlude::Interlude;
use crate::mirror::Mirror;

/// What the reconcile found besides the plan it applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    pub sync: SyncReport,
    /// Owned assignments Kisi no longer had (deleted by hand); they were granted again.
    pub restored: usize,
    /// C4: mapped groups and locks Kisi does not have.
    pub orphans: Orphans,
}

impl SyncEngine {
    /// The periodic full reconcile of one location (also what a location-wide outbox entry runs).
    pub async fn reconcile_location(
        &self,
        location: LocationId,
        context: RunContext,
    ) -> Result<ReconcileReport> {
        self.reconcile_serving(location, context, None).await
    }

    /// [`SyncEngine::reconcile_location`] as the worker runs it: person entries are served
    /// between its operations (issue 12, `interlude.rs`).
    pub(crate) async fn reconcile_serving(
        &self,
        location: LocationId,
        context: RunContext,
        interlude: Option<&dyn Interlude>,
    ) -> Result<ReconcileReport> {
        self.exclusive(location, |fence| async move {
            let kisi = self
                .kisi(location, context, Use::Sync, fence)
                .await?
                .in_lane(Lane::Bulk);
            self.reconcile_with(&kisi, location, context, interlude)
                .await
        })
        .await
    }

    async fn reconcile_with(
        &self,
        kisi: &AuditedKisi,
        location: LocationId,
        context: RunContext,
        interlude: Option<&dyn Interlude>,
    ) -> Result<ReconcileReport> {
        // Issue 12: what waits for this location already (a hold left by a worker killed while
        // its lease ran out) goes before the reading of Kisi, a call per group at 5 a second.
        // Here, before anything is read, a person's run cannot make that reading stale (a
        // per-lock group it creates, an assignment it revokes).
        if let Some(interlude) = interlude {
            interlude.serve(kisi, location).await?;
        }
        let mirror = Mirror::new(&self.store, location);
        let before = self.store.kisi_mirror().kisi_view(location).await?;
        let mut snapshot = read_directory(kisi).await?;
        let restored = check_owned_state(kisi, mirror, &mut snapshot).await?;
        let orphans = save_snapshot(&self.store, mirror, location, &snapshot).await?;
        let after = self.store.kisi_mirror().kisi_view(location).await?;
        let mut readopted = self.readopt_reconnected(kisi, location, None).await?;
        readopted.extend(self.settle_lost_creates(kisi, location, None).await?);
        let facts = self.store.load_location_facts(location).await?;
        let planned = self.plan_with(location, &facts).await?;
        let mut sync = self
            .execute_serving(kisi, location, context, planned, interlude)
            .await?;
        sync.changes.people.extend(readopted);
        if !same_kisi_state(&before, &after) || restored > 0 {
            // What Kisi holds changed under everyone linked here (a group deleted, a lock moved,
            // a restriction turned on): each of them may see a different Access page.
            sync.changes.directory = true;
            sync.changes.people.extend(after.users.keys());
        }
        Ok(ReconcileReport {
            sync,
            restored,
            orphans,
        })
    }
}

/// Whether two reads of the mirror hold the same Kisi state. When each door's state was read moves
/// at every reconcile; only what Kisi reported (a door going offline, a restriction, a group
/// deleted) is news to the people linked here.
fn same_kisi_state(before: &KisiView, after: &KisiView) -> bool {
    let unstamped = |view: &KisiView| {
        let mut view = view.clone();
        for lock in view.locks.values_mut() {
            lock.state.read_at = None;
        }
        view
    };
    unstamped(before) == unstamped(after)
}

/// Compares the owned assignments of the mirror with what Kisi lists in each group Doorlink uses,
/// and forgets per-lock groups Kisi no longer has (M7: the plan makes them again). Returns how
/// many owned assignments had disappeared.
async fn check_owned_state(
    kisi: &AuditedKisi,
    mirror: Mirror<'_>,
    snapshot: &mut DirectorySnapshot,
) -> Result<usize> {
    let owned = mirror.load(None).await?;
    let directory = mirror.directory().await?;
    for (&lock, &group) in &directory.lock_groups {
        if !snapshot.lists_group(group) {
            tracing::warn!(
                lock = lock.0,
                group = group.0,
                "Doorlink's per-lock group was deleted in Kisi; it will be created again"
            );
            mirror.remove_lock_group(lock).await?;
        }
    }

    let mut owned_by_group: BTreeMap<KisiGroupId, BTreeSet<KisiRoleAssignmentId>> = BTreeMap::new();
    for assignment in &owned.assignments {
        owned_by_group
            .entry(assignment.group)
            .or_default()
            .insert(assignment.kisi_id);
    }
    let mut restored = 0;
    for (&group, owned_ids) in &owned_by_group {
        // A group Kisi no longer lists is orphaned (C4); the plan revokes what was in it.
        if !snapshot.lists_group(group) {
            continue;
        }
        let info = CallInfo::new(
            format!(
                "read the role assignments of {}",
                mirror.words().group(group).await
            ),
            "GET",
            format!("/role_assignments?group_id={group}"),
            None,
        );
        let in_kisi = match kisi
            .call(
                info,
                kisi.client.role_assignments_of_group(GroupId(group.0)),
            )
            .await
        {
            Ok(list) => list,
            Err(KisiError::GroupNotFound { .. }) => continue,
            Err(error) => return Err(SyncError::kisi("read a group's role assignments", error)),
        };
        let present: BTreeSet<KisiRoleAssignmentId> = in_kisi
            .iter()
            .map(|a| KisiRoleAssignmentId(a.id.0))
            .collect();
        for &missing in owned_ids.difference(&present) {
            tracing::warn!(
                group = group.0,
                assignment = missing.0,
                "an owned role assignment was deleted in Kisi; it will be granted again"
            );
            mirror.remove_assignment(missing).await?;
            restored += 1;
        }
        if present.iter().any(|id| !owned_ids.contains(id)) {
            snapshot.shared_groups.insert(GroupId(group.0));
        }
    }
    // A group Doorlink holds nothing in has only others' members (M8).
    let lock_groups: BTreeSet<KisiGroupId> = directory.lock_groups.values().copied().collect();
    for group in &snapshot.groups {
        let id = KisiGroupId(group.id.0);
        if !owned_by_group.contains_key(&id)
            && !lock_groups.contains(&id)
            // A count Kisi left out reads as "has others' members": never claim a group blindly.
            && group.members_count.is_none_or(|count| count > 0)
        {
            snapshot.shared_groups.insert(group.id);
        }
    }
    Ok(restored)
}
