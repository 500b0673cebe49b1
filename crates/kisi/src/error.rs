//! The one error enum of the Kisi client, and the one table that maps Kisi's answers onto it.
//!
//! Kisi's real error codes are not public (except `bb5bbff`, quoted by a seed article); the codes
//! and statuses below are the ones fixed in the client/emulator contract. Changing one is one arm
//! of [`KisiError::from_response`].

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

use crate::models::LockId;

/// Every failure of a Kisi call the product has to be able to explain.
///
/// Each variant carries what a person needs to act: Kisi's own message, the lock for unlock
/// refusals, the fields for a rejected payload, how long to wait when rate limited.
#[derive(Debug, thiserror::Error)]
pub enum KisiError {
    /// 401: the API key or the e-mail/password was not accepted.
    #[error(
        "Kisi did not accept the credentials ({message}); check the API key, or the domain, e-mail and password"
    )]
    Unauthorized { code: String, message: String },

    /// 401 `unconfirmed_email`: a regular (not managed) user never confirmed their e-mail.
    #[error(
        "the Kisi user has not confirmed their e-mail address yet ({message}); they must open Kisi's confirmation e-mail first"
    )]
    UnconfirmedEmail { message: String },

    /// 403: the login lacks the permission, **or the id does not exist** (Kisi answers 403 for both).
    #[error(
        "Kisi refused the request ({message}); either this login lacks the permission or the id does not exist (Kisi answers 403 for both)"
    )]
    Forbidden { code: String, message: String },

    /// 403 `access_denied`: unlock without a role assignment that is valid right now.
    #[error("no current Kisi access to lock {lock} ({message}); the user has no group membership valid at this moment", lock = lock_label(*lock_id))]
    NoCurrentAccess {
        lock_id: Option<LockId>,
        message: String,
    },

    /// 403 `bb5bbff`: the lock has the Kisi Reader restriction, which only a phone at the reader can pass.
    #[error("lock {lock} has the Kisi Reader restriction ({message}); open it with a phone at the reader, or ask an administrator to disable the restriction", lock = lock_label(*lock_id))]
    ReaderRestricted {
        lock_id: Option<LockId>,
        message: String,
    },

    /// 403 `geofence_restricted`: the unlock carried no location, or one too far from the door.
    #[error("lock {lock} has a geofence restriction ({message}); unlock from near the door with location shared", lock = lock_label(*lock_id))]
    GeofenceRestricted {
        lock_id: Option<LockId>,
        message: String,
    },

    /// 403 `time_restricted`: the lock or group only opens during set hours.
    #[error("lock {lock} has a time restriction ({message}); it cannot be opened at this hour", lock = lock_label(*lock_id))]
    TimeRestricted {
        lock_id: Option<LockId>,
        message: String,
    },

    /// 404 `group_not_found`: the group existed and was deleted in Kisi.
    #[error("the Kisi group was deleted ({message}); remap the door access to an existing group")]
    GroupNotFound { message: String },

    /// 422: Kisi rejected the payload; `fields` names each field and its problems.
    #[error("Kisi rejected the request ({message}): {fields}", fields = describe_fields(fields))]
    Invalid {
        code: String,
        message: String,
        fields: BTreeMap<String, Vec<String>>,
    },

    /// 422 `login_quota_exceeded`: the owner has too many active API logins for a new sign-in.
    #[error(
        "the Kisi account has too many API logins ({message}); remove some logins in the Kisi dashboard and connect again"
    )]
    LoginQuotaExceeded { message: String },

    /// 429: over Kisi's 5 requests per second for this user (or IP), even after retries.
    #[error("Kisi rate limit reached ({message}); retry after {}", retry_after.map_or_else(|| "a short wait".to_owned(), |d| format!("{}s", d.as_secs())))]
    RateLimited {
        retry_after: Option<Duration>,
        message: String,
    },

    /// 5xx: Kisi failed internally, even after retries.
    #[error("Kisi had an internal error (HTTP {status}, {message}); try again later")]
    Server {
        status: u16,
        code: String,
        message: String,
    },

    /// No answer within the configured request timeout, even after retries.
    #[error(
        "Kisi did not answer {method} {path} within {timeout:?}; check the connection or try again"
    )]
    Timeout {
        method: String,
        path: String,
        timeout: Duration,
    },

    /// The connection failed or was closed without an answer, even after retries.
    #[error("could not reach Kisi for {method} {path}: {detail}")]
    Network {
        method: String,
        path: String,
        detail: String,
    },

    /// An answer the table does not know (e.g. 404 without a known code).
    #[error("Kisi answered HTTP {status} ({code}): {message}")]
    Unexpected {
        status: u16,
        code: String,
        message: String,
    },

    /// A success answer whose body did not match the expected shape.
    #[error("Kisi's answer to {path} could not be read: {detail}")]
    InvalidResponse { path: String, detail: String },

    /// The client could not be built (bad base URL, unusable header value).
    #[error("invalid Kisi client configuration: {detail}")]
    InvalidConfig { detail: String },
}

impl KisiError {
    /// Whether trying the same request again may succeed: 429, 5xx, timeouts and network failures.
    /// Every other 4xx is final (Kisi's guidance: never retry other 4xx).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Server { .. }
                | Self::Timeout { .. }
                | Self::Network { .. }
        )
    }

    /// How long Kisi asked to wait before trying again (429 `Retry-After`), if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The single status+code table. Known codes win; an unknown code falls back by status.
    /// `lock_id` is the lock of an unlock call, so refusals can name the door.
    pub(crate) fn from_response(
        status: StatusCode,
        body: &[u8],
        retry_after: Option<Duration>,
        lock_id: Option<LockId>,
    ) -> Self {
        let ErrorBody {
            code,
            error,
            errors,
        } = ErrorBody::parse(status, body);
        let message = error;
        match (status.as_u16(), code.as_str()) {
            (401, "unconfirmed_email") => Self::UnconfirmedEmail { message },
            (403, "access_denied") => Self::NoCurrentAccess { lock_id, message },
            (403, "bb5bbff") => Self::ReaderRestricted { lock_id, message },
            (403, "geofence_restricted") => Self::GeofenceRestricted { lock_id, message },
            (403, "time_restricted") => Self::TimeRestricted { lock_id, message },
            (404, "group_not_found") => Self::GroupNotFound { message },
            (422, "login_quota_exceeded") => Self::LoginQuotaExceeded { message },
            (401, _) => Self::Unauthorized { code, message },
            (403, _) => Self::Forbidden { code, message },
            (422, _) => Self::Invalid {
                code,
                message,
                fields: errors,
            },
            (429, _) => Self::RateLimited {
                retry_after,
                message,
            },
            (500..=599, _) => Self::Server {
                status: status.as_u16(),
                code,
                message,
            },
            (other, _) => Self::Unexpected {
                status: other,
                code,
                message,
            },
        }
    }
}

/// Kisi's error body: `{"code":"…","error":"…"}`, 422 adds `"errors":{"field":["problem"]}`.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    errors: BTreeMap<String, Vec<String>>,
}

impl ErrorBody {
    /// Reads the body; a body that is not Kisi's JSON (a proxy's HTML page, nothing at all) keeps
    /// its first characters as the message so the status can still be explained.
    fn parse(status: StatusCode, body: &[u8]) -> Self {
        let mut parsed: Self = serde_json::from_slice(body).unwrap_or_default();
        if parsed.error.is_empty() {
            let text: String = String::from_utf8_lossy(body).chars().take(200).collect();
            parsed.error = if text.trim().is_empty() {
                status.canonical_reason().unwrap_or("no message").to_owned()
            } else {
                text.trim().to_owned()
            };
        }
        parsed
    }
}

fn lock_label(lock_id: Option<LockId>) -> String {
    lock_id.map_or_else(|| "(unknown)".to_owned(), |id| id.to_string())
}

fn describe_fields(fields: &BTreeMap<String, Vec<String>>) -> String {
    if fields.is_empty() {
        return "no field details given".to_owned();
    }
    fields
        .iter()
        .map(|(field, problems)| format!("{field} {}", problems.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(status: u16, body: &str) -> KisiError {
        KisiError::from_response(
            StatusCode::from_u16(status).unwrap(),
            body.as_bytes(),
            Some(Duration::from_secs(2)),
            Some(LockId(7)),
        )
    }

    #[test]
    fn reader_restriction_code_names_the_lock() {
        let err = decode(
            403,
            r#"{"code":"bb5bbff","error":"Please ask an administrator to disable the Kisi Reader restriction."}"#,
        );
        assert!(matches!(
            err,
            KisiError::ReaderRestricted {
                lock_id: Some(LockId(7)),
                ..
            }
        ));
        assert!(err.to_string().contains("lock 7"));
    }

    #[test]
    fn unknown_403_code_falls_back_to_forbidden() {
        let err = decode(403, r#"{"code":"something_new","error":"Nope"}"#);
        assert!(matches!(err, KisiError::Forbidden { ref code, .. } if code == "something_new"));
    }

    #[test]
    fn invalid_payload_keeps_every_field_and_problem() {
        let err = decode(
            422,
            r#"{"code":"invalid","error":"Validation failed","errors":{"email":["is invalid","can't be blank"]}}"#,
        );
        let KisiError::Invalid { fields, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(fields["email"], vec!["is invalid", "can't be blank"]);
        assert!(err.to_string().contains("email is invalid, can't be blank"));
    }

    #[test]
    fn a_code_known_for_another_status_does_not_change_meaning() {
        // `group_not_found` belongs to 404; on a 403 it is still "forbidden or unknown id".
        let err = decode(
            403,
            r#"{"code":"group_not_found","error":"Group is not found"}"#,
        );
        assert!(matches!(err, KisiError::Forbidden { .. }));
    }

    #[test]
    fn non_json_5xx_keeps_the_text_and_is_retryable() {
        let err = decode(502, "<html>Bad Gateway</html>");
        assert!(
            matches!(err, KisiError::Server { status: 502, ref message, .. } if message.contains("Bad Gateway"))
        );
        assert!(err.is_retryable());
    }

    #[test]
    fn empty_body_uses_the_status_reason() {
        let err = decode(404, "");
        assert!(
            matches!(err, KisiError::Unexpected { status: 404, ref message, .. } if message == "Not Found")
        );
        assert!(!err.is_retryable());
    }

    #[test]
    fn rate_limited_carries_retry_after_and_is_retryable() {
        let err = decode(
            429,
            r#"{"code":"rate_limited","error":"Too many requests"}"#,
        );
        assert!(
            matches!(err, KisiError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(2))
        );
        assert!(err.is_retryable());
    }

    #[test]
    fn client_errors_are_never_retryable() {
        for (status, code) in [
            (401, "unauthorized"),
            (403, "forbidden"),
            (404, "group_not_found"),
            (422, "invalid"),
            (422, "login_quota_exceeded"),
            (401, "unconfirmed_email"),
        ] {
            let err = decode(status, &format!(r#"{{"code":"{code}","error":"x"}}"#));
            assert!(!err.is_retryable(), "{status} {code} must not be retried");
        }
    }
}
