//! Why Kisi refused to open a door (A4): the one list of causes, each with its code, its words and
//! its fix. The hub's unlock, the desktop's unlock and the UI all speak of a refusal through this.

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

    /// What happened, in plain words, naming the door.
    pub fn words(self, lock_name: &str) -> String {
        match self {
            Self::ReaderRestriction => {
                format!("\"{lock_name}\" can only be opened with a phone at its Kisi Reader")
            }
            Self::GeofenceRestriction => {
                format!("\"{lock_name}\" can only be opened from near the door")
            }
            Self::TimeRestriction => format!("\"{lock_name}\" does not open at this hour"),
            Self::NoCurrentAccess => {
                format!("Kisi has no access for you to \"{lock_name}\" at this moment")
            }
            Self::UnconfirmedKisiEmail => {
                "your Kisi user has not confirmed its e-mail address".to_owned()
            }
            Self::GroupDeleted => {
                format!("the Kisi group that gives \"{lock_name}\" was deleted")
            }
            Self::KisiLoginRefused => "Kisi no longer accepts your Kisi login".to_owned(),
            Self::KisiUnreachable => "Kisi could not be reached to open the door".to_owned(),
            Self::RateLimited => "Kisi is busy with too many requests right now".to_owned(),
            Self::KisiFailed => format!("Kisi could not open \"{lock_name}\" just now"),
        }
    }

    /// What to do about it.
    pub fn fix(self) -> &'static str {
        match self {
            Self::ReaderRestriction => {
                "Open it with the Kisi app on your phone at the reader, or ask an administrator to disable the Kisi Reader restriction."
            }
            Self::GeofenceRestriction => {
                "Open it near the door with your location shared, or with the Kisi app on your phone."
            }
            Self::TimeRestriction => {
                "This door opens only during its set hours; try again then, or ask the front desk."
            }
            Self::NoCurrentAccess => {
                "Refresh the page; if the door is still listed, ask the front desk to check your booking or plan (staff can run a sync: Sync > Retry now)."
            }
            Self::UnconfirmedKisiEmail => {
                "Confirm your e-mail with Kisi's confirmation e-mail, or ask staff to remove the unconfirmed Kisi user from its groups so Doorlink makes a managed one."
            }
            Self::GroupDeleted => "Ask an administrator to map the door to an existing Kisi group.",
            Self::KisiLoginRefused => {
                "Sign out and sign in again; Doorlink then gets you a new Kisi login."
            }
            Self::KisiUnreachable => {
                "Unlocking needs a connection to Kisi; check the network and try again."
            }
            Self::RateLimited => "Wait a few seconds and try again.",
            Self::KisiFailed => "Try again in a moment; if it keeps failing, tell the front desk.",
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
            assert!(!cause.fix().is_empty() && !cause.words("Front door").is_empty());
        }
    }
}
