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
//! share one JSON shape ([`ApiError`]). The OpenAPI document is at `/api/openapi.json`.

mod action_log;
mod auth;
mod background;
mod change_feed;
mod config;
mod convert;
mod csv;
mod error;
mod facts_cache;
mod forwarded;
mod hardening;
mod hub;
mod kisi_status;
mod kisi_views;
mod openapi;
mod orphaned_mappings;
mod outcome_sender;
mod routes;
mod signing;
mod state;
mod static_ui;
mod support_bundle;
mod sync_bridge;
mod throttle;
mod unlock_report_limit;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

// The hub's public face, all of it: the modules above are its own. Other crates start and
// configure a hub (the CLI's `serve` and `demo`, the desktop's front desk), and borrow only what
// they must build the same way as the hub does.

/// The desktop's first run on the front-desk computer: the first admin account, with the same
/// password rule as every other account.
pub use auth::first_admin::{
    FirstAdmin, PASSWORD_RULE, PasswordRule, create_first_admin, needs_first_admin,
};
/// Password hashes as the hub stores and checks them (argon2id): for accounts made outside a
/// request (the demo's sign-ins, a front desk prepared for a test).
pub use auth::passwords::{hash as hash_password, verify as verify_password};
/// Starting a hub: its configuration (flags > environment > file > defaults), the hub itself and
/// the state every request shares.
pub use config::{
    BootstrapAdmin, ConfigError, ConfigLayer, DATABASE_FILE_ENV, DATABASE_URL_ENV, Database,
    HubConfig, MAX_DATABASE_SETTING, split_list,
};
/// A4: Kisi's refusal of an unlock on the wire, for the desktop, which unlocks straight at Kisi
/// and must answer with the same reason the hub's unlock gives; `Audience` picks the reader.
pub use convert::refusal_reason;
pub use doorlink_core::Audience;
/// The one error shape of every answer (what the desktop's front-desk setup answers too).
pub use error::{ApiError, ApiResult};
pub use hub::{Hub, HubError, RunningHub};
/// Outcome webhooks (issue 15): how they are sent and retried, and the headers receivers read.
pub use outcome_sender::{
    EVENT_TYPE_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, SendPolicy,
    send_due as send_due_outcomes, signature as outcome_signature,
};
pub use routes::door_events::{kisi_webhook_path, set_up_kisi_webhook};
pub use state::AppState;
/// The support bundle (`GET /api/support-bundle`), also written by `doorlink
/// export-support-bundle` for a hub that is not running.
pub use support_bundle::{SupportBundle, gather as gather_support_bundle};

/// For integration tests and benches only: opening a session without a sign-in. Signing in
/// through the API would cost an argon2id hash per person and request (seconds per test in a
/// debug build) and trip the sign-in throttle that the tests of the throttle rely on.
pub mod testing {
    pub use crate::auth::sessions::open as open_session;
    pub use crate::signing::sign as sign_kisi_webhook;
}

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
