//! The mirror of Kisi: the directory of places, groups and locks as last read (with restriction
//! flags and orphaned marks, C4, M8), and what Doorlink owns there (I4): users, role assignments,
//! per-lock groups (M7), visitor access links (R10) and each person's own Kisi login (A4).
//!
//! Sync writes an owned row only after Kisi confirmed the change, and removes one only after Kisi
//! confirmed the removal; so after a crash the mirror never claims more than Kisi holds.

mod directory;
mod owned;
mod person_logins;
mod person_rows;
mod released;

use doorlink_core::{AccessTarget, KisiGroupId, KisiUserId, PersonId, VisitId, Window};

use crate::db::Store;

pub use directory::{DirectoryGroup, DirectoryPlace, KisiDirectory, OrphanedTarget};
pub use owned::VisitLink;
pub use person_logins::PersonKisiLogin;

/// The id Kisi gave a role assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KisiRoleAssignmentId(pub i64);

/// The id Kisi gave a group link (a visitor's access link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KisiGroupLinkId(pub i64);

/// A Kisi user linked to a person (I2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorUser {
    pub kisi_user: KisiUserId,
    /// The e-mail Kisi has; differs from the person's when they drifted apart (I2).
    pub kisi_email: String,
    /// I3: false for a regular user who never confirmed the Kisi invitation.
    pub confirmed: bool,
    /// I4: Doorlink created the user (a managed user, I1) and may delete it (R15).
    pub owned: bool,
}

/// A role assignment Doorlink wrote (R13: one per person, group and merged window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorAssignment {
    pub kisi_id: KisiRoleAssignmentId,
    pub person: PersonId,
    pub group: KisiGroupId,
    /// The mapping target it realises; a lock target is written through its per-lock group (M7).
    pub target: AccessTarget,
    pub window: Window,
}

/// A visitor access link Doorlink created (R10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorLink {
    pub kisi_id: KisiGroupLinkId,
    /// `None` once the visit itself was deleted (the link must still be revoked).
    pub visit: Option<VisitId>,
    pub person: PersonId,
    pub group: KisiGroupId,
    pub window: Window,
}

/// The Kisi mirror repository.
#[derive(Debug, Clone, Copy)]
pub struct KisiMirror<'s> {
    store: &'s Store,
}

impl Store {
    pub fn kisi_mirror(&self) -> KisiMirror<'_> {
        KisiMirror { store: self }
    }
}
