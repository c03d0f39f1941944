//! The real terminal: raw mode and the alternate screen on the way in, and always back
//! out — on quit, on error (the guard's drop), on panic (a hook that restores first and
//! then calls the previous hook) and around `$EDITOR`. Input is read on its own thread,
//! which can be paused so the editor gets every key.

use super::app::Msg;
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
use std::io::{self, Stdout};
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

static HOOK: Once = Once::new();

/// Restore the terminal before any panic message is printed, then let the previous hook
/// (the default one prints the message and location) run.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

pub struct Tui {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
    mouse: bool,
    active: bool,
}

impl Tui {
    pub fn enter(mouse: bool) -> io::Result<Tui> {
        install_panic_hook();
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        let mut tui = Tui {
            terminal,
            mouse,
            active: false,
        };
        tui.resume()?;
        Ok(tui)
    }

    fn resume(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        self.active = true;
        execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
        // A pasted database error arrives as one event, not as keys.
        let _ = execute!(io::stdout(), EnableBracketedPaste);
        if self.mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        // A full clear and redraw. (`Terminal::clear` would ask the terminal for the cursor
        // position, which not every terminal answers.)
        let size = self.terminal.size()?;
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
    }

    pub fn leave(&mut self) {
        if self.active {
            restore();
            self.active = false;
        }
    }

    /// Give the terminal to `f` (an editor), then take it back and redraw from scratch.
    pub fn suspend<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        self.leave();
        let out = f();
        self.resume()?;
        Ok(out)
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        self.leave();
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
    pub fn start(tx: UnboundedSender<Msg>, fatal: UnboundedSender<String>) -> Input {
        let stop = Arc::new(AtomicBool::new(false));
        let pause = Arc::new(AtomicBool::new(false));
        let paused = Arc::new(AtomicBool::new(false));
        let (s, p, pd) = (stop.clone(), pause.clone(), paused.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Acquire) {
                if p.load(Ordering::Acquire) {
                    pd.store(true, Ordering::Release);
                    std::thread::sleep(POLL);
                    continue;
                }
                pd.store(false, Ordering::Release);
                let ready = match event::poll(POLL) {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = fatal.send(format!("cannot read the terminal: {e}"));
                        return;
                    }
                };
                if !ready {
                    continue;
                }
                let msg = match event::read() {
                    Ok(Event::Key(k)) => Msg::Key(k),
                    Ok(Event::Mouse(m)) => Msg::Mouse(m),
                    Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                    Ok(Event::Paste(text)) => Msg::Paste(text),
                    Ok(_) => continue,
                    Err(e) => {
                        let _ = fatal.send(format!("cannot read the terminal: {e}"));
                        return;
                    }
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        Input {
            stop,
            pause,
            paused,
            thread: Some(thread),
        }
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
        if let Some(t) = self.thread.take() {
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

/// Run the editor in the foreground and wait for it.
pub fn open_editor(path: &Path, line: Option<u32>) -> Result<(), String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("EDITOR").ok());
    let (program, args) = editor_command(editor, path, line)?;
    let status = std::process::Command::new(&program)
        .args(&args)
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
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
