//! R8 "no gap" at run time: make before break. The plan puts every new role assignment before
//! the deletions of the owned ones it replaces, so a changed window is never absent — where Kisi
//! lets one user hold overlapping assignments in one group. Whether it does is not documented
//! (kisi-api.md, "Corrections"): the first replacement learns it from Kisi's reply (a 422 on the
//! overlapping create), and the answer is remembered per connection. Where Kisi refuses, the
//! replaced assignments go right before their replacement (the shortest gap there can be, one
//! call long, not the length of the whole run), and the audit log says the gap was unavoidable.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use doorlink_core::{AccessTarget, LocationId, Window};
use kisi::KisiError;

use crate::apply::Applier;
use crate::error::{Result, SyncError};
use crate::plan::Operation;
use crate::report::SyncReport;

/// Kisi's answer to an overlapping second assignment of one user in one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overlaps {
    Allowed,
    Refused,
}

/// What each location's connection (told apart by when it was made) answered so far.
#[derive(Debug, Default)]
pub(crate) struct OverlapMemory(Mutex<HashMap<LocationId, (DateTime<Utc>, Overlaps)>>);

impl OverlapMemory {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<LocationId, (DateTime<Utc>, Overlaps)>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, location: LocationId, connected_at: DateTime<Utc>) -> Option<Overlaps> {
        self.lock()
            .get(&location)
            .filter(|(at, _)| *at == connected_at)
            .map(|(_, answer)| *answer)
    }

    fn learn(&self, location: LocationId, connected_at: DateTime<Utc>, answer: Overlaps) {
        if self.get(location, connected_at) != Some(answer) {
            tracing::info!(
                location = location.0,
                ?answer,
                "learnt how Kisi treats overlapping role assignments"
            );
        }
        self.lock().insert(location, (connected_at, answer));
    }
}

/// The deletions the plan put right after the create at `index` in its group: the assignments
/// it replaces. Deletions in other groups after it are a moved person's revocations (the plan
/// puts them after their new grants), not replacements: they never go before the create.
pub(crate) fn replaced_by(operations: &[Operation], index: usize) -> Vec<usize> {
    let Some(Operation::CreateAssignment { person, target, .. }) = operations.get(index) else {
        return Vec::new();
    };
    operations
        .iter()
        .enumerate()
        .skip(index + 1)
        .take_while(
            |(_, op)| matches!(op, Operation::DeleteAssignment { person: p, .. } if p == person),
        )
        .filter(|(_, op)| match (target, op) {
            (AccessTarget::Group(created), Operation::DeleteAssignment { group, .. }) => {
                group == created
            }
            _ => true,
        })
        .map(|(at, _)| at)
        .collect()
}

/// A 422 on a create whose exact twin Kisi does not hold: the overlap was refused.
fn refused_overlap(error: &SyncError) -> bool {
    matches!(
        error,
        SyncError::Kisi {
            source: KisiError::Invalid { .. },
            ..
        }
    )
}

fn window_of(operation: &Operation) -> Option<Window> {
    match operation {
        Operation::CreateAssignment { window, .. } | Operation::DeleteAssignment { window, .. } => {
            Some(*window)
        }
        _ => None,
    }
}

/// One replacement: the create at `index` and the deletions after it.
pub(crate) struct Replacement<'a> {
    pub(crate) applier: &'a Applier<'a>,
    pub(crate) memory: &'a OverlapMemory,
    pub(crate) location: LocationId,
    pub(crate) connected_at: DateTime<Utc>,
    pub(crate) operations: &'a [Operation],
    pub(crate) index: usize,
}

impl Replacement<'_> {
    /// Applies the create, making before breaking where Kisi allows it. Deletions it had to run
    /// first are added to `done` (and counted in `report`), so the run does not repeat them.
    pub(crate) async fn apply(
        &self,
        done: &mut BTreeSet<usize>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let create = &self.operations[self.index];
        let replaced = replaced_by(self.operations, self.index);
        let overlapping =
            replaced.iter().any(
                |&at| match (window_of(create), window_of(&self.operations[at])) {
                    (Some(new), Some(old)) => new.intersect(&old).is_some(),
                    _ => false,
                },
            );
        if !overlapping {
            return self.applier.apply(create).await;
        }
        if self.memory.get(self.location, self.connected_at) == Some(Overlaps::Refused) {
            return self.break_then_make(&replaced, done, report).await;
        }
        match self.applier.apply(create).await {
            Ok(()) => {
                self.memory
                    .learn(self.location, self.connected_at, Overlaps::Allowed);
                Ok(())
            }
            Err(error) if refused_overlap(&error) => {
                self.memory
                    .learn(self.location, self.connected_at, Overlaps::Refused);
                self.break_then_make(&replaced, done, report).await
            }
            Err(error) => Err(error),
        }
    }

    async fn break_then_make(
        &self,
        replaced: &[usize],
        done: &mut BTreeSet<usize>,
        report: &mut SyncReport,
    ) -> Result<()> {
        for &at in replaced {
            if let Operation::DeleteAssignment {
                person,
                assignment,
                group,
                window,
            } = &self.operations[at]
            {
                self.applier
                    .delete_before_its_replacement(*person, *assignment, *group, window)
                    .await?;
                done.insert(at);
                report.applied += 1;
                report.changes.people.insert(*person);
            }
        }
        self.applier.apply(&self.operations[self.index]).await
    }
}
