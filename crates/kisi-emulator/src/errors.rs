//! Kisi's errors as the emulator answers them, in one table: status, Kisi's code (only where Kisi
//! documents one; "some endpoints return an error code", others only a message) and Kisi's
//! message. Each row says whether it is confirmed (and where) or assumed; the client's table of
//! the same causes is `crates/kisi/src/error.rs` (docs/kisi-api.md, "Errors").

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
    /// A path the Kisi API does not have.
    RouteNotFound,
    /// The group only allows unlocks from the member's primary device, and a login made on the
    /// user's behalf is not it.
    PrimaryDeviceRestricted,
    /// An administrator locked the lock down: no unlock succeeds.
    LockedDown,
    /// Kisi cannot reach the lock's controller.
    LockOffline,
}

impl ApiError {
    /// A 422 naming one field and its problem.
    pub(crate) fn invalid(field: &str, problem: impl Into<String>) -> Self {
        Self::Invalid(BTreeMap::from([(field.to_owned(), vec![problem.into()])]))
    }

    /// The table row: status, Kisi's code if it sends one, Kisi's message.
    fn row(&self) -> (StatusCode, Option<&'static str>, &'static str) {
        match self {
            // Confirmed: the seed 000 article quotes "Unauthorized" for a wrong owner e-mail.
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, None, "Unauthorized"),
            // Confirmed message (seed 000); status assumed.
            Self::UnconfirmedEmail => (
                StatusCode::UNAUTHORIZED,
                None,
                "You have to confirm your email address before continuing.",
            ),
            // Status confirmed (Kisi help "403 Access Denied"); message assumed.
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                None,
                "You are not authorized to perform this action.",
            ),
            // Assumed message and status.
            Self::AccessDenied => (
                StatusCode::FORBIDDEN,
                None,
                "You do not have access to this lock right now.",
            ),
            // Confirmed: code bb5bbff (seed 004), message (seed 000); status assumed.
            Self::ReaderRestricted => (
                StatusCode::FORBIDDEN,
                Some("bb5bbff"),
                "Please ask an administrator to disable the Kisi Reader restriction.",
            ),
            // Assumed message and status.
            Self::GeofenceRestricted => (
                StatusCode::FORBIDDEN,
                None,
                "You need to be near the door to unlock it.",
            ),
            // Assumed message and status.
            Self::TimeRestricted => (
                StatusCode::FORBIDDEN,
                None,
                "This door cannot be unlocked at this time.",
            ),
            // Assumed message and status.
            Self::PrimaryDeviceRestricted => (
                StatusCode::FORBIDDEN,
                None,
                "Please unlock from your primary device.",
            ),
            // Assumed message and status (Kisi documents that a lockdown stops every unlock, not
            // its answer).
            Self::LockedDown => (StatusCode::FORBIDDEN, None, "This door is in lockdown."),
            // Assumed message and status.
            Self::LockOffline => (StatusCode::FORBIDDEN, None, "This door is offline."),
            // Confirmed message (seed 000); status assumed.
            Self::GroupNotFound => (StatusCode::NOT_FOUND, None, "Group is not found"),
            // Status confirmed (Kisi's error handling guide); message assumed.
            Self::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, None, "Validation failed"),
            // Assumed: a peer reports the limit (seed 000), Kisi's words are not public.
            Self::LoginQuotaExceeded => (
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                "Too many API logins: remove some logins in the Kisi dashboard and try again.",
            ),
            // Status and Retry-After confirmed (api.kisi.io/docs); message assumed.
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, None, "Too many requests"),
            Self::ServerError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                "Something went wrong",
            ),
            Self::RouteNotFound => (StatusCode::NOT_FOUND, None, "Not found"),
        }
    }

    /// Kisi's code, where Kisi sends one for this error.
    pub(crate) fn code(&self) -> Option<&'static str> {
        self.row().1
    }

    pub(crate) fn message(&self) -> &'static str {
        self.row().2
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.row();
        let mut body = json!({ "error": message });
        if let Some(code) = code {
            body["code"] = code.into();
        }
        if let Self::Invalid(errors) = &self {
            body["errors"] = json!(errors);
        }
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
        assert_eq!(ApiError::ReaderRestricted.code(), Some("bb5bbff"));
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
