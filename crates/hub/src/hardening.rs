//! Headers every answer carries, so a browser does what the hub means and nothing else: no
//! scripts but the UI's own files (the Vite build has no inline script), no framing (clickjacking
//! a door's unlock button), no guessing of content types, nothing of `/api/` kept in a cache (it
//! carries session tokens, Kisi logins and people's data), and the session cookie `Secure`
//! whenever the hub is reached over https.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, SET_COOKIE, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::forwarded;
use crate::state::AppState;

/// The UI's files only: scripts, styles, fonts, images and requests to this origin; no framing.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the headers to every answer (a `from_fn_with_state` middleware over the whole app).
pub(crate) async fn harden(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let https = reached_over_https(&state, &request);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if api {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        secure_cookies(headers);
    }
    response
}

/// https when the configured public URL is, or a trusted proxy says the client came over https.
fn reached_over_https(state: &AppState, request: &Request) -> bool {
    let config = state.config();
    config
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"))
        || request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|info| {
                forwarded::https_via_proxy(info.0.ip(), request.headers(), &config.trusted_proxies)
            })
}

/// Marks every cookie set `Secure`, so the browser never sends the session over plain http.
fn secure_cookies(headers: &mut HeaderMap) {
    let cookies: Vec<HeaderValue> = headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|cookie| match cookie.to_str() {
            Ok(text) if !text.to_ascii_lowercase().contains("; secure") => {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| cookie.clone())
            }
            _ => cookie.clone(),
        })
        .collect();
    headers.remove(SET_COOKIE);
    for cookie in cookies {
        headers.append(SET_COOKIE, cookie);
    }
}
