//! `Authorization: KISI-LOGIN <secret>` (kisi-api.md, "General"): resolves who is calling, spends
//! their rate budget, and offers the handlers a `Caller` with the permission checks.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts, Request, State};
use axum::http::{HeaderMap, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::control::Shared;
use crate::errors::ApiError;
use crate::lock;
use crate::rate_limit::RateKey;
use crate::state::Store;
use crate::state::logins::Principal;

const SCHEME: &str = "KISI-LOGIN";

/// The TCP peer, inserted by the server for per-IP rate limiting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PeerAddr(pub(crate) SocketAddr);

/// Put on responses so the request log can name the user (never the secret).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoggedUser(pub(crate) Option<u64>);

/// Middleware for every Kisi route: authenticate if a key is given, then rate-limit per user
/// (per access link, or per IP without a valid key).
pub(crate) async fn authenticate(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let now = shared.clock.now();
    let principal =
        secret(request.headers()).and_then(|secret| lock(&shared.store).authenticate(secret, now));
    let peer_ip = request
        .extensions()
        .get::<PeerAddr>()
        .map(|peer| peer.0.ip());
    let (key, user_id) = match principal {
        Some(Principal::User { user_id, .. }) => (Some(RateKey::User(user_id)), Some(user_id)),
        Some(Principal::Link { link_id }) => (Some(RateKey::AccessLink(link_id)), None),
        None => (peer_ip.map(RateKey::Ip), None),
    };
    let allowed = key.map_or(Ok(()), |key| shared.rate_limits.check(key));
    let mut response = match allowed {
        Ok(()) => {
            if let Some(principal) = principal {
                request.extensions_mut().insert(principal);
            }
            next.run(request).await
        }
        Err(error) => error.into_response(),
    };
    // A handler that learns the user itself (owner sign-in) has already named it.
    if response.extensions().get::<LoggedUser>().is_none() {
        response.extensions_mut().insert(LoggedUser(user_id));
    }
    response
}

fn secret(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.trim().split_once(' ')?;
    let secret = secret.trim();
    (scheme.eq_ignore_ascii_case(SCHEME) && !secret.is_empty()).then_some(secret)
}

/// An authenticated caller; extracting it from a request without a valid key answers 401.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller(pub(crate) Principal);

impl Caller {
    /// The calling user's id; access links are not users (403).
    pub(crate) fn user_id(self) -> Result<u64, ApiError> {
        match self.0 {
            Principal::User { user_id, .. } => Ok(user_id),
            Principal::Link { .. } => Err(ApiError::Forbidden),
        }
    }

    /// Only the owner and administrators manage users, groups, assignments and links.
    pub(crate) fn require_admin(self, store: &Store) -> Result<u64, ApiError> {
        let user_id = self.user_id()?;
        match store.users.get(&user_id) {
            Some(user) if user.admin => Ok(user_id),
            _ => Err(ApiError::Forbidden),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .copied()
            .map(Caller)
            .ok_or(ApiError::Unauthorized)
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, ApiError> {
        Ok(parts.extensions.get::<Principal>().copied().map(Caller))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_kisi_login_scheme_carries_the_secret() {
        assert_eq!(secret(&headers("KISI-LOGIN abc123")), Some("abc123"));
        assert_eq!(secret(&headers("kisi-login abc123")), Some("abc123"));
    }

    #[test]
    fn other_schemes_and_empty_secrets_are_not_keys() {
        assert_eq!(secret(&headers("Bearer abc123")), None);
        assert_eq!(secret(&headers("KISI-LOGIN ")), None);
        assert_eq!(secret(&HeaderMap::new()), None);
    }
}
