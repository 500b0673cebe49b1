//! The Kisi mirror of one location, through the store's [`KisiMirror`] repository: what Doorlink
//! owns in Kisi (users, role assignments, access links, per-lock groups) and the directory's
//! orphan marks. Sync writes an owned row only after Kisi confirmed the change.

use doorlink_core::{AccessTarget, KisiGroupId, KisiLockId, LocationId, PersonId};
use doorlink_store::{
    KisiGroupLinkId, KisiMirror, KisiRoleAssignmentId, MirrorAssignment, MirrorLink, MirrorUser,
    Store,
};

use crate::error::Result;
use crate::view::{DirectoryView, MirrorView};
use crate::words::LocationWords;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Mirror<'a> {
    store: &'a Store,
    location: LocationId,
}

impl<'a> Mirror<'a> {
    pub(crate) fn new(store: &'a Store, location: LocationId) -> Self {
        Self { store, location }
    }

    /// The location's names and local times, for the words of a Kisi call.
    pub(crate) fn words(&self) -> LocationWords<'a> {
        LocationWords::new(self.store, self.location)
    }

    fn repo(&self) -> KisiMirror<'a> {
        self.store.kisi_mirror()
    }

    /// The owned state of one person, or of the whole location when `person` is `None`.
    pub(crate) async fn load(&self, person: Option<PersonId>) -> Result<MirrorView> {
        let users = match person {
            Some(person) => self
                .user(person)
                .await?
                .map(|user| (person, user))
                .into_iter()
                .collect(),
            None => self.repo().users(self.location).await?,
        };
        Ok(MirrorView {
            users,
            assignments: self.repo().assignments(self.location, person).await?,
            links: self.repo().links(self.location, person).await?,
        })
    }

    pub(crate) async fn user(&self, person: PersonId) -> Result<Option<MirrorUser>> {
        Ok(self.repo().user(self.location, person).await?)
    }

    pub(crate) async fn save_user(&self, person: PersonId, user: &MirrorUser) -> Result<()> {
        Ok(self.repo().save_user(self.location, person, user).await?)
    }

    pub(crate) async fn forget_person(&self, person: PersonId) -> Result<()> {
        Ok(self.repo().forget_person(self.location, person).await?)
    }

    /// R15 "keep the Kisi user": forgets the person, remembering their Kisi user for a reconnect.
    pub(crate) async fn release_person(&self, person: PersonId) -> Result<()> {
        Ok(self.repo().release_person(self.location, person).await?)
    }

    pub(crate) async fn add_assignment(&self, assignment: &MirrorAssignment) -> Result<()> {
        Ok(self
            .repo()
            .add_assignment(self.location, assignment)
            .await?)
    }

    pub(crate) async fn remove_assignment(&self, id: KisiRoleAssignmentId) -> Result<()> {
        Ok(self.repo().remove_assignment(self.location, id).await?)
    }

    pub(crate) async fn add_link(&self, link: &MirrorLink) -> Result<()> {
        Ok(self.repo().add_link(self.location, link).await?)
    }

    /// R10: the secret Kisi answered for a link Doorlink created, kept so staff can hand it over.
    pub(crate) async fn keep_link_secret(&self, id: KisiGroupLinkId, secret: &str) -> Result<()> {
        let secret = doorlink_store::SecretValue::new(secret);
        Ok(self
            .repo()
            .keep_link_secret(self.location, id, &secret)
            .await?)
    }

    pub(crate) async fn remove_link(&self, id: KisiGroupLinkId) -> Result<()> {
        Ok(self.repo().remove_link(self.location, id).await?)
    }

    pub(crate) async fn save_lock_group(&self, lock: KisiLockId, group: KisiGroupId) -> Result<()> {
        Ok(self
            .repo()
            .save_lock_group(self.location, lock, group)
            .await?)
    }

    pub(crate) async fn remove_lock_group(&self, lock: KisiLockId) -> Result<()> {
        Ok(self.repo().remove_lock_group(self.location, lock).await?)
    }

    /// C4 between reconciles: Kisi answered "Group is not found" for a mapped group.
    pub(crate) async fn mark_group_orphaned(&self, group: KisiGroupId) -> Result<()> {
        Ok(self
            .repo()
            .mark_group_orphaned(self.location, group)
            .await?)
    }

    /// C4: a mapped lock Kisi does not list (and maybe never did) is recorded as orphaned.
    pub(crate) async fn mark_lock_orphaned(&self, lock: KisiLockId) -> Result<()> {
        Ok(self.repo().mark_lock_orphaned(self.location, lock).await?)
    }

    /// Every group and lock some door access at the location names (M1–M7).
    pub(crate) async fn mapped_targets(&self) -> Result<Vec<AccessTarget>> {
        Ok(self.repo().mapped_targets(self.location).await?)
    }

    /// M7 per-lock groups, and the mapped targets Kisi no longer has (C4).
    pub(crate) async fn directory(&self) -> Result<DirectoryView> {
        let mut directory = DirectoryView {
            lock_groups: self.repo().lock_groups(self.location).await?,
            ..DirectoryView::default()
        };
        for orphan in self.repo().orphaned_targets(self.location).await? {
            match orphan.target {
                AccessTarget::Group(group) => {
                    directory.orphaned_groups.insert(group);
                }
                AccessTarget::Lock(lock) => {
                    directory.orphaned_locks.insert(lock);
                }
            }
        }
        Ok(directory)
    }

    /// The lock's name as last read from Kisi (to name its per-lock group), if known.
    pub(crate) async fn lock_name(&self, lock: KisiLockId) -> Result<Option<String>> {
        let view = self.repo().kisi_view(self.location).await?;
        Ok(view.lock(lock).map(|l| l.name.clone()))
    }
}
