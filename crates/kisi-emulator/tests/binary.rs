//! The `kisi-emulator` binary: serves a seed file, prints its base URL and the owner's API key,
//! and stops on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use reqwest::StatusCode;

#[tokio::test]
async fn the_binary_serves_the_demo_seed_and_prints_url_and_key() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/demo.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kisi-emulator"))
        .args(["--listen", "127.0.0.1:0", "--seed", seed])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base_url = first
        .strip_prefix("Kisi emulator listening on ")
        .unwrap()
        .to_owned();
    let second = lines.next().unwrap().unwrap();
    let key = second.strip_prefix("Owner API key: ").unwrap().to_owned();

    let me = reqwest::Client::new()
        .get(format!("{base_url}/user"))
        .header("Authorization", format!("KISI-LOGIN {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], "owner@harbor.example");

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    assert!(child.wait().unwrap().success(), "Ctrl-C stops it cleanly");
}

#[test]
fn a_broken_seed_file_is_refused_with_its_path() {
    let output = Command::new(env!("CARGO_BIN_EXE_kisi-emulator"))
        .args(["--seed", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/seed.json"), "{stderr}");
}
