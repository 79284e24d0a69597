//! The analyst recreating the label store from a running session after another process
//! removed it (`rm`) or moved another file over it (`mv`): the real binary in a
//! pseudo-terminal, the real journal, real processes for the other side; what is on disk
//! afterwards is read back.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::harden::{outside, session_with_one_saved_decision};
use common::pty::{Home, Terminal, journal};

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The files beside the journal that recreating kept.
fn replaced_files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| text(p).contains("labels.jsonl.replaced-"))
        .collect();
    found.sort();
    found
}

/// `(start, labels)` of each journal line, in file order.
fn lines(path: &Path) -> Vec<(u64, Vec<String>)> {
    journal(path)
        .iter()
        .map(|e| {
            let labels = e["labels"].as_array().unwrap();
            let labels = labels.iter().map(|l| l.as_str().unwrap().to_owned());
            (e["start"].as_u64().unwrap(), labels.collect())
        })
        .collect()
}

fn names(labels: &[&str]) -> Vec<String> {
    labels.iter().map(|l| (*l).to_owned()).collect()
}

/// One decision saved, then `other_process` takes the journal away, two decisions refused,
/// `R` `R`, and the session saves again. Returns the session (still running) and the home.
fn recreated_after(other_process: impl FnOnce(&Home, &Path), after: &str) -> (Terminal, Home) {
    let home = Home::new();
    let (mut term, labels) = session_with_one_saved_decision(&home);
    other_process(&home, &labels);

    term.send("j2");
    term.wait_for("NOT SAVED (1)");
    term.send("j3");
    term.wait_for("NOT SAVED (2)");
    term.wait_for(
        "label store disk/labels.jsonl was removed (or replaced) by another process: \
         this decision is not saved",
    );
    term.wait_for("press R to recreate the label store with every decision this session knows");

    term.send("R");
    term.wait_for("press R again to recreate the store with every decision this session knows");
    term.send("R");
    term.wait_for(after);
    term.wait_until("every decision saved", |s| {
        s.contains(" saved") && !s.contains("NOT SAVED") && !s.contains("saving")
    });
    assert!(!term.screen().contains("press R"), "the hint is gone");
    assert_eq!(
        lines(&labels),
        [
            (0, names(&["diplomatic"])),
            (47, names(&["sanctions"])),
            (94, names(&["military"])),
        ],
        "the saved decision, then the refused ones in the order made"
    );

    // Writing goes on at the path, and quit leaves without asking.
    term.send("j0");
    term.wait_for("sentence 5/5");
    term.wait_until("the next decision saved", |s| {
        s.contains(" saved") && !s.contains("saving")
    });
    assert_eq!(lines(&labels).last(), Some(&(141, names(&[]))));
    assert_eq!(lines(&labels).len(), 4);
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    (term, home)
}

#[test]
fn r_r_recreates_a_journal_removed_under_the_session_with_every_decision() {
    let (_, home) = recreated_after(
        |_, labels| outside("rm", &[text(labels)]),
        "label store recreated with every decision this session knows \
         (no file was left at the path)",
    );
    assert_eq!(
        replaced_files(&home.dir.path().join("disk")),
        Vec::<PathBuf>::new()
    );
}

#[test]
fn r_r_recreates_a_journal_another_file_was_moved_over_and_keeps_that_file_unchanged() {
    let other = "{\"v\":1,\"op\":\"set\",\"article\":\"wire-9\",\"start\":0,\"end\":4,\
                 \"fp\":\"0000000000000000\",\"labels\":[],\"annotator\":\"zoe\",\"ts\":1,\
                 \"origin\":\"typed\",\"text\":\"Zoe.\"}\nnot even a journal line\n";
    let (_, home) = recreated_after(
        |home, labels| {
            let moved = home.write("other.jsonl", other);
            outside("mv", &[text(&moved), text(labels)]);
        },
        "label store recreated; the file found at the path was kept as \
         disk/labels.jsonl.replaced-",
    );
    let kept = replaced_files(&home.dir.path().join("disk"));
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        fs::read_to_string(&kept[0]).unwrap(),
        other,
        "byte for byte"
    );
}
