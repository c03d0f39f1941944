//! The real terminal: raw mode and the alternate screen on the way in, and back out on
//! quit, on error (the guard's drop), on panic (a hook that restores first and then calls
//! the previous hook), around `$EDITOR` and at a forced exit — but only while there is a
//! terminal: once it hung up nothing more is written to it. Input is read on its own
//! thread, which can be paused so the editor gets every key, and which tells
//! [`shutdown`] when the terminal hangs up.

use super::app::Msg;
use crate::shutdown::{self, Reason};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use rustix::event::{poll, PollFd, PollFlags, Timespec};
use std::io::{self, IsTerminal, Stdout};
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// Leave the alternate screen and raw mode, show the cursor. Safe to call twice.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// The explorer holds the terminal in raw mode and the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// [`restore`] if the explorer holds the terminal (and it has not hung up).
pub fn give_back() {
    if ACTIVE.swap(false, Ordering::AcqRel) {
        restore();
    }
}

static HOOK: Once = Once::new();

/// Restore the terminal before any panic message is printed, then let the previous hook
/// (the default one prints the message and location) run.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            give_back();
            previous(info);
        }));
    });
}

/// Whether `fd`'s terminal hung up (its other side closed). Waits up to `wait` for that or,
/// with `input`, for something to read; `Ok(false)` then means input may be waiting.
fn hung_up(fd: impl AsFd, input: bool, wait: Duration) -> io::Result<bool> {
    let flags = if input {
        PollFlags::IN
    } else {
        PollFlags::empty()
    };
    let mut fds = [PollFd::new(&fd, flags)];
    let timeout = Timespec::try_from(wait).unwrap_or_default();
    match poll(&mut fds, Some(&timeout)) {
        Ok(_) => Ok(fds[0]
            .revents()
            .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)),
        Err(rustix::io::Errno::INTR) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Whether the terminal the explorer draws on is gone.
pub fn output_gone() -> bool {
    hung_up(io::stdout(), false, Duration::ZERO).unwrap_or(true)
}

pub struct Tui {
    /// `None` once the terminal hung up: ratatui's own drop would write to it.
    terminal: Option<Terminal<CrosstermBackend<Stdout>>>,
    mouse: bool,
}

impl Tui {
    pub fn enter(mouse: bool) -> io::Result<Tui> {
        install_panic_hook();
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        let mut tui = Tui {
            terminal: Some(terminal),
            mouse,
        };
        tui.resume()?;
        Ok(tui)
    }

    /// Take the terminal (back): raw mode, alternate screen, a full redraw next.
    pub fn resume(&mut self) -> io::Result<()> {
        let terminal = self.terminal.as_mut().ok_or(io::ErrorKind::BrokenPipe)?;
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::Release);
        execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
        // A pasted database error arrives as one event, not as keys.
        let _ = execute!(io::stdout(), EnableBracketedPaste);
        if self.mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        // A full clear and redraw. (`Terminal::clear` would ask the terminal for the cursor
        // position, which not every terminal answers.)
        let size = terminal.size()?;
        terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
    }

    pub fn draw(&mut self, state: &super::app::State) -> io::Result<()> {
        let terminal = self.terminal.as_mut().ok_or(io::ErrorKind::BrokenPipe)?;
        terminal.draw(|f| super::view::render(f, state)).map(|_| ())
    }

    /// Give the terminal back (an editor takes it, or the explorer quits).
    pub fn leave(&mut self) {
        give_back();
    }

    /// The terminal hung up: write nothing more to it.
    pub fn abandon(&mut self) {
        ACTIVE.store(false, Ordering::Release);
        // ratatui's drop shows the cursor, and reports a failure on stderr: the same dead
        // terminal, where `eprintln!` panics.
        std::mem::forget(self.terminal.take());
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if output_gone() {
            self.abandon();
        } else {
            self.leave();
        }
    }
}

/// The thread that reads terminal events and sends them to the event loop.
pub struct Input {
    stop: Arc<AtomicBool>,
    pause: Arc<AtomicBool>,
    paused: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

const POLL: Duration = Duration::from_millis(30);

impl Input {
    /// Read the terminal crossterm reads: stdin, or `/dev/tty` when stdin is not one.
    pub fn start(tx: UnboundedSender<Msg>) -> io::Result<Input> {
        let tty: OwnedFd = if io::stdin().is_terminal() {
            io::stdin().as_fd().try_clone_to_owned()?
        } else {
            std::fs::File::open("/dev/tty")?.into()
        };
        // crossterm listens for SIGWINCH from its first poll on: now, not a first poll
        // later, or a resize right after the first frame is lost.
        event::poll(Duration::ZERO)?;
        let stop = Arc::new(AtomicBool::new(false));
        let pause = Arc::new(AtomicBool::new(false));
        let paused = Arc::new(AtomicBool::new(false));
        let (s, p, pd) = (stop.clone(), pause.clone(), paused.clone());
        let thread = std::thread::spawn(move || {
            // crossterm's reader loops forever on a terminal that hung up (it retries a
            // read that returns 0): it only gets the terminal after poll(2) here saw that
            // it is still there. Paused, the poll asks for no input, so that the editor
            // gets every key, and still sees a hang-up.
            while !s.load(Ordering::Acquire) {
                let reading = !p.load(Ordering::Acquire);
                pd.store(!reading, Ordering::Release);
                match hung_up(&tty, reading, POLL) {
                    Ok(false) if reading => {}
                    Ok(false) => continue,
                    Ok(true) | Err(_) => {
                        shutdown::request(Reason::HangUp);
                        return;
                    }
                }
                let mut any = false;
                loop {
                    let msg = match event::poll(Duration::ZERO)
                        .and_then(|ready| ready.then(event::read).transpose())
                    {
                        Ok(None) => break,
                        Ok(Some(Event::Key(k))) => Msg::Key(k),
                        Ok(Some(Event::Mouse(m))) => Msg::Mouse(m),
                        Ok(Some(Event::Resize(w, h))) => Msg::Resize(w, h),
                        Ok(Some(Event::Paste(text))) => Msg::Paste(text),
                        Ok(Some(_)) => continue,
                        Err(_) => {
                            shutdown::request(Reason::HangUp);
                            return;
                        }
                    };
                    any = true;
                    if tx.send(msg).is_err() {
                        return;
                    }
                }
                if !any {
                    // Bytes crossterm leaves for its next wake-up: do not poll for them in
                    // a busy loop.
                    std::thread::sleep(POLL);
                }
            }
        });
        Ok(Input {
            stop,
            pause,
            paused,
            thread: Some(thread),
        })
    }

    /// Stop reading until `resume`; returns once the thread no longer reads.
    pub fn pause(&self) {
        self.pause.store(true, Ordering::Release);
        for _ in 0..100 {
            if self.paused.load(Ordering::Acquire) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn resume(&self) {
        self.paused.store(false, Ordering::Release);
        self.pause.store(false, Ordering::Release);
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // On a terminal that hung up the thread has returned, or is stuck in crossterm's
        // reader if the hang-up came between its poll and crossterm's: not waited for.
        if let Some(t) = self.thread.take().filter(|_| !output_gone()) {
            let _ = t.join();
        }
    }
}

/// The editor command: `$VISUAL`, then `$EDITOR`, then `vi`, with the arguments that
/// open `path` at `line`.
pub fn editor_command(
    editor: Option<String>,
    path: &Path,
    line: Option<u32>,
) -> Result<(String, Vec<String>), String> {
    let editor = editor
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    let mut words = editor.split_whitespace().map(str::to_string);
    let program = words.next().ok_or_else(|| "$EDITOR is empty".to_string())?;
    let mut args: Vec<String> = words.collect();
    let name = Path::new(&program)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let file = path.display().to_string();
    match (line, name.as_str()) {
        (Some(l), "code" | "codium" | "code-insiders") => {
            args.push("--goto".into());
            args.push(format!("{file}:{l}"));
        }
        (Some(l), "subl" | "zed" | "hx" | "helix") => args.push(format!("{file}:{l}")),
        (Some(l), _) => {
            args.push(format!("+{l}"));
            args.push(file);
        }
        (None, _) => args.push(file),
    }
    Ok((program, args))
}

/// Run the editor in the foreground and wait for it. On a stop it is sent SIGHUP, what an
/// editor gets when its terminal goes away (vim and emacs keep a recovery file), and not
/// waited for.
pub async fn open_editor(path: &Path, line: Option<u32>) -> Result<(), String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("EDITOR").ok());
    let (program, args) = editor_command(editor, path, line)?;
    let mut child = tokio::process::Command::new(&program)
        .args(&args)
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let status = match shutdown::unless_stopped(child.wait()).await {
        Ok(status) => status.map_err(|e| format!("{program}: {e}"))?,
        Err(reason) => {
            let pid = child
                .id()
                .and_then(|id| rustix::process::Pid::from_raw(id as i32));
            if let Some(pid) = pid {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::HUP);
            }
            return Err(format!("{program} stopped ({reason})"));
        }
    };
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} exited with {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_arguments_open_the_line() {
        let p = Path::new("/p/s.json");
        assert_eq!(
            editor_command(Some("nvim".into()), p, Some(7)),
            Ok(("nvim".into(), vec!["+7".into(), "/p/s.json".into()]))
        );
        assert_eq!(
            editor_command(Some("code -w".into()), p, Some(7)),
            Ok((
                "code".into(),
                vec!["-w".into(), "--goto".into(), "/p/s.json:7".into()]
            ))
        );
        assert_eq!(
            editor_command(None, p, None),
            Ok(("vi".into(), vec!["/p/s.json".into()]))
        );
    }
}
