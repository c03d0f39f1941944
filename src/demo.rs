//! The bundled demo project and captured catalog (assets/demo), unpacked on demand.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// A temporary copy of the demo, removed on drop.
pub struct Demo {
    dir: PathBuf,
}

impl Demo {
    pub fn unpack() -> Result<Demo> {
        if DEMO_FILES.is_empty() {
            return Err(Error::Usage(
                "this build has no bundled demo (assets/demo was empty)".into(),
            ));
        }
        let dir = std::env::temp_dir().join(format!("drizzle-drift-demo-{}", std::process::id()));
        for (rel, bytes) in DEMO_FILES {
            let path = dir.join(rel);
            let write = || -> std::io::Result<()> {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, bytes)
            };
            write().map_err(|e| Error::File {
                path: path.clone(),
                message: format!("cannot unpack the demo: {e}"),
            })?;
        }
        Ok(Demo { dir })
    }

    /// The demo project's folder (where its drizzle.config.ts is).
    pub fn project(&self) -> PathBuf {
        self.dir.join("project")
    }

    /// The captured catalog of the demo database.
    pub fn catalog(&self) -> PathBuf {
        self.dir.join("catalog.json")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
