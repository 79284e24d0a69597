//! Several annotator processes writing one PostgreSQL store at once, and sessions killed
//! at random moments: every decision lands exactly once, and every one a process was told
//! was saved is in the database.
//!
//! The writer processes are this test binary run again with `STANCE_PG_CHILD` set: they
//! run only `writer_process`, which in a normal run does nothing.

use crate::pg_support as support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use stance::store::{Decision, Origin, PgStore, Store};
use support::{count_events, fresh_store, server, with_store};

fn decision(annotator: &str, i: usize) -> Decision {
    let text = format!("Sentence {i} of {annotator}.");
    Decision {
        article: format!("{annotator}-{}", i / 20),
        start: (i % 20) * 100,
        end: (i % 20) * 100 + text.len(),
        text,
        labels: Some(vec![["diplomatic", "sanctions", "military"][i % 3].into()]),
        origin: Origin::Typed,
        annotator: annotator.into(),
        scores: None,
    }
}

/// The body of a writer process: `STANCE_PG_CHILD` = `address annotator count`; prints
/// `saved N` once decision N is committed.
#[test]
fn writer_process() {
    let Ok(job) = std::env::var("STANCE_PG_CHILD") else {
        return;
    };
    let mut parts = job.splitn(3, ' ');
    let (address, annotator, count) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap().parse::<usize>().unwrap(),
    );
    let mut store = PgStore::open_as(address, annotator).expect("the writer opens its store");
    let mut out = std::io::stdout().lock();
    for i in 0..count {
        store
            .append(&decision(annotator, i))
            .expect("the decision is saved");
        writeln!(out, "saved {i}").unwrap();
        out.flush().unwrap();
    }
}

fn spawn(address: &str, annotator: &str, count: usize) -> std::process::Child {
    let test = crate::common::test_path(module_path!(), "writer_process");
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            test.as_str(),
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("STANCE_PG_CHILD", format!("{address} {annotator} {count}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a writer process")
}

fn writers_at_once(test: &str, writers: usize, each: usize) {
    let Some(server) = server() else { return };
    let store = fresh_store(test);
    let address = with_store(&server.writer, &store);
    let children: Vec<_> = (0..writers)
        .map(|w| spawn(&address, &format!("w{w}"), each))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a writer process failed");
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(said.lines().filter(|l| l.contains("saved ")).count(), each);
    }
    assert_eq!(count_events(&server, &store) as usize, writers * each);
    let read = PgStore::open_read_only(&address).unwrap();
    let mut seen = std::collections::HashSet::new();
    for a in read.annotations() {
        assert!(seen.insert((a.annotator().to_owned(), a.article().to_owned(), a.start())));
    }
    assert_eq!(seen.len(), writers * each);
    for w in 0..writers {
        for i in [0, each / 2, each - 1] {
            let d = decision(&format!("w{w}"), i);
            assert!(seen.contains(&(d.annotator.clone(), d.article.clone(), d.start)));
        }
    }
}

#[test]
fn two_annotator_processes_write_2000_decisions_each_exactly_once() {
    writers_at_once("two", 2, 2000);
}

#[test]
fn eight_annotator_processes_write_2000_decisions_each_exactly_once() {
    writers_at_once("eight", 8, 2000);
}

#[test]
fn every_decision_a_killed_session_was_told_was_saved_is_in_the_database() {
    let Some(server) = server() else { return };
    let store = fresh_store("kill");
    let address = with_store(&server.writer, &store);
    // Different moments each run, from the clock; the failure message names the moment.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as usize;
    let mut told = Vec::new();
    for round in 0..3 {
        let stop_after = 20 + (seed / (round + 1)) % 300;
        let annotator = format!("k{round}");
        let mut child = spawn(&address, &annotator, 1_000_000);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut saved = Vec::new();
        while saved.len() < stop_after {
            let line = lines.next().expect("the writer goes on").unwrap();
            saved.push(line);
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // What it printed before the kill is still in the pipe.
        saved.extend(lines.map_while(Result::ok));
        told.push((annotator, stop_after, saved));
    }
    let read = PgStore::open_read_only(&address).unwrap();
    let have: std::collections::HashSet<(String, String, usize)> = read
        .annotations()
        .map(|a| (a.annotator().to_owned(), a.article().to_owned(), a.start()))
        .collect();
    for (annotator, stop_after, saved) in told {
        for line in saved.iter().filter(|l| l.starts_with("saved ")) {
            let i: usize = line["saved ".len()..].parse().unwrap();
            let d = decision(&annotator, i);
            assert!(
                have.contains(&(d.annotator, d.article, d.start)),
                "decision {i} of {annotator} was shown saved but is missing (killed after {stop_after})"
            );
        }
    }
}
