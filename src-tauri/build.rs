//! Builds the Tauri context: the app's command manifest (so the capability file can allow each
//! command by name, least privilege) and the embedded UI from `../ui/dist`.

// A build script reports failure by panicking; there is no caller to return an error to.
#![allow(clippy::expect_used)]

const COMMANDS: [&str; doorlink_api::desktop::DesktopCommand::ALL.len()] = {
    let all = doorlink_api::desktop::DesktopCommand::ALL;
    let mut names = [""; doorlink_api::desktop::DesktopCommand::ALL.len()];
    let mut i = 0;
    while i < all.len() {
        names[i] = all[i].name();
        i += 1;
    }
    names
};

fn main() {
    point_at_a_build_hint_when_the_ui_is_not_built();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            // Every command the webview may call, from the contract (`doorlink_api::desktop`);
            // `capabilities/main.json` grants them to the main window.
            .app_manifest(tauri_build::AppManifest::new().commands(&COMMANDS)),
    )
    .expect("tauri-build failed (see the message above)");
}

/// `generate_context!` needs `frontendDist` to exist. When `ui/dist` has not been built yet (a
/// fresh clone, a Rust-only build), embed a page that says how to build it instead of failing
/// the whole workspace build; the real UI is embedded as soon as `ui/dist` exists.
fn point_at_a_build_hint_when_the_ui_is_not_built() {
    let ui_index = std::path::Path::new("../ui/dist/index.html");
    // The whole folder: a rebuilt UI (new hashed assets) is embedded on the next build.
    println!("cargo:rerun-if-changed=../ui/dist");
    println!("cargo:rerun-if-changed=../ui/dist/index.html");
    if ui_index.exists() {
        return;
    }
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let hint_dir = std::path::Path::new(&out_dir).join("ui-not-built");
    std::fs::create_dir_all(&hint_dir).expect("OUT_DIR is writable");
    std::fs::write(hint_dir.join("index.html"), UI_NOT_BUILT).expect("OUT_DIR is writable");
    let config = serde_json::json!({ "build": { "frontendDist": hint_dir } });
    println!("cargo:rustc-env=TAURI_CONFIG={config}");
    println!(
        "cargo:warning=ui/dist is missing: this build shows how to build the UI instead of the app (cd ui && npm ci && npm run build)"
    );
}

const UI_NOT_BUILT: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Doorlink</title></head>
<body style="font-family: sans-serif; margin: 3rem; max-width: 40rem">
<h1>The Doorlink UI was not built into this app</h1>
<p>This build of the desktop app was made before the web UI. Build the UI, then the app:</p>
<pre>cd ui &amp;&amp; npm ci &amp;&amp; npm run build
cargo build -p doorlink-desktop</pre>
</body></html>
"#;
