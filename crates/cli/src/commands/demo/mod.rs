//! `doorlink demo`: the Kisi emulator and the hub on loopback with a fresh demo space, already
//! connected, mapped and synced; prints the URLs and the demo sign-ins and runs until Ctrl-C.

mod data_folder;
mod kisi;
mod sign_ins;

use std::fmt::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::Utc;
use doorlink_hub::{ConfigLayer, Hub, HubConfig, RunningHub};
use doorlink_store::{AccountRole, Store};
use kisi_emulator::RunningEmulator;
use tokio::net::TcpListener;

pub use self::data_folder::DataFolder;
pub use self::kisi::{
    DEMO_KISI_REQUESTS_PER_SECOND, demo_kisi_connection, prepare_space, start_emulator,
    sync_until_settled,
};
pub use self::sign_ins::{SignIn, sign_ins};
use crate::data;
use crate::demo_space::{self, DemoSpace};

/// Start a complete demo: the Kisi emulator and the hub on 127.0.0.1 with a demo coworking space
/// (Europe/Berlin; plans, rooms, desks, offices, parking, companies, forty people, bookings today
/// and tomorrow, a day pass, a visitor, a reader-restricted door), connected to Kisi and synced.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Prints the hub's URL and sign-ins for a member, a staff person and an \
admin, then runs until Ctrl-C.\n\nExample:\n  doorlink demo --port 8080 --data ./demo-data"
)]
pub struct DemoArgs {
    /// Keep the demo's data (doorlink.db) in this folder, which must not hold a database yet.
    /// Default: a temporary folder, removed when the demo stops.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The hub's port on 127.0.0.1 (0 picks a free port).
    #[arg(long, value_name = "N", default_value_t = 8080)]
    pub port: u16,
    /// The Kisi emulator's port on 127.0.0.1 (0 picks a free port).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub emulator_port: u16,
}

impl From<&DemoArgs> for DemoOptions {
    fn from(args: &DemoArgs) -> Self {
        Self {
            data: args.data.clone(),
            port: args.port,
            emulator_port: args.emulator_port,
        }
    }
}

/// What `doorlink demo` starts; the end-to-end tests start the same.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Keep the data in this folder instead of a temporary one.
    pub data: Option<PathBuf>,
    /// The hub's port on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// The Kisi emulator's port on 127.0.0.1 (0 = any free port).
    pub emulator_port: u16,
}

/// A running demo: emulator, hub, and the synced demo space.
#[derive(Debug)]
pub struct RunningDemo {
    pub hub: RunningHub,
    pub emulator: RunningEmulator,
    pub store: Store,
    pub space: DemoSpace,
    pub sign_ins: Vec<SignIn>,
    pub data: DataFolder,
}

/// Starts the emulator, builds and syncs the demo space, creates the sign-ins and serves the hub
/// (with its sync worker) on loopback.
pub async fn start(options: DemoOptions) -> Result<RunningDemo> {
    // Claim the port first, so a busy one fails before any work is done.
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("listening on {address} (pass --port to choose another)"))?;
    let data = DataFolder::new(options.data)?;
    let database = data::database_path(data.path());
    let emulator = start_emulator(options.emulator_port).await?;
    let store = Store::open(&database)
        .await
        .with_context(|| format!("creating the demo database {}", database.display()))?;
    let now = Utc::now();
    let space = prepare_space(&store, &emulator, now).await?;
    let sign_ins = sign_ins::create_accounts(&store, &space).await?;
    // Issue 15: the morning at the doors lives in Kisi's events list; the hub's first backfill
    // brings it in, and Kisi's webhook (set up as an admin would) brings what happens next.
    kisi::tap_the_morning(&emulator, &space, now)?;
    let (webhook, webhook_secret) = doorlink_hub::set_up_kisi_webhook(&store, space.location)
        .await
        .context("setting up the demo's Kisi webhook")?;

    let mut config = HubConfig::load(ConfigLayer {
        listen: Some(listener.local_addr()?.to_string()),
        database: Some(database.clone().into()),
        ..ConfigLayer::default()
    })
    .context("reading the hub's configuration")?;
    config.sync.kisi = ::kisi::Connection {
        integration: config.sync.kisi.integration.clone(),
        ..demo_kisi_connection(&emulator.base_url())
    };
    let hub = Hub::with_store(store.clone(), config)
        .await
        .context("starting the hub")?
        .spawn(listener)
        .context("serving the hub")?;
    emulator
        .control()
        .add_webhook(kisi_emulator::NewWebhook {
            url: format!(
                "{}{}",
                hub.base_url(),
                doorlink_hub::kisi_webhook_path(webhook.location)
            ),
            secret: Some(webhook_secret),
            event_types: Some(vec![kisi_emulator::UNLOCK_EVENT.to_owned()]),
        })
        .context("telling the demo's Kisi where to send its events")?;
    Ok(RunningDemo {
        hub,
        emulator,
        store,
        space,
        sign_ins,
        data,
    })
}

impl RunningDemo {
    /// What `doorlink demo` prints: where things are and how to sign in.
    pub fn banner(&self) -> String {
        let mut out = format!(
            "Doorlink demo is running.\n\n  Hub:            {}\n  Kisi emulator:  {}\n  Data folder:    {}{}\n\nSign in as:\n",
            self.hub.base_url(),
            self.emulator.base_url(),
            self.data.path().display(),
            match self.data {
                DataFolder::Temporary(_) => " (temporary, removed when the demo stops)",
                DataFolder::Given(_) => "",
            },
        );
        for sign_in in &self.sign_ins {
            let role = match sign_in.role {
                AccountRole::Member => "member",
                AccountRole::Staff => "staff ",
                AccountRole::Admin => "admin ",
            };
            let _ = writeln!(
                out,
                "  {role}  {:<26}  password {}",
                sign_in.email, sign_in.password
            );
        }
        let _ = write!(
            out,
            "\nTry: doorlink explain {} --lock \"{}\" --data {}\nPress Ctrl-C to stop.\n",
            demo_space::MEMBER_EMAIL,
            demo_space::names::READER_RESTRICTED_LOCK,
            self.data.path().display()
        );
        out
    }

    /// Stops the hub and its sync worker, then the emulator, and closes the database (a temporary
    /// data folder is removed).
    pub async fn shutdown(self) {
        self.hub.shutdown().await;
        self.emulator.shutdown().await;
        self.store.close().await;
        drop(self.data);
    }
}
