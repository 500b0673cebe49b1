//! The mode (front desk or a hub elsewhere) and start at login.

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt;

use doorlink_api::desktop::DesktopStatus;

use crate::desktop::{CommandError, Desktop};
use doorlink_api::desktop::{DesktopMode, DesktopSettings};

/// Chooses the mode (first start, or a change in settings); see [`Desktop::choose_mode`].
#[tauri::command]
pub(crate) async fn choose_mode<R: Runtime>(
    app: AppHandle<R>,
    desktop: State<'_, Desktop>,
    mode: DesktopMode,
) -> Result<DesktopStatus, CommandError> {
    let settings = desktop.choose_mode(mode).await?;
    crate::settings_store::save(&app, desktop.data_dir(), &settings)?;
    Ok(desktop.status().await)
}

#[tauri::command]
pub(crate) async fn set_start_at_login<R: Runtime>(
    app: AppHandle<R>,
    desktop: State<'_, Desktop>,
    enabled: bool,
) -> Result<DesktopStatus, CommandError> {
    let autostart = app.autolaunch();
    let result = if enabled {
        autostart.enable()
    } else {
        autostart.disable()
    };
    result.map_err(|error| {
        CommandError::new(
            "local_storage",
            format!(
                "start at login could not be {}: {error}",
                if enabled { "enabled" } else { "disabled" }
            ),
        )
    })?;
    let settings = desktop
        .update_settings(|settings| DesktopSettings {
            start_at_login: enabled,
            ..settings
        })
        .await;
    crate::settings_store::save(&app, desktop.data_dir(), &settings)?;
    Ok(desktop.status().await)
}

/// The hub to sign in to in the current mode.
pub(crate) async fn hub_url_of_mode(desktop: &Desktop) -> Result<String, CommandError> {
    match desktop.settings().await.mode {
        Some(DesktopMode::RemoteHub { url }) => Ok(url),
        Some(DesktopMode::FrontDesk) => desktop.front_desk_hub_url().await,
        None => Err(CommandError::new(
            "validation_failed",
            "Choose first whether this computer is the front desk or signs in to a hub.",
        )),
    }
}
