//! A4: Kisi's answer to an unlock, as the one cause Doorlink explains ([`UnlockRefusal`]). The hub's
//! unlock and the desktop's both map Kisi's errors here, so a refusal reads the same everywhere.

use doorlink_core::UnlockRefusal;
use kisi::KisiError;

use crate::audit::status_and_code;

/// Why Kisi did not open the door. A 403 Kisi gives no known code for means "not allowed" (Kisi
/// answers 403 for a missing right and an unknown id alike).
pub fn unlock_refusal(error: &KisiError) -> UnlockRefusal {
    match error {
        KisiError::ReaderRestricted { .. } => UnlockRefusal::ReaderRestriction,
        KisiError::GeofenceRestricted { .. } => UnlockRefusal::GeofenceRestriction,
        KisiError::TimeRestricted { .. } => UnlockRefusal::TimeRestriction,
        KisiError::NoCurrentAccess { .. } | KisiError::Forbidden { .. } => {
            UnlockRefusal::NoCurrentAccess
        }
        KisiError::UnconfirmedEmail { .. } => UnlockRefusal::UnconfirmedKisiEmail,
        KisiError::GroupNotFound { .. } => UnlockRefusal::GroupDeleted,
        KisiError::Unauthorized { .. } => UnlockRefusal::KisiLoginRefused,
        KisiError::Network { .. } | KisiError::Timeout { .. } => UnlockRefusal::KisiUnreachable,
        KisiError::RateLimited { .. } => UnlockRefusal::RateLimited,
        KisiError::Server { .. }
        | KisiError::Unexpected { .. }
        | KisiError::InvalidResponse { .. }
        | KisiError::Invalid { .. }
        | KisiError::LoginQuotaExceeded { .. }
        | KisiError::InvalidConfig { .. } => UnlockRefusal::KisiFailed,
    }
}

/// Kisi's own error code behind a failure, when Kisi answered one (shown beside Doorlink's words).
pub fn kisi_error_code(error: &KisiError) -> Option<String> {
    status_and_code(error).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_network_and_a_timeout_are_one_cause() {
        let network = KisiError::Network {
            method: "POST".to_owned(),
            path: "/locks/3/unlock".to_owned(),
            detail: "connection refused".to_owned(),
        };
        let timeout = KisiError::Timeout {
            method: "POST".to_owned(),
            path: "/locks/3/unlock".to_owned(),
            timeout: std::time::Duration::from_secs(5),
        };
        assert_eq!(unlock_refusal(&network), UnlockRefusal::KisiUnreachable);
        assert_eq!(unlock_refusal(&timeout), UnlockRefusal::KisiUnreachable);
    }

    #[test]
    fn a_403_with_a_code_kisi_never_documented_is_no_current_access() {
        let error = KisiError::Forbidden {
            code: "afc507".to_owned(),
            message: "Not allowed".to_owned(),
        };
        assert_eq!(unlock_refusal(&error), UnlockRefusal::NoCurrentAccess);
        assert_eq!(kisi_error_code(&error).as_deref(), Some("afc507"));
    }
}
