//! One error type for sync, saying what failed and what a person can do about it.

use doorlink_core::{KisiGroupId, LocationId, PersonId};
use doorlink_store::StoreError;
use kisi::KisiError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The location has no Kisi connection (C1): nothing can be written until an admin connects.
    #[error(
        "location {location} is not connected to Kisi; connect a Kisi account in the admin settings"
    )]
    NotConnected { location: LocationId },

    /// C3: the admin disconnected the location; Doorlink makes no grants or revocations there.
    #[error(
        "location {location} is disconnected from Kisi; reconnect it, or use \"revoke everything\" explicitly"
    )]
    Disconnected { location: LocationId },

    /// Another writer holds the location's lease (one writer per location) and did not let go in
    /// time; the work is tried again later.
    #[error(
        "another sync of location {location} is still writing to Kisi; this one is tried again shortly"
    )]
    LocationBusy { location: LocationId },

    /// The location's lease was taken over, or fenced by a disconnect (C3), while this run held
    /// it: it stopped before its next Kisi call.
    #[error(
        "the sync of location {location} was stopped (disconnected, or taken over by another worker) before its next Kisi call"
    )]
    LeaseLost { location: LocationId },

    /// The credential lives in an OS keychain entry that could not be read (no reader was given,
    /// or the entry is missing).
    #[error(
        "the Kisi credential of location {location} should be in the OS keychain entry {entry:?}, which could not be read; connect Kisi again on this computer"
    )]
    CredentialInKeychain { location: LocationId, entry: String },

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
    /// removes it itself.
    #[error(
        "Kisi refuses to grant group {group} to person {person}: their role assignment {assignment} in that group ({window}) was not made by Doorlink and overlaps the grant; remove it in the Kisi dashboard (Doorlink never touches what it did not create) and the grant is written at the next retry"
    )]
    ForeignAssignmentBlocks {
        person: PersonId,
        group: KisiGroupId,
        assignment: i64,
        window: String,
    },

    /// A grant needs the person's Kisi user, which could not be created or found (I1).
    #[error("person {person} has no Kisi user yet, so nothing can be granted to them")]
    NoKisiUser { person: PersonId },

    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    pub(crate) fn kisi(operation: impl Into<String>, source: KisiError) -> Self {
        Self::Kisi {
            operation: operation.into(),
            source,
        }
    }
}

pub type Result<T, E = SyncError> = std::result::Result<T, E>;
