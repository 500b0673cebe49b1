//! Applying one planned [`Operation`]: the Kisi call (through the audited client), then the
//! mirror update. Every operation is idempotent, so an entry that died half-way can simply run
//! again:
//! - a create whose answer was lost is found again instead of duplicated: Kisi refuses an
//!   overlapping window of one user in one group (422), and on that refusal, or before any create
//!   of an entry that already failed once, the existing object is looked up and adopted;
//! - a delete of something Kisi no longer has (403 unknown id, 404 deleted group) counts as done;
//! - the mirror changes only after Kisi confirmed, so it never claims more than Kisi holds.

use doorlink_core::{
    AccessTarget, Email, KisiGroupId, KisiLockId, KisiUserId, LocationId, PersonId, VisitId, Window,
};
use doorlink_store::{KisiGroupLinkId, KisiRoleAssignmentId, Store};
use kisi::{
    GroupId, GroupLinkId, KisiError, LockFilter, LockId, NewGroup, NewGroupLink, NewRoleAssignment,
    RoleAssignmentId, UserId,
};

use crate::audit::{AuditedKisi, CallInfo};
use crate::error::{Result, SyncError};
use crate::mirror::Mirror;
use crate::plan::Operation;
use crate::view::{MirrorAssignment, MirrorLink, MirrorUser};

/// The prefix of the groups Doorlink creates for single locks (M7).
pub const LOCK_GROUP_PREFIX: &str = "Doorlink · ";

/// Applies operations for one location.
#[derive(Debug)]
pub(crate) struct Applier<'a> {
    pub(crate) kisi: &'a AuditedKisi,
    pub(crate) store: &'a Store,
    pub(crate) location: LocationId,
    /// The entry failed or died before: look for half-done work before creating anything.
    pub(crate) cautious: bool,
}

fn kisi_group(group: KisiGroupId) -> GroupId {
    GroupId(group.0)
}

fn describe_window(window: &Window) -> String {
    match window.until() {
        Some(until) => format!("from {} until {}", window.from(), until),
        None => format!("from {}, open-ended", window.from()),
    }
}

/// The marker in a per-lock group's description that says which lock it is for.
fn lock_group_marker(lock: KisiLockId) -> String {
    format!("[doorlink:lock:{lock}]")
}

/// A 403 (unknown id) or 404 (deleted group) on a delete: the object is already gone.
fn already_gone(error: &KisiError) -> bool {
    matches!(
        error,
        KisiError::Forbidden { .. } | KisiError::GroupNotFound { .. }
    )
}

/// Kisi's "this e-mail is already taken" / "overlaps another role" answers.
fn refused_as_duplicate(error: &KisiError) -> bool {
    matches!(error, KisiError::Invalid { .. })
}

impl Applier<'_> {
    fn mirror(&self) -> Mirror<'_> {
        Mirror::new(self.store, self.location)
    }

    pub(crate) async fn apply(&self, operation: &Operation) -> Result<()> {
        match operation {
            Operation::EnsureUser {
                person,
                email,
                name,
            } => self.ensure_user(*person, email, name).await,
            Operation::CreatePerLockGroup { lock } => self.create_lock_group(*lock).await.map(drop),
            Operation::DeleteAssignment {
                person,
                assignment,
                group,
                window,
            } => {
                let info = CallInfo::new(
                    format!(
                        "revoke group {group} {} from person {person}",
                        describe_window(window)
                    ),
                    "DELETE",
                    format!("/role_assignments/{assignment}"),
                    Some(*person),
                );
                match self
                    .kisi
                    .call(info, self.kisi.client.delete_role_assignment(*assignment))
                    .await
                {
                    Ok(()) => {}
                    Err(error) if already_gone(&error) => {
                        tracing::info!(%assignment, %error, "role assignment already gone from Kisi");
                    }
                    Err(error) => return Err(SyncError::kisi("revoke a role assignment", error)),
                }
                self.mirror()
                    .remove_assignment(KisiRoleAssignmentId(assignment.0))
                    .await
            }
            Operation::CreateAssignment {
                person,
                target,
                window,
            } => self.create_assignment(*person, *target, *window).await,
            Operation::DeleteLink { person, link } => {
                let info = CallInfo::new(
                    format!("revoke visitor access link {link} of person {person}"),
                    "DELETE",
                    format!("/group_links/{link}"),
                    Some(*person),
                );
                match self
                    .kisi
                    .call(info, self.kisi.client.delete_group_link(*link))
                    .await
                {
                    Ok(()) => {}
                    Err(error) if already_gone(&error) => {}
                    Err(error) => return Err(SyncError::kisi("revoke an access link", error)),
                }
                self.mirror().remove_link(KisiGroupLinkId(link.0)).await
            }
            Operation::CreateLink {
                person,
                visit,
                email,
                name,
                target,
                window,
            } => {
                self.create_link(*person, *visit, email, name, *target, *window)
                    .await
            }
            Operation::DeleteUser { person, user } => {
                let info = CallInfo::new(
                    format!("delete the Kisi user of person {person} (R15)"),
                    "DELETE",
                    format!("/users/{user}"),
                    Some(*person),
                );
                match self
                    .kisi
                    .call(info, self.kisi.client.delete_user(UserId(user.0)))
                    .await
                {
                    Ok(()) => {}
                    Err(error) if already_gone(&error) => {}
                    Err(error) => return Err(SyncError::kisi("delete a Kisi user", error)),
                }
                self.mirror().forget_person(*person).await
            }
            Operation::ForgetPerson { person } => self.mirror().forget_person(*person).await,
        }
    }

    /// I1, I2, I3: create a managed user; when Kisi already has a user with the e-mail (a 422
    /// "taken", e.g. added by hand or created by a run whose answer was lost), link to it instead,
    /// as not owned (I4: Doorlink cannot prove it created it, so it will never delete it).
    async fn ensure_user(&self, person: PersonId, email: &Email, name: &str) -> Result<()> {
        if self.mirror().user(person).await?.is_some() {
            return Ok(());
        }
        let display_name = if name.trim().is_empty() {
            email.as_str()
        } else {
            name
        };
        let new = kisi::NewUser {
            email: email.as_str().to_owned(),
            name: display_name.to_owned(),
        };
        let info = CallInfo::new(
            format!("create a managed Kisi user for person {person}"),
            "POST",
            "/users",
            Some(person),
        );
        let (user, owned) = match self
            .kisi
            .call(info, self.kisi.client.create_managed_user(&new))
            .await
        {
            Ok(user) => (user, true),
            Err(error) if refused_as_duplicate(&error) => {
                let info = CallInfo::new(
                    format!("find the Kisi user of person {person} by e-mail"),
                    "GET",
                    "/users?query=<e-mail>",
                    Some(person),
                );
                let found = self
                    .kisi
                    .call(info, self.kisi.client.find_user_by_email(email.as_str()))
                    .await
                    .map_err(|e| SyncError::kisi("find a Kisi user by e-mail", e))?;
                let Some(user) = found else {
                    return Err(SyncError::kisi("create a managed Kisi user", error));
                };
                if !user.confirmed {
                    tracing::warn!(
                        person = person.0,
                        user = user.id.0,
                        "the Kisi user is an unconfirmed regular user (I3); they must confirm their e-mail"
                    );
                }
                (user, false)
            }
            Err(error) => return Err(SyncError::kisi("create a managed Kisi user", error)),
        };
        let linked = MirrorUser {
            kisi_user: KisiUserId(user.id.0),
            kisi_email: user.email.to_lowercase(),
            confirmed: user.confirmed,
            owned,
        };
        self.mirror().save_user(person, &linked).await
    }

    /// M7: Doorlink's group for one lock, found by its marker or created, with the lock in it.
    async fn create_lock_group(&self, lock: KisiLockId) -> Result<KisiGroupId> {
        if let Some(&group) = self.mirror().catalogue().await?.lock_groups.get(&lock) {
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
                    format!("create Doorlink's group for lock {lock} (M7)"),
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
                format!("list the locks of group {group}"),
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
                format!("put lock {lock} into Doorlink's group {group} (M7)"),
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

    /// The lock's name from the catalogue, or from Kisi when the catalogue has not been read yet.
    async fn lock_name(&self, lock: KisiLockId) -> Result<String> {
        if let Some(name) = self.mirror().lock_name(lock).await? {
            return Ok(name);
        }
        let filter = LockFilter {
            place_id: None,
            ids: vec![LockId(lock.0)],
        };
        let info = CallInfo::new(
            format!("read lock {lock}"),
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
    async fn group_for(&self, target: AccessTarget) -> Result<KisiGroupId> {
        match target {
            AccessTarget::Group(group) => Ok(group),
            AccessTarget::Lock(lock) => self.create_lock_group(lock).await,
        }
    }

    async fn group_deleted(&self, target: AccessTarget, group: KisiGroupId) -> Result<()> {
        match target {
            AccessTarget::Group(_) => self.mirror().mark_group_orphaned(group).await,
            AccessTarget::Lock(lock) => self.mirror().remove_lock_group(lock).await,
        }
    }

    async fn create_assignment(
        &self,
        person: PersonId,
        target: AccessTarget,
        window: Window,
    ) -> Result<()> {
        let user = self
            .mirror()
            .user(person)
            .await?
            .ok_or(SyncError::NoKisiUser { person })?;
        let group = self.group_for(target).await?;
        let owned = |id: RoleAssignmentId| MirrorAssignment {
            kisi_id: KisiRoleAssignmentId(id.0),
            person,
            group,
            target,
            window,
        };
        if self.cautious
            && let Some(id) = self
                .find_assignment(person, user.kisi_user, group, window)
                .await?
        {
            return self.mirror().add_assignment(&owned(id)).await;
        }
        let new = NewRoleAssignment {
            user_id: UserId(user.kisi_user.0),
            group_id: kisi_group(group),
            valid_from: Some(window.from()),
            valid_until: window.until(),
        };
        let info = CallInfo::new(
            format!(
                "grant group {group} to person {person} {}",
                describe_window(&window)
            ),
            "POST",
            "/role_assignments",
            Some(person),
        );
        match self
            .kisi
            .call(info, self.kisi.client.create_role_assignment(&new))
            .await
        {
            Ok(created) => self.mirror().add_assignment(&owned(created.id)).await,
            Err(error) if refused_as_duplicate(&error) => {
                match self
                    .find_assignment(person, user.kisi_user, group, window)
                    .await?
                {
                    Some(id) => self.mirror().add_assignment(&owned(id)).await,
                    None => Err(SyncError::kisi("grant a role assignment", error)),
                }
            }
            Err(error @ KisiError::GroupNotFound { .. }) => {
                self.group_deleted(target, group).await?;
                Err(SyncError::kisi("grant a role assignment", error))
            }
            Err(error) => Err(SyncError::kisi("grant a role assignment", error)),
        }
    }

    /// The user's assignment in `group` with exactly `window`, if Kisi has one (a create whose
    /// answer was lost).
    async fn find_assignment(
        &self,
        person: PersonId,
        user: KisiUserId,
        group: KisiGroupId,
        window: Window,
    ) -> Result<Option<RoleAssignmentId>> {
        let info = CallInfo::new(
            format!("look for a grant of group {group} to person {person} already in Kisi"),
            "GET",
            format!("/role_assignments?user_id={user}"),
            Some(person),
        );
        let existing = self
            .kisi
            .call(
                info,
                self.kisi.client.role_assignments_of_user(UserId(user.0)),
            )
            .await
            .map_err(|e| SyncError::kisi("list a user's role assignments", e))?;
        Ok(existing
            .into_iter()
            .find(|a| {
                a.group_id == Some(kisi_group(group))
                    && a.valid_from == Some(window.from())
                    && a.valid_until == window.until()
            })
            .map(|a| a.id))
    }

    async fn create_link(
        &self,
        person: PersonId,
        visit: VisitId,
        email: &Email,
        name: &str,
        target: AccessTarget,
        window: Window,
    ) -> Result<()> {
        let group = self.group_for(target).await?;
        let owned = |id: GroupLinkId| MirrorLink {
            kisi_id: KisiGroupLinkId(id.0),
            visit: Some(visit),
            person,
            group,
            window,
        };
        if self.cautious {
            let info = CallInfo::new(
                format!("look for the access link of visit {visit} already in Kisi"),
                "GET",
                format!("/group_links?group_id={group}"),
                Some(person),
            );
            let links = self
                .kisi
                .call(info, self.kisi.client.group_links(kisi_group(group)))
                .await
                .map_err(|e| SyncError::kisi("list access links", e))?;
            let existing = links.into_iter().find(|l| {
                l.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email.as_str()))
                    && l.valid_from == Some(window.from())
                    && l.valid_until == window.until()
            });
            if let Some(link) = existing {
                return self.mirror().add_link(&owned(link.id)).await;
            }
        }
        let new = NewGroupLink {
            name: format!("Visit of {name}"),
            group_id: kisi_group(group),
            email: Some(email.as_str().to_owned()),
            valid_from: Some(window.from()),
            valid_until: window.until(),
        };
        let info = CallInfo::new(
            format!(
                "create an access link for visit {visit} {}",
                describe_window(&window)
            ),
            "POST",
            "/group_links",
            Some(person),
        );
        match self
            .kisi
            .call(info, self.kisi.client.create_group_link(&new))
            .await
        {
            // Kisi e-mails the link to the visitor; Doorlink does not keep its secret.
            Ok(link) => self.mirror().add_link(&owned(link.id)).await,
            Err(error @ KisiError::GroupNotFound { .. }) => {
                self.group_deleted(target, group).await?;
                Err(SyncError::kisi("create an access link", error))
            }
            Err(error) => Err(SyncError::kisi("create an access link", error)),
        }
    }
}
