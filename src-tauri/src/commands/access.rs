//! The Access page: from the cache at once, then from the hub (A6).

use chrono::Utc;
use tauri::{AppHandle, Runtime, State};

use crate::desktop::{CommandError, Desktop};
use doorlink_api::desktop::DesktopAccess;

/// The last known doors, re-read at the local clock; no network. The page renders this first.
#[tauri::command]
pub(crate) async fn cached_access(
    desktop: State<'_, Desktop>,
) -> Result<DesktopAccess, CommandError> {
    desktop.cached_access(Utc::now()).await
}

/// The hub's answer (and the cache updated), or the cached doors marked offline; a 401 ends the
/// session in the UI (`signed_out`).
#[tauri::command]
pub(crate) async fn refresh_access<R: Runtime>(
    app: AppHandle<R>,
    desktop: State<'_, Desktop>,
) -> Result<DesktopAccess, CommandError> {
    let access = crate::live::watch_for_refusal(&app, desktop.refresh_access(Utc::now()).await)?;
    if let Err(error) = crate::tray::update(&app, &access) {
        tracing::warn!(%error, "the tray menu could not be updated");
    }
    Ok(access)
}
