//! Why Kisi refused to open a door (A4): the one list of causes, each with its code; its words for
//! each reader live in [`crate::words`]. The hub's unlock, the desktop's unlock and the UI all speak of a refusal through this.

use serde::{Deserialize, Serialize};

/// The cause of a refused unlock, as Doorlink names it (never Kisi's raw text, which is logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnlockRefusal {
    /// The lock (or every group giving it) needs a phone at the Kisi Reader.
    ReaderRestriction,
    /// The lock needs the unlock to come from near the door, with the location shared.
    GeofenceRestriction,
    /// The lock or group opens only during set hours.
    TimeRestriction,
    /// Kisi holds no role assignment valid right now for this person and lock.
    NoCurrentAccess,
    /// I3: the person's Kisi user is a regular user who never confirmed their e-mail.
    UnconfirmedKisiEmail,
    /// C4: the Kisi group giving the door was deleted.
    GroupDeleted,
    /// Kisi no longer accepts the person's own login (signed out, expired).
    KisiLoginRefused,
    /// No answer from Kisi: the network, a timeout.
    KisiUnreachable,
    /// Over Kisi's request budget, even after waiting.
    RateLimited,
    /// Kisi failed or answered something Doorlink cannot read.
    KisiFailed,
}

impl UnlockRefusal {
    /// Every cause, for tests and documentation.
    pub const ALL: [Self; 10] = [
        Self::ReaderRestriction,
        Self::GeofenceRestriction,
        Self::TimeRestriction,
        Self::NoCurrentAccess,
        Self::UnconfirmedKisiEmail,
        Self::GroupDeleted,
        Self::KisiLoginRefused,
        Self::KisiUnreachable,
        Self::RateLimited,
        Self::KisiFailed,
    ];

    /// The stable code (the serde name): what the wire, the audit log and the UI carry.
    pub fn code(self) -> &'static str {
        match self {
            Self::ReaderRestriction => "reader_restriction",
            Self::GeofenceRestriction => "geofence_restriction",
            Self::TimeRestriction => "time_restriction",
            Self::NoCurrentAccess => "no_current_access",
            Self::UnconfirmedKisiEmail => "unconfirmed_kisi_email",
            Self::GroupDeleted => "group_deleted",
            Self::KisiLoginRefused => "kisi_login_refused",
            Self::KisiUnreachable => "kisi_unreachable",
            Self::RateLimited => "rate_limited",
            Self::KisiFailed => "kisi_failed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_has_one_code_the_same_on_the_wire() {
        let mut codes = std::collections::BTreeSet::new();
        for cause in UnlockRefusal::ALL {
            assert_eq!(
                serde_json::to_value(cause).unwrap(),
                serde_json::Value::from(cause.code())
            );
            assert!(codes.insert(cause.code()), "{} twice", cause.code());
            for audience in [
                crate::words::Audience::Member,
                crate::words::Audience::Staff,
            ] {
                let words = cause.words(audience, "Front door", None);
                assert!(!words.message.is_empty() && !words.next_step.is_empty());
            }
        }
    }
}
