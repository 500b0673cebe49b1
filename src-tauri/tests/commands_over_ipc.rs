//! The commands as the webview calls them: through Tauri's IPC on the mock runtime (no display),
//! with the app's real context, so the capability file is enforced exactly as in the app.

// The helpers below belong to the tests: a broken app should stop them loudly.
#![allow(clippy::expect_used)]

use doorlink_desktop::{DataDir, NoTray, app_builder};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};

fn app(data_dir: &std::path::Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let mut app = app_builder(mock_builder())
        .manage(DataDir(data_dir.to_owned()))
        .manage(NoTray)
        .build(tauri::generate_context!())
        .expect("the app builds");
    // One turn of the event loop runs `setup` (state, tray, the configured main window), as the
    // first turn of the real app does. Deprecated only because calling it in a loop busy-waits.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    let window = app
        .get_webview_window("main")
        .expect("setup opened the main window");
    (app, window)
}

/// A real hub on loopback, served by its own runtime for as long as the answer lives.
struct LocalHub {
    url: String,
    // Dropping the running hub stops it.
    _hub: doorlink_hub::RunningHub,
    _dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

fn local_hub() -> LocalHub {
    let dir = tempfile::tempdir().expect("a temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let hub = runtime.block_on(async {
        let config = doorlink_hub::HubConfig::load(doorlink_hub::ConfigLayer {
            database: Some(dir.path().join("hub.db").into()),
            listen: Some("127.0.0.1:0".to_owned()),
            ..Default::default()
        })
        .expect("the hub's settings");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let hub = doorlink_hub::Hub::start(config)
            .await
            .expect("the hub starts");
        hub.spawn(listener).expect("the hub serves")
    });
    LocalHub {
        url: hub.base_url(),
        _hub: hub,
        _dir: dir,
        _runtime: runtime,
    }
}

fn invoke(window: &WebviewWindow<MockRuntime>, command: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("a URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_owned(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON"))
}

#[test]
fn before_sign_in_the_access_page_asks_to_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let error = invoke(&window, "cached_access", json!({})).unwrap_err();
    assert_eq!(error["code"], "unauthenticated", "{error}");
    assert_eq!(error["status"], 401);
}

#[test]
fn a_remote_hub_must_use_https_unless_it_is_this_computer() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let mode = json!({ "mode": { "kind": "remote_hub", "url": "http://doorlink.example.com" } });
    let error = invoke(&window, "choose_mode", mode).unwrap_err();
    assert_eq!(error["code"], "validation_failed", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("https://"),
        "{error}"
    );
}

#[test]
fn the_chosen_mode_is_saved_in_the_settings_store_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let hub = local_hub();
    {
        let (_app, window) = app(dir.path());
        let mode = json!({ "mode": { "kind": "remote_hub", "url": format!("{}/", hub.url) } });
        let status = invoke(&window, "choose_mode", mode).unwrap();
        assert_eq!(status["settings"]["mode"]["url"], hub.url.as_str());
        assert_eq!(
            status["secrets_backend"], "encryptedFile",
            "no keychain on this box"
        );
    }
    let saved = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(saved.contains(&hub.url), "{saved}");

    let (_app, window) = app(dir.path());
    let status = invoke(&window, "session_status", json!({})).unwrap();
    assert_eq!(status["settings"]["mode"]["kind"], "remote_hub");
    assert_eq!(status["settings"]["signed_in"], Value::Null);
}

#[test]
fn a_hub_address_where_no_hub_answers_is_refused_and_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mode =
        json!({ "mode": { "kind": "remote_hub", "url": format!("http://127.0.0.1:{port}") } });
    let error = invoke(&window, "choose_mode", mode).unwrap_err();
    assert_eq!(error["fields"][0]["field"], "url", "{error}");
    assert!(
        error["fields"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("cannot be reached"),
        "{error}"
    );
    let status = invoke(&window, "session_status", json!({})).unwrap();
    assert_eq!(
        status["settings"]["mode"],
        Value::Null,
        "still the first start"
    );
}

#[test]
fn the_webview_reaches_only_the_apps_own_commands() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    // Plugins are used from Rust only: their commands are not granted to the webview.
    for command in [
        "plugin:store|get",
        "plugin:notification|notify",
        "plugin:autostart|enable",
    ] {
        let error = invoke(&window, command, json!({})).unwrap_err();
        assert!(
            error.to_string().contains("not allowed"),
            "{command}: {error}"
        );
    }
    // A command that does not exist is refused as well.
    assert!(invoke(&window, "read_any_file", json!({})).is_err());
}

#[test]
fn every_command_of_the_contract_is_registered_and_granted_to_the_webview() {
    // The adversary: a command named in doorlink_api::desktop (so the UI calls it) that the app
    // forgot to register or the capability file does not grant: the UI's call would fail in use.
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    for command in doorlink_api::desktop::DesktopCommand::ALL {
        // Without arguments a command answers, or refuses in its own words (a missing argument,
        // "sign in first"): never "not allowed" or "not found".
        if let Err(error) = invoke(&window, command.name(), json!({})) {
            let text = error.to_string();
            assert!(
                !text.contains("not allowed") && !text.contains("not found"),
                "{}: {text}",
                command.name()
            );
        }
    }
}

/// The demo (hub + Kisi emulator), served by its own runtime for as long as the answer lives.
struct Demo {
    demo: Option<doorlink_cli::commands::demo::RunningDemo>,
    runtime: tokio::runtime::Runtime,
}

impl Demo {
    fn start() -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let demo = runtime
            .block_on(doorlink_cli::commands::demo::start(
                doorlink_cli::commands::demo::DemoOptions {
                    data: None,
                    port: 0,
                    emulator_port: 0,
                },
            ))
            .expect("the demo starts");
        Self {
            demo: Some(demo),
            runtime,
        }
    }

    fn running(&self) -> &doorlink_cli::commands::demo::RunningDemo {
        self.demo.as_ref().expect("the demo runs")
    }

    fn sign_in(&self, role: doorlink_store::AccountRole) -> Value {
        let sign_in = self
            .running()
            .sign_ins
            .iter()
            .find(|sign_in| sign_in.role == role)
            .expect("the demo has this sign-in");
        json!({ "email": sign_in.email, "password": sign_in.password })
    }

    /// Ends every session at the hub, as when it expires or an admin revokes it.
    fn end_all_sessions(&self) {
        let store = &self.running().store;
        self.runtime
            .block_on(sqlx::query("DELETE FROM sessions").execute(store.pool()))
            .expect("the hub's sessions are deleted");
    }

    /// Stops the hub only (the emulator and the store stay), as when the hub's machine goes away.
    fn stop_hub(&mut self) {
        if let Some(demo) = self.demo.take() {
            self.runtime.block_on(demo.shutdown());
        }
    }
}

/// Collects one app event's payloads.
fn collect(app: &App<MockRuntime>, event: &str) -> std::sync::mpsc::Receiver<Value> {
    use tauri::Listener;
    let (sender, receiver) = std::sync::mpsc::channel();
    app.listen_any(event, move |event| {
        let _ = sender.send(serde_json::from_str(event.payload()).unwrap_or(Value::Null));
    });
    receiver
}

/// Waits (bounded) for the first payload `wanted` accepts.
fn wait_for(receiver: &std::sync::mpsc::Receiver<Value>, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let payload = receiver
            .recv_timeout(left)
            .expect("the app emitted the awaited event within 30 s");
        if wanted(&payload) {
            return payload;
        }
    }
}

#[test]
fn the_hubs_live_events_reach_the_webview_and_offline_is_said_when_the_hub_goes() {
    let mut demo = Demo::start();
    let dir = tempfile::tempdir().unwrap();
    let (app, window) = app(dir.path());
    let statuses = collect(&app, "doorlink://live-status");
    let events = collect(&app, "doorlink://live");

    let hub_url = demo.running().hub.base_url();
    invoke(
        &window,
        "choose_mode",
        json!({ "mode": { "kind": "remote_hub", "url": hub_url } }),
    )
    .unwrap();
    invoke(
        &window,
        "sign_in",
        demo.sign_in(doorlink_store::AccountRole::Staff),
    )
    .unwrap();
    wait_for(&statuses, |status| status == "live");
    assert_eq!(invoke(&window, "live_status", json!({})).unwrap(), "live");

    // Staff add a person at the hub: the notice arrives in the app as it does in a browser.
    invoke(
        &window,
        "hub_request",
        json!({ "method": "POST", "path": "/people",
                "body": { "name": "Noor Haddad", "email": "noor@harbor.example" } }),
    )
    .unwrap();
    let change = wait_for(&events, |event| {
        event["kind"] == "change" && event["data"]["kind"] == "person_changed"
    });
    assert!(change["data"]["id"].is_i64(), "{change}");

    // The hub goes away: the page hears that it is offline, and asking agrees once the retries
    // settle (a stream that ends says "reconnecting" first; each retry refused says "offline").
    demo.stop_hub();
    wait_for(&statuses, |status| status == "offline");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while invoke(&window, "live_status", json!({})).unwrap() != "offline" {
        assert!(
            std::time::Instant::now() < deadline,
            "live_status never settled on offline"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_first_start_on_a_fresh_machine_creates_the_data_folder_and_asks_for_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("not").join("there").join("yet");
    let (_app, window) = app(&fresh);
    let status = invoke(&window, "session_status", json!({})).unwrap();
    assert_eq!(status["settings"]["mode"], Value::Null, "{status}");
    assert!(fresh.is_dir());
}

#[test]
fn a_hub_request_refused_with_401_tells_the_page_the_session_ended() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().unwrap();
    let (app, window) = app(dir.path());
    let statuses = collect(&app, "doorlink://live-status");
    let hub_url = demo.running().hub.base_url();
    invoke(
        &window,
        "choose_mode",
        json!({ "mode": { "kind": "remote_hub", "url": hub_url } }),
    )
    .unwrap();
    invoke(
        &window,
        "sign_in",
        demo.sign_in(doorlink_store::AccountRole::Staff),
    )
    .unwrap();
    wait_for(&statuses, |status| status == "live");

    demo.end_all_sessions();
    let refused = invoke(
        &window,
        "hub_request",
        json!({ "method": "GET", "path": "/people" }),
    )
    .unwrap_err();
    assert_eq!(refused["status"], 401, "{refused}");
    wait_for(&statuses, |status| status == "signed_out");
    assert_eq!(
        invoke(&window, "live_status", json!({})).unwrap(),
        "signed_out"
    );
}

#[test]
fn the_access_page_refused_with_401_tells_the_page_the_session_ended() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let hub_url = demo.running().hub.base_url();
    invoke(
        &window,
        "choose_mode",
        json!({ "mode": { "kind": "remote_hub", "url": hub_url } }),
    )
    .unwrap();
    invoke(
        &window,
        "sign_in",
        demo.sign_in(doorlink_store::AccountRole::Member),
    )
    .unwrap();

    demo.end_all_sessions();
    let refused = invoke(&window, "refresh_access", json!({})).unwrap_err();
    assert_eq!(refused["status"], 401, "{refused}");
    assert_eq!(
        invoke(&window, "live_status", json!({})).unwrap(),
        "signed_out"
    );
}

#[test]
fn live_events_refused_with_401_after_a_restart_say_signed_out_not_offline() {
    let demo = Demo::start();
    let dir = tempfile::tempdir().unwrap();
    {
        let (_app, window) = app(dir.path());
        let hub_url = demo.running().hub.base_url();
        invoke(
            &window,
            "choose_mode",
            json!({ "mode": { "kind": "remote_hub", "url": hub_url } }),
        )
        .unwrap();
        invoke(
            &window,
            "sign_in",
            demo.sign_in(doorlink_store::AccountRole::Staff),
        )
        .unwrap();
    }
    demo.end_all_sessions();

    // The restored session's token is no longer accepted: the live events are refused with 401.
    let (app, window) = app(dir.path());
    let statuses = collect(&app, "doorlink://live-status");
    if invoke(&window, "live_status", json!({})).unwrap() != "signed_out" {
        wait_for(&statuses, |status| status == "signed_out");
    }
    assert_eq!(
        invoke(&window, "live_status", json!({})).unwrap(),
        "signed_out"
    );
}
