//! Work that runs while the app is open: refresh the Access page from the hub every minute (so the
//! tray and the cache stay current) and announce windows that open or are about to end.

use std::time::Duration;

use chrono::Utc;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::desktop::Desktop;

const PERIOD: Duration = Duration::from_secs(60);

/// The event the webview listens to when the Access page changed in the background.
pub(crate) const ACCESS_CHANGED: &str = doorlink_api::desktop::DesktopEvent::AccessChanged.name();

pub(crate) fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut last_check = Utc::now();
        loop {
            tokio::time::sleep(PERIOD).await;
            let Some(desktop) = app.try_state::<Desktop>() else {
                return;
            };
            let now = Utc::now();
            let Ok(access) = desktop.refresh_access(now).await else {
                continue; // signed out: nothing to refresh
            };
            if let Some(page) = &access.access {
                for notice in crate::notify::due_notices(page, last_check, now) {
                    crate::notify::show(&app, &notice);
                }
            }
            last_check = now;
            if let Err(error) = crate::tray::update(&app, &access) {
                tracing::warn!(%error, "the tray menu could not be updated");
            }
            let _ = app.emit(ACCESS_CHANGED, &access);
        }
    });
}
