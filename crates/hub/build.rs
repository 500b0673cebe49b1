//! The web UI is built into the binary (`src/static_ui.rs`): rebuild the hub whenever `ui/dist`
//! changes, also when it appears after the hub was first built without it.

fn main() {
    println!("cargo:rerun-if-changed=../../ui/dist");
}
