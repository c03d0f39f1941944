//! The real binary in a real pseudo-terminal: keystrokes in, the screen read back through
//! a terminal emulator (vt100), signals and the terminal's other side closing.

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use rustix::fd::OwnedFd;
use rustix::process::{kill_process, Pid, Signal};
use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
use rustix::termios::{tcgetattr, tcsetwinsize, LocalModes, Winsize};
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    /// `None` once closed: the explorer's terminal hung up.
    master: Option<std::fs::File>,
    /// Kept open so the terminal's modes can be read after the child is gone.
    slave: OwnedFd,
    pub child: Child,
    output: Arc<Mutex<Vec<u8>>>,
    closing: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
    parser: vt100::Parser,
    seen: usize,
}

pub const WAIT: Duration = Duration::from_secs(20);

/// How the binary is started.
pub struct Launch<'a> {
    pub cwd: Option<&'a Path>,
    pub args: &'a [&'a str],
    pub cols: u16,
    pub rows: u16,
    pub env: &'a [(&'a str, &'a str)],
    /// The pty is the child's controlling terminal (it gets SIGHUP when the pty's other
    /// side closes); without it, only EOF and EIO on the terminal say so.
    pub controlling: bool,
}

impl Default for Launch<'_> {
    fn default() -> Self {
        Launch {
            cwd: None,
            args: &[],
            cols: 120,
            rows: 40,
            env: &[],
            controlling: true,
        }
    }
}

impl Pty {
    pub fn spawn(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Pty {
        Pty::spawn_in(None, args, cols, rows, env)
    }

    pub fn spawn_in(
        cwd: Option<&Path>,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Pty {
        Pty::start(Launch {
            cwd,
            args,
            cols,
            rows,
            env,
            controlling: true,
        })
    }

    pub fn start(launch: Launch<'_>) -> Pty {
        let (cols, rows) = (launch.cols, launch.rows);
        let master =
            openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).expect("openpt");
        grantpt(&master).expect("grantpt");
        unlockpt(&master).expect("unlockpt");
        let name = ptsname(&master, Vec::new()).expect("ptsname");
        let slave = rustix::fs::open(
            name.as_c_str(),
            rustix::fs::OFlags::RDWR | rustix::fs::OFlags::NOCTTY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )
        .expect("open slave");
        tcsetwinsize(&master, size(cols, rows)).expect("winsize");
        let io = || Stdio::from(slave.try_clone().expect("dup slave"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_drizzle-drift"));
        cmd.args(launch.args)
            .stdin(io())
            .stdout(io())
            .stderr(io())
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .env_remove("DATABASE_URL")
            .env_remove("DRIZZLE_DRIFT_URL")
            .env("DRIZZLE_DRIFT_CONFIG", "")
            .env("XDG_CONFIG_HOME", "/nonexistent-drizzle-drift-test");
        for (k, v) in launch.env {
            cmd.env(k, v);
        }
        if let Some(dir) = launch.cwd {
            cmd.current_dir(dir);
        }
        let controlling = launch.controlling;
        // SAFETY: only async-signal-safe system calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                rustix::process::setsid()?;
                if controlling {
                    rustix::process::ioctl_tiocsctty(rustix::stdio::stdin())?;
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn drizzle-drift");
        let master = std::fs::File::from(master);
        let mut reader = master.try_clone().expect("dup master");
        let output = Arc::new(Mutex::new(Vec::new()));
        let closing = Arc::new(AtomicBool::new(false));
        let (sink, stop) = (output.clone(), closing.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            let tick = Timespec::try_from(Duration::from_millis(10)).expect("timespec");
            while !stop.load(Ordering::Acquire) {
                let mut fds = [PollFd::new(&reader, PollFlags::IN)];
                match poll(&mut fds, Some(&tick)) {
                    Ok(0) | Err(rustix::io::Errno::INTR) => continue,
                    Ok(_) => {}
                    Err(_) => break,
                }
                if !fds[0].revents().contains(PollFlags::IN) {
                    // Nothing to read (the child and its editor are gone): wait, do not spin.
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if let Ok(mut o) = sink.lock() {
                            o.extend_from_slice(&buf[..n]);
                        }
                    }
                }
            }
        });
        Pty {
            master: Some(master),
            slave,
            child,
            output,
            closing,
            reader: Some(reader),
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            seen: 0,
        }
    }

    pub fn pump(&mut self) {
        let bytes = self.output.lock().expect("output").clone();
        self.parser.process(&bytes[self.seen..]);
        self.seen = bytes.len();
    }

    /// Every byte written to the terminal so far (what a redrawn line was before).
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().expect("output")).into_owned()
    }

    pub fn screen(&mut self) -> String {
        self.pump();
        self.parser.screen().contents()
    }

    pub fn wait_for(&mut self, what: &str) -> String {
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

    fn master(&mut self) -> &mut std::fs::File {
        self.master.as_mut().expect("the terminal is open")
    }

    pub fn send(&mut self, bytes: &str) {
        let master = self.master();
        master.write_all(bytes.as_bytes()).expect("write");
        master.flush().expect("flush");
        // One key at a time reads as separate key presses.
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        tcsetwinsize(self.master(), size(cols, rows)).expect("winsize");
        self.pump();
        self.parser.screen_mut().set_size(nz(rows), nz(cols));
    }

    pub fn signal(&self, signal: Signal) {
        let pid = Pid::from_child(&self.child);
        kill_process(pid, signal).expect("kill");
    }

    /// Close the terminal's other side, as a terminal window or an SSH connection does.
    pub fn close(&mut self) {
        self.closing.store(true, Ordering::Release);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.master = None;
    }

    /// The exit code (minus the signal's number when a signal ended it).
    pub fn wait_exit(&mut self) -> i32 {
        self.wait_gone(WAIT).0
    }

    /// Wait at most `limit` for the process to end: its exit code (as [`Pty::wait_exit`])
    /// and how long it took.
    pub fn wait_gone(&mut self, limit: Duration) -> (i32, Duration) {
        let start = Instant::now();
        match wait_gone(&mut self.child, limit) {
            Some(code) => (code, start.elapsed()),
            None => {
                let screen = if self.master.is_some() {
                    self.screen()
                } else {
                    "(closed)".into()
                };
                panic!("still running after {limit:?}; the screen:\n{screen}");
            }
        }
    }

    pub fn raw_output(&mut self) -> Vec<u8> {
        self.pump();
        self.output.lock().expect("output").clone()
    }

    /// The terminal is back as it was: alternate screen left, cursor shown, line
    /// editing and echo on.
    pub fn assert_restored(&mut self) {
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
        self.closing.store(true, Ordering::Release);
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

/// The ways the explorer is told to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `kill -HUP`: the terminal is still there.
    HangUpSignal,
    /// The pty's other side closes (the kernel also sends SIGHUP to the controlling
    /// process).
    Close,
    Terminate,
    Interrupt,
}

impl Stop {
    pub const ALL: [Stop; 4] = [
        Stop::Close,
        Stop::HangUpSignal,
        Stop::Terminate,
        Stop::Interrupt,
    ];

    pub fn exit_code(self) -> i32 {
        match self {
            Stop::HangUpSignal | Stop::Close => 129,
            Stop::Interrupt => 130,
            Stop::Terminate => 143,
        }
    }

    pub fn send(self, t: &mut Pty) {
        match self {
            Stop::HangUpSignal => t.signal(Signal::HUP),
            Stop::Close => t.close(),
            Stop::Terminate => t.signal(Signal::TERM),
            Stop::Interrupt => t.signal(Signal::INT),
        }
    }

    /// Whether the terminal is still there afterwards, to be given back.
    pub fn terminal_stays(self) -> bool {
        self != Stop::Close
    }
}

/// Wait at most `limit` for `child` to end: its exit code, minus the signal's number when
/// a signal ended it. `None` (and the child killed) when it did not end.
pub fn wait_gone(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(
                status
                    .code()
                    .or(status.signal().map(|s| -s))
                    .unwrap_or(i32::MIN),
            );
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Call `done` until it says yes, at most `limit`; how long that took.
pub fn until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if done() {
            return start.elapsed();
        }
        if start.elapsed() > limit {
            panic!("not within {limit:?}: {what}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
