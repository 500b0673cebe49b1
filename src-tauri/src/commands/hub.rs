//! The UI's other hub calls (front desk, admin) through this process, so the session token stays
//! out of the webview.

use tauri::{AppHandle, Runtime, State};

use crate::desktop::{CommandError, Desktop};

#[tauri::command]
pub(crate) async fn hub_request<R: Runtime>(
    app: AppHandle<R>,
    desktop: State<'_, Desktop>,
    method: String,
    path: String,
    query: Option<Vec<(String, String)>>,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, CommandError> {
    let answer = desktop
        .hub_request(&method, &path, &query.unwrap_or_default(), body.as_ref())
        .await;
    crate::live::watch_for_refusal(&app, answer)
}
