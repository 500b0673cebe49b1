//! The web UI at `/`, with single-page-app fallback to `index.html`: the UI built into the binary
//! at compile time (so `doorlink serve` finds it wherever it is started from), or a folder named
//! by `ui_dist` / `DOORLINK_UI_DIST` (development). Without either, `/` says how to build it.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};

const NOT_BUILT: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Doorlink</title></head>\
<body><h1>Doorlink hub is running</h1><p>The web UI has not been built yet. Build it with \
<code>cd ui &amp;&amp; npm install &amp;&amp; npm run build</code>, then build Doorlink again (or point \
<code>ui_dist</code> / <code>DOORLINK_UI_DIST</code> at a built folder) and reload. The API is at \
<a href=\"/api/openapi.json\">/api/openapi.json</a>.</p></body></html>";

/// `ui/dist` as it was when this binary was built (empty when it had not been built then).
#[derive(rust_embed::Embed)]
#[folder = "../../ui/dist/"]
#[allow_missing = true]
struct BuiltUi;

/// A router serving the UI (or the "not built" page) for every path the API does not take.
pub(crate) fn router<S: Clone + Send + Sync + 'static>(ui_dist: Option<&Path>) -> Router<S> {
    match ui_dist {
        Some(folder) if folder.join("index.html").is_file() => Router::new().fallback_service(
            ServeDir::new(folder).fallback(ServeFile::new(folder.join("index.html"))),
        ),
        None if BuiltUi::get(INDEX).is_some() => Router::new().fallback_service(get(built_in)),
        _ => Router::new().fallback(|| async { (StatusCode::OK, Html(NOT_BUILT)) }),
    }
}

const INDEX: &str = "index.html";

/// One file of the built-in UI; any path that is not a file is a page of the app.
async fn built_in(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let (path, file) = match BuiltUi::get(path) {
        Some(file) if !path.is_empty() => (path, file),
        _ => match BuiltUi::get(INDEX) {
            Some(file) => (INDEX, file),
            None => return (StatusCode::OK, Html(NOT_BUILT)).into_response(),
        },
    };
    // Vite names every asset by its content: those never change; the page itself always may.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let content_type = HeaderValue::from_str(file.metadata.mimetype())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        file.data,
    )
        .into_response()
}
