//! The UI's TypeScript types in `ui/src/gen` must be exactly what the Rust types generate.

#![allow(
    clippy::unwrap_used,
    reason = "a test helper stops loudly on an unreadable file"
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use doorlink_api::{TS_EXPORT_DIR, export_typescript};

fn workspace_gen_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(TS_EXPORT_DIR)
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "ts") {
                let name = entry.file_name().to_string_lossy().into_owned();
                files.insert(name, fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn generated_typescript_in_ui_src_gen_is_current() {
    let fresh = tempfile::tempdir().unwrap();
    export_typescript(fresh.path()).unwrap();
    let expected = read_tree(fresh.path());
    assert!(expected.contains_key("SessionView.ts"));
    let target = workspace_gen_dir();
    if std::env::var_os("DOORLINK_WRITE_TS").is_some() {
        if target.exists() {
            fs::remove_dir_all(&target).unwrap();
        }
        fs::create_dir_all(&target).unwrap();
        export_typescript(&target).unwrap();
    }
    let committed = read_tree(&target);
    let stale: Vec<&String> = expected
        .iter()
        .filter(|(name, text)| committed.get(*name) != Some(text))
        .map(|(name, _)| name)
        .chain(
            committed
                .keys()
                .filter(|name| !expected.contains_key(*name)),
        )
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/gen is stale ({stale:?}); regenerate with `DOORLINK_WRITE_TS=1 cargo test -p doorlink-api`"
    );
}

#[test]
fn ids_are_numbers_in_typescript() {
    let dir = tempfile::tempdir().unwrap();
    export_typescript(dir.path()).unwrap();
    let person = fs::read_to_string(dir.path().join("PersonView.ts")).unwrap();
    assert!(person.contains("id: number"), "{person}");
    assert!(!person.contains("bigint"), "{person}");
}
