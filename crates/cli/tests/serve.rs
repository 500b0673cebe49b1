//! `doorlink serve`: the hub as its own process, configured by flags over `DOORLINK_*` variables
//! over the config file.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions stop loudly too"
)]

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common;

fn free_port() -> u16 {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The child process, killed (by its handle) when the test ends.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(args: &[&str], env: &[(&str, String)]) -> Serving {
    let mut command = Command::new(env!("CARGO_BIN_EXE_doorlink"));
    command
        .arg("serve")
        .args(args)
        .env_remove("DOORLINK_CONFIG")
        .env_remove("DOORLINK_DATABASE")
        .env_remove("DOORLINK_DATABASE_URL")
        .env_remove("DOORLINK_LISTEN")
        .env_remove("DOORLINK_UI_DIST")
        .env("DOORLINK_SYNC_WORKER", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    Serving(command.spawn().unwrap())
}

/// Whether a hub answers on `port` within a bounded wait.
async fn answers(port: u16) -> bool {
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if let Ok(response) = client
            .get(format!("http://127.0.0.1:{port}/api/auth/session"))
            .send()
            .await
        {
            // Not signed in: the hub answers 401 in its own error shape.
            return response.status() == reqwest::StatusCode::UNAUTHORIZED;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

fn data_arg(dir: &Path) -> String {
    dir.to_str().unwrap().to_owned()
}

#[tokio::test]
async fn serve_listens_where_the_flag_says_even_when_the_environment_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let (flag_port, env_port) = (free_port(), free_port());
    let _hub = serve(
        &[
            "--listen",
            &format!("127.0.0.1:{flag_port}"),
            "--data",
            &data_arg(dir.path()),
        ],
        &[("DOORLINK_LISTEN", format!("127.0.0.1:{env_port}"))],
    );
    assert!(answers(flag_port).await, "no hub on the flag's port");
    assert!(
        dir.path().join("doorlink.db").is_file(),
        "the database lives in --data"
    );
}

#[tokio::test]
async fn serve_reads_the_config_file_when_no_flag_or_variable_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = dir.path().join("doorlink.toml");
    let database = dir.path().join("from-config.db");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{port}\"\ndatabase = {:?}\n",
            database.to_str().unwrap()
        ),
    )
    .unwrap();
    let _hub = serve(&["--config", config.to_str().unwrap()], &[]);
    assert!(answers(port).await, "no hub on the config file's port");
    assert!(
        database.is_file(),
        "the database is where the config file says"
    );
}

#[test]
fn serve_refuses_a_bad_listen_address_naming_the_setting() {
    let output = Command::new(env!("CARGO_BIN_EXE_doorlink"))
        .args(["serve", "--listen", "nowhere"])
        .env_remove("DOORLINK_CONFIG")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("listen"), "{stderr}");
}

/// The adversary: an operator starting `doorlink` from their home folder, far from the
/// repository's `ui/dist`. The UI built into the binary is served all the same (issue 17, 15).
#[tokio::test]
async fn the_web_ui_is_served_wherever_doorlink_is_started_from() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_doorlink"));
    command
        .current_dir(elsewhere.path())
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--data", &data_arg(dir.path())])
        .env_remove("DOORLINK_CONFIG")
        .env_remove("DOORLINK_DATABASE")
        .env_remove("DOORLINK_DATABASE_URL")
        .env_remove("DOORLINK_LISTEN")
        .env_remove("DOORLINK_UI_DIST")
        .env("DOORLINK_SYNC_WORKER", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let _hub = Serving(command.spawn().unwrap());
    assert!(answers(port).await, "no hub");
    let page = |path: &'static str| async move {
        reqwest::get(format!("http://127.0.0.1:{port}{path}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist/index.html");
    match std::fs::read_to_string(&built) {
        Ok(index) => {
            assert_eq!(page("/").await, index, "the built UI's page");
            assert_eq!(page("/desk/people").await, index, "an app route");
        }
        // Built before the UI was: the hub says how to build it rather than nothing.
        Err(_) => assert!(page("/").await.contains("has not been built")),
    }
}

/// The adversary: a log or a terminal shared in a support ticket. The PostgreSQL URL's password
/// is hidden in the start-up line and the logs, whether the server is down or serving.
#[tokio::test]
async fn a_postgres_password_never_shows_in_the_start_up_line_or_the_logs() {
    const PASSWORD: &str = "Sup3r-Secret-pw";
    let dir = tempfile::tempdir().unwrap();
    let run = |database: String, port: u16| {
        let (stdout, stderr) = (dir.path().join("stdout"), dir.path().join("stderr"));
        let child = Command::new(env!("CARGO_BIN_EXE_doorlink"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--database", &database])
            .env_remove("DOORLINK_CONFIG")
            .env_remove("DOORLINK_DATABASE")
            .env_remove("DOORLINK_DATABASE_URL")
            .env("DOORLINK_SECRET_KEY", common::postgres::TEST_SECRET_KEY)
            .env("DOORLINK_SYNC_WORKER", "false")
            .env("DOORLINK_LOG", "debug")
            .stdout(std::fs::File::create(&stdout).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        (Serving(child), stdout, stderr)
    };
    let output = |stdout: &Path, stderr: &Path| {
        std::fs::read_to_string(stdout).unwrap() + &std::fs::read_to_string(stderr).unwrap()
    };

    // A bad scheme is refused before anything starts, the password hidden in the refusal too.
    let refused = Command::new(env!("CARGO_BIN_EXE_doorlink"))
        .args(["serve", "--database"])
        .arg(format!("mysql://doorlink:{PASSWORD}@127.0.0.1/doorlink"))
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("--database") && said.contains("postgres://"),
        "{said}"
    );
    assert!(!said.contains(PASSWORD), "{said}");
    let refused = Command::new(env!("CARGO_BIN_EXE_doorlink"))
        .args(["migrate", "--from", "doorlink.db", "--to"])
        .arg(format!("sqlite://doorlink:{PASSWORD}@127.0.0.1/doorlink"))
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("--to"), "{said}");
    assert!(!said.contains(PASSWORD), "{said}");

    let Some(database) = common::postgres::fresh_database().await else {
        return;
    };
    let database = common::postgres::with_password(&database, PASSWORD);
    let port = free_port();
    let (hub, stdout, stderr) = run(database.clone(), port);
    assert!(answers(port).await, "no hub on PostgreSQL");
    drop(hub);
    let printed = output(&stdout, &stderr);
    assert!(printed.contains("Doorlink hub on http://"), "{printed}");
    assert!(
        printed.contains(":***@"),
        "the password is shown as ***: {printed}"
    );
    assert!(!printed.contains(PASSWORD), "{printed}");
}
