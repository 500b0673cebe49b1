//! The one error shape the webview receives, the hub's own (`status`, `code`, `message`,
//! `fields`), so the UI explains a desktop failure exactly like a hub refusal. The shape is the
//! contract's ([`doorlink_api::desktop::CommandError`]); this file turns this app's failures into it.

pub use doorlink_api::desktop::CommandError;

use crate::cache::CacheError;
use crate::hub_client::HubError;
use crate::secrets::SecretsError;

impl From<HubError> for CommandError {
    fn from(error: HubError) -> Self {
        let message = error.to_string();
        match error {
            HubError::Refused {
                status,
                code,
                fields,
                ..
            } => Self {
                status,
                code,
                message,
                fields,
            },
            HubError::InvalidUrl(_) => Self::new("validation_failed", message),
            error if error.is_unreachable() => Self::new("offline", message),
            _ => Self::new("internal", message),
        }
    }
}

impl From<CacheError> for CommandError {
    fn from(error: CacheError) -> Self {
        Self::new("local_storage", error.to_string())
    }
}

impl From<SecretsError> for CommandError {
    fn from(error: SecretsError) -> Self {
        Self::new("local_storage", error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use doorlink_api::error::FieldProblem;

    #[test]
    fn a_hub_refusal_keeps_the_hubs_status_code_and_fields() {
        let error = CommandError::from(HubError::Refused {
            status: 422,
            code: "validation_failed".to_owned(),
            message: "email: not an e-mail address".to_owned(),
            fields: vec![FieldProblem {
                field: "email".to_owned(),
                problem: "not an e-mail address".to_owned(),
            }],
        });
        assert_eq!(
            (error.status, error.code.as_str()),
            (422, "validation_failed")
        );
        assert_eq!(error.fields[0].field, "email");
    }

    #[test]
    fn an_unreachable_hub_is_offline_for_the_ui() {
        let error = CommandError::from(HubError::Unreachable {
            url: "http://127.0.0.1:9".to_owned(),
            detail: "connection refused".to_owned(),
        });
        assert_eq!((error.status, error.code.as_str()), (0, "offline"));
        assert!(error.message.contains("cannot be reached"));
    }
}
