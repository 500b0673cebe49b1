//! Reading the location's Kisi directory (places, groups with their locks and app settings, locks
//! with their restriction flags and their state: online, locked down) for the full reconcile, and storing it through the store's mirror, which marks what Kisi
//! stopped listing as orphaned (C4). Mapped targets Kisi never listed are marked here.

use std::collections::{BTreeMap, BTreeSet};

use doorlink_core::{AccessTarget, DoorState, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId};
use doorlink_store::{DirectoryGroup, DirectoryPlace, KisiDirectory, Store};
use kisi::{Group, GroupId, Lock, LockFilter, LockId, Place};

use crate::audit::{AuditedKisi, CallInfo};
use crate::error::{Result, SyncError};
use crate::mirror::Mirror;

/// What Kisi listed at one reconcile.
#[derive(Debug, Clone, Default)]
pub(crate) struct DirectorySnapshot {
    pub(crate) places: Vec<Place>,
    pub(crate) groups: Vec<Group>,
    pub(crate) locks: Vec<Lock>,
    pub(crate) group_locks: BTreeMap<GroupId, BTreeSet<LockId>>,
    /// M8: groups with members Doorlink did not add.
    pub(crate) shared_groups: BTreeSet<GroupId>,
}

impl DirectorySnapshot {
    pub(crate) fn lists_group(&self, group: KisiGroupId) -> bool {
        self.groups.iter().any(|g| g.id.0 == group.0)
    }

    fn lists_lock(&self, lock: KisiLockId) -> bool {
        self.locks.iter().any(|l| l.id.0 == lock.0)
    }
}

/// C4: the mapped groups and locks Kisi does not have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Orphans {
    pub groups: BTreeSet<KisiGroupId>,
    pub locks: BTreeSet<KisiLockId>,
}

/// Places, groups (with their locks) and locks, as Kisi lists them now.
pub(crate) async fn read_directory(kisi: &AuditedKisi) -> Result<DirectorySnapshot> {
    let client = &kisi.client;
    let places = kisi
        .call(
            CallInfo::new("read Kisi places", "GET", "/places", None),
            client.places(),
        )
        .await
        .map_err(|e| SyncError::kisi("read Kisi places", e))?;
    let groups = kisi
        .call(
            CallInfo::new("read Kisi groups", "GET", "/groups", None),
            client.groups(&[]),
        )
        .await
        .map_err(|e| SyncError::kisi("read Kisi groups", e))?;
    let locks = kisi
        .call(
            CallInfo::new("read Kisi locks", "GET", "/locks", None),
            client.locks(&LockFilter::default()),
        )
        .await
        .map_err(|e| SyncError::kisi("read Kisi locks", e))?;
    let mut group_locks = BTreeMap::new();
    for group in &groups {
        let info = CallInfo::new(
            if group.name.is_empty() {
                "read the locks of a Kisi group with no name".to_owned()
            } else {
                format!("read the locks of group \"{}\"", group.name)
            },
            "GET",
            format!("/group_locks?group_id={}", group.id),
            None,
        );
        let locks = kisi
            .call(info, client.group_locks(group.id))
            .await
            .map_err(|e| SyncError::kisi("read a group's locks", e))?;
        group_locks.insert(group.id, locks.into_iter().map(|gl| gl.lock_id).collect());
    }
    Ok(DirectorySnapshot {
        places,
        groups,
        locks,
        group_locks,
        shared_groups: BTreeSet::new(),
    })
}

/// Stores the snapshot and marks mapped targets Kisi does not list as orphaned; returns them.
pub(crate) async fn save_snapshot(
    store: &Store,
    mirror: Mirror<'_>,
    location: doorlink_core::LocationId,
    snapshot: &DirectorySnapshot,
) -> Result<Orphans> {
    store
        .kisi_mirror()
        .replace_directory(location, &to_directory(snapshot))
        .await?;
    let mut orphans = Orphans::default();
    for target in mirror.mapped_targets().await? {
        match target {
            AccessTarget::Group(group) if !snapshot.lists_group(group) => {
                mirror.mark_group_orphaned(group).await?;
                orphans.groups.insert(group);
            }
            AccessTarget::Lock(lock) if !snapshot.lists_lock(lock) => {
                mirror.mark_lock_orphaned(lock).await?;
                orphans.locks.insert(lock);
            }
            _ => {}
        }
    }
    for orphan in &orphans.groups {
        tracing::warn!(
            location = location.0,
            group = orphan.0,
            "a mapped Kisi group is gone; marked orphaned (C4)"
        );
    }
    for orphan in &orphans.locks {
        tracing::warn!(
            location = location.0,
            lock = orphan.0,
            "a mapped Kisi lock is gone; marked orphaned (C4)"
        );
    }
    Ok(orphans)
}

fn to_directory(snapshot: &DirectorySnapshot) -> KisiDirectory {
    let places = snapshot
        .places
        .iter()
        .map(|p| DirectoryPlace {
            id: KisiPlaceId(p.id.0),
            name: p.name.clone(),
        })
        .collect();
    let groups = snapshot
        .groups
        .iter()
        .map(|g| DirectoryGroup {
            id: KisiGroupId(g.id.0),
            name: g.name.clone(),
            place: g.place_id.map(|p| KisiPlaceId(p.0)),
            locks: snapshot
                .group_locks
                .get(&g.id)
                .into_iter()
                .flatten()
                .map(|l| KisiLockId(l.0))
                .collect(),
            reader_restriction: g.reader_restriction_enabled,
            geofence_restriction: g.geofence_restriction_enabled,
            time_restriction: g.time_restriction_enabled,
            has_foreign_members: snapshot.shared_groups.contains(&g.id),
            app_access: g.login_enabled,
            primary_device_restriction: g.primary_device_restriction_enabled,
        })
        .collect();
    let locks = snapshot
        .locks
        .iter()
        .map(|l| KisiLock {
            id: KisiLockId(l.id.0),
            name: l.name.clone(),
            place: l.place_id.map(|p| KisiPlaceId(p.0)),
            reader_restriction: l.reader_restriction_enabled,
            geofence_restriction: l.geofence_restriction_enabled,
            time_restriction: l.time_restriction_enabled,
            // Kept as Kisi said it: `null` stays unknown, never "offline" (docs/kisi-api.md).
            state: DoorState {
                online: l.online,
                locked_down: l.locked_down,
                read_at: None,
            },
        })
        .collect();
    KisiDirectory {
        places,
        groups,
        locks,
    }
}
