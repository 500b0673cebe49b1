//! The one error enum of the Kisi client, and the one table that maps Kisi's answers onto it.
//!
//! Kisi answers errors with a short hex code and a message (`{"code":"bb5bbff","error":"Please
//! ask an administrator to disable the Kisi Reader restriction."}`); "some endpoints return an
//! error code", others only a message. [`KISI_ERRORS`] lists every code and message text Doorlink
//! recognises, each marked confirmed (with its source) or assumed (docs/kisi-api.md, "Errors").
//! A known code or message names the cause whatever the status; anything else keeps Kisi's code
//! and message verbatim and is explained by its status alone.

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

    /// "You have to confirm your email address before continuing": a regular (not managed) user never confirmed their e-mail.
    #[error(
        "the Kisi user has not confirmed their e-mail address yet ({message}); they must open Kisi's confirmation e-mail first"
    )]
    UnconfirmedEmail { message: String },

    /// 403: the login lacks the permission, **or the id does not exist** (Kisi answers 403 for both).
    #[error(
        "Kisi refused the request ({message}{}); either this login lacks the permission or the id does not exist (Kisi answers 403 for both)",
        code_label(code)
    )]
    Forbidden { code: String, message: String },

    /// Unlock without a role assignment that is valid right now.
    #[error("no current Kisi access to lock {lock} ({message}); the user has no group membership valid at this moment", lock = lock_label(*lock_id))]
    NoCurrentAccess {
        lock_id: Option<LockId>,
        message: String,
    },

    /// `bb5bbff`: the lock has the Kisi Reader restriction, which only a phone at the reader can pass.
    #[error("lock {lock} has the Kisi Reader restriction ({message}); open it with a phone at the reader, or ask an administrator to disable the restriction", lock = lock_label(*lock_id))]
    ReaderRestricted {
        lock_id: Option<LockId>,
        message: String,
    },

    /// The unlock carried no location, or one too far from the door.
    #[error("lock {lock} has a geofence restriction ({message}); unlock from near the door with location shared", lock = lock_label(*lock_id))]
    GeofenceRestricted {
        lock_id: Option<LockId>,
        message: String,
    },

    /// The lock or group only opens during set hours.
    #[error("lock {lock} has a time restriction ({message}); it cannot be opened at this hour", lock = lock_label(*lock_id))]
    TimeRestricted {
        lock_id: Option<LockId>,
        message: String,
    },

    /// "Group is not found": the group existed and was deleted in Kisi.
    #[error("the Kisi group was deleted ({message}); remap the door access to an existing group")]
    GroupNotFound { message: String },

    /// 422: Kisi rejected the payload; `fields` names each field and its problems.
    #[error("Kisi rejected the request ({message}{}): {fields}", code_label(code), fields = describe_fields(fields))]
    Invalid {
        code: String,
        message: String,
        fields: BTreeMap<String, Vec<String>>,
    },

    /// The owner has too many active API logins for a new sign-in.
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
    #[error("Kisi answered HTTP {status}: {message}{}", code_label(code))]
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

    /// Kisi's answer as one variant: 429 and 5xx by status (they are retried); otherwise a code or
    /// message of [`KISI_ERRORS`] names the cause; otherwise the status does. `lock_id` is the
    /// lock of an unlock call, so refusals can name the door.
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
        let status = status.as_u16();
        if status == 429 {
            return Self::RateLimited {
                retry_after,
                message,
            };
        }
        if (500..=599).contains(&status) {
            return Self::Server {
                status,
                code,
                message,
            };
        }
        match KisiCause::recognise(&code, &message) {
            Some(KisiCause::Unauthorized) => Self::Unauthorized { code, message },
            Some(KisiCause::UnconfirmedEmail) => Self::UnconfirmedEmail { message },
            Some(KisiCause::NoCurrentAccess) => Self::NoCurrentAccess { lock_id, message },
            Some(KisiCause::ReaderRestricted) => Self::ReaderRestricted { lock_id, message },
            Some(KisiCause::GeofenceRestricted) => Self::GeofenceRestricted { lock_id, message },
            Some(KisiCause::TimeRestricted) => Self::TimeRestricted { lock_id, message },
            Some(KisiCause::GroupNotFound) => Self::GroupNotFound { message },
            Some(KisiCause::LoginQuotaExceeded) => Self::LoginQuotaExceeded { message },
            None => match status {
                401 => Self::Unauthorized { code, message },
                403 => Self::Forbidden { code, message },
                422 => Self::Invalid {
                    code,
                    message,
                    fields: errors,
                },
                other => Self::Unexpected {
                    status: other,
                    code,
                    message,
                },
            },
        }
    }
}

/// What Kisi meant by an error Doorlink recognises beyond its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KisiCause {
    Unauthorized,
    UnconfirmedEmail,
    NoCurrentAccess,
    ReaderRestricted,
    GeofenceRestricted,
    TimeRestricted,
    GroupNotFound,
    LoginQuotaExceeded,
}

/// Where a row of [`KISI_ERRORS`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Evidence {
    /// Seen in Kisi's docs or quoted from real Kisi answers; the source is named.
    Confirmed(&'static str),
    /// Not public; Doorlink's best guess, and what happens if it is wrong.
    Assumed(&'static str),
}

/// One error Kisi answers: its code (if Kisi sends one for it), a text its message contains, and
/// the cause Doorlink explains it as.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KnownError {
    pub(crate) code: Option<&'static str>,
    pub(crate) message: &'static str,
    pub(crate) cause: KisiCause,
    pub(crate) evidence: Evidence,
}

/// Every Kisi error code and message text Doorlink recognises. An assumed row that is wrong only
/// loses the specific explanation: the answer falls back to its status (401 credentials, 403
/// "not allowed or unknown id", 422 rejected payload) with Kisi's own code and message shown.
pub(crate) const KISI_ERRORS: &[KnownError] = &[
    KnownError {
        code: Some("bb5bbff"),
        message: "disable the Kisi Reader restriction",
        cause: KisiCause::ReaderRestricted,
        evidence: Evidence::Confirmed(
            "code: Archie's Kisi help article (seed 004); message: Spacebring's (seed 000)",
        ),
    },
    KnownError {
        code: None,
        message: "You have to confirm your email address before continuing",
        cause: KisiCause::UnconfirmedEmail,
        evidence: Evidence::Confirmed("Spacebring's Kisi help article (seed 000); code unknown"),
    },
    KnownError {
        code: None,
        message: "Group is not found",
        cause: KisiCause::GroupNotFound,
        evidence: Evidence::Confirmed("Spacebring's Kisi help article (seed 000); code unknown"),
    },
    KnownError {
        code: Some("afc507"),
        message: "The authentication link is not valid",
        cause: KisiCause::Unauthorized,
        evidence: Evidence::Confirmed("api.kisi.io/docs, error code table"),
    },
    KnownError {
        code: Some("afc546"),
        message: "Invalid Two Factor backup code",
        cause: KisiCause::Unauthorized,
        evidence: Evidence::Confirmed("api.kisi.io/docs, error code table"),
    },
    KnownError {
        code: None,
        message: "You do not have access to this lock",
        cause: KisiCause::NoCurrentAccess,
        evidence: Evidence::Assumed(
            "Kisi's text is not public; if wrong, the refusal is a 403 \"not allowed\" with Kisi's words",
        ),
    },
    KnownError {
        code: None,
        message: "near the door",
        cause: KisiCause::GeofenceRestricted,
        evidence: Evidence::Assumed(
            "Kisi's text is not public; if wrong, the refusal is a 403 \"not allowed\" with Kisi's words",
        ),
    },
    KnownError {
        code: None,
        message: "cannot be unlocked at this time",
        cause: KisiCause::TimeRestricted,
        evidence: Evidence::Assumed(
            "Kisi's text is not public; if wrong, the refusal is a 403 \"not allowed\" with Kisi's words",
        ),
    },
    KnownError {
        code: None,
        message: "Too many API logins",
        cause: KisiCause::LoginQuotaExceeded,
        evidence: Evidence::Assumed(
            "a peer reports a limit of 10 API logins (seed 000), Kisi's text is not public; if wrong, \
             connecting fails as a rejected payload with Kisi's words",
        ),
    },
];

impl KisiCause {
    /// The cause a code names, else the cause a message text names (case-insensitive).
    fn recognise(code: &str, message: &str) -> Option<Self> {
        let code = code.trim();
        let by_code = KISI_ERRORS
            .iter()
            .find(|known| !code.is_empty() && known.code == Some(code));
        let message = message.to_lowercase();
        let by_message = || {
            KISI_ERRORS
                .iter()
                .find(|known| message.contains(&known.message.to_lowercase()))
        };
        let known = by_code.or_else(by_message)?;
        tracing::debug!(cause = ?known.cause, evidence = ?known.evidence, "recognised a Kisi error");
        Some(known.cause)
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

/// Kisi's own code, kept verbatim in the explanation so support can look it up.
fn code_label(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(", Kisi code {code}")
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
    fn a_deleted_group_is_recognised_by_kisis_words_whatever_the_status() {
        // Kisi's status for a deleted group is not public; its words are (seed 000).
        for status in [403, 404, 422] {
            let err = decode(status, r#"{"error":"Group is not found"}"#);
            assert!(
                matches!(err, KisiError::GroupNotFound { .. }),
                "{status}: {err:?}"
            );
        }
    }

    #[test]
    fn kisis_unconfirmed_email_message_without_a_code_is_recognised() {
        let err = decode(
            401,
            r#"{"error":"You have to confirm your email address before continuing."}"#,
        );
        assert!(matches!(err, KisiError::UnconfirmedEmail { .. }), "{err:?}");
    }

    #[test]
    fn the_reader_restriction_message_alone_is_enough() {
        // A proxy or an older Kisi that drops the code still names the restriction.
        let err = decode(
            403,
            r#"{"error":"Please ask an administrator to disable the Kisi Reader restriction."}"#,
        );
        assert!(matches!(err, KisiError::ReaderRestricted { .. }), "{err:?}");
    }

    #[test]
    fn an_unknown_kisi_code_is_kept_verbatim_in_the_explanation() {
        let err = decode(
            403,
            r#"{"code":"faa9gg","error":"The card is not activated."}"#,
        );
        assert!(matches!(err, KisiError::Forbidden { ref code, .. } if code == "faa9gg"));
        let text = err.to_string();
        assert!(
            text.contains("faa9gg") && text.contains("The card is not activated."),
            "{text}"
        );
    }

    #[test]
    fn kisis_documented_authentication_link_code_is_a_credentials_problem() {
        let err = decode(
            403,
            r#"{"code":"afc507","error":"The authentication link is not valid."}"#,
        );
        assert!(matches!(err, KisiError::Unauthorized { ref code, .. } if code == "afc507"));
    }

    #[test]
    fn a_rate_limit_is_never_mistaken_for_a_known_cause() {
        let err = decode(429, r#"{"code":"bb5bbff","error":"Group is not found"}"#);
        assert!(err.is_retryable(), "{err:?}");
    }

    #[test]
    fn every_row_of_the_table_names_a_source_and_is_recognised_by_its_own_words() {
        for known in KISI_ERRORS {
            let source = match known.evidence {
                Evidence::Confirmed(source) | Evidence::Assumed(source) => source,
            };
            assert!(!source.is_empty(), "{known:?}");
            assert_eq!(
                KisiCause::recognise("", known.message),
                Some(known.cause),
                "{known:?}"
            );
            if let Some(code) = known.code {
                assert_eq!(
                    KisiCause::recognise(code, ""),
                    Some(known.cause),
                    "{known:?}"
                );
            }
        }
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
        let err = decode(429, r#"{"error":"Too many requests"}"#);
        assert!(
            matches!(err, KisiError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(2))
        );
        assert!(err.is_retryable());
    }

    #[test]
    fn client_errors_are_never_retryable() {
        for (status, message) in [
            (401, "Unauthorized"),
            (403, "x"),
            (404, "Group is not found"),
            (422, "x"),
            (422, "Too many API logins"),
            (
                401,
                "You have to confirm your email address before continuing.",
            ),
        ] {
            let body = serde_json::json!({ "error": message }).to_string();
            let err = decode(status, &body);
            assert!(
                !err.is_retryable(),
                "{status} {message} must not be retried"
            );
        }
    }
}
