//! One error type for every store operation, shaped so the hub can map it to an HTTP status:
//! [`StoreError::NotFound`] → 404, [`StoreError::Conflict`] and [`StoreError::ConflictAt`] → 409,
//! [`StoreError::NotAllowed`] → 403, [`StoreError::Validation`] and [`StoreError::Invalid`] → 422,
//! everything else → 500.

use doorlink_core::ValidationError;
use sqlx::error::ErrorKind;
use thiserror::Error;

/// What went wrong in the store, with what a person needs to act on it.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The record does not exist (or not at the location asked about).
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: i64 },

    /// The write contradicts what is stored: a duplicate (an e-mail already used, a name already
    /// taken) or a reference the database refuses.
    #[error("{entity}: {reason}")]
    Conflict {
        entity: &'static str,
        reason: String,
    },

    /// Like [`StoreError::Conflict`], about one field of the request (e.g. an invitation for an
    /// e-mail that already has an account, demoting the last admin): 409 naming the field.
    #[error("{field}: {reason}")]
    ConflictAt { field: &'static str, reason: String },

    /// The acting account may not do this (any more): its role or its state forbids it, checked in
    /// the same transaction as the write.
    #[error("{0}")]
    NotAllowed(String),

    /// A value core refuses (the error names the field and what is allowed).
    #[error(transparent)]
    Validation(#[from] ValidationError),

    /// A value the store itself refuses (a field core does not model, such as a name or a URL).
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },

    /// The Kisi credential could not be stored or read back (missing or wrong key, bad key file).
    #[error("secret store: {0}")]
    Secret(String),

    /// A stored value that this version of Doorlink does not understand (a hand-edited database or a
    /// newer schema).
    #[error("{table}.{column} holds {value:?}, which is not a value Doorlink knows")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        value: String,
    },

    /// The database schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),

    /// Any other database failure (I/O, locked database, ...).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    pub(crate) fn not_found(entity: &'static str, id: impl Into<i64>) -> Self {
        Self::NotFound {
            entity,
            id: id.into(),
        }
    }

    pub(crate) fn conflict(entity: &'static str, reason: impl Into<String>) -> Self {
        Self::Conflict {
            entity,
            reason: reason.into(),
        }
    }

    /// Refuses an empty (or blank) text field.
    pub(crate) fn require_text(field: &'static str, value: &str) -> Result<()> {
        if value.trim().is_empty() {
            return Err(Self::Invalid {
                field,
                reason: "must not be empty".to_owned(),
            });
        }
        Ok(())
    }

    pub(crate) fn corrupt(
        table: &'static str,
        column: &'static str,
        value: &(impl std::fmt::Display + ?Sized),
    ) -> Self {
        Self::Corrupt {
            table,
            column,
            value: value.to_string(),
        }
    }
}

/// The conflict reason for a foreign-key refusal where the caller checked its references first (so
/// only a concurrent delete can cause it).
pub(crate) const MISSING_REFERENCE: &str =
    "it refers to a record that was removed meanwhile; reload and try again";

/// Turns constraint violations of a write into [`StoreError::Conflict`] with the caller's words,
/// and leaves every other database error as it is.
pub(crate) fn on_constraint(
    entity: &'static str,
    unique: &str,
    reference: &str,
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |error| match error.as_database_error().map(|db| db.kind()) {
        Some(ErrorKind::UniqueViolation) => StoreError::conflict(entity, unique),
        Some(ErrorKind::ForeignKeyViolation) => StoreError::conflict(entity, reference),
        _ => StoreError::Database(error),
    }
}
