//! The admin's download of the support bundle (issue 17): the file `doorlink
//! export-support-bundle` writes, without a terminal on the hub's machine. Never a secret
//! (`crate::support_bundle`).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use doorlink_api::error::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::support_bundle::gather;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download_support_bundle))
}

/// The support bundle as a JSON file to save and send to support.
#[utoipa::path(get, path = doorlink_api::routes::SUPPORT_BUNDLE, tag = "support",
    responses((status = 200, description = "The support bundle, a JSON file", content_type = "application/json"),
              (status = 403, body = ErrorBody)))]
async fn download_support_bundle(State(state): State<AppState>, _: Admin) -> ApiResult<Response> {
    let now = state.now();
    let bundle = gather(state.store(), now).await?;
    let json = serde_json::to_vec_pretty(&bundle)
        .map_err(|error| ApiError::Internal(format!("writing the support bundle: {error}")))?;
    let file = format!(
        "attachment; filename=\"doorlink-support-{}.json\"",
        now.format("%Y-%m-%d")
    );
    let disposition =
        HeaderValue::from_str(&file).unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        json,
    )
        .into_response())
}
