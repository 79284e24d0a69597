//! Named fault points for the crash tests: where a debug build, when the environment variable
//! `STANCE_TEST_FAULT` names the point, stops as a crash would (or panics), so the tests can
//! check what a crash at exactly that step leaves behind.
//!
//! Release builds compile every point to nothing. The points:
//! - `compact:torn-kept`, `compact:tmp-written`, `compact:tmp-synced`, `compact:renamed`,
//!   `compact:done`: the steps of [`crate::store::LabelStore::compact`] (abort);
//! - `panic-on-key`: the session's event loop on a key press (panic);
//! - `slow-store`: each append to the journal by a session's store worker takes 200 ms
//!   longer (a slow disk), so tests can see that keys never wait for a save.
//! - `store-copy:pause`: `stance store copy` stops for two minutes half-way through writing
//!   a journal's new copy, or after the first rows of its transaction, for a test to kill it.
//! - `reattach:hold`: a session's search for annotations whose article id is gone waits,
//!   after saying it started, until the file [`RELEASE`] names exists (at most a minute),
//!   so tests can act before its findings arrive.

/// The environment variable that names the point where a debug build fails.
pub const ENV: &str = "STANCE_TEST_FAULT";

/// Aborts the process (no unwinding, no destructors, no buffers flushed: what a crash or a
/// kill leaves) when `STANCE_TEST_FAULT` is `point`. Debug builds only.
pub fn crash_point(point: &str) {
    if armed(point) {
        std::process::abort();
    }
}

/// Panics when `STANCE_TEST_FAULT` is `point`. Debug builds only.
pub fn panic_point(point: &str) {
    if armed(point) {
        panic!("fault injected at {point} by {ENV}");
    }
}

/// Sleeps for `delay` when `STANCE_TEST_FAULT` is `point`. Debug builds only.
pub fn delay_point(point: &str, delay: std::time::Duration) {
    if armed(point) {
        std::thread::sleep(delay);
    }
}

/// The environment variable naming the file whose creation releases [`hold_point`].
pub const RELEASE: &str = "STANCE_TEST_RELEASE";

/// Waits, when `STANCE_TEST_FAULT` is `point`, until the file `STANCE_TEST_RELEASE` names
/// exists (at most a minute, so a test that never releases it still ends). Debug builds only.
pub fn hold_point(point: &str) {
    if !armed(point) {
        return;
    }
    let Some(release) = std::env::var_os(RELEASE) else {
        return;
    };
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !std::path::Path::new(&release).exists() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[cfg(debug_assertions)]
fn armed(point: &str) -> bool {
    static ARMED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    ARMED.get_or_init(|| std::env::var(ENV).ok()).as_deref() == Some(point)
}

#[cfg(not(debug_assertions))]
fn armed(_: &str) -> bool {
    false
}
