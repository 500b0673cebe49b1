//! M7: the group Doorlink creates and owns for a single lock, and what happens when a group a
//! grant goes through was deleted in Kisi (C4).

use doorlink_core::{AccessTarget, KisiGroupId, KisiLockId};
use kisi::{LockFilter, LockId, NewGroup};

use super::Applier;
use crate::audit::CallInfo;
use crate::error::{Result, SyncError};

/// The prefix of the groups Doorlink creates for single locks (M7).
pub const LOCK_GROUP_PREFIX: &str = "Doorlink · ";

/// The marker in a per-lock group's description that says which lock it is for.
fn lock_group_marker(lock: KisiLockId) -> String {
    format!("[doorlink:lock:{lock}]")
}

impl Applier<'_> {
    /// M7: Doorlink's group for one lock, found by its marker or created, with the lock in it.
    pub(super) async fn create_lock_group(&self, lock: KisiLockId) -> Result<KisiGroupId> {
        if let Some(&group) = self.mirror().directory().await?.lock_groups.get(&lock) {
            return Ok(group);
        }
        let marker = lock_group_marker(lock);
        // Groups are few and this runs once per lock, so always look for a group left by a run
        // whose answer was lost rather than risk a second "Doorlink · …" group.
        let info = CallInfo::new("list Kisi groups", "GET", "/groups", None);
        let groups = self
            .kisi
            .call(info, self.kisi.client.groups(&[]))
            .await
            .map_err(|e| SyncError::kisi("list Kisi groups", e))?;
        let existing = groups.into_iter().find(|g| {
            g.description
                .as_deref()
                .is_some_and(|d| d.contains(&marker))
        });
        let (group, fresh) = match existing {
            Some(group) => (group.id, false),
            None => {
                let name = self.lock_name(lock).await?;
                let new = NewGroup {
                    name: format!("{LOCK_GROUP_PREFIX}{name}"),
                    description: Some(format!(
                        "Created by Doorlink to grant the single lock {name}. Do not add members by hand. {marker}"
                    )),
                };
                let info = CallInfo::new(
                    format!("create Doorlink's group for lock \"{name}\" (M7)"),
                    "POST",
                    "/groups",
                    None,
                );
                let group = self
                    .kisi
                    .call(info, self.kisi.client.create_group(&new))
                    .await
                    .map_err(|e| SyncError::kisi("create a per-lock group", e))?;
                (group.id, true)
            }
        };
        let has_lock = if fresh {
            false
        } else {
            let info = CallInfo::new(
                format!(
                    "list the locks of Doorlink's group for {}",
                    self.words().lock(lock).await
                ),
                "GET",
                format!("/group_locks?group_id={group}"),
                None,
            );
            self.kisi
                .call(info, self.kisi.client.group_locks(group))
                .await
                .map_err(|e| SyncError::kisi("list the locks of a group", e))?
                .iter()
                .any(|gl| gl.lock_id.0 == lock.0)
        };
        if !has_lock {
            let info = CallInfo::new(
                format!(
                    "put {} into Doorlink's group for it (M7)",
                    self.words().lock(lock).await
                ),
                "POST",
                "/group_locks",
                None,
            );
            self.kisi
                .call(
                    info,
                    self.kisi.client.add_lock_to_group(group, LockId(lock.0)),
                )
                .await
                .map_err(|e| SyncError::kisi("add a lock to its per-lock group", e))?;
        }
        let group = KisiGroupId(group.0);
        self.mirror().save_lock_group(lock, group).await?;
        Ok(group)
    }

    /// The lock's name from the directory, or from Kisi when the directory has not been read yet.
    async fn lock_name(&self, lock: KisiLockId) -> Result<String> {
        if let Some(name) = self.mirror().lock_name(lock).await? {
            return Ok(name);
        }
        let filter = LockFilter {
            place_id: None,
            ids: vec![LockId(lock.0)],
        };
        let info = CallInfo::new(
            "read the name of a lock Doorlink has no name for yet".to_owned(),
            "GET",
            format!("/locks?ids={lock}"),
            None,
        );
        let locks = self
            .kisi
            .call(info, self.kisi.client.locks(&filter))
            .await
            .map_err(|e| SyncError::kisi("read a lock", e))?;
        Ok(locks
            .into_iter()
            .find(|l| l.id.0 == lock.0)
            .map_or_else(|| format!("lock {lock}"), |l| l.name))
    }

    /// The Kisi group a target is granted through; a deleted one is recorded as such (C4, and a
    /// per-lock group is forgotten so the next run creates it again).
    pub(super) async fn group_for(&self, target: AccessTarget) -> Result<KisiGroupId> {
        match target {
            AccessTarget::Group(group) => Ok(group),
            AccessTarget::Lock(lock) => self.create_lock_group(lock).await,
        }
    }

    pub(super) async fn group_deleted(
        &self,
        target: AccessTarget,
        group: KisiGroupId,
    ) -> Result<()> {
        match target {
            AccessTarget::Group(_) => self.mirror().mark_group_orphaned(group).await,
            AccessTarget::Lock(lock) => self.mirror().remove_lock_group(lock).await,
        }
    }
}
