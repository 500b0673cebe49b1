//! The non-secret settings in tauri-plugin-store (`settings.json` in the data folder).

use std::path::Path;

use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

use crate::desktop::CommandError;
use crate::mode::Settings;

const FILE: &str = "settings.json";

/// The store file, which also keeps the window's place (window_state.rs).
pub(crate) fn path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(FILE)
}

/// The settings saved last time, or the defaults at first start (mode not chosen yet).
pub(crate) fn load<R: Runtime>(
    app: &AppHandle<R>,
    data_dir: &Path,
) -> Result<Settings, CommandError> {
    let store = app
        .store(data_dir.join(FILE))
        .map_err(|error| store_error(&error))?;
    Ok(match store.get(Settings::STORE_KEY) {
        Some(value) => serde_json::from_value(value).unwrap_or_else(|error| {
            tracing::warn!(%error, "the saved settings are unreadable; starting from the defaults");
            Settings::default()
        }),
        None => Settings::default(),
    })
}

pub(crate) fn save<R: Runtime>(
    app: &AppHandle<R>,
    data_dir: &Path,
    settings: &Settings,
) -> Result<(), CommandError> {
    let store = app
        .store(data_dir.join(FILE))
        .map_err(|error| store_error(&error))?;
    let value = serde_json::to_value(settings)
        .map_err(|error| CommandError::new("local_storage", error.to_string()))?;
    store.set(Settings::STORE_KEY, value);
    store.save().map_err(|error| store_error(&error))
}

fn store_error(error: &tauri_plugin_store::Error) -> CommandError {
    CommandError::new(
        "local_storage",
        format!("the settings file cannot be used: {error}"),
    )
}
