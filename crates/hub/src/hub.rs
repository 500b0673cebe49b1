//! Starting and serving the hub: database, bootstrap admin, sync worker, socket.

use std::future::Future;
use std::net::SocketAddr;

use doorlink_core::Email;
use doorlink_store::{Store, StoreError};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::passwords;
use crate::config::HubConfig;
use crate::state::AppState;
use crate::{ApiError, app};

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// `database` shows a URL's password hidden.
    #[error("could not open the database {database}: {source}")]
    Database {
        database: crate::config::Database,
        source: StoreError,
    },
    #[error("could not create the data folder {path:?}: {source}")]
    DataFolder {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("the bootstrap admin could not be created: {0}")]
    Bootstrap(String),
    #[error("could not give the accounts without a person their person: {0}")]
    LinkPeople(StoreError),
    #[error("could not listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

/// A hub ready to serve: its state (store, config, events) and its background sync worker.
#[derive(Debug)]
pub struct Hub {
    state: AppState,
    background: Vec<JoinHandle<()>>,
}

impl Hub {
    /// Opens (creating) the database at `config.database`, creates the bootstrap admin if it does
    /// not exist yet, and starts the sync worker when `config.run_sync_worker`.
    pub async fn start(config: HubConfig) -> Result<Self, HubError> {
        if let Some(folder) = config
            .database
            .file()
            .and_then(std::path::Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|source| HubError::DataFolder {
                path: folder.to_owned(),
                source,
            })?;
        }
        let store = config
            .database
            .open()
            .await
            .map_err(|source| HubError::Database {
                database: config.database.clone(),
                source,
            })?;
        Self::with_store(store, config).await
    }

    /// The hub over an already open store (tests, the desktop app, `doorlink demo`).
    pub async fn with_store(store: Store, config: HubConfig) -> Result<Self, HubError> {
        Self::with_state(AppState::new(store, config)).await
    }

    /// The hub over prepared state (e.g. with a test clock).
    pub async fn with_state(state: AppState) -> Result<Self, HubError> {
        bootstrap_admin(&state).await?;
        // Every account opens its own doors (issue 17): accounts made before that get a person.
        let linked = state
            .store()
            .accounts()
            .link_people()
            .await
            .map_err(HubError::LinkPeople)?;
        if linked > 0 {
            tracing::info!(
                linked,
                "accounts without a person linked to the person with their e-mail"
            );
        }
        let mut background = Vec::new();
        if state.config().run_sync_worker {
            background.extend(crate::background::start(&state));
        }
        Ok(Self { state, background })
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The router of this hub ([`app`] over its state).
    pub fn router(&self) -> axum::Router {
        app(self.state.clone())
    }

    /// Serves on `config.listen` until `shutdown` completes.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), HubError> {
        let address = self.state.config().listen;
        let listener = TcpListener::bind(address)
            .await
            .map_err(|source| HubError::Listen { address, source })?;
        self.serve_on(listener, shutdown).await
    }

    /// Serves on a listener the caller bound (e.g. port 0 to let the OS choose).
    pub async fn serve_on(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), HubError> {
        if let Ok(address) = listener.local_addr() {
            tracing::info!(%address, "hub listening");
        }
        let service = self
            .router()
            .into_make_service_with_connect_info::<SocketAddr>();
        let state = self.state.clone();
        let shutdown = async move {
            shutdown.await;
            state.begin_shutdown();
        };
        let result = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(HubError::Serve);
        for task in &self.background {
            task.abort();
        }
        result
    }

    /// Serves in a background task on `listener`; the answer knows the address and stops the hub.
    pub fn spawn(self, listener: TcpListener) -> Result<RunningHub, HubError> {
        let address = listener.local_addr().map_err(HubError::Serve)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(error) = self.serve_on(listener, shutdown).await {
                tracing::error!(%error, "hub stopped");
            }
        });
        Ok(RunningHub {
            address,
            stop: Some(stop),
            task,
        })
    }
}

/// A hub serving in the background.
#[derive(Debug)]
pub struct RunningHub {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningHub {
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// `http://<address>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops accepting, finishes open requests, and waits for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Creates the configured admin account unless an account with that e-mail exists, and brings it
/// back as an enabled admin when the hub has none left (see `ensure_bootstrap_admin`).
async fn bootstrap_admin(state: &AppState) -> Result<(), HubError> {
    let Some(admin) = state.config().bootstrap_admin.clone() else {
        return Ok(());
    };
    let fail = |error: ApiError| HubError::Bootstrap(error.to_string());
    let email = Email::parse(&admin.email).map_err(|e| fail(e.into()))?;
    let accounts = state.store().accounts();
    let has_account = accounts
        .credentials(&email)
        .await
        .map_err(|e| fail(e.into()))?
        .is_some();
    let has_admin = accounts
        .list()
        .await
        .map_err(|e| fail(e.into()))?
        .iter()
        .any(doorlink_store::Account::is_active_admin);
    if has_account && has_admin {
        return Ok(());
    }
    passwords::check_policy("admin_password", &admin.password).map_err(fail)?;
    let hash = passwords::hash(&admin.password).await.map_err(fail)?;
    let person = state
        .store()
        .people()
        .by_email(email.as_str())
        .await
        .map_err(|e| fail(e.into()))?
        .map(|p| p.id);
    if let Some(account) = accounts
        .ensure_bootstrap_admin(&email, person, &hash)
        .await
        .map_err(|e| fail(e.into()))?
    {
        tracing::info!(email = %account.email, "bootstrap admin created or restored");
    }
    Ok(())
}
