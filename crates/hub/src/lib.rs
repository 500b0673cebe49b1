//! # doorlink-hub
//!
//! Doorlink's HTTP face. [`app`] builds the axum router (tests drive it with
//! `tower::ServiceExt::oneshot`, no socket); [`Hub`] opens the database, creates the bootstrap
//! admin, runs the sync worker in the background and serves the router.
//!
//! ```no_run
//! # async fn run() -> Result<(), doorlink_hub::HubError> {
//! use doorlink_hub::{ConfigLayer, Hub, HubConfig};
//! let config = HubConfig::load(ConfigLayer::default())?;
//! let hub = Hub::start(config).await?;
//! hub.serve(async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # Ok(()) }
//! ```
//!
//! Every route checks the role (member < staff < admin); members reach only `/api/me/…`. Errors
//! share one JSON shape (see [`error`]). The OpenAPI document is at `/api/openapi.json`.

pub mod action_log;
pub mod auth;
pub mod config;
pub mod convert;
pub mod error;
pub mod facts_cache;
pub mod forwarded;
pub mod hardening;
pub mod kisi_status;
pub mod kisi_views;
pub mod openapi;
pub mod routes;
pub mod state;
pub mod static_ui;
pub mod support_bundle;

mod background;
mod hub;
pub mod sync_bridge;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use config::{BootstrapAdmin, ConfigError, ConfigLayer, HubConfig};
pub use error::{ApiError, ApiResult};
pub use hub::{Hub, HubError, RunningHub};
pub use state::AppState;

/// The largest request body the API reads: its biggest request (a subscription with its items
/// and beneficiaries) is a few KiB; anything larger is refused with 413 before it is parsed, so
/// nobody anonymous can make the hub hold megabytes per request.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole HTTP application: the API, `/api/openapi.json`, and the UI's files at `/`.
pub fn app(state: AppState) -> Router {
    let (api, mut document) = api_router().split_for_parts();
    openapi::document_common_errors(&mut document);
    let document = std::sync::Arc::new(document);
    let ui = static_ui::router(state.config().ui_dist.as_deref());
    // Issue 17 point 13: every changing request to a matched API route is recorded with its
    // actor (a route layer: it sees the matched route, and is skipped for unknown paths).
    api.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        action_log::record,
    ))
    .route(
        "/api/openapi.json",
        get(move || {
            let document = document.clone();
            async move { axum::Json(document.as_ref().clone()) }
        }),
    )
    .route("/api/{*rest}", any(api_route_not_found))
    .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
    .with_state(state.clone())
    .merge(ui)
    .layer(axum::middleware::from_fn_with_state(
        state,
        hardening::harden,
    ))
}

/// The API routes with their OpenAPI description (what `/api/openapi.json` serves).
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi()).merge(routes::api())
}

/// The OpenAPI document of every route.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut document = api_router().split_for_parts().1;
    openapi::document_common_errors(&mut document);
    document
}

async fn api_route_not_found() -> ApiError {
    ApiError::NotFound("no such API route; see /api/openapi.json".to_owned())
}
