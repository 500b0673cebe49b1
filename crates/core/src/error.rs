//! Validation errors: every way a fact can be refused, each naming the field and what is allowed.

use thiserror::Error;

/// Why a domain value could not be built. The `field` is the name a form or API payload uses, so a
/// caller can put the message next to the input that caused it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    /// An end that is not after its start (windows are half-open, so equal is refused too, except
    /// where the message says otherwise).
    #[error("{field} ({end}) must be after {start_field} ({start})")]
    EndNotAfterStart {
        field: &'static str,
        start_field: &'static str,
        start: String,
        end: String,
    },
    /// An end date before its start date (an end date equal to the start date is one full day).
    #[error("{field} ({end}) must be on or after {start_field} ({start})")]
    EndDateBeforeStartDate {
        field: &'static str,
        start_field: &'static str,
        start: String,
        end: String,
    },
    #[error(
        "{field} {value:?} is not a known IANA time zone (use a name such as \"Europe/Berlin\")"
    )]
    UnknownTimeZone { field: &'static str, value: String },
    #[error("{field} is empty: an e-mail address is required")]
    EmptyEmail { field: &'static str },
    #[error("{field} {value:?} is not an e-mail address: it has no '@'")]
    EmailWithoutAt { field: &'static str, value: String },
    /// An address too long to be one (RFC 5321 allows 254 characters), or not shaped like one.
    /// The value is not repeated: it may be megabytes long or carry control characters.
    #[error("{field} is not an e-mail address: {problem}")]
    MalformedEmail {
        field: &'static str,
        problem: String,
    },
    #[error("{field} is {minutes} minutes: the booking grace period is 0 to {max} minutes")]
    GraceOutOfRange {
        field: &'static str,
        minutes: i64,
        max: u32,
    },
    #[error(
        "{field} is set on subscription {subscription}, which a person holds: only a company's \
         subscription can name beneficiaries (R5)"
    )]
    BeneficiariesOnPersonalSubscription {
        field: &'static str,
        subscription: i64,
    },
    #[error("{field} has id {id} twice: ids must be unique")]
    DuplicateId { field: &'static str, id: i64 },
    #[error("{field} refers to {kind} {id}, which this location does not have")]
    UnknownReference {
        field: &'static str,
        kind: &'static str,
        id: i64,
    },
}
