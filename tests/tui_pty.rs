//! The explorer end to end: the real binary on `demo` in a real pseudo-terminal, driven
//! with keystrokes, its screen read back through a terminal emulator (vt100).

use rustix::fd::OwnedFd;
use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
use rustix::termios::{tcgetattr, tcsetwinsize, LocalModes, Winsize};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Pty {
    master: std::fs::File,
    /// Kept open so the terminal's modes can be read after the child is gone.
    slave: OwnedFd,
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
    parser: vt100::Parser,
    seen: usize,
}

const WAIT: Duration = Duration::from_secs(20);

impl Pty {
    fn spawn(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Pty {
        Pty::spawn_in(None, args, cols, rows, env)
    }

    fn spawn_in(
        cwd: Option<&std::path::Path>,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Pty {
        let master =
            openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).expect("openpt");
        grantpt(&master).expect("grantpt");
        unlockpt(&master).expect("unlockpt");
        let name = ptsname(&master, Vec::new()).expect("ptsname");
        let slave = rustix::fs::open(
            name.as_c_str(),
            rustix::fs::OFlags::RDWR | rustix::fs::OFlags::NOCTTY,
            rustix::fs::Mode::empty(),
        )
        .expect("open slave");
        tcsetwinsize(&master, size(cols, rows)).expect("winsize");
        let io = || Stdio::from(slave.try_clone().expect("dup slave"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_drizzle-drift"));
        cmd.args(args)
            .stdin(io())
            .stdout(io())
            .stderr(io())
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .env_remove("DATABASE_URL")
            .env("DRIZZLE_DRIFT_CONFIG", "")
            .env("XDG_CONFIG_HOME", "/nonexistent-drizzle-drift-test");
        for (k, v) in env {
            cmd.env(k, v);
        }
        if let Some(dir) = cwd {
            cmd.current_dir(dir);
        }
        // SAFETY: only async-signal-safe system calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                rustix::process::setsid()?;
                rustix::process::ioctl_tiocsctty(rustix::stdio::stdin())?;
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn drizzle-drift");
        let master = std::fs::File::from(master);
        let mut reader = master.try_clone().expect("dup master");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut o) = sink.lock() {
                    o.extend_from_slice(&buf[..n]);
                }
            }
        });
        Pty {
            master,
            slave,
            child,
            output,
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            seen: 0,
        }
    }

    fn pump(&mut self) {
        let bytes = self.output.lock().expect("output").clone();
        self.parser.process(&bytes[self.seen..]);
        self.seen = bytes.len();
    }

    fn screen(&mut self) -> String {
        self.pump();
        self.parser.screen().contents()
    }

    fn wait_for(&mut self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            if start.elapsed() > WAIT {
                panic!("timed out waiting for {what:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, bytes: &str) {
        self.master.write_all(bytes.as_bytes()).expect("write");
        self.master.flush().expect("flush");
        // One key at a time reads as separate key presses.
        std::thread::sleep(Duration::from_millis(60));
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        tcsetwinsize(&self.master, size(cols, rows)).expect("winsize");
        self.pump();
        self.parser.screen_mut().set_size(nz(rows), nz(cols));
    }

    fn wait_exit(&mut self) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            if start.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("did not exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn raw_output(&mut self) -> Vec<u8> {
        self.pump();
        self.output.lock().expect("output").clone()
    }

    /// The terminal is back as it was: alternate screen left, cursor shown, line
    /// editing and echo on.
    fn assert_restored(&mut self) {
        // Let the last bytes arrive.
        std::thread::sleep(Duration::from_millis(100));
        let out = self.raw_output();
        let text = String::from_utf8_lossy(&out);
        let entered = text
            .rfind("\u{1b}[?1049h")
            .expect("entered the alternate screen");
        let left = text
            .rfind("\u{1b}[?1049l")
            .expect("left the alternate screen");
        assert!(left > entered, "the alternate screen was left last");
        assert!(!self.parser.screen().alternate_screen());
        assert!(!self.parser.screen().hide_cursor(), "the cursor is shown");
        let modes = tcgetattr(&self.slave).expect("tcgetattr");
        assert!(
            modes
                .local_modes
                .contains(LocalModes::ICANON | LocalModes::ECHO),
            "raw mode was turned off: {:?}",
            modes.local_modes
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a size above zero")
}

fn size(cols: u16, rows: u16) -> Winsize {
    Winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

#[test]
fn demo_explorer_end_to_end() {
    let mut t = Pty::spawn(&["demo"], 120, 40, &[]);
    let screen = t.wait_for("users");
    for title in ["TypeScript", "Snapshot", "Live"] {
        assert!(screen.contains(title), "{title} pane: {screen}");
    }
    assert!(!screen.contains("TypeScript schema not loaded"), "{screen}");

    // Move to the last table.
    t.send("G");
    t.wait_for(">drift   users");
    t.wait_for("+ nickname");

    // Filter, then drill into the table and into its first difference.
    t.send("/");
    t.send("proj");
    t.wait_for("Tables 1/5 /proj");
    t.send("\r");
    t.send("\r");
    t.send("\r");
    let screen = t.wait_for("column slug on table projects");
    assert!(
        screen.contains("will be created by pending migration"),
        "{screen}"
    );
    t.send("\u{1b}");
    t.wait_for("! slug");

    // The pending migration: what it will change and its SQL.
    t.send("2");
    t.wait_for("Migrations 4");
    t.send("G");
    t.send("\r");
    let screen = t.wait_for("what it will change");
    assert!(screen.contains("ALTER TABLE"), "{screen}");
    assert!(screen.contains("projects.slug"), "{screen}");

    // Help, generated from the keymap.
    t.send("?");
    t.wait_for("marks in the panes");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn ctrl_c_quits_from_the_filter_and_restores_the_terminal() {
    let mut t = Pty::spawn(&["demo"], 100, 30, &[]);
    t.wait_for("users");
    t.send("/abc");
    t.wait_for("filter: abc");
    t.send("\u{3}");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn resizing_below_80x24_says_so_and_back_redraws() {
    let mut t = Pty::spawn(&["demo"], 120, 40, &[]);
    t.wait_for("users");
    t.resize(70, 20);
    t.wait_for("terminal too small");
    t.resize(80, 24);
    let screen = t.wait_for("Tables 5/5");
    assert!(!screen.contains("too small"), "{screen}");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn mouse_capture_is_on_by_default_and_off_with_no_mouse() {
    let mut t = Pty::spawn(&["demo"], 100, 30, &[]);
    t.wait_for("users");
    // A wheel step down over the table list (SGR mouse report): three rows.
    t.send("\u{1b}[<65;5;8M");
    t.wait_for(">lint    projects");
    // A click on the last table.
    t.send("\u{1b}[<0;5;9M");
    t.wait_for(">drift   users");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    let out = t.raw_output();
    assert!(String::from_utf8_lossy(&out).contains("\u{1b}[?1000h"));
    t.assert_restored();

    let mut t = Pty::spawn(&["demo", "--no-mouse"], 100, 30, &[]);
    t.wait_for("users");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    let out = t.raw_output();
    assert!(!String::from_utf8_lossy(&out).contains("\u{1b}[?1000h"));
}

#[test]
fn no_color_draws_without_any_color() {
    let mut t = Pty::spawn(&["demo"], 100, 30, &[("NO_COLOR", "1")]);
    t.wait_for("users");
    t.send("G");
    t.wait_for(">drift");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    let out = String::from_utf8_lossy(&t.raw_output()).to_string();
    for color in ["\u{1b}[38;", "\u{1b}[48;", "[38;5;", "[48;5;"] {
        assert!(!out.contains(color), "a color was drawn: {color:?}");
    }

    let mut t = Pty::spawn(&["demo"], 100, 30, &[]);
    t.wait_for("users");
    t.send("q");
    t.wait_exit();
    let out = String::from_utf8_lossy(&t.raw_output()).to_string();
    assert!(out.contains("[38;5;"), "colors are drawn by default");
}

#[test]
fn a_bad_user_config_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "theme = \"light\"\n[keys]\nquit = \"hyper-q\"\n").expect("write");
    let path = config.display().to_string();
    let mut t = Pty::spawn(&["demo"], 100, 30, &[("DRIZZLE_DRIFT_CONFIG", &path)]);
    assert_eq!(t.wait_exit(), 2);
    let screen = t.screen();
    assert!(screen.contains("config.toml: line 3"), "{screen}");
    assert!(screen.contains("hyper-q"), "{screen}");
}

#[test]
fn the_bare_command_opens_the_explorer_on_the_current_project() {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let mut t = Pty::spawn_in(
        Some(&demo.join("project")),
        &["--catalog", "../catalog.json"],
        120,
        40,
        &[],
    );
    let screen = t.wait_for("users");
    assert!(screen.contains("drift 1 · pending 5"), "{screen}");
    assert!(screen.contains("../catalog.json"), "{screen}");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn sigterm_quits_and_restores_the_terminal() {
    let mut t = Pty::spawn(&["demo"], 100, 30, &[]);
    t.wait_for("users");
    let pid = rustix::process::Pid::from_child(&t.child);
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("kill");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn the_editor_gets_the_terminal_and_gives_it_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("editor.log");
    let script = dir.path().join("editor.sh");
    std::fs::write(
        &script,
        format!(
            // Raw mode must be off while the editor runs.
            "#!/bin/sh\nif stty -a | grep -q -- -icanon; then echo RAW > '{0}'; else echo \"$@\" > '{0}'; fi\n",
            log.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let editor = script.display().to_string();
    let mut t = Pty::spawn(
        &["demo"],
        120,
        40,
        &[("VISUAL", ""), ("EDITOR", editor.as_str())],
    );
    t.wait_for("users");
    t.send("/");
    t.send("projects");
    t.send("\r");
    t.send("\r");
    t.send("\r");
    t.wait_for("column slug on table projects");
    t.send("e");
    let start = Instant::now();
    while !log.exists() && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    let args = std::fs::read_to_string(&log).expect("the editor ran");
    assert!(args.starts_with('+'), "{args}");
    assert!(args.trim_end().ends_with("src/db/schema.ts"), "{args}");
    // Back in the explorer, redrawn, taking keys again.
    t.wait_for("column slug on table projects");
    t.send("\u{1b}");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}
