//! What sync tells other systems (issue 15): each grant Kisi confirmed (`grant.applied`) or
//! refused (`grant.failed`), and each revocation Kisi confirmed, with its receipt (when the change
//! that ended the access was made, when Kisi answered: the Sync page's time-to-revoke).
//!
//! An outcome is kept right after the mirror took the operation in. Its key names what happened
//! (the person, the target, the window), so the same grant confirmed by a later run is told once.
//! Telling never fails the sync: a store error here is logged and the run goes on (Kisi already
//! holds the truth; the outcome is the report of it).

use chrono::{DateTime, Utc};
use doorlink_core::outcome::{GrantOutcome, Outcome};
use doorlink_core::{AccessTarget, PersonId, Window};
use doorlink_store::NewReceipt;

use crate::apply::Applier;
use crate::error::SyncError;
use crate::plan::Operation;

impl Applier<'_> {
    /// Tells the outcome of `operations[index]`, which ended at `now` (with `failure`, if any).
    /// `requested_at` is when the earliest change this run answers was made.
    pub(crate) async fn tell(
        &self,
        operations: &[Operation],
        index: usize,
        failure: Option<&SyncError>,
        (requested_at, now): (DateTime<Utc>, DateTime<Utc>),
    ) {
        let told = match (&operations[index], failure) {
            (
                Operation::CreateAssignment {
                    person,
                    target,
                    window,
                },
                failure,
            ) => {
                self.tell_grant(*person, *target, *window, "role_assignment", failure)
                    .await
            }
            (
                Operation::CreateLink {
                    person,
                    target,
                    window,
                    ..
                },
                failure,
            ) => {
                self.tell_grant(*person, *target, *window, "access_link", failure)
                    .await
            }
            (
                Operation::DeleteAssignment {
                    person,
                    assignment,
                    group,
                    window,
                },
                None,
            ) if revokes_access(operations, *person, window, requested_at) => {
                let what = format!(
                    "{} ({})",
                    self.words().group(*group).await,
                    self.words().window(window).await
                );
                self.receipt(
                    *person,
                    what,
                    format!("role_assignment {assignment}"),
                    (requested_at, now),
                )
                .await
            }
            (Operation::DeleteLink { person, link }, None) => {
                self.receipt(
                    *person,
                    "the visitor access link".to_owned(),
                    format!("access_link {link}"),
                    (requested_at, now),
                )
                .await
            }
            (Operation::DeleteUser { person, user }, None) => {
                self.receipt(
                    *person,
                    "the Kisi user Doorlink made, with everything it held".to_owned(),
                    format!("kisi_user {user}"),
                    (requested_at, now),
                )
                .await
            }
            _ => Ok(()),
        };
        if let Err(error) = told {
            tracing::warn!(location = self.location.0, %error, "could not keep an outcome event");
        }
    }

    async fn tell_grant(
        &self,
        person: PersonId,
        target: AccessTarget,
        window: Window,
        grant: &str,
        failure: Option<&SyncError>,
    ) -> doorlink_store::Result<()> {
        let (access, kisi_group_id) = match target {
            AccessTarget::Group(group) => (self.words().group(group).await, Some(group.0)),
            AccessTarget::Lock(lock) => (self.words().lock(lock).await, None),
        };
        let data = GrantOutcome {
            person_id: person.0,
            person_name: self.words().person(person).await,
            access,
            kisi_group_id,
            valid_from: window.from(),
            valid_until: window.until(),
            grant: grant.to_owned(),
            cause: failure.map(SyncError::staff_message),
        };
        let what = format!(
            "{} {grant} {person} {target:?} {} {:?}",
            self.location.0,
            window.from().timestamp_millis(),
            window.until().map(|u| u.timestamp_millis())
        );
        let (key, outcome) = match failure {
            None => (format!("grant.applied {what}"), Outcome::GrantApplied(data)),
            // Each failed attempt is its own event.
            Some(_) => (
                format!("grant.failed {what} {}", uuid::Uuid::new_v4()),
                Outcome::GrantFailed(data),
            ),
        };
        self.store
            .outcomes()
            .record(self.location, &key, outcome)
            .await
    }

    async fn receipt(
        &self,
        person: PersonId,
        what: String,
        revoked: String,
        (requested_at, confirmed_at): (DateTime<Utc>, DateTime<Utc>),
    ) -> doorlink_store::Result<()> {
        self.store
            .revocations()
            .record(&NewReceipt {
                location: self.location,
                person,
                person_name: self.words().person(person).await,
                what,
                key: format!("{} {revoked}", self.location.0),
                ended_at: requested_at.min(confirmed_at),
                confirmed_at,
            })
            .await
    }
}

/// Whether deleting `person`'s assignment with `window` takes access away: not when the window
/// had ended by itself before the change (Kisi enforced its end), nor when a grant written in the
/// same run covers what was left of it (a window moved or widened, not a revocation).
fn revokes_access(
    operations: &[Operation],
    person: PersonId,
    window: &Window,
    requested_at: DateTime<Utc>,
) -> bool {
    if window.until().is_some_and(|until| until <= requested_at) {
        return false;
    }
    let rest_from = window.from().max(requested_at);
    !operations.iter().any(|operation| match operation {
        Operation::CreateAssignment {
            person: p,
            window: w,
            ..
        } if *p == person => {
            w.from() <= rest_from
                && match (w.until(), window.until()) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some(new), Some(old)) => new >= old,
                }
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use doorlink_core::KisiGroupId;
    use kisi::RoleAssignmentId;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap()
    }

    fn window(from: u32, until: u32) -> Window {
        Window::bounded(at(from), at(until)).unwrap()
    }

    fn delete(w: Window) -> Operation {
        Operation::DeleteAssignment {
            person: PersonId(1),
            assignment: RoleAssignmentId(9),
            group: KisiGroupId(4),
            window: w,
        }
    }

    fn create(w: Window) -> Operation {
        Operation::CreateAssignment {
            person: PersonId(1),
            target: AccessTarget::Group(KisiGroupId(4)),
            window: w,
        }
    }

    #[test]
    fn a_cancelled_booking_is_a_revocation() {
        let old = window(9, 12);
        assert!(revokes_access(&[delete(old)], PersonId(1), &old, at(10)));
    }

    #[test]
    fn a_shortened_booking_is_a_revocation_and_a_widened_one_is_not() {
        let old = window(9, 12);
        let shorter = [delete(old), create(window(9, 11))];
        assert!(revokes_access(&shorter, PersonId(1), &old, at(10)));
        let wider = [delete(old), create(window(9, 14))];
        assert!(!revokes_access(&wider, PersonId(1), &old, at(10)));
    }

    #[test]
    fn clearing_a_window_that_ended_by_itself_is_no_revocation() {
        let old = window(9, 12);
        assert!(!revokes_access(&[delete(old)], PersonId(1), &old, at(13)));
    }
}
