//! The contract's error table (kisi-contract.md, "Error table"), in one place: every failure the
//! emulator answers is a variant here, with its status, code and message.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Per-field problems of a 422, e.g. `{"email": ["can't be blank"]}`.
pub(crate) type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ApiError {
    Unauthorized,
    UnconfirmedEmail,
    /// Not allowed, or an id that does not exist (Kisi answers 403, not 404).
    Forbidden,
    AccessDenied,
    ReaderRestricted,
    GeofenceRestricted,
    TimeRestricted,
    /// A group that existed and was deleted.
    GroupNotFound,
    Invalid(FieldErrors),
    LoginQuotaExceeded,
    RateLimited {
        retry_after_seconds: u64,
    },
    ServerError,
    /// A path the Kisi API does not have (outside the contract's table).
    RouteNotFound,
}

impl ApiError {
    /// A 422 naming one field and its problem.
    pub(crate) fn invalid(field: &str, problem: impl Into<String>) -> Self {
        Self::Invalid(BTreeMap::from([(field.to_owned(), vec![problem.into()])]))
    }

    /// The table row: status, code, message.
    fn row(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
            Self::UnconfirmedEmail => (
                StatusCode::UNAUTHORIZED,
                "unconfirmed_email",
                "You have to confirm your email address before continuing.",
            ),
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "You are not authorized to perform this action.",
            ),
            Self::AccessDenied => (
                StatusCode::FORBIDDEN,
                "access_denied",
                "You do not have access to this lock right now.",
            ),
            Self::ReaderRestricted => (
                StatusCode::FORBIDDEN,
                "bb5bbff",
                "Please ask an administrator to disable the Kisi Reader restriction.",
            ),
            Self::GeofenceRestricted => (
                StatusCode::FORBIDDEN,
                "geofence_restricted",
                "You need to be near the door to unlock it.",
            ),
            Self::TimeRestricted => (
                StatusCode::FORBIDDEN,
                "time_restricted",
                "This door cannot be unlocked at this time.",
            ),
            Self::GroupNotFound => (
                StatusCode::NOT_FOUND,
                "group_not_found",
                "Group is not found",
            ),
            Self::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Validation failed",
            ),
            Self::LoginQuotaExceeded => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "login_quota_exceeded",
                "Too many API logins: remove some logins in the Kisi dashboard and try again.",
            ),
            Self::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many requests",
            ),
            Self::ServerError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "Something went wrong",
            ),
            Self::RouteNotFound => (StatusCode::NOT_FOUND, "not_found", "Not found"),
        }
    }

    pub(crate) fn code(&self) -> &'static str {
        self.row().1
    }

    pub(crate) fn message(&self) -> &'static str {
        self.row().2
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.row();
        let body = match &self {
            Self::Invalid(errors) => json!({ "code": code, "error": message, "errors": errors }),
            _ => json!({ "code": code, "error": message }),
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::RateLimited {
            retry_after_seconds,
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_restriction_carries_the_archie_seed_code() {
        assert_eq!(ApiError::ReaderRestricted.code(), "bb5bbff");
        assert_eq!(
            ApiError::ReaderRestricted.into_response().status(),
            StatusCode::FORBIDDEN
        );
    }

    #[test]
    fn a_deleted_group_is_404_but_an_unknown_id_is_403() {
        assert_eq!(
            ApiError::GroupNotFound.into_response().status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            ApiError::Forbidden.into_response().status(),
            StatusCode::FORBIDDEN
        );
    }

    #[test]
    fn rate_limited_answers_carry_retry_after() {
        let response = ApiError::RateLimited {
            retry_after_seconds: 2,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
    }
}
