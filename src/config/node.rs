//! When the static reader cannot evaluate the config and the project has Node and its own
//! drizzle-kit installed, the config is evaluated by Node, loaded the way drizzle-kit loads
//! it (0.x: its tsx, as CommonJS; 1.0: jiti), and the value it exports is read like a JSON
//! config.

use super::env::Env;
use std::path::Path;
use std::process::Command;

const SCRIPT: &str = concat!(
    include_str!("../sources/typescript/node_kit.cjs"),
    include_str!("node_config.cjs")
);

/// Whether the project's drizzle-kit is reachable from the config's folder.
pub(super) fn kit_installed(config_file: &Path) -> bool {
    config_file
        .ancestors()
        .skip(1)
        .any(|dir| dir.join("node_modules/drizzle-kit/package.json").is_file())
}

/// The exported config as JSON text, and drizzle-kit's version; `Err` says why not.
pub(super) fn evaluate(
    config_file: &Path,
    cwd: &Path,
    env: &Env,
) -> Result<(String, String), String> {
    let script = std::env::temp_dir().join(format!(
        "drizzle-drift-node-config-{}.cjs",
        std::process::id()
    ));
    std::fs::write(&script, SCRIPT).map_err(|e| format!("cannot write its helper script: {e}"))?;
    let output = Command::new("node")
        .arg(&script)
        .arg(config_file)
        .current_dir(cwd)
        // The variables the config sees: the process's and the .env files drizzle-kit loads.
        .envs(env.vars())
        .output();
    let _ = std::fs::remove_file(&script);
    let output = output.map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("node failed");
        return Err(first.to_string());
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|_| "node printed no config".to_string())?;
    let kit = value["kit"].as_str().unwrap_or("?").to_string();
    Ok((value["config"].take().to_string(), kit))
}
