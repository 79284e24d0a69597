//! The real binary run to its end with a deadline, so a regression that blocks (a FIFO opened
//! for reading) fails the test instead of hanging the suite.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Far longer than any of these runs takes, even on a loaded machine.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// `stance ARGS` in `dir`, with the data and config folders under `dir` and standard input
/// empty, ready for more settings.
pub fn stance(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stance"));
    command
        .args(args)
        .current_dir(dir)
        .env("STANCE_DATA_DIR", dir.join("data"))
        .env("STANCE_CONFIG_DIR", dir.join("config"));
    command
}

/// Runs `command` to its end and returns what it wrote; kills it and fails the test when it
/// has not ended by [`DEADLINE`].
pub fn output(command: &mut Command) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the stance binary runs");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes)
                .expect("read the child's output");
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for stance") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} had not ended after {DEADLINE:?}: it blocks");
        }
        thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}
