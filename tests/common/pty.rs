//! The real `stance` binary in a pseudo-terminal, read back through a terminal emulator.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// How long to wait for text on the screen before failing.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// What the program asked of the terminal besides drawing.
#[derive(Default)]
pub struct Requests {
    /// Window titles it set.
    pub titles: Vec<Vec<u8>>,
    /// Bells it rang.
    pub bells: usize,
}

impl vt100::Callbacks for Requests {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
}

/// A temporary home for one test: data and config folders, and a label store path.
pub struct Home {
    /// Removed when the test ends.
    pub dir: tempfile::TempDir,
}

impl Home {
    /// A fresh, empty home.
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    /// `STANCE_DATA_DIR`.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    /// `STANCE_CONFIG_DIR`.
    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }
    /// The label store the tests pass with `--labels`.
    pub fn labels(&self) -> PathBuf {
        self.dir.path().join("labels.jsonl")
    }
    /// Writes a file under the home and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, text).expect("write file");
        path
    }
    /// Runs `stance ARGS` to the end (no terminal) with this home's folders.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
            .args(args)
            .current_dir(self.dir.path())
            .env("STANCE_DATA_DIR", self.data_dir())
            .env("STANCE_CONFIG_DIR", self.config_dir())
            .output()
            .expect("run stance")
    }
}

/// A running `stance` in a pseudo-terminal.
pub struct Terminal {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser<Requests>>>,
    pty: Box<dyn portable_pty::MasterPty + Send>,
    /// Set by the reader once the pseudo-terminal has closed and all output is on the screen.
    drained: Arc<std::sync::atomic::AtomicBool>,
}

impl Terminal {
    /// Starts `stance ARGS` at `cols` x `rows`, with the home's folders and user `alice`.
    pub fn spawn(home: &Home, args: &[&str], cols: u16, rows: u16) -> Terminal {
        Terminal::spawn_program(home, env!("CARGO_BIN_EXE_stance"), args, &[], cols, rows)
    }

    /// Starts `program ARGS` (stance, or a shell around it) as `spawn` does, with `env` added.
    pub fn spawn_program(
        home: &Home,
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Terminal {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(home.dir.path());
        cmd.env("STANCE_DATA_DIR", home.data_dir());
        cmd.env("STANCE_CONFIG_DIR", home.config_dir());
        cmd.env("USER", "alice");
        cmd.env("TERM", "xterm-256color");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn stance");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            NonZeroU16::new(rows).expect("rows"),
            NonZeroU16::new(cols).expect("cols"),
            0,
            Requests::default(),
        )));
        let sink = Arc::clone(&parser);
        let drained = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let done = Arc::clone(&drained);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => sink.lock().expect("parser").process(&buf[..n]),
                    // A signal to this test process is not the end of the program's output.
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
            done.store(true, std::sync::atomic::Ordering::Release);
        });
        Terminal {
            child,
            writer,
            parser,
            pty: pair.master,
            drained,
        }
    }

    /// Resizes the emulator, then the pseudo-terminal (the program gets SIGWINCH): in the
    /// other order, a redraw for the new size could be read at the old one and lost.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.lock().expect("parser").screen_mut().set_size(
            NonZeroU16::new(rows).expect("rows"),
            NonZeroU16::new(cols).expect("cols"),
        );
        self.pty
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pseudo-terminal");
    }

    /// Types these bytes (`"\r"` is Enter, `"\x1b"` Escape).
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Writes `bytes` straight onto the emulated screen, as another program sharing the
    /// terminal would: stance is not told.
    pub fn scribble(&self, bytes: &[u8]) {
        self.parser.lock().expect("parser").process(bytes);
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Runs `f` on the emulator (screen and recorded requests).
    pub fn with<R>(&self, f: impl FnOnce(&vt100::Parser<Requests>) -> R) -> R {
        f(&self.parser.lock().expect("parser"))
    }

    /// Waits until the screen shows `text`; fails with the screen when it does not in time.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on screen"), |screen| {
            screen.contains(text)
        })
    }

    /// Waits until `done` holds for the screen text; fails with the screen when it does not.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Pastes `text` as a terminal does: between the bracketed-paste markers when the
    /// program turned that mode on, else as bare keystrokes.
    pub fn paste(&mut self, text: &str) {
        if self.with(|p| p.screen().bracketed_paste()) {
            self.send(&format!("\x1b[200~{text}\x1b[201~"));
        } else {
            self.send(text);
        }
    }

    /// Whether the pseudo-terminal is in canonical mode and echoes, read through the master
    /// (on Linux it reports the terminal's own settings).
    pub fn canonical_and_echo(&self) -> (bool, bool) {
        let fd = self.pty.as_raw_fd().expect("the master's descriptor");
        // SAFETY: termios is plain data that tcgetattr fills in; fd stays open meanwhile.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        let done = unsafe { libc::tcgetattr(fd, &mut termios) };
        assert_eq!(done, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        (
            termios.c_lflag & libc::ICANON != 0,
            termios.c_lflag & libc::ECHO != 0,
        )
    }

    /// Waits for the program to end by itself; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        self.wait_status().exit_code()
    }

    /// Waits for the program to end by itself; how it ended (code or signal).
    pub fn wait_status(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.await_drained(start);
                return status;
            }
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("stance did not exit; the screen was:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the reader has put everything the ended program wrote on the screen: a
    /// program that prints its error and exits at once is reaped before that output is read.
    fn await_drained(&self, start: Instant) {
        while !self.drained.load(std::sync::atomic::Ordering::Acquire) {
            if start.elapsed() > TIMEOUT {
                panic!(
                    "the terminal stayed open after stance ended; the screen was:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("process id")
    }

    /// The program's exit code once it has ended by itself, without waiting.
    pub fn exit_code(&mut self) -> Option<u32> {
        self.child
            .try_wait()
            .expect("try_wait")
            .map(|s| s.exit_code())
    }

    /// Kills the program with SIGKILL, as a crash or power cut would stop it, and reaps it.
    pub fn kill_hard(&mut self) {
        let pid = self.child.process_id().expect("process id");
        let status = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -KILL {pid} failed");
        let _ = self.child.wait();
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The journal's events, one JSON value per line; a last line still being written (no
/// newline yet) is left out, so a test may read the journal while a session writes it.
pub fn journal(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_inclusive('\n')
        .filter_map(|l| l.strip_suffix('\n'))
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("journal line is JSON"))
        .collect()
}
