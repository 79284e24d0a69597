//! A corpus on standard input (`-`) can be annotated: the keys come from the terminal
//! device. Without a terminal, the error names the subcommand that was run.

use crate::common;

use common::pty::{Home, Terminal, journal};

#[test]
fn without_a_terminal_the_error_names_review_or_annotate() {
    let home = Home::new();
    for command in ["review", "annotate"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
            .args([command, "-", "--labels", "labels.jsonl"])
            .current_dir(home.write("x", "").parent().unwrap())
            .env("STANCE_DATA_DIR", home.data_dir())
            .env("STANCE_CONFIG_DIR", home.config_dir())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, b"Talks resumed.").unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("stance {command} needs a terminal")),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn a_piped_article_is_annotated_with_keys_from_the_terminal() {
    let home = Home::new();
    let labels = home.labels().display().to_string();
    let script = format!(
        "printf 'Talks resumed in Geneva. Troops left the border.' | \"$0\" annotate - --labels '{labels}'"
    );
    let mut term = Terminal::spawn_program(
        &home,
        "sh",
        &["-c", &script, env!("CARGO_BIN_EXE_stance")],
        &[],
        80,
        24,
    );
    term.wait_for("sentence 1/2");
    term.send("1");
    term.wait_for("saved");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let lines = journal(&home.labels());
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["labels"], serde_json::json!(["diplomatic"]));
    assert_eq!(lines[0]["text"], "Talks resumed in Geneva.");
}
