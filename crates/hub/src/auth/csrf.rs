//! CSRF protection for cookie sessions: the per-session token returned at sign-in must come back
//! in `X-CSRF-Token` on every state-changing request. Bearer requests (the desktop app) are exempt:
//! a browser never adds an `Authorization` header to a cross-site request by itself.

use axum::http::{HeaderMap, Method};

use crate::auth::sessions::token_hash;
use crate::error::{ApiError, ApiResult};

pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// Whether the method changes state (and so needs the CSRF token).
pub(crate) fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Checks the header against the session's stored CSRF hash.
pub(crate) fn check(method: &Method, headers: &HeaderMap, csrf_hash: &str) -> ApiResult<()> {
    if !is_state_changing(method) {
        return Ok(());
    }
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::Csrf)?;
    if constant_time_eq(token_hash(sent).as_bytes(), csrf_hash.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::Csrf)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pass_and_writes_need_the_matching_token() {
        let stored = token_hash("the-token");
        let mut headers = HeaderMap::new();
        assert!(check(&Method::GET, &headers, &stored).is_ok());
        assert!(matches!(
            check(&Method::POST, &headers, &stored),
            Err(ApiError::Csrf)
        ));
        headers.insert(CSRF_HEADER, "wrong".parse().unwrap());
        assert!(matches!(
            check(&Method::DELETE, &headers, &stored),
            Err(ApiError::Csrf)
        ));
        headers.insert(CSRF_HEADER, "the-token".parse().unwrap());
        assert!(check(&Method::PUT, &headers, &stored).is_ok());
    }
}
