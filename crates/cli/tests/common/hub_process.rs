//! `doorlink serve` as a child process over a database file in a temporary folder, with its sync
//! worker on as in production, that a test can kill -9 (`Child::kill` is SIGKILL on unix) and
//! start again over the same file; and a signed-in caller of its HTTP API.

use std::fs::File;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

pub(crate) const ADMIN_EMAIL: &str = "admin@harbor.example";
pub(crate) const ADMIN_PASSWORD: &str = "admin password 123";

fn free_port() -> u16 {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `doorlink serve`; killed (SIGKILL) when dropped.
pub(crate) struct HubProcess {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl HubProcess {
    /// Starts the hub over `dir/doorlink.db` (created on first start, with the admin) and waits
    /// until it answers. Each start logs to its own file in `dir`.
    pub(crate) async fn start(dir: &Path) -> Self {
        let port = free_port();
        let starts = std::fs::read_dir(dir)
            .unwrap()
            .filter(|entry| {
                entry
                    .as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("hub-"))
            })
            .count();
        let log = dir.join(format!("hub-{}.log", starts + 1));
        let stderr = File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_doorlink"))
            .arg("serve")
            .args(["--data", dir.to_str().unwrap()])
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env_remove("DOORLINK_CONFIG")
            .env_remove("DOORLINK_DATABASE")
            .env_remove("DOORLINK_DATABASE_URL")
            .env_remove("DOORLINK_LISTEN")
            .env("DOORLINK_SYNC_WORKER", "true")
            .env("DOORLINK_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("DOORLINK_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("DOORLINK_UI_DIST", dir.join("no-ui"))
            .env("DOORLINK_LOG", "info,kisi_emulator=warn")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let hub = Self { child, port, log };
        hub.until_it_answers().await;
        hub
    }

    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// kill -9: no shutdown, no flush, leases and claims stay as the process left them.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The end of this start's log, for failure messages.
    pub(crate) fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    async fn until_it_answers(&self) {
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(response) = client
                .get(format!("{}/api/auth/session", self.base_url()))
                .send()
                .await
            {
                // Not signed in: the hub answers 401 in its own error shape.
                assert_eq!(response.status(), reqwest::StatusCode::UNAUTHORIZED);
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the hub never answered:\n{}", self.log_tail());
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The admin's session with a hub; sessions live in the database, so it outlives a restart.
pub(crate) struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    pub(crate) async fn sign_in_as_admin(hub: &HubProcess) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let base = hub.base_url();
        let session: Value = client
            .post(format!("{base}/api/auth/sign-in"))
            .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = session["token"]
            .as_str()
            .unwrap_or_else(|| panic!("sign-in failed: {session}"))
            .to_owned();
        Self {
            client,
            base,
            token,
        }
    }

    /// Calls the hub at its new address after a restart.
    pub(crate) fn at(&mut self, hub: &HubProcess) {
        self.base = hub.base_url();
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let answer = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        answer
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub(crate) async fn put(&self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }
}

/// Polls `probe` (every 20 ms) until it gives a value, for at most `ceiling`; `None` when it
/// never did.
pub(crate) async fn within<T, F, Fut>(ceiling: Duration, mut probe: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + ceiling;
    loop {
        if let Some(found) = probe().await {
            return Some(found);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
