//! The explorer end to end: the real binary on `demo` in a real pseudo-terminal, driven
//! with keystrokes, its screen read back through a terminal emulator (vt100).

mod tui_support;

use std::time::{Duration, Instant};
use tui_support::pty::{until, Launch, Pty, Stop, WAIT};

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
    t.wait_for("+nickname");

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
    t.wait_for("vs TypeScript: +only here");

    // The pending migration: what it will change and its SQL.
    t.send("2");
    t.wait_for("Migrations 4");
    t.send("G");
    t.send("\r");
    let screen = t.wait_for("what it will change");
    assert!(screen.contains("ALTER TABLE"), "{screen}");
    assert!(screen.contains("projects.slug"), "{screen}");

    // Help, generated from the keymap (the several-database keys too).
    t.send("?");
    t.wait_for("next target in the Live pane");
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
    // The pty may still be passing on the last bytes written before the exit.
    let screen = t.wait_for("line 3");
    assert!(screen.contains("hyper-q"), "{screen}");
    assert!(
        screen.contains("cannot use") && screen.contains("config.toml"),
        "{screen}"
    );
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

/// Stop the explorer each way once `enter` put it in `state`: it is gone within a second
/// with the signal's exit code, and gives the terminal back where there still is one.
fn stops_within_a_second(state: &str, env: &[(&str, &str)], enter: impl Fn(&mut Pty)) {
    for stop in Stop::ALL {
        let mut t = Pty::spawn(&["demo"], 120, 40, env);
        t.wait_for("users");
        enter(&mut t);
        let sent = Instant::now();
        stop.send(&mut t);
        let (code, _) = t.wait_gone(Duration::from_secs(1));
        eprintln!("{state}, {stop:?}: exited after {:?}", sent.elapsed());
        assert_eq!(code, stop.exit_code(), "{state}, {stop:?}");
        if stop.terminal_stays() {
            t.assert_restored();
        }
    }
}

#[test]
fn idle_it_stops_within_a_second_on_a_signal_or_hang_up() {
    stops_within_a_second("idle", &[], |_| {});
}

#[test]
fn in_the_why_prompt_it_stops_within_a_second_on_a_signal_or_hang_up() {
    stops_within_a_second("why prompt", &[], |t| {
        t.send("w");
        t.wait_for("paste a database error");
        t.send("column");
    });
}

#[test]
fn with_the_editor_open_it_stops_within_a_second_and_hangs_up_the_editor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pid_file = dir.path().join("editor.pid");
    let script = dir.path().join("editor.sh");
    // An editor that keeps the terminal until it is told to go.
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho $$ > '{}.tmp' && mv '{0}.tmp' '{0}'\nexec sleep 30\n",
            pid_file.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let editor = script.display().to_string();
    let env = [("VISUAL", ""), ("EDITOR", editor.as_str())];
    let editor_pid = std::cell::Cell::new(0);
    stops_within_a_second("editor open", &env, |t| {
        let _ = std::fs::remove_file(&pid_file);
        t.send("/");
        t.send("projects");
        t.send("\r");
        t.send("\r");
        t.send("\r");
        t.wait_for("column slug on table projects");
        t.send("e");
        until(WAIT, "the editor runs", || pid_file.exists());
        let pid = std::fs::read_to_string(&pid_file).expect("pid");
        editor_pid.set(pid.trim().parse::<i32>().expect("a pid"));
    });
    // The last editor was sent SIGHUP, as when its terminal closes.
    until(Duration::from_secs(1), "the editor ends", || {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", editor_pid.get()));
        stat.map_or(true, |s| s.split_whitespace().nth(2) == Some("Z"))
    });
}

#[test]
fn closing_a_terminal_that_sends_no_sighup_stops_it_too() {
    // Not its controlling terminal: no SIGHUP, only EOF and EIO on the terminal.
    let mut t = Pty::start(Launch {
        args: &["demo"],
        controlling: false,
        ..Launch::default()
    });
    t.wait_for("users");
    let sent = Instant::now();
    t.close();
    let (code, _) = t.wait_gone(Duration::from_secs(1));
    eprintln!(
        "no SIGHUP, terminal closed: exited after {:?}",
        sent.elapsed()
    );
    assert_eq!(code, 129);
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

#[test]
fn a_panic_gives_the_terminal_back_before_the_report() {
    let mut t = Pty::spawn(
        &["demo"],
        120,
        40,
        &[("DRIZZLE_DRIFT_TEST_PANIC", "1"), ("RUST_BACKTRACE", "0")],
    );
    t.wait_for("users");
    t.send("j");
    assert_eq!(t.wait_exit(), 101, "a panic's exit code");
    t.assert_restored();
    let out = String::from_utf8_lossy(&t.raw_output()).to_string();
    // Mouse capture was turned off after it was last turned on.
    let on = out.rfind("\u{1b}[?1000h").expect("mouse capture was on");
    let off = out
        .rfind("\u{1b}[?1000l")
        .expect("mouse capture was turned off");
    assert!(off > on, "mouse capture was left on");
    // color-eyre's report comes after the terminal was given back, on the main screen.
    let left = out
        .rfind("\u{1b}[?1049l")
        .expect("left the alternate screen");
    let report = out
        .find("The application panicked")
        .expect("color-eyre printed the panic");
    assert!(
        report > left,
        "the report was printed on the alternate screen"
    );
    let screen = t.screen();
    assert!(screen.contains("DRIZZLE_DRIFT_TEST_PANIC"), "{screen}");
    assert!(screen.contains("this is a bug in"), "{screen}");
}

/// The demo project copied where it can be edited.
fn demo_copy() -> tempfile::TempDir {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&demo.join("project"), dir.path());
    std::fs::copy(demo.join("catalog.json"), dir.path().join("catalog.json")).expect("catalog");
    dir
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn editing_the_schema_reloads_by_itself_keeping_the_selection() {
    let dir = demo_copy();
    let mut t = Pty::spawn_in(
        Some(dir.path()),
        &["--catalog", "catalog.json"],
        120,
        40,
        &[],
    );
    let screen = t.wait_for("drift 1 · pending 5");
    assert!(!screen.contains("ungenerated"), "{screen}");
    t.send("G");
    t.wait_for(">drift   users");
    // Edited in place, as an editor that writes the file through does.
    let schema = dir.path().join("src/db/schema.ts");
    let text = std::fs::read_to_string(&schema).expect("schema");
    let edited = text.replacen(
        "name: text(\"name\").notNull(),",
        "name: varchar(\"name\", { length: 80 }).notNull(),",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&schema, edited).expect("write");
    let start = Instant::now();
    let screen = t.wait_for("ungenerated");
    eprintln!("reloaded {:?} after the save", start.elapsed());
    assert!(start.elapsed() < Duration::from_secs(5), "{screen}");
    // Still on the same table.
    t.wait_for(">drift   users");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();

    // --no-watch: the same edit is not seen.
    std::fs::write(&schema, &text).expect("write");
    let mut t = Pty::spawn_in(
        Some(dir.path()),
        &["--catalog", "catalog.json", "--no-watch"],
        120,
        40,
        &[],
    );
    t.wait_for("drift 1 · pending 5");
    std::fs::write(
        &schema,
        text.replacen("name: text(\"name\")", "name: varchar(\"name\")", 1),
    )
    .expect("write");
    std::thread::sleep(Duration::from_millis(1500));
    let screen = t.screen();
    assert!(!screen.contains("ungenerated"), "{screen}");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
}

/// Saving `.env` or the `--catalog` file reloads, as saving a schema file does.
#[test]
fn editing_the_env_file_or_the_catalog_reloads() {
    let dir = tui_support::big_project(3, 2);
    let env = dir.path().join(".env");
    std::fs::write(&env, "APP_ENV=one\n").expect("env");
    let mut t = Pty::spawn_in(Some(dir.path()), &["--catalog", "big.json"], 120, 40, &[]);
    t.wait_for("Tables 3/3");
    std::fs::write(&env, "APP_ENV=two\n").expect("env");
    t.wait_for(".env changed: reloading…");
    // A key clears the note.
    t.send("j");
    t.wait_for("Enter open");
    let catalog = dir.path().join("big.json");
    let bytes = std::fs::read(&catalog).expect("catalog");
    std::fs::write(&catalog, bytes).expect("catalog");
    t.wait_for("big.json changed: reloading…");
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn five_thousand_tables_at_80x24_stay_quick_to_move_filter_and_sort() {
    let dir = tui_support::big_project(5_000, 4);
    let mut t = Pty::spawn_in(Some(dir.path()), &["--catalog", "big.json"], 80, 24, &[]);
    let started = Instant::now();
    let screen = t.wait_for("Tables 5000/5000");
    eprintln!("5,000 tables on screen after {:?}", started.elapsed());
    assert!(screen.contains("table_00000"), "{screen}");

    // Each answer is timed from the key (a key is written, then 60 ms pass, in `send`).
    let timed = |t: &mut Pty, keys: &str, what: &str| {
        let sent = Instant::now();
        t.send(keys);
        let screen = t.wait_for(what);
        let took = sent.elapsed();
        eprintln!("{keys:?} → {what:?}: {took:?}");
        assert!(took < Duration::from_secs(2), "{keys:?} took {took:?}");
        screen
    };
    timed(&mut t, "G", ">drift   table_04999");
    timed(&mut t, "g", ">drift   table_00000");
    t.send("/");
    let screen = timed(&mut t, "0432", "Tables 11/5000 /0432");
    assert!(screen.contains("table_04329"), "{screen}");
    timed(&mut t, "1", "Tables 1/5000 /04321");
    // Clearing the filter keeps the selected table.
    timed(&mut t, "\u{1b}", ">drift   table_04321");
    let screen = timed(&mut t, "s", "sorted by status");
    // The title fits the 26-column list: `Tables` goes, the sort stays.
    assert!(screen.contains("┌ 5000/5000 by status ─"), "{screen}");
    timed(&mut t, "G", ">drift   table_04999");
    // The panes are tabs at 80 columns: the live one lists the table's columns.
    let mut seen = false;
    for _ in 0..3 {
        t.send("\t");
        std::thread::sleep(Duration::from_millis(100));
        if t.screen().contains("column_03") {
            seen = true;
            break;
        }
    }
    assert!(seen, "{}", t.screen());
    assert!(
        t.screen().contains("timestamp with time zone"),
        "{}",
        t.screen()
    );
    t.send("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}
