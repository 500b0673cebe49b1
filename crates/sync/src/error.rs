//! One error type for sync, saying what failed and what a person can do about it.

use doorlink_core::{LocationId, PersonId};
use doorlink_store::{Store, StoreError};
use kisi::KisiError;

use crate::words::LocationWords;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The location has no Kisi connection (C1): nothing can be written until an admin connects.
    #[error(
        "{location_name} is not connected to Kisi; connect a Kisi account in the admin settings"
    )]
    NotConnected {
        location: LocationId,
        location_name: String,
    },

    /// C3: the admin disconnected the location; Doorlink makes no grants or revocations there.
    #[error(
        "{location_name} is disconnected from Kisi; reconnect it, or use \"revoke everything\" explicitly"
    )]
    Disconnected {
        location: LocationId,
        location_name: String,
    },

    /// Another writer holds the location's lease (one writer per location) and did not let go in
    /// time; the work is tried again later.
    #[error(
        "another sync of {location_name} is still writing to Kisi; this one is tried again shortly"
    )]
    LocationBusy {
        location: LocationId,
        location_name: String,
    },

    /// The location's lease was taken over, or fenced by a disconnect (C3), while this run held
    /// it: it stopped before its next Kisi call.
    #[error(
        "the sync of {location_name} was stopped (disconnected, or taken over by another worker) before its next Kisi call"
    )]
    LeaseLost {
        location: LocationId,
        location_name: String,
    },

    /// A Kisi call failed; `operation` says what Doorlink was trying to do.
    #[error("{operation}: {source}")]
    Kisi {
        operation: String,
        #[source]
        source: KisiError,
    },

    /// Some operations of an outbox entry failed; the entry is retried with back-off.
    #[error("{failed} of {total} Kisi operations failed; first: {first}")]
    Partial {
        failed: usize,
        total: usize,
        first: String,
    },

    /// Kisi refuses Doorlink's grant because the person holds a role in the group that Doorlink
    /// did not create and whose window overlaps it (Kisi refusing overlaps); I4: Doorlink never
    /// removes it itself. Worded with names and the location's time (`words.rs`): the person's
    /// name, `group "Room Elbe"`, and the blocking role's window as Kisi holds it.
    #[error(
        "Kisi refuses to grant {group} to {person_name}: their role assignment {assignment} in that group ({window}) was not made by Doorlink and overlaps the grant; remove it in the Kisi dashboard (Doorlink never touches what it did not create) and the grant is written at the next retry"
    )]
    ForeignAssignmentBlocks {
        person: PersonId,
        person_name: String,
        /// The group as people read it: `group "Room Elbe"`.
        group: String,
        /// Kisi's id of the blocking role assignment: how staff find it in Kisi (Kisi's reference,
        /// not one of Doorlink's ids).
        assignment: i64,
        window: String,
    },

    /// A grant needs the person's Kisi user, which could not be created or found (I1).
    #[error("{person_name} has no Kisi user yet, so nothing can be granted to them")]
    NoKisiUser {
        person: PersonId,
        person_name: String,
    },

    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Shown when a failure carries no words of its own (it should never happen; the fix still
/// applies).
const NO_WORDS: &str = "the sync of this entry failed without saying why";

/// Shown after a failure that names its subject but not what went wrong.
const NO_DETAILS: &str = "failed without details";

impl SyncError {
    /// C1: `location` has no Kisi connection, named as people read it.
    pub async fn not_connected(store: &Store, location: LocationId) -> Self {
        Self::NotConnected {
            location,
            location_name: LocationWords::new(store, location).location().await,
        }
    }

    pub(crate) fn kisi(operation: impl Into<String>, source: KisiError) -> Self {
        Self::Kisi {
            operation: operation.into(),
            source,
        }
    }

    /// The words staff see on a failed outbox entry (issue 12): what went wrong, then what to do
    /// about it. Never empty, whatever Kisi said (or did not say).
    pub fn staff_message(&self) -> String {
        let words = self.to_string();
        let words = words.trim();
        let fix = self.fix();
        match words.strip_suffix(':') {
            // "Kisi user:" with nothing after the colon names the thing but not the problem.
            Some(subject) => format!("{subject}: {NO_DETAILS}. What to do: {fix}"),
            None if words.is_empty() => format!("{NO_WORDS}. What to do: {fix}"),
            None => format!("{words}. What to do: {fix}"),
        }
    }

    /// What staff can do about this failure, in words. Every cause has its own, so a new cause
    /// cannot be added without one.
    pub fn fix(&self) -> &'static str {
        match self {
            SyncError::NotConnected { .. } => {
                "connect the location to Kisi on its Kisi connection page; everything queued is then synced"
            }
            SyncError::Disconnected { .. } => {
                "reconnect the location to Kisi to sync again; nothing is written to Kisi meanwhile"
            }
            SyncError::LocationBusy { .. } => {
                "nothing; it runs once the other sync of this location is done. If it repeats for minutes, check that no second hub runs against the same database with a stuck sync"
            }
            SyncError::LeaseLost { .. } => {
                "nothing; the entry is tried again by whichever sync holds the location now. If the location was disconnected on purpose, remove nothing"
            }
            SyncError::Kisi { source, .. } => kisi_fix(source),
            SyncError::Partial { .. } => {
                "follow the first failure's fix above; the failed operations are retried with the whole entry after its back-off, or at once with \"Retry the failures now\""
            }
            SyncError::ForeignAssignmentBlocks { .. } => {
                "remove that role assignment in the Kisi dashboard (Doorlink never removes what it did not create); the grant is then written at the next retry"
            }
            SyncError::NoKisiUser { .. } => {
                "look at this person's earlier failure (their Kisi user could not be created or found: an e-mail Kisi refuses, or a user another account owns); fix the e-mail on the person's page and retry"
            }
            SyncError::Store(store) => store_fix(store),
        }
    }
}

/// What staff can do when Kisi refused or failed.
fn kisi_fix(error: &KisiError) -> &'static str {
    match error {
        KisiError::Unauthorized { .. } => {
            "connect the location to Kisi again with a working API key or owner login (Kisi connection page)"
        }
        KisiError::UnconfirmedEmail { .. } => {
            "ask the person to open Kisi's confirmation e-mail; the grant is written at the next retry"
        }
        KisiError::Forbidden { .. } => {
            "check that the connected Kisi login may manage this place's groups and users, then run a full sync to re-read the directory (an id Kisi no longer has is dropped)"
        }
        KisiError::NoCurrentAccess { .. }
        | KisiError::ReaderRestricted { .. }
        | KisiError::GeofenceRestricted { .. }
        | KisiError::TimeRestricted { .. } => {
            "check the person's access on their page; a restriction set on the lock in Kisi is changed in the Kisi dashboard"
        }
        KisiError::GroupNotFound { .. } => {
            "map the door access to a Kisi group that exists (Mappings page); the grant is then written"
        }
        KisiError::Invalid { .. } => {
            "check the fields Kisi names: usually the person's e-mail (on their page) or the door access mapping; then retry"
        }
        KisiError::LoginQuotaExceeded { .. } => {
            "remove unused API logins in the Kisi dashboard, then connect again"
        }
        KisiError::RateLimited { .. } => {
            "nothing; Kisi's budget is 5 requests a second and the entry is retried after its back-off"
        }
        KisiError::Server { .. } | KisiError::Timeout { .. } => {
            "nothing; Kisi is having trouble and the entry is retried after its back-off. If it lasts, check Kisi's status page"
        }
        KisiError::Network { .. } => {
            "check this computer's internet connection; the entry is retried after its back-off"
        }
        KisiError::Unexpected { .. } | KisiError::InvalidResponse { .. } => {
            "retry; if it repeats, report it to Doorlink's maintainers with the audit log entry of the call"
        }
        KisiError::InvalidConfig { .. } => {
            "check the Kisi address and integration settings of the hub's configuration, then connect again"
        }
    }
}

/// What staff can do when Doorlink's own database refused.
fn store_fix(error: &StoreError) -> &'static str {
    match error {
        StoreError::NotFound { .. } => {
            "nothing if it was deleted on purpose; the entry is dropped at the next full sync"
        }
        StoreError::Conflict { .. } | StoreError::ConflictAt { .. } => {
            "resolve what the message names (for example two people with one Kisi user), then retry"
        }
        StoreError::NotAllowed(_) | StoreError::Validation(_) | StoreError::Invalid { .. } => {
            "correct the value the message names, then retry"
        }
        StoreError::Secret(_) => {
            "connect Kisi again so the credential is stored anew; check the database's key file"
        }
        StoreError::Corrupt { .. } | StoreError::Migration(_) => {
            "restore the database from a backup or report it to Doorlink's maintainers; do not edit it by hand"
        }
        StoreError::Database(_) => {
            "check the disk the database lives on (space, permissions); the entry is retried after its back-off"
        }
    }
}

pub type Result<T, E = SyncError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::Duration;

    use super::*;

    /// Every Kisi failure, each as empty as Kisi can make it (no message, no code).
    fn silent_kisi_failures() -> Vec<KisiError> {
        let (code, message) = (String::new(), String::new());
        vec![
            KisiError::Unauthorized {
                code: code.clone(),
                message: message.clone(),
            },
            KisiError::UnconfirmedEmail {
                message: message.clone(),
            },
            KisiError::Forbidden {
                code: code.clone(),
                message: message.clone(),
            },
            KisiError::NoCurrentAccess {
                lock_id: None,
                message: message.clone(),
            },
            KisiError::ReaderRestricted {
                lock_id: None,
                message: message.clone(),
            },
            KisiError::GeofenceRestricted {
                lock_id: None,
                message: message.clone(),
            },
            KisiError::TimeRestricted {
                lock_id: None,
                message: message.clone(),
            },
            KisiError::GroupNotFound {
                message: message.clone(),
            },
            KisiError::Invalid {
                code: code.clone(),
                message: message.clone(),
                fields: BTreeMap::new(),
            },
            KisiError::LoginQuotaExceeded {
                message: message.clone(),
            },
            KisiError::RateLimited {
                retry_after: None,
                message: message.clone(),
            },
            KisiError::Server {
                status: 500,
                code: code.clone(),
                message: message.clone(),
            },
            KisiError::Timeout {
                method: "POST".to_owned(),
                path: "/role_assignments".to_owned(),
                timeout: Duration::from_secs(5),
            },
            KisiError::Network {
                method: "POST".to_owned(),
                path: "/role_assignments".to_owned(),
                detail: String::new(),
            },
            KisiError::Unexpected {
                status: 404,
                code,
                message,
            },
            KisiError::InvalidResponse {
                path: "/groups".to_owned(),
                detail: String::new(),
            },
            KisiError::InvalidConfig {
                detail: String::new(),
            },
        ]
    }

    /// Every way an outbox entry can fail, as staff would see it.
    fn every_failure() -> Vec<SyncError> {
        let location = LocationId(1);
        let location_name = || "Kreuzberg".to_owned();
        let mut failures = vec![
            SyncError::NotConnected {
                location,
                location_name: location_name(),
            },
            SyncError::Disconnected {
                location,
                location_name: location_name(),
            },
            SyncError::LocationBusy {
                location,
                location_name: location_name(),
            },
            SyncError::LeaseLost {
                location,
                location_name: location_name(),
            },
            SyncError::Partial {
                failed: 1,
                total: 1,
                first: String::new(),
            },
            SyncError::ForeignAssignmentBlocks {
                person: PersonId(1),
                person_name: "Ana Amsel".to_owned(),
                group: "group \"Room A\"".to_owned(),
                assignment: 3,
                window: String::new(),
            },
            SyncError::NoKisiUser {
                person: PersonId(1),
                person_name: "Ana Amsel".to_owned(),
            },
            SyncError::Store(StoreError::NotFound {
                entity: "person",
                id: 1,
            }),
            SyncError::Store(StoreError::Conflict {
                entity: "Kisi user",
                reason: String::new(),
            }),
            SyncError::Store(StoreError::ConflictAt {
                field: "email",
                reason: String::new(),
            }),
            SyncError::Store(StoreError::NotAllowed(String::new())),
            SyncError::Store(StoreError::Invalid {
                field: "email",
                reason: String::new(),
            }),
            SyncError::Store(StoreError::Secret(String::new())),
            SyncError::Store(StoreError::Corrupt {
                table: "outbox",
                column: "priority",
                value: String::new(),
            }),
        ];
        failures.extend(
            silent_kisi_failures()
                .into_iter()
                .map(|source| SyncError::kisi("grant a role assignment", source)),
        );
        failures
    }

    #[test]
    fn every_failure_staff_can_see_says_what_happened_and_what_to_do() {
        for failure in every_failure() {
            let message = failure.staff_message();
            let (what, fix) = message
                .split_once(". What to do: ")
                .unwrap_or_else(|| panic!("no fix in {message:?}"));
            assert!(what.trim().len() > 10, "no words in {message:?}");
            assert!(fix.trim().len() > 10, "no fix in {message:?}");
        }
    }
}
