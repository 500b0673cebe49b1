//! Where the demo keeps its database.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tempfile::TempDir;

use crate::data;

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
