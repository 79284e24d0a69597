//! Signals from outside the session, job control, and the terminal modes the session turns on
//! and off around both (mouse reporting, bracketed paste).
//!
//! The handlers only set flags (an atomic store, which is async-signal-safe); the event loop
//! reads them between actions, so a decision being saved is finished first. A termination
//! signal ends the loop as quitting does, the terminal is restored, and the process then dies
//! by that same signal, as its parent expects. A stop (Ctrl-Z, SIGTSTP) restores the terminal
//! before the process stops; any continue (SIGCONT) sets the terminal up again and redraws,
//! also after a SIGSTOP that could not be caught.

use std::io::Write;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;

use crate::app::Action;

/// What the loop must do about the signals received since it last looked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// End the session (a termination signal came): the process dies by it once restored.
    Exit,
    /// Give the terminal back and stop, until continued.
    Suspend,
    /// The process was continued after a stop it did not take itself: set the terminal up
    /// again.
    Resume,
}

/// The flags the handlers set.
struct Flags {
    /// The termination signal received, 0 for none.
    exit: Arc<AtomicUsize>,
    suspend: Arc<AtomicBool>,
    continued: Arc<AtomicBool>,
}

static FLAGS: OnceLock<Flags> = OnceLock::new();

/// The signals that end the session with the terminal restored.
#[cfg(unix)]
const EXIT_SIGNALS: [i32; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGQUIT];

/// Installs the handlers (once per process).
pub fn install() -> std::io::Result<()> {
    if FLAGS.get().is_some() {
        return Ok(());
    }
    let flags = Flags {
        exit: Arc::new(AtomicUsize::new(0)),
        suspend: Arc::new(AtomicBool::new(false)),
        continued: Arc::new(AtomicBool::new(false)),
    };
    #[cfg(unix)]
    {
        use signal_hook::flag;
        for signal in EXIT_SIGNALS {
            flag::register_usize(signal, Arc::clone(&flags.exit), signal as usize)?;
        }
        flag::register(libc::SIGTSTP, Arc::clone(&flags.suspend))?;
        flag::register(libc::SIGCONT, Arc::clone(&flags.continued))?;
    }
    let _ = FLAGS.set(flags);
    Ok(())
}

/// Asks the loop to suspend, as SIGTSTP does: what Ctrl-Z means, the terminal being raw.
pub fn request_suspend() {
    if let Some(flags) = FLAGS.get() {
        flags.suspend.store(true, Ordering::SeqCst);
    }
}

/// The most pressing request received since the last call, clearing it (an exit stays).
pub fn take() -> Option<Request> {
    let flags = FLAGS.get()?;
    if flags.exit.load(Ordering::SeqCst) != 0 {
        return Some(Request::Exit);
    }
    if flags.suspend.swap(false, Ordering::SeqCst) {
        return Some(Request::Suspend);
    }
    if flags.continued.swap(false, Ordering::SeqCst) {
        return Some(Request::Resume);
    }
    None
}

/// Turns on what the session needs beyond ratatui's raw mode and alternate screen.
pub fn enter_modes() -> std::io::Result<()> {
    execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste)
}

/// Turns off what [`enter_modes`] turned on.
pub fn leave_modes() -> std::io::Result<()> {
    execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture
    )
}

/// Suspends or resumes as asked (not [`Request::Exit`], which the loop does by returning);
/// the actions that then draw every cell again at the terminal's size now.
pub fn carry_out(terminal: &mut DefaultTerminal, request: Request) -> std::io::Result<[Action; 2]> {
    if request == Request::Suspend {
        suspend(terminal)?;
    } else {
        resume(terminal)?;
    }
    let size = terminal.size()?;
    Ok([
        Action::Resize {
            width: size.width,
            height: size.height,
        },
        Action::Redraw,
    ])
}

/// Restores the terminal, stops the process as SIGTSTP's default action would, and on
/// continuing sets the terminal up again; the caller redraws every cell.
fn suspend(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    leave_modes()?;
    execute!(std::io::stdout(), LeaveAlternateScreen)?;
    terminal.show_cursor()?;
    disable_raw_mode()?;
    std::io::stdout().flush()?;
    stop_self();
    if let Some(flags) = FLAGS.get() {
        flags.continued.store(false, Ordering::SeqCst);
    }
    resume(terminal)
}

/// Sets the terminal up again after a stop: whatever the shell did with it meanwhile, raw
/// mode, the alternate screen and the session's modes are on again.
fn resume(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    // crossterm keeps the mode it found when raw mode was turned on and skips turning it on
    // again: put that back first, so raw mode is set afresh on a terminal a shell has reset.
    let _ = disable_raw_mode();
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen)?;
    enter_modes()?;
    terminal.hide_cursor()
}

/// Stops the process by SIGTSTP with its default action; returns once continued. When the
/// process group is orphaned (no shell to continue it), the system discards the stop and this
/// returns at once.
fn stop_self() {
    #[cfg(unix)]
    // SAFETY: sigaction with a zeroed (SIG_DFL) action and a pointer to space for the old
    // one; the old action, signal-hook's handler, is put back unchanged after the stop.
    unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGTSTP, &default, &mut old) != 0 {
            return;
        }
        libc::raise(libc::SIGTSTP);
        libc::sigaction(libc::SIGTSTP, &old, std::ptr::null_mut());
    }
}

/// If a termination signal came, dies by it now (with its default action); call once the
/// terminal is restored and the session's store is closed.
pub fn exit_if_signalled() {
    let signal = FLAGS.get().map_or(0, |f| f.exit.load(Ordering::SeqCst));
    #[cfg(unix)]
    if signal != 0 {
        let signal = signal as i32;
        let _ = signal_hook::low_level::emulate_default_handler(signal);
        // A default action that did not end the process (it cannot for these): exit as a
        // shell reports a death by signal.
        std::process::exit(128 + signal);
    }
    #[cfg(not(unix))]
    let _ = signal;
}
