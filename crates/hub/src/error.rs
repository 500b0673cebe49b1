//! The one error type of every route and its single JSON shape (`doorlink_api::error::ErrorBody`).
//! `StoreError`, core's `ValidationError` and `KisiError` are mapped here, once.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use doorlink_api::error::{ErrorBody, ErrorDetail, FieldProblem};
use doorlink_core::ValidationError;
use doorlink_store::StoreError;
use kisi::KisiError;

/// Why a request failed; each variant has one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: no session, or an expired one.
    #[error("{0}")]
    Unauthenticated(String),
    /// 403: signed in, but the role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// 403: a cookie session sent a state-changing request without the right `X-CSRF-Token`.
    #[error("the X-CSRF-Token header is missing or does not match this session")]
    Csrf,
    /// 404: does not exist, or belongs to someone the caller may not see (never confirm which).
    #[error("{0}")]
    NotFound(String),
    /// 409: contradicts what is stored.
    #[error("{0}")]
    Conflict(String),
    /// 409 about one field of the request (an e-mail that already has an account), named in
    /// `fields` like a validation problem.
    #[error("{field}: {problem}")]
    ConflictAt { field: String, problem: String },
    /// 422: input refused; every bad field is named.
    #[error("{message}")]
    Validation {
        message: String,
        fields: Vec<FieldProblem>,
    },
    /// 413: the body is larger than any request of the API needs (refused before it is parsed).
    #[error(
        "the request body is larger than {limit_bytes} bytes; no request of this API needs more"
    )]
    TooLarge { limit_bytes: usize },
    /// 429: too many sign-in attempts.
    #[error("too many sign-in attempts; wait {retry_after_secs} seconds and try again")]
    Throttled { retry_after_secs: u64 },
    /// 429: too many requests of one kind from one account (e.g. desktop unlock reports).
    #[error("too many {what}; wait {retry_after_secs} seconds and try again")]
    RateLimited {
        what: &'static str,
        retry_after_secs: u64,
    },
    /// 503: the database is busy with another writer (SQLite's lock outlasted the busy timeout);
    /// the same request may succeed in a moment.
    #[error("the database is busy with another change; try again in a moment")]
    Busy,
    /// 502: Kisi refused or failed, explained in plain words.
    #[error("{message}")]
    Kisi { code: String, message: String },
    /// 500: our fault; the details go to the log, not to the caller.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn field(field: &str, problem: impl Into<String>) -> Self {
        Self::fields(vec![(field, problem.into())])
    }

    pub fn fields(problems: Vec<(&str, String)>) -> Self {
        let fields: Vec<FieldProblem> = problems
            .into_iter()
            .map(|(field, problem)| FieldProblem {
                field: field.to_owned(),
                problem,
            })
            .collect();
        let message = match fields.as_slice() {
            [one] => format!("{}: {}", one.field, one.problem),
            _ => format!("{} fields were refused", fields.len()),
        };
        Self::Validation { message, fields }
    }

    pub fn not_found(what: impl std::fmt::Display) -> Self {
        Self::NotFound(format!("{what} does not exist"))
    }

    pub fn forbidden_role(needed: &str) -> Self {
        Self::Forbidden(format!("this needs the {needed} role"))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::Csrf => (StatusCode::FORBIDDEN, "csrf_failed"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) | Self::ConflictAt { .. } => (StatusCode::CONFLICT, "conflict"),
            Self::Validation { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            Self::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::Throttled { .. } | Self::RateLimited { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "throttled")
            }
            Self::Kisi { .. } => (StatusCode::BAD_GATEWAY, "kisi_failed"),
            Self::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// The JSON body this error is sent as.
    pub fn body(&self) -> ErrorBody {
        let (_, code) = self.status_and_code();
        let (code, message) = match self {
            Self::Kisi { code, message } => (format!("kisi_{code}"), message.clone()),
            Self::Internal(_) => (
                code.to_owned(),
                "something went wrong on the server; the details are in its log".to_owned(),
            ),
            other => (code.to_owned(), other.to_string()),
        };
        let fields = match self {
            Self::Validation { fields, .. } => fields.clone(),
            Self::ConflictAt { field, problem } => vec![FieldProblem {
                field: field.clone(),
                problem: problem.clone(),
            }],
            _ => Vec::new(),
        };
        ErrorBody {
            error: ErrorDetail {
                code,
                message,
                fields,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _) = self.status_and_code();
        if let Self::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let mut response = (status, Json(self.body())).into_response();
        if let Self::Throttled { retry_after_secs }
        | Self::RateLimited {
            retry_after_secs, ..
        } = self
            && let Ok(value) = retry_after_secs.to_string().parse()
        {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}

impl From<ValidationError> for ApiError {
    fn from(error: ValidationError) -> Self {
        let field = validation_field(&error);
        Self::field(field, error.to_string())
    }
}

/// The payload field a core validation error is about.
pub(crate) fn validation_field(error: &ValidationError) -> &'static str {
    match error {
        ValidationError::EndNotAfterStart { field, .. }
        | ValidationError::EndDateBeforeStartDate { field, .. }
        | ValidationError::UnknownTimeZone { field, .. }
        | ValidationError::EmptyEmail { field }
        | ValidationError::EmailWithoutAt { field, .. }
        | ValidationError::MalformedEmail { field, .. }
        | ValidationError::GraceOutOfRange { field, .. }
        | ValidationError::BeneficiariesOnPersonalSubscription { field, .. }
        | ValidationError::DuplicateId { field, .. }
        | ValidationError::UnknownReference { field, .. } => field,
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { entity, id } => {
                Self::NotFound(format!("{entity} {id} does not exist"))
            }
            StoreError::Conflict { .. } => Self::Conflict(error.to_string()),
            StoreError::ConflictAt { field, reason } => Self::ConflictAt {
                field: field.to_owned(),
                problem: reason,
            },
            StoreError::NotAllowed(reason) => Self::Forbidden(reason),
            StoreError::Validation(validation) => validation.into(),
            StoreError::Invalid { field, reason } => Self::field(field, reason),
            busy if is_busy(&busy) => {
                tracing::warn!(error = %busy, "the database was busy");
                Self::Busy
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

/// SQLite's "database is locked" (SQLITE_BUSY) or "database table is locked" (SQLITE_LOCKED),
/// with any extended code: another connection held the lock longer than the busy timeout.
fn is_busy(error: &StoreError) -> bool {
    const SQLITE_BUSY: i32 = 5;
    const SQLITE_LOCKED: i32 = 6;
    let StoreError::Database(database) = error else {
        return false;
    };
    database
        .as_database_error()
        .and_then(|database| database.code()?.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
}

impl From<KisiError> for ApiError {
    /// Every Kisi failure in Doorlink's words, with Kisi's code when it gave one. Kisi's own text
    /// goes to the log, never to the caller.
    fn from(error: KisiError) -> Self {
        tracing::warn!(%error, "a Kisi call failed");
        let (code, words) = match &error {
            KisiError::Unauthorized { .. } => (
                "unauthorized",
                "Kisi did not accept Doorlink's credential; an admin connects Kisi again in Admin › Kisi connection".to_owned(),
            ),
            KisiError::UnconfirmedEmail { .. } => (
                "unconfirmed_email",
                "the Kisi user has not confirmed their e-mail address yet; they must open Kisi's confirmation e-mail first".to_owned(),
            ),
            KisiError::Forbidden { .. } => (
                "forbidden",
                "Kisi refused: the login lacks the permission, or the id does not exist (Kisi answers 403 for both)".to_owned(),
            ),
            KisiError::NoCurrentAccess { .. } => (
                "no_current_access",
                "Kisi has no access valid at this moment for this lock".to_owned(),
            ),
            KisiError::ReaderRestricted { .. } => (
                "reader_restricted",
                "the lock has the Kisi Reader restriction; open it with a phone at the reader, or ask an administrator to disable it".to_owned(),
            ),
            KisiError::GeofenceRestricted { .. } => (
                "geofence_restricted",
                "the lock has a geofence restriction; unlock from near the door with the location shared".to_owned(),
            ),
            KisiError::TimeRestricted { .. } => (
                "time_restricted",
                "the lock has a time restriction; it cannot be opened at this hour".to_owned(),
            ),
            KisiError::GroupNotFound { .. } => (
                "group_not_found",
                "the Kisi group was deleted; map the door access to an existing group".to_owned(),
            ),
            KisiError::Invalid { fields, .. } => (
                "invalid",
                format!(
                    "Kisi rejected the request's {}",
                    if fields.is_empty() {
                        "payload".to_owned()
                    } else {
                        fields.keys().cloned().collect::<Vec<_>>().join(", ")
                    }
                ),
            ),
            KisiError::LoginQuotaExceeded { .. } => (
                "login_quota_exceeded",
                "the Kisi account has too many logins; remove some in the Kisi dashboard, then connect again".to_owned(),
            ),
            KisiError::RateLimited { .. } => (
                "rate_limited",
                "Kisi's rate limit was reached; try again in a few seconds".to_owned(),
            ),
            KisiError::Server { status, .. } => (
                "server_error",
                format!("Kisi had an internal error (HTTP {status}); try again later"),
            ),
            KisiError::Timeout { .. } => (
                "unreachable",
                "Kisi did not answer in time; check the connection and try again".to_owned(),
            ),
            KisiError::Network { .. } => (
                "unreachable",
                "Kisi could not be reached; check the connection and try again".to_owned(),
            ),
            KisiError::Unexpected { status, .. } => (
                "unexpected",
                format!("Kisi answered HTTP {status}, which Doorlink does not expect"),
            ),
            KisiError::InvalidResponse { .. } => (
                "invalid_response",
                "Kisi's answer could not be read; the details are in the hub's log".to_owned(),
            ),
            KisiError::InvalidConfig { detail } => ("invalid_config", detail.clone()),
        };
        let message = match doorlink_sync::kisi_error_code(&error) {
            Some(kisi_code) if !kisi_code.is_empty() => format!("{words} (Kisi code {kisi_code})"),
            _ => words,
        };
        Self::Kisi {
            code: code.to_owned(),
            message,
        }
    }
}

/// A JSON body serde refused, named by the path of the offending field (`items[0].kind`; a
/// missing or unknown field by its own path; `body` for the whole), without serde's line and
/// column (the caller's JSON is not ours to point into).
pub(crate) fn json_problem(error: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    let text = inner.to_string();
    let message = match text.rsplit_once(" at line ") {
        Some((message, _)) if inner.line() > 0 => message.to_owned(),
        _ => text,
    };
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix)?.split('`').next());
    let field = match (named, path.as_str()) {
        (Some(name), ".") => name.to_owned(),
        (Some(name), path) if !path.ends_with(name) => format!("{path}.{name}"),
        (_, ".") => "body".to_owned(),
        (_, path) => path.to_owned(),
    };
    // A list or a string where an object belongs: say so in words, not serde's type names.
    let problem = match message.strip_prefix("invalid type: ") {
        Some(rest) if rest.contains("expected struct") => {
            let found = rest.split(',').next().unwrap_or(rest);
            format!("must be a JSON object, not a {found}")
        }
        _ => message,
    };
    ApiError::field(&field, problem)
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        query_problem(rejection.body_text())
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        Self::field("path", rejection.body_text())
    }
}

fn query_problem(text: String) -> ApiError {
    let field = serde_field(&text).unwrap_or_else(|| "query".to_owned());
    ApiError::Validation {
        message: format!("{field}: {text}"),
        fields: vec![FieldProblem {
            field,
            problem: text,
        }],
    }
}

/// Pulls the field name out of a serde message: "missing field `end`", "unknown variant ... for
/// `role`", or the path serde_path_to_error-style prefix "start: ...".
fn serde_field(text: &str) -> Option<String> {
    if let Some(rest) = text.split("missing field `").nth(1) {
        return rest.split('`').next().map(str::to_owned);
    }
    let detail = text.rsplit(": ").nth(1)?;
    let candidate = detail.rsplit(' ').next()?.trim();
    (!candidate.is_empty()
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '[' || c == ']'))
    .then(|| candidate.to_owned())
}
