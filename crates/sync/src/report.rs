//! What one sync run did ([`SyncReport`]) and what it changed ([`Changes`]), read by the engine
//! that fills them in, the replacement of overlapping grants, the worker and the hub.

use std::collections::BTreeSet;

use doorlink_core::PersonId;
use serde::Serialize;

use crate::error::{Result, SyncError};
use crate::plan::Notice;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Operations that completed (Kisi confirmed and the mirror is updated).
    pub applied: usize,
    /// Operations that failed, with what went wrong; the outbox entry is retried.
    pub failures: Vec<String>,
    /// Operations not tried because an earlier one they depend on failed.
    pub skipped: usize,
    /// What staff should know (orphaned targets, e-mail drift, unconfirmed users, ...).
    pub notices: Vec<Notice>,
    /// Kisi answered "not found" for a group or lock the mirror holds (C4): the directory is out
    /// of date, and a person's run asks for the location's full reconcile, which re-reads it and
    /// marks every orphan (issue 17).
    pub directory_outdated: bool,
    /// What the run changed in Kisi or the mirror (the hub tells open pages, [`Worker::on_change`]).
    ///
    /// [`Worker::on_change`]: crate::Worker::on_change
    pub changes: Changes,
}

/// What a run changed in Kisi or the mirror, so readers of the mirror (the hub's caches, open
/// pages) know what to read again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// People whose Kisi user, role assignments or access links changed.
    pub people: BTreeSet<PersonId>,
    /// The location's Kisi directory as mirrored changed: groups, locks, restriction flags,
    /// orphaned marks (C4) or Doorlink's per-lock groups (M7). Everyone's Access page may differ.
    pub directory: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && !self.directory
    }
}

impl SyncReport {
    pub fn succeeded(&self) -> bool {
        self.failures.is_empty()
    }

    pub(crate) fn into_result(self) -> Result<Self> {
        match self.failures.first() {
            None => Ok(self),
            Some(first) => Err(SyncError::Partial {
                failed: self.failures.len(),
                total: self.applied + self.failures.len() + self.skipped,
                first: first.clone(),
            }),
        }
    }
}
