//! Front-desk mode: this computer runs the hub itself, in this process, on loopback only, with
//! its database in the app-data folder. Sign-in then works exactly as with a remote hub.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use doorlink_hub::{AppState, ConfigLayer, Hub, HubConfig, RunningHub};
use tokio::net::TcpListener;

use crate::desktop::CommandError;

/// This computer's hub while it runs: the server, and its state for listening to its change
/// notices in this process (live events without a connection to itself).
#[derive(Debug)]
pub(crate) struct FrontDeskHub {
    pub(crate) running: RunningHub,
    pub(crate) state: AppState,
}

/// Starts the hub on `127.0.0.1:<port>`, keeping the port of the last run when it is free (the
/// cache and the keychain key their entries by the hub's address). On a fresh computer the first
/// admin is made on the first-start screen (`Desktop::create_first_admin`);
/// `DOORLINK_ADMIN_EMAIL` / `DOORLINK_ADMIN_PASSWORD` still work as for `doorlink serve`.
pub(crate) async fn start(
    data_dir: &Path,
    last_port: Option<u16>,
) -> Result<FrontDeskHub, CommandError> {
    let database = data_dir.join("hub").join("doorlink.db");
    let config = HubConfig::load(ConfigLayer {
        database: Some(database.into()),
        listen: Some("127.0.0.1:0".to_owned()),
        // The desktop window is the UI; a browser pointed at the loopback hub gets its hint page.
        ui_dist: Some(data_dir.join("no-web-ui")),
        ..ConfigLayer::default()
    })
    .map_err(|error| CommandError::new("front_desk", format!("the hub's settings: {error}")))?;
    let listener = bind(last_port).await?;
    let hub = Hub::start(config).await.map_err(|error| {
        CommandError::new("front_desk", format!("the hub cannot start: {error}"))
    })?;
    let state = hub.state().clone();
    let running = hub.spawn(listener).map_err(|error| {
        CommandError::new("front_desk", format!("the hub cannot serve: {error}"))
    })?;
    tracing::info!(url = %running.base_url(), "this computer's hub is running");
    Ok(FrontDeskHub { running, state })
}

async fn bind(last_port: Option<u16>) -> Result<TcpListener, CommandError> {
    if let Some(port) = last_port {
        match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
            Ok(listener) => return Ok(listener),
            Err(error) => {
                tracing::warn!(port, %error, "last run's hub port is taken; signing in again will be needed");
            }
        }
    }
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(|error| {
            CommandError::new(
                "front_desk",
                format!("no loopback port for the hub: {error}"),
            )
        })
}
