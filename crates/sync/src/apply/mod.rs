//! Applying one planned [`Operation`]: the Kisi call (through the audited client), then the
//! mirror update. Every operation is idempotent, so an entry that died half-way can simply run
//! again:
//! - a create whose answer was lost is found again instead of duplicated: Kisi refuses an
//!   overlapping window of one user in one group (422), and on that refusal, or before any create
//!   of an entry that already failed once, the existing object is looked up and adopted;
//! - a delete of something Kisi no longer has (403 unknown id, 404 deleted group) counts as done;
//! - the mirror changes only after Kisi confirmed, so it never claims more than Kisi holds.

use doorlink_core::{KisiGroupId, LocationId};
use doorlink_store::Store;
use kisi::{GroupId, KisiError};

mod grants;
mod groups;
mod revoke;
mod users;

pub use groups::LOCK_GROUP_PREFIX;
pub(crate) use users::made_by_a_lost_create;

use crate::audit::AuditedKisi;
use crate::error::Result;
use crate::mirror::Mirror;
use crate::plan::Operation;
use crate::words::LocationWords;

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

    /// Names and local times for the audit log's words (issue 17 point 5: names, not ids).
    pub(crate) fn words(&self) -> LocationWords<'_> {
        LocationWords::new(self.store, self.location)
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
                self.delete_assignment(*person, *assignment, *group, window)
                    .await
            }
            Operation::CreateAssignment {
                person,
                target,
                window,
            } => self.create_assignment(*person, *target, *window).await,
            Operation::DeleteLink { person, link } => self.delete_link(*person, *link).await,
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
            Operation::DeleteUser { person, user } => self.delete_user(*person, *user).await,
            Operation::ForgetPerson { person } => self.mirror().release_person(*person).await,
        }
    }
}
