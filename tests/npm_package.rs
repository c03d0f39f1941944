//! The npm distribution: scripts/npm-pack.sh packs the launcher package and the linux-x64
//! binary package (here with the test build's binary, DRIZZLE_DRIFT_BINARY, instead of a
//! release build); npm installs both from the tarballs into a scratch Drizzle project
//! (real drizzle-kit output from tests/fixtures), and `npx drizzle-drift` runs there.
//! Without npm the test is skipped, except under CI, where it fails.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{copy_dir, fixture};

fn npm_available() -> bool {
    Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// npm or npx in `dir`, hermetic: its own cache and no registry (`--offline`), so nothing
/// but the tarballs can be installed.
fn npm(dir: &Path, cache: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("npm_config_cache", cache)
        .env("npm_config_offline", "true")
        .env("npm_config_audit", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_update_notifier", "false")
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .env_remove("DRIZZLE_DRIFT_URL")
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"))
}

#[test]
fn npx_runs_the_packed_binary_in_a_drizzle_project() {
    if !npm_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "npm is not installed: CI must run the npm package test"
        );
        eprintln!("npm is not installed: npm package test skipped");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let packs = tmp.path().join("packs");
    let cache = tmp.path().join("npm-cache");
    let pack = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/npm-pack.sh"))
        .arg(&packs)
        .env("DRIZZLE_DRIFT_BINARY", env!("CARGO_BIN_EXE_drizzle-drift"))
        .output()
        .expect("bash runs");
    assert!(pack.status.success(), "npm-pack.sh: {}", text(&pack));
    let version = env!("CARGO_PKG_VERSION");
    let launcher = packs.join(format!("drizzle-drift-{version}.tgz"));
    let binary = packs.join(format!("drizzle-drift-linux-x64-{version}.tgz"));
    assert!(launcher.is_file() && binary.is_file(), "{}", text(&pack));

    // A Drizzle project: the base-branch fixture's feature side (config, schema, migrations).
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&project).expect("mkdir");
    std::fs::copy(
        fixture("base-branch").join("drizzle.config.ts"),
        project.join("drizzle.config.ts"),
    )
    .expect("copy config");
    for dir in ["drizzle", "src"] {
        copy_dir(
            &fixture("base-branch").join("sides/branch").join(dir),
            &project.join(dir),
        );
    }
    std::fs::write(
        project.join("package.json"),
        r#"{ "name": "scratch", "private": true }"#,
    )
    .expect("write package.json");

    // Only the launcher: the platform package is an optional dependency npm could not fetch
    // (--offline), so it is skipped and the launcher says what is missing.
    let install = npm(
        &project,
        &cache,
        "npm",
        &["install", &launcher.to_string_lossy()],
    );
    assert!(install.status.success(), "npm install: {}", text(&install));
    let out = npm(&project, &cache, "npx", &["drizzle-drift", "--version"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the binary for this platform (linux-x64) comes in the optional dependency drizzle-drift-linux-x64, which is not installed"),
        "{}",
        text(&out)
    );

    let install = npm(
        &project,
        &cache,
        "npm",
        &[
            "install",
            &launcher.to_string_lossy(),
            &binary.to_string_lossy(),
        ],
    );
    assert!(install.status.success(), "npm install: {}", text(&install));

    let out = npm(&project, &cache, "npx", &["drizzle-drift", "--version"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!("drizzle-drift {version}")),
        "{}",
        text(&out)
    );

    let out = npm(
        &project,
        &cache,
        "npx",
        &["drizzle-drift", "check", "--offline", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    assert_eq!(report["sources"]["latest"], "0001_add_phone", "{report:#}");
    assert_eq!(report["summary"]["error"], 0, "{report:#}");

    // Elsewhere the launcher names the platform it has no binary for. Node's own view of
    // the platform is replaced before the launcher runs (a --require preload).
    let launcher_js = project.join("node_modules/drizzle-drift/bin/drizzle-drift.js");
    for (preload, expected) in [
        (
            "Object.defineProperty(process, 'platform', { value: 'darwin' });\n\
             Object.defineProperty(process, 'arch', { value: 'arm64' });\n",
            "drizzle-drift: no prebuilt binary for this platform (darwin-arm64); prebuilt: linux-x64.",
        ),
        (
            "const real = process.report.getReport.bind(process.report);\n\
             process.report.getReport = () => { const r = real(); delete r.header.glibcVersionRuntime; return r; };\n",
            "drizzle-drift: no prebuilt binary for linux-x64 with musl libc (drizzle-drift-linux-x64 is built for glibc)",
        ),
    ] {
        let file = tmp.path().join("preload.js");
        std::fs::write(&file, preload).expect("write preload");
        let out = npm(
            &project,
            &cache,
            "node",
            &[
                "--require",
                &file.to_string_lossy(),
                &launcher_js.to_string_lossy(),
                "--version",
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with(expected),
            "{}",
            text(&out)
        );
        assert!(out.stdout.is_empty(), "{}", text(&out));
    }

    // Findings come back as the binary's exit code through the launcher: the schema gains a
    // column no migration has.
    let schema = project.join("src/schema.ts");
    let ts = std::fs::read_to_string(&schema).expect("read schema");
    std::fs::write(
        &schema,
        ts.replace(
            "  phone: varchar(\"phone\", { length: 32 }),\n",
            "  phone: varchar(\"phone\", { length: 32 }),\n  city: text(\"city\"),\n",
        ),
    )
    .expect("write schema");
    let out = npm(
        &project,
        &cache,
        "npx",
        &[
            "drizzle-drift",
            "check",
            "--offline",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("city"),
        "{}",
        text(&out)
    );
}
