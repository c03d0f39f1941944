//! The one place that decides the program stops before its work is done: SIGINT, SIGTERM,
//! SIGHUP, the explorer's terminal going away, or its quit key. Whatever has work in
//! flight waits on [`requested`] and winds down: the explorer's event loop leaves, its
//! load tasks return, a database reader cancels its query on the server and closes its
//! connection. A second signal, or a wind-down longer than [`GRACE`], exits at once.

use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::watch;

/// Why the program stops early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The explorer's quit key (loads still running are stopped too).
    Quit,
    /// SIGHUP, or the terminal closed without one (EOF or EIO on it).
    HangUp,
    Interrupt,
    Terminate,
}

impl Reason {
    /// What a shell reports for a process the signal ended: 128 + the signal's number.
    pub fn exit_code(self) -> i32 {
        match self {
            Reason::Quit => 0,
            Reason::HangUp => 129,
            Reason::Interrupt => 130,
            Reason::Terminate => 143,
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reason::Quit => "quit",
            Reason::HangUp => "hang-up",
            Reason::Interrupt => "SIGINT",
            Reason::Terminate => "SIGTERM",
        })
    }
}

/// How long the wind-down may take after a stop is requested.
pub const GRACE: Duration = Duration::from_millis(500);

static STATE: LazyLock<watch::Sender<Option<Reason>>> = LazyLock::new(|| watch::Sender::new(None));

/// Ask everything to stop. The first reason asked for is kept.
pub fn request(reason: Reason) {
    STATE.send_if_modified(|current| {
        let first = current.is_none();
        if first {
            *current = Some(reason);
        }
        first
    });
}

/// The reason a stop was requested for, if one was.
pub fn reason() -> Option<Reason> {
    *STATE.borrow()
}

/// Wait until a stop is requested.
pub async fn requested() -> Reason {
    let mut rx = STATE.subscribe();
    let reason = rx.wait_for(Option::is_some).await.map(|r| *r);
    match reason {
        Ok(Some(reason)) => reason,
        // The sender is a static: never dropped.
        _ => std::future::pending().await,
    }
}

/// `work`'s output, or the reason a stop was requested before it was done.
pub async fn unless_stopped<T>(work: impl std::future::Future<Output = T>) -> Result<T, Reason> {
    tokio::select! {
        out = work => Ok(out),
        reason = requested() => Err(reason),
    }
}

/// Turn SIGINT, SIGTERM and SIGHUP into a [`request`]. From then on the program has
/// [`GRACE`] to finish; past it, or at a second signal, `before_exit` runs (the explorer
/// gives the terminal back there) and the process exits with the first reason's code.
/// Call once, inside the runtime; it needs a worker thread besides the one the work
/// runs on, so that busy work cannot hold it up.
pub fn listen(before_exit: fn()) -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let exit = move || -> ! {
        before_exit();
        std::process::exit(reason().map_or(1, Reason::exit_code))
    };
    tokio::spawn(async move {
        let mut signalled = false;
        loop {
            let got = tokio::select! {
                Some(()) = interrupt.recv() => Reason::Interrupt,
                Some(()) = terminate.recv() => Reason::Terminate,
                Some(()) = hangup.recv() => Reason::HangUp,
                else => return,
            };
            if signalled {
                exit();
            }
            signalled = true;
            request(got);
        }
    });
    tokio::spawn(async move {
        requested().await;
        tokio::time::sleep(GRACE).await;
        exit();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_what_shells_report() {
        assert_eq!(Reason::Interrupt.exit_code(), 128 + 2);
        assert_eq!(Reason::Terminate.exit_code(), 128 + 15);
        assert_eq!(Reason::HangUp.exit_code(), 128 + 1);
        assert_eq!(Reason::Quit.exit_code(), 0);
    }
}
