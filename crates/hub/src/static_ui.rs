//! The UI's built files at `/`, with single-page-app fallback to `index.html`; when the folder
//! is missing, `/` says how to build it.

use std::path::Path;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Html;
use tower_http::services::{ServeDir, ServeFile};

const NOT_BUILT: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Doorlink</title></head>\
<body><h1>Doorlink hub is running</h1><p>The web UI has not been built yet. Build it with \
<code>cd ui &amp;&amp; npm install &amp;&amp; npm run build</code> (or point <code>ui_dist</code> / \
<code>DOORLINK_UI_DIST</code> at a built folder) and reload. The API is at <a href=\"/api/openapi.json\">\
/api/openapi.json</a>.</p></body></html>";

/// A router serving `ui_dist` (or the "not built" page) for every path the API does not take.
pub fn router<S: Clone + Send + Sync + 'static>(ui_dist: &Path) -> Router<S> {
    let index = ui_dist.join("index.html");
    if index.is_file() {
        Router::new().fallback_service(ServeDir::new(ui_dist).fallback(ServeFile::new(index)))
    } else {
        Router::new().fallback(|| async { (StatusCode::OK, Html(NOT_BUILT)) })
    }
}
