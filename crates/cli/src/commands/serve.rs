//! `doorlink serve`: the hub (API, sign-in, the UI's files) with its sync worker, until Ctrl-C.
//! Settings come from flags, then `DOORLINK_*` environment variables, then a TOML config file,
//! then defaults; the hub's `HubConfig::load` applies that precedence.

use std::path::PathBuf;

use anyhow::{Context, Result};
use doorlink_hub::{ConfigLayer, Database, Hub, HubConfig};

use crate::data;

/// Run the Doorlink hub: the HTTP API and web UI, with the sync worker that writes access to Kisi.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Settings: a flag beats its DOORLINK_* environment variable, which beats the \
config file, which beats the default. The config file (TOML) and the environment know: listen, \
database (a SQLite file or a postgres:// URL; environment: DOORLINK_DATABASE_URL for a URL, \
DOORLINK_DATABASE for a file), ui_dist (a built UI folder served instead of the one built into doorlink), admin_email + admin_password (an admin created on first start), session_hours, \
session_idle_hours, public_url, secure_cookies, sync_worker, sign_in_attempts_per_minute, trusted_proxies \
(environment: DOORLINK_LISTEN, DOORLINK_DATABASE, ..., DOORLINK_TRUSTED_PROXIES as a comma-separated list).\n\nExample:\n  doorlink serve --listen 0.0.0.0:8080 --data /var/lib/doorlink\n  \
DOORLINK_SECRET_KEY=... doorlink serve --listen 127.0.0.1:8081 --database postgres://doorlink:secret@127.0.0.1/doorlink"
)]
pub struct ServeArgs {
    /// A TOML config file (also DOORLINK_CONFIG).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The address to listen on, e.g. 127.0.0.1:8080 (also DOORLINK_LISTEN; default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// The data folder; the database is DIR/doorlink.db (default: --database, DOORLINK_DATABASE_URL,
    /// DOORLINK_DATABASE, the config file's `database`, or the OS data folder).
    #[arg(long, value_name = "DIR", conflicts_with = "database")]
    pub data: Option<PathBuf>,
    /// The database: a SQLite file, or postgres://user:password@host:5432/name for a PostgreSQL
    /// database several hubs share (also DOORLINK_DATABASE_URL; the hubs of one PostgreSQL database
    /// need the same DOORLINK_SECRET_KEY).
    #[arg(long, value_name = "PATH|URL", value_parser = data::DATABASE_FLAG)]
    pub database: Option<Database>,
    /// Reverse proxies in front of the hub, comma-separated addresses or CIDR ranges (e.g.
    /// 127.0.0.1,10.0.0.0/8; also DOORLINK_TRUSTED_PROXIES): only their X-Forwarded-For names the
    /// client, so sign-in throttling counts each client, not the proxy.
    #[arg(long, value_name = "LIST")]
    pub trusted_proxies: Option<String>,
}

impl ServeArgs {
    /// The flags as the hub's top configuration layer.
    pub fn flags(&self) -> ConfigLayer {
        ConfigLayer {
            config: self.config.clone(),
            listen: self.listen.clone(),
            database: match (&self.database, &self.data) {
                (Some(database), _) => Some(database.clone()),
                (None, Some(dir)) => Some(Database::File(data::database_path(dir))),
                (None, None) => None,
            },
            trusted_proxies: self
                .trusted_proxies
                .as_deref()
                .map(doorlink_hub::split_list),
            ..ConfigLayer::default()
        }
    }
}

/// Resolves the configuration (flags > environment > file > defaults).
pub fn config(args: &ServeArgs) -> Result<HubConfig> {
    HubConfig::load(args.flags()).context("reading the hub's configuration")
}

/// The line `doorlink serve` prints when it starts (a PostgreSQL URL's password hidden).
pub fn startup_line(config: &HubConfig) -> String {
    format!(
        "Doorlink hub on http://{} (database {}). Press Ctrl-C to stop.",
        config.listen, config.database
    )
}

/// Serves `config` until `shutdown` completes.
pub async fn run(
    config: HubConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let database = config.database.clone();
    let listen = config.listen;
    let hub = Hub::start(config)
        .await
        .with_context(|| format!("starting the hub on {database}"))?;
    // `Database`'s Display hides a URL's password.
    tracing::info!(%listen, %database, "doorlink serve");
    hub.serve(shutdown)
        .await
        .with_context(|| format!("serving on {listen}"))
}
