//! # doorlink-desktop
//!
//! Doorlink in a Tauri 2 window. The shell is thin: [`desktop::Desktop`] holds the logic (cache,
//! secrets, hub client, Kisi unlock) and is tested without a window; `commands/` exposes it to the
//! webview, one module per domain; [`app_builder`] wires plugins, commands, tray and background
//! refresh, shared by [`run`] and the tests so they build the same app.

pub mod access;
mod background;
pub mod cache;
mod commands;
pub mod desktop;
pub mod error;
mod front_desk;
pub mod hub_client;
pub mod kisi_unlock;
pub mod live;
pub mod notify;
pub mod report_queue;
pub mod secrets;
mod settings_store;
pub mod tray;
pub mod window_state;

use std::path::PathBuf;

use tauri::{AppHandle, Builder, Manager, Runtime};

use crate::desktop::Desktop;
use crate::secrets::Secrets;
use doorlink_api::desktop::DesktopMode;

/// Overrides where the app keeps its data (tests, the end-to-end run); otherwise the OS
/// app-data folder. Set it with `Builder::manage` before building.
#[derive(Debug, Clone)]
pub struct DataDir(pub PathBuf);

/// Leaves the tray out: the tray menu is native GTK, which a test on the mock runtime (no
/// display) has not initialised. Set it with `Builder::manage` before building.
#[derive(Debug, Clone, Copy)]
pub struct NoTray;

/// The environment variable that overrides the data folder for a whole run.
pub const DATA_DIR_ENV: &str = "DOORLINK_DESKTOP_DATA_DIR";

/// A mode given on the command line (`--front-desk`, `--hub URL`), chosen before the window
/// opens; it is saved like a choice made in settings.
#[derive(Debug, Clone)]
pub struct StartupMode(pub DesktopMode);

impl StartupMode {
    /// Reads `--front-desk` or `--hub <URL>` / `--hub=<URL>` from `args` (without the program).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Option<Self> {
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--front-desk" {
                return Some(Self(DesktopMode::FrontDesk));
            }
            let url = match arg.strip_prefix("--hub=") {
                Some(url) => Some(url.to_owned()),
                None if arg == "--hub" => args.next(),
                None => None,
            };
            if let Some(url) = url {
                return Some(Self(DesktopMode::RemoteHub { url }));
            }
        }
        None
    }
}

/// Plugins, commands, state, tray and background work: everything but the context.
pub fn app_builder<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            // A second start shows the running one instead.
            show_main_window(app);
        }))
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .invoke_handler(commands::handler())
        .on_window_event(window_state::on_event)
        .setup(|app| {
            let handle = app.handle();
            let data_dir = data_dir(handle)?;
            // A first start has no data folder yet; the secrets file and the store need it.
            std::fs::create_dir_all(&data_dir)?;
            app.manage(window_state::WindowPlaces::new(settings_store::path(
                &data_dir,
            )));
            if let Some(window) = app.get_webview_window("main") {
                window_state::restore(&window);
            }
            let mut settings = settings_store::load(handle, &data_dir)?;
            if let Some(StartupMode(mode)) = app.try_state::<StartupMode>().as_deref() {
                settings = settings.with_mode(mode.clone());
                settings_store::save(handle, &data_dir, &settings)?;
            }
            let front_desk = settings.mode == Some(DesktopMode::FrontDesk);
            let secrets = Secrets::for_this_machine(&data_dir)?;
            let desktop =
                tauri::async_runtime::block_on(Desktop::open(&data_dir, settings, secrets))?;
            tracing::info!(data_dir = %data_dir.display(), "Doorlink desktop started");
            if front_desk {
                // The front desk's hub runs whenever the app does (its sync worker included).
                let desktop = desktop.clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(error) = desktop.front_desk_hub_url().await {
                        tracing::error!(%error, "this computer's hub did not start");
                    }
                });
            }
            app.manage(desktop);
            if app.try_state::<NoTray>().is_some() {
                tracing::info!("no tray icon (headless)");
            } else if let Err(error) = tray::create(handle) {
                // Some desktops have no tray; the window does everything the tray does.
                tracing::warn!(%error, "no tray icon on this desktop");
            }
            app.manage(live::CurrentLiveStatus::new());
            live::start(handle.clone());
            background::start(handle.clone());
            Ok(())
        })
}

/// Starts the desktop app (the binary's `main`).
pub fn run() {
    // For the start-up benchmark: the cold start is measured from here to the cached page.
    let process_started_at_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,doorlink_desktop=info".into()),
        )
        .init();
    tracing::info!(process_started_at_ms, "Doorlink desktop starting");
    let mut builder = app_builder(Builder::default());
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        builder = builder.manage(DataDir(PathBuf::from(dir)));
    }
    if let Some(mode) = StartupMode::from_args(std::env::args().skip(1)) {
        builder = builder.manage(mode);
    }
    if let Err(error) = builder.run(tauri::generate_context!()) {
        tracing::error!(%error, "Doorlink desktop stopped with an error");
        std::process::exit(1);
    }
}

fn data_dir<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<PathBuf> {
    match app.try_state::<DataDir>() {
        Some(dir) => Ok(dir.0.clone()),
        None => app.path().app_data_dir(),
    }
}

/// Brings the main window to the front (tray "Show", a second start).
pub(crate) fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|arg| (*arg).to_owned()).collect()
    }

    #[test]
    fn the_mode_can_be_given_on_the_command_line() {
        let hub = |list: &[&str]| StartupMode::from_args(args(list)).map(|mode| mode.0);
        assert_eq!(hub(&["--front-desk"]), Some(DesktopMode::FrontDesk));
        let remote = Some(DesktopMode::RemoteHub {
            url: "https://hub.example.com".to_owned(),
        });
        assert_eq!(hub(&["--hub", "https://hub.example.com"]), remote);
        assert_eq!(hub(&["--hub=https://hub.example.com"]), remote);
        assert_eq!(hub(&[]), None);
        assert_eq!(
            hub(&["--hub"]),
            None,
            "a flag without its address chooses nothing"
        );
    }
}
