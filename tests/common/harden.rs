//! What the crash, fault and hostile-text tests share: a seeded random source, the screen
//! read row by row, waits that do not mistake a half-drawn frame for a whole one, and a
//! small file system to fill up.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::predict::corpus_text;
use super::pty::{Home, TIMEOUT, Terminal};

/// A small seeded random source (SplitMix64): the same seed gives the same test.
pub struct Rng(u64);

impl Rng {
    /// The source for `seed`, or for `STANCE_TEST_SEED` when it is set (to replay a failure).
    pub fn new(seed: u64) -> Rng {
        let seed = std::env::var("STANCE_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(seed);
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The screen's rows as text.
pub fn rows(term: &Terminal) -> Vec<String> {
    term.with(|parser| parser.screen().rows(0, u16::MAX).collect())
}

/// Waits until `done` holds for the rows and the screen has stopped changing for `quiet`
/// (a frame arrives in pieces; the rows of a frame still being drawn are not all new).
pub fn wait_settled(
    term: &Terminal,
    what: &str,
    quiet: Duration,
    done: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    let start = Instant::now();
    let mut last: Option<(Vec<String>, Instant)> = None;
    loop {
        let now = rows(term);
        if done(&now) {
            match &last {
                Some((seen, since)) if *seen == now && since.elapsed() >= quiet => return now,
                Some((seen, _)) if *seen == now => {}
                _ => last = Some((now, Instant::now())),
            }
        } else {
            last = None;
        }
        if start.elapsed() > TIMEOUT {
            panic!(
                "timed out waiting for {what}; the screen was:\n{}",
                rows(term).join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(3));
    }
}

/// A tmpfs of a few kilobytes mounted on a folder for one test, unmounted when dropped.
pub struct SmallDisk {
    /// The mount point.
    pub path: PathBuf,
}

impl SmallDisk {
    /// Mounts a tmpfs of `kib` KiB on `path` (created); `None` when this process may not
    /// mount (not root, or a container that forbids it).
    pub fn mount(path: &Path, kib: u32) -> Option<SmallDisk> {
        std::fs::create_dir_all(path).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then(|| SmallDisk {
            path: path.to_owned(),
        })
    }

    /// Remounts read-only (no file may be open for writing on it).
    pub fn make_read_only(&self) {
        self.remount("ro");
    }

    /// Remounts read-write again.
    pub fn make_writable(&self) {
        self.remount("rw");
    }

    fn remount(&self, mode: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.path)
            .status()
            .expect("run mount");
        assert!(status.success(), "remount {} {mode}", self.path.display());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Whether this process runs as root (which ignores permission bits).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Sets process `pid`'s file-size limit (`RLIMIT_FSIZE`), as `prlimit --fsize` does.
pub fn limit_file_size(pid: u32, bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: a plain syscall on another process's limits; the pointers outlive the call.
    let done = unsafe {
        libc::prlimit(
            pid as libc::pid_t,
            libc::RLIMIT_FSIZE,
            &limit,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(
        done,
        0,
        "prlimit {pid}: {}",
        std::io::Error::last_os_error()
    );
}

/// Writes zeros to `path` until the file system refuses; returns the path.
pub fn fill(path: &Path) -> PathBuf {
    use std::io::Write;
    let mut file = std::fs::File::create(path).expect("create the filler");
    let block = [0u8; 512];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
    path.to_owned()
}

/// Sets this process's own file-size limit (`RLIMIT_FSIZE`) to `bytes`, ignoring SIGXFSZ so
/// a write past it fails instead of killing the test.
pub fn set_file_size_limit(bytes: libc::rlim_t) {
    // SAFETY: plain syscalls on this process's own limits and signal disposition.
    unsafe {
        // Without this the kernel kills the process (SIGXFSZ) instead of failing the write.
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit), 0);
        limit.rlim_cur = bytes.min(limit.rlim_max);
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
}

/// Runs `program ARGS` as the other process, and checks that it succeeded.
pub fn outside(program: &str, args: &[&str]) {
    let status = std::process::Command::new(program)
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "{program} {args:?}: {status}");
}

/// A session on a five-sentence corpus whose store is `disk/labels.jsonl` under `home`, with
/// one decision made and shown saved; returns it and the journal's path.
pub fn session_with_one_saved_decision(home: &Home) -> (Terminal, PathBuf) {
    let corpus = home.write("news.jsonl", &corpus_text(1, 5));
    std::fs::create_dir_all(home.dir.path().join("disk")).unwrap();
    let labels = home.dir.path().join("disk/labels.jsonl");
    let corpus = corpus.to_str().unwrap();
    let args = ["annotate", corpus, "--labels", "disk/labels.jsonl"];
    let mut term = Terminal::spawn(home, &args, 200, 30);
    term.wait_for("sentence 1/5");
    term.send("1");
    term.wait_for(" saved");
    (term, labels)
}
