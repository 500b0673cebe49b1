//! The UI's other hub calls (front desk, admin) through this process, so the session token stays
//! out of the webview.

use tauri::State;

use crate::desktop::{CommandError, Desktop};

#[tauri::command]
pub(crate) async fn hub_request(
    desktop: State<'_, Desktop>,
    method: String,
    path: String,
    query: Option<Vec<(String, String)>>,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, CommandError> {
    desktop
        .hub_request(&method, &path, &query.unwrap_or_default(), body.as_ref())
        .await
}
