//! `doorlink demo`: the Kisi emulator and the hub on loopback with a fresh demo space, already
//! connected, mapped and synced; prints the URLs and the demo sign-ins and runs until Ctrl-C.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Utc};
use doorlink_core::Email;
use doorlink_hub::auth::passwords;
use doorlink_hub::{ConfigLayer, Hub, HubConfig, RunningHub};
use doorlink_store::{AccountRole, Clock, Store};
use doorlink_sync::{SyncConfig, SyncEngine, Worker};
use kisi_emulator::{EmulatorConfig, RunningEmulator, Seed};
use tempfile::TempDir;
use tokio::net::TcpListener;

use crate::data;
use crate::demo_space::{self, DemoSpace, cast};

/// Requests per second the demo's Kisi emulator allows, and the pace sync keeps towards it.
/// Real Kisi allows 5 per user; the demo runs faster so the first sync of forty people takes
/// seconds, not a minute. Both sides use the same figure, so the pacing is still exercised.
pub const DEMO_KISI_REQUESTS_PER_SECOND: u32 = 100;

/// The Kisi connection settings sync uses in the demo: the emulator's pace, otherwise defaults.
pub fn demo_kisi_connection(base_url: &str) -> kisi::Connection {
    kisi::Connection {
        rate_limit: NonZeroU32::new(DEMO_KISI_REQUESTS_PER_SECOND),
        ..kisi::Connection::new(base_url)
    }
}

/// Starts the Kisi emulator with the demo seed on loopback (`port` 0 = any free port).
pub async fn start_emulator(port: u16) -> Result<RunningEmulator> {
    let seed = Seed::demo().context("loading the emulator's demo seed")?;
    kisi_emulator::start(EmulatorConfig {
        rate_limit_per_second: Some(DEMO_KISI_REQUESTS_PER_SECOND),
        seed: Some(seed),
        listen: Some(SocketAddr::from((Ipv4Addr::LOCALHOST, port))),
        ..EmulatorConfig::default()
    })
    .await
    .with_context(|| format!("starting the Kisi emulator on 127.0.0.1:{port}"))
}

/// Builds the demo space into `store`, connects it to `emulator` with the seed owner's API key
/// and syncs it once, so Kisi already holds every grant when the demo prints its sign-ins.
pub async fn prepare_space(
    store: &Store,
    emulator: &RunningEmulator,
    now: DateTime<Utc>,
) -> Result<DemoSpace> {
    let seed = emulator
        .seed_ids()
        .context("the Kisi emulator was started without the demo seed")?;
    let space = demo_space::build(store, seed, now).await?;
    demo_space::connect(
        store,
        space.location,
        &emulator.base_url(),
        &seed.owner_api_key,
    )
    .await?;
    sync_until_settled(store, &emulator.base_url()).await?;
    Ok(space)
}

/// Runs the outbox until nothing is due, and fails if anything could not be written to Kisi.
pub async fn sync_until_settled(store: &Store, kisi_base_url: &str) -> Result<()> {
    let engine = SyncEngine::new(
        store.clone(),
        Clock::system(),
        SyncConfig {
            kisi: demo_kisi_connection(kisi_base_url),
            ..SyncConfig::default()
        },
    );
    let worker = Worker::new(Arc::new(engine));
    let pass = worker
        .drain()
        .await
        .context("syncing the demo space to Kisi")?;
    if pass.failed > 0 {
        let stuck: Vec<String> = store
            .outbox()
            .entries(None)
            .await?
            .into_iter()
            .filter_map(|entry| entry.last_error)
            .collect();
        bail!(
            "{} sync step(s) of the demo space failed: {}",
            pass.failed,
            stuck.join("; ")
        );
    }
    tracing::info!(entries = pass.completed, "demo space synced to Kisi");
    Ok(())
}

/// One demo sign-in, printed by `doorlink demo`.
#[derive(Debug, Clone)]
pub struct SignIn {
    pub role: AccountRole,
    pub email: String,
    pub password: String,
}

/// The demo's sign-ins: the demo member (a person with a subscription, bookings and a manual
/// grant), front-desk staff and an admin. Fixed passwords: the demo listens on loopback only.
pub fn sign_ins() -> Vec<SignIn> {
    let sign_in = |role, email: &str, password: &str| SignIn {
        role,
        email: email.to_owned(),
        password: password.to_owned(),
    };
    vec![
        sign_in(
            AccountRole::Member,
            demo_space::MEMBER_EMAIL,
            "harbor-member-demo",
        ),
        sign_in(
            AccountRole::Staff,
            "frontdesk@harbor.example",
            "harbor-staff-demo",
        ),
        sign_in(
            AccountRole::Admin,
            "owner@harbor.example",
            "harbor-admin-demo",
        ),
    ]
}

/// Creates the demo's accounts; the member's belongs to the demo member's person.
async fn create_accounts(store: &Store, space: &DemoSpace) -> Result<Vec<SignIn>> {
    let sign_ins = sign_ins();
    for sign_in in &sign_ins {
        let email = Email::parse(&sign_in.email)?;
        let person = (sign_in.role == AccountRole::Member).then(|| space.person(cast::MEMBER).id);
        let hash = passwords::hash(&sign_in.password)
            .await
            .map_err(|error| anyhow!("hashing a demo password: {error}"))?;
        store
            .accounts()
            .create(&email, sign_in.role, person, &hash)
            .await
            .with_context(|| format!("creating the demo account {}", sign_in.email))?;
    }
    Ok(sign_ins)
}

/// Where the demo keeps its database: a folder the user named, or a temporary one removed at exit.
#[derive(Debug)]
pub enum DataFolder {
    Given(PathBuf),
    Temporary(TempDir),
}

impl DataFolder {
    /// The folder named (which must not hold a database yet), or a new temporary folder.
    pub fn new(given: Option<PathBuf>) -> Result<Self> {
        match given {
            Some(dir) => {
                if data::database_path(&dir).exists() {
                    bail!(
                        "{} already holds a Doorlink database; the demo starts from a fresh one \
                         (its Kisi emulator keeps nothing between runs): pass an empty or new folder",
                        dir.display()
                    );
                }
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating the data folder {}", dir.display()))?;
                Ok(Self::Given(dir))
            }
            None => Ok(Self::Temporary(
                tempfile::Builder::new()
                    .prefix("doorlink-demo-")
                    .tempdir()
                    .context("creating a temporary data folder")?,
            )),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Self::Given(dir) => dir,
            Self::Temporary(dir) => dir.path(),
        }
    }
}

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
    let space = prepare_space(&store, &emulator, Utc::now()).await?;
    let sign_ins = create_accounts(&store, &space).await?;

    let mut config = HubConfig::load(ConfigLayer {
        listen: Some(listener.local_addr()?.to_string()),
        database: Some(database.clone()),
        ..ConfigLayer::default()
    })
    .context("reading the hub's configuration")?;
    config.sync.kisi = demo_kisi_connection(&emulator.base_url());
    let hub = Hub::with_store(store.clone(), config)
        .await
        .context("starting the hub")?
        .spawn(listener)
        .context("serving the hub")?;
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
