//! The non-secret settings in tauri-plugin-store (`settings.json` in the data folder).

use std::path::Path;

use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

use crate::desktop::CommandError;
use doorlink_api::desktop::DesktopSettings;

const FILE: &str = "settings.json";
/// The key under which the store keeps the settings.
const STORE_KEY: &str = "settings";

/// The store file, which also keeps the window's place (window_state.rs).
pub(crate) fn path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(FILE)
}

/// The settings saved last time, or the defaults at first start (mode not chosen yet).
pub(crate) fn load<R: Runtime>(
    app: &AppHandle<R>,
    data_dir: &Path,
) -> Result<DesktopSettings, CommandError> {
    let store = app
        .store(data_dir.join(FILE))
        .map_err(|error| store_error(&error))?;
    Ok(match store.get(STORE_KEY) {
        Some(value) => serde_json::from_value(value).unwrap_or_else(|error| {
            tracing::warn!(%error, "the saved settings are unreadable; starting from the defaults");
            DesktopSettings::default()
        }),
        None => DesktopSettings::default(),
    })
}

pub(crate) fn save<R: Runtime>(
    app: &AppHandle<R>,
    data_dir: &Path,
    settings: &DesktopSettings,
) -> Result<(), CommandError> {
    let store = app
        .store(data_dir.join(FILE))
        .map_err(|error| store_error(&error))?;
    let value = serde_json::to_value(settings)
        .map_err(|error| CommandError::new("local_storage", error.to_string()))?;
    store.set(STORE_KEY, value);
    store.save().map_err(|error| store_error(&error))
}

fn store_error(error: &tauri_plugin_store::Error) -> CommandError {
    CommandError::new(
        "local_storage",
        format!("the settings file cannot be used: {error}"),
    )
}
