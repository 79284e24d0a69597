//! Inputs that are not what they claim, through the real binary: FIFOs where files are
//! expected (each run has a deadline, so a read that blocks fails instead of hanging), a
//! label name too long to pad with a format width, schema keys that show as nothing, `;` in
//! a label name, and errors whose cause used to be printed twice.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::bounded::{output, stance};
use common::pty::{Home, Terminal};
use stance::store::Event;

const TEXT: &str = "Envoys met in Geneva. Sanctions were discussed.\n";

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn run(dir: &Path, args: &[&str]) -> Output {
    output(&mut stance(dir, args))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A folder with `news.txt` and an empty label store.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("news.txt"), TEXT).unwrap();
    fs::write(dir.path().join("labels.jsonl"), "").unwrap();
    dir
}

#[test]
fn a_fifo_as_the_label_store_is_refused_without_blocking() {
    let dir = corpus();
    mkfifo(&dir.path().join("fifo"));
    for args in [
        &["stats", "news.txt", "--labels", "fifo"][..],
        &["export", "news.txt", "--labels", "fifo", "--format", "csv"],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let message = stderr(&out);
        assert!(
            message.contains("fifo: not a regular file (a FIFO)"),
            "{args:?}: {message}"
        );
        assert_eq!(message.lines().count(), 1, "{message}");
    }
}

#[test]
fn a_session_on_a_fifo_as_the_label_store_is_refused_without_blocking() {
    let home = Home::new();
    home.write("news.txt", TEXT);
    mkfifo(&home.dir.path().join("fifo"));
    // A terminal, so the session gets as far as opening the store for writing.
    let mut term = Terminal::spawn(
        &home,
        &["annotate", "news.txt", "--labels", "fifo"],
        100,
        10,
    );
    assert_eq!(term.wait_exit(), 1);
    let screen = term.screen();
    assert!(
        screen.contains("cannot open label store fifo: not a regular file (a FIFO)"),
        "{screen}"
    );
}

#[test]
fn a_fifo_as_the_position_file_is_not_read_and_is_replaced_on_quit() {
    let home = Home::new();
    home.write("news.txt", TEXT);
    let position = home.dir.path().join("labels.position.json");
    mkfifo(&position);
    let mut term = Terminal::spawn(
        &home,
        &["annotate", "news.txt", "--labels", "labels.jsonl"],
        120,
        16,
    );
    term.wait_for("not a regular file (a FIFO); starting from the last decision");
    // A position is kept only once a decision exists.
    term.send("\r");
    term.wait_for("saved:");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let saved: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&position).unwrap()).unwrap();
    assert!(saved.get("alice").is_some(), "{saved}");
}

#[test]
fn a_fifo_as_a_corpus_argument_is_refused_without_blocking() {
    let dir = corpus();
    mkfifo(&dir.path().join("wire.txt"));
    let out = run(dir.path(), &["stats", "wire.txt"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        stderr(&out),
        "stance: wire.txt: not a regular file (a FIFO); name a file, a folder, or - for \
         standard input\n"
    );
}

#[test]
fn a_fifo_inside_a_corpus_folder_is_skipped_with_a_warning_naming_it() {
    let dir = corpus();
    let folder = dir.path().join("wire");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.txt"), TEXT).unwrap();
    mkfifo(&folder.join("b.txt"));
    let out = run(dir.path(), &["stats", "--json", "wire"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        stderr(&out),
        "stance: warning: wire/b.txt: skipped, not a regular file (a FIFO)\n"
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["articles"], 1, "only the regular file is read");
}

#[test]
fn a_fifo_as_config_toml_or_schema_is_not_read() {
    let dir = corpus();
    fs::create_dir(dir.path().join("config")).unwrap();
    mkfifo(&dir.path().join("config/config.toml"));
    // No terminal: the session does not start, but the config is read before that check.
    let out = run(
        dir.path(),
        &["annotate", "news.txt", "--labels", "labels.jsonl"],
    );
    let message = stderr(&out);
    assert!(
        message.contains("config.toml: not a regular file (a FIFO); using the default keys"),
        "{message}"
    );
    mkfifo(&dir.path().join("schema.toml"));
    let out = run(
        dir.path(),
        &["stats", "news.txt", "--schema", "schema.toml"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "stance: schema.toml: not a regular file (a FIFO)\n"
    );
}

#[test]
fn a_label_name_of_70_000_characters_exports_without_a_panic() {
    let dir = corpus();
    let long = "x".repeat(70_000);
    let schema = format!("[[labels]]\nname = \"{long}\"\nkey = \"1\"\ncolour = \"red\"\n");
    fs::write(dir.path().join("schema.toml"), schema).unwrap();
    let event = Event::set("news.txt", 0, "Envoys met in Geneva.", [&long], "alice", 1);
    let stray = Event::set(
        "news.txt",
        22,
        "Sanctions were discussed.",
        [&long[1..]],
        "alice",
        2,
    );
    let journal = format!(
        "{}\n{}\n",
        serde_json::to_string(&event).unwrap(),
        serde_json::to_string(&stray).unwrap()
    );
    fs::write(dir.path().join("labels.jsonl"), journal).unwrap();
    // The store has a label the schema lacks: accepted, so that the export reports it.
    let args = [
        "--labels",
        "labels.jsonl",
        "--schema",
        "schema.toml",
        "--schema-change",
    ];
    let mut export = vec!["export", "news.txt", "--format", "csv", "--out", "out.csv"];
    export.extend(args);
    let out = run(dir.path(), &export);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stderr(&out);
    assert!(
        report.starts_with("exported 1 sentences\n"),
        "{}",
        &report[..200]
    );
    // The label's count, right-aligned under its 70,000-character name.
    assert!(report.contains(&format!("{}1  ", " ".repeat(long.len() - 1))));
    assert!(
        report.contains(&format!("{} (1)", &long[1..])),
        "the label not in the schema"
    );
    let written = fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(written.contains(&long), "the export was committed");

    let mut stats = vec!["stats", "news.txt"];
    stats.extend(args);
    let out = run(dir.path(), &stats);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(&format!("  {long}  1\n")),
        "the label row is padded"
    );
}

#[test]
fn an_export_that_fails_leaves_no_new_file() {
    let dir = corpus();
    // Enough sentences that the output outgrows the write buffer before the commit.
    let text: String = (0..3000)
        .map(|i| format!("Sentence number {i} was read. "))
        .collect();
    fs::write(dir.path().join("news.txt"), text).unwrap();
    let mut command = stance(
        dir.path(),
        &[
            "export",
            "news.txt",
            "--labels",
            "labels.jsonl",
            "--format",
            "jsonl",
            "--include-unlabeled",
            "--out",
            "out.jsonl",
        ],
    );
    limit_file_size(&mut command, 4096);
    let out = output(&mut command);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let message = stderr(&out);
    assert_eq!(
        message, "stance: out.jsonl: cannot write the export: File too large (os error 27)\n",
        "one line, the cause once"
    );
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("out"))
        .collect();
    assert!(left.is_empty(), "no output and no temporary file: {left:?}");
}

/// Sets RLIMIT_FSIZE in the child before it runs stance, which ignores SIGXFSZ so that a
/// write past the limit fails with EFBIG.
fn limit_file_size(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is async-signal-safe and touches only the child's limits.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

fn schema_error(dir: &Path, labels: &str) -> String {
    fs::write(dir.join("schema.toml"), labels).unwrap();
    let out = run(dir, &["stats", "news.txt", "--schema", "schema.toml"]);
    assert_eq!(out.status.code(), Some(1), "{labels}: {out:?}");
    stderr(&out)
}

fn label(name: &str, key: &str) -> String {
    format!("[[labels]]\nname = \"{name}\"\nkey = \"{key}\"\ncolour = \"red\"\n")
}

#[test]
fn schema_keys_that_show_as_nothing_are_refused() {
    let dir = corpus();
    for (key, shown) in [
        ("\\u202E", "\\u{202e}"),
        ("\\u200B", "\\u{200b}"),
        ("\\u00AD", "\\u{ad}"),
        ("\\u2060", "\\u{2060}"),
        ("\\uFEFF", "\\u{feff}"),
        ("\\u0301", "\u{301}"),
        ("\\u3000", "\u{3000}"),
        ("\\u0007", "\\u{7}"),
    ] {
        let message = schema_error(dir.path(), &label("a", key));
        assert_eq!(
            message,
            format!(
                "stance: schema.toml: labels[1].key: \"{shown}\" is not one visible character\n"
            ),
            "key {key}"
        );
    }
    // Wide and accented keys are still keys.
    for key in ["é", "東", "ß"] {
        fs::write(dir.path().join("schema.toml"), label("a", key)).unwrap();
        let out = run(
            dir.path(),
            &["stats", "news.txt", "--schema", "schema.toml"],
        );
        assert!(out.status.success(), "key {key}: {}", stderr(&out));
    }
}

#[test]
fn a_semicolon_in_a_label_name_is_refused() {
    let dir = corpus();
    let schema = [label("a", "1"), label("b", "2"), label("a;b", "3")].concat();
    assert_eq!(
        schema_error(dir.path(), &schema),
        "stance: schema.toml: labels[3].name: \"a;b\" holds \";\", which joins label names in \
         the CSV export\n"
    );
}

#[test]
fn errors_say_their_cause_once() {
    let dir = corpus();
    fs::create_dir(dir.path().join("folder")).unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["stats", "news.txt", "--schema", "folder"],
            "stance: folder: Is a directory (os error 21)\n",
        ),
        (
            &["stats", "news.txt/"],
            "stance: news.txt/: Not a directory (os error 20)\n",
        ),
        (
            &[
                "export",
                "news.txt",
                "--labels",
                "labels.jsonl",
                "--format",
                "csv",
                "--out",
                "folder",
            ],
            "stance: folder: --out names a folder; name a file to write\n",
        ),
        (
            &[
                "export",
                "news.txt",
                "--labels",
                "labels.jsonl",
                "--format",
                "csv",
                "--out",
                "missing/out.csv",
            ],
            "stance: missing/out.csv: cannot create: No such file or directory (os error 2)\n",
        ),
    ];
    for (args, expected) in cases {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&out), expected, "{args:?}");
    }
    assert!(
        dir.path()
            .join("folder")
            .read_dir()
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn an_export_whose_report_cannot_be_printed_still_succeeds() {
    let dir = corpus();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = stance(
        dir.path(),
        &[
            "export",
            "news.txt",
            "--labels",
            "labels.jsonl",
            "--format",
            "csv",
            "--include-unlabeled",
            "--out",
            "out.csv",
        ],
    )
    .stderr(full)
    .status()
    .unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "the export is in place, so it succeeded"
    );
    let written = fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(written.contains("Envoys met in Geneva."), "{written}");
}
