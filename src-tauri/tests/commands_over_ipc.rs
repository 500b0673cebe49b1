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
            database: Some(dir.path().join("hub.db")),
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
