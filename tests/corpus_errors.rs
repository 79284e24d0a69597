//! Bad input, through the real binary: a one-line error naming the place and exit code 1,
//! or a warning when nothing is lost.

use std::fs;
use std::path::Path;
use std::process::Command;

/// Runs `stance stats ARGS` in `dir`: exit code, standard output, standard error.
fn stats(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_stance"))
        .arg("stats")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the stance binary runs");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("output is UTF-8");
    (
        output.status.code().expect("exited"),
        text(output.stdout),
        text(output.stderr),
    )
}

/// Asserts a failure with one line on stderr that holds every piece of `expected`.
fn assert_error(dir: &Path, args: &[&str], expected: &[&str]) {
    let (code, stdout, stderr) = stats(dir, args);
    assert_eq!(code, 1, "stderr: {stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("stance: ") && stderr.lines().count() == 1,
        "not one line: {stderr:?}"
    );
    for piece in expected {
        assert!(stderr.contains(piece), "{stderr:?} lacks {piece:?}");
    }
}

#[test]
fn missing_path() {
    let dir = tempfile::tempdir().unwrap();
    assert_error(
        dir.path(),
        &["nowhere.csv"],
        &["stance: nowhere.csv: no such file or folder"],
    );
}

#[test]
fn folder_without_supported_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("news/deeper")).unwrap();
    fs::write(dir.path().join("news/notes.md"), "# notes").unwrap();
    assert_error(
        dir.path(),
        &["news"],
        &["news: no .txt, .jsonl, .ndjson, .json, .csv, .tsv files"],
    );
}

#[test]
fn unsupported_extension() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.md"), "Talks resumed.").unwrap();
    assert_error(
        dir.path(),
        &["notes.md"],
        &["notes.md: unsupported file type", ".csv"],
    );
}

#[test]
fn empty_files_of_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["e.txt", "e.jsonl", "e.csv", "e.json"] {
        fs::write(dir.path().join(name), "").unwrap();
        assert_error(
            dir.path(),
            &[name],
            &[&format!("stance: {name}: the file is empty")],
        );
    }
    for name in ["blank.txt", "blank.json"] {
        fs::write(dir.path().join(name), " \n\t\n").unwrap();
        assert_error(
            dir.path(),
            &[name],
            &[&format!("stance: {name}: the file is empty")],
        );
    }
    fs::write(dir.path().join("header.csv"), "title,text\n").unwrap();
    assert_error(dir.path(), &["header.csv"], &["header.csv: no articles"]);
}

#[test]
fn nul_bytes_mean_a_binary_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("image.txt"), b"GIF89a\x01\x00\x01\x00").unwrap();
    assert_error(
        dir.path(),
        &["image.txt"],
        &["image.txt: NUL byte at byte 7", "not a UTF-8 text file"],
    );
    let utf16: Vec<u8> = "text\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(dir.path().join("wide.csv"), utf16).unwrap();
    assert_error(
        dir.path(),
        &["wide.csv"],
        &["wide.csv: NUL byte at byte 1", "UTF-16"],
    );
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning_naming_the_first_offset() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("latin1.txt"),
        b"Talks in Z\xfcrich resumed. Envoys met in K\xf6ln.",
    )
    .unwrap();
    let (code, stdout, stderr) = stats(dir.path(), &["latin1.txt", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "stance: warning: latin1.txt: invalid UTF-8 at byte 10 (2 places in all), shown as U+FFFD\n"
    );
    assert!(stdout.contains("\"articles\":1"), "{stdout}");

    fs::write(
        dir.path().join("rows.csv"),
        b"title,text\nA,Caf\xe9 talks.\n",
    )
    .unwrap();
    let (code, _, stderr) = stats(dir.path(), &["rows.csv"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("rows.csv: invalid UTF-8 at byte 16,"),
        "{stderr}"
    );
}

#[test]
fn csv_without_the_text_column_lists_the_columns_found() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("news.csv"),
        "title,body,date\nTalks,Envoys met.,2017\n",
    )
    .unwrap();
    assert_error(
        dir.path(),
        &["news.csv"],
        &[
            "news.csv: no column \"text\"; columns found: \"title\", \"body\", \"date\"",
            "--text-field",
        ],
    );
    let (code, stdout, _) = stats(dir.path(), &["news.csv", "--text-field", "body"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("articles   1"), "{stdout}");
}

#[test]
fn csv_row_with_wrong_field_count_names_its_line_and_can_be_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("news.csv"),
        "title,text\nA,\"One.\nTwo.\"\nB,Three.,extra\nC,Four.\n",
    )
    .unwrap();
    assert_error(
        dir.path(),
        &["news.csv"],
        &["news.csv:line 4 (row 2): 3 fields where the header has 2"],
    );
    let (code, stdout, stderr) = stats(dir.path(), &["news.csv", "--skip-bad", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"articles\":2"), "{stdout}");
    assert!(stderr.contains("news.csv: skipped 1 bad entry"), "{stderr}");
}

#[test]
fn jsonl_bad_lines_name_the_line_and_skip_bad_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let lines = "{\"text\": \"One.\"}\n{\"text\": \"Two.\"\n{\"title\": \"no text\"}\n[1, 2]\n{\"text\": 7}\n{\"text\": \"Six.\"}\n";
    fs::write(dir.path().join("wire.jsonl"), lines).unwrap();
    assert_error(
        dir.path(),
        &["wire.jsonl"],
        &["wire.jsonl:line 2: not valid JSON", "--skip-bad"],
    );

    let (code, stdout, stderr) = stats(dir.path(), &["wire.jsonl", "--skip-bad", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"articles\":2"), "{stdout}");
    assert!(
        stderr.contains("wire.jsonl: skipped 4 bad entries; the first: wire.jsonl:line 2"),
        "{stderr}"
    );

    fs::write(
        dir.path().join("short.jsonl"),
        "{\"text\": \"One.\"}\n{\"title\": \"no text\"}\n",
    )
    .unwrap();
    assert_error(
        dir.path(),
        &["short.jsonl"],
        &[
            "short.jsonl:line 2: no field \"text\" (its fields: \"title\"; --text-field names another)",
        ],
    );
    fs::write(dir.path().join("typed.jsonl"), "{\"text\": [\"One.\"]}\n").unwrap();
    assert_error(
        dir.path(),
        &["typed.jsonl"],
        &["typed.jsonl:line 1: field \"text\" is an array"],
    );
}

#[test]
fn every_line_skipped_is_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("junk.jsonl"), "not json\nnor this\n").unwrap();
    assert_error(
        dir.path(),
        &["junk.jsonl", "--skip-bad"],
        &["junk.jsonl: no articles left after skipping 2"],
    );
}

#[test]
fn json_array_errors_name_the_item_or_the_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("items.json"),
        "[{\"text\": \"One.\"}, {\"body\": \"x\"}]",
    )
    .unwrap();
    assert_error(
        dir.path(),
        &["items.json"],
        &["items.json:item 2: no field \"text\""],
    );
    fs::write(
        dir.path().join("broken.json"),
        "[\n{\"text\": \"One.\"},\n{\"text\": }\n]",
    )
    .unwrap();
    assert_error(
        dir.path(),
        &["broken.json"],
        &["broken.json:line 3: not valid JSON"],
    );
    fs::write(dir.path().join("scalar.json"), "\"just a string\"").unwrap();
    assert_error(
        dir.path(),
        &["scalar.json"],
        &["scalar.json:line 1", "a JSON array of objects"],
    );
}

#[test]
fn duplicate_ids_name_both_places() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.jsonl"),
        "{\"id\": \"reu-7\", \"text\": \"One.\"}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("b.csv"),
        "id,text\nreu-1,Two.\nreu-7,Three.\n",
    )
    .unwrap();
    assert_error(
        dir.path(),
        &["a.jsonl", "b.csv"],
        &["duplicate article id \"reu-7\": a.jsonl:line 1 and b.csv:line 3"],
    );
    fs::write(dir.path().join("c.txt"), "Four.").unwrap();
    fs::write(
        dir.path().join("d.jsonl"),
        "{\"id\": \"c.txt\", \"text\": \"Five.\"}\n",
    )
    .unwrap();
    assert_error(
        dir.path(),
        &["c.txt", "d.jsonl"],
        &["duplicate article id \"c.txt\": c.txt and d.jsonl:line 1"],
    );
}

#[test]
fn the_same_file_twice_is_one_corpus_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("c.txt"), "Four.").unwrap();
    let (code, stdout, stderr) = stats(dir.path(), &["c.txt", "c.txt", "--labels", "l.jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("articles   1\n"), "{stdout}");
    assert_eq!(
        stderr,
        "stance: warning: an article id repeats with the same text, kept once: \
         id \"c.txt\" at c.txt and c.txt\n"
    );
}

#[test]
fn id_field_missing_is_an_error_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.jsonl"),
        "{\"slug\": \"s\", \"text\": \"One.\"}\n{\"text\": \"Two.\"}\n",
    )
    .unwrap();
    assert_error(
        dir.path(),
        &["a.jsonl", "--id-field", "slug"],
        &["stance: a.jsonl:line 2: no field \"slug\" (named by --id-field)"],
    );
    fs::write(dir.path().join("b.csv"), "text,subject\nOne.,world\n").unwrap();
    assert_error(
        dir.path(),
        &["b.csv", "--id-field", "slug"],
        &[
            "stance: b.csv: no column \"slug\" (named by --id-field); columns found: \"text\", \"subject\"",
        ],
    );
}

#[test]
fn untrusted_text_cannot_break_the_one_line_message() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("evil.csv"),
        "\"ti\ntle\u{1b}[2J\",body\nx,y\n",
    )
    .unwrap();
    assert_error(dir.path(), &["evil.csv"], &["\"ti\\ntle\\u{1b}[2J\""]);
}
