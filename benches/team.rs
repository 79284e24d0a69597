//! Several annotators on one store folder: one keystroke's decision, handed to the
//! session's store worker, appended to its annotator's journal and synced, until `Saved` is
//! heard back; with the session writing alone, and with two other annotators' sessions
//! writing the same folder at the same time (each its own journal, its own lock, its own
//! sync), while the measured session's worker also follows their journals for arrivals.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use stance::app::Action;
use stance::store::{Decision, FolderStore, Origin, Store};
use stance::terminal::worker::StoreWorker;

/// The `n`-th decision of `annotator`: a new sentence each time, as a session going on.
fn decision(annotator: &str, n: u64) -> Decision {
    let text = format!("Sentence {n} of the wire story, as the annotator saw it.");
    Decision {
        article: format!("wire-{}", n / 25),
        start: (n % 25) as usize * 100,
        end: (n % 25) as usize * 100 + text.len(),
        text,
        labels: Some(vec!["sanctions".into()]),
        origin: Origin::Typed,
        annotator: annotator.into(),
        scores: None,
    }
}

/// Another annotator's session: appends a decision every `pause` (none: back to back) until
/// told to stop; returns how many it saved.
fn other_writer(
    folder: &Path,
    annotator: &'static str,
    pause: Duration,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    let mut store = FolderStore::open_as(folder, annotator).unwrap();
    std::thread::spawn(move || {
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            n += 1;
            store.append(&decision(annotator, n)).unwrap();
            if !pause.is_zero() {
                std::thread::sleep(pause);
            }
        }
        n
    })
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("team_append");
    group.measurement_time(Duration::from_secs(5));
    // (label, other writers, their pause between decisions)
    let cases: [(&str, usize, Duration); 3] = [
        ("one_writer", 0, Duration::ZERO),
        (
            "three_writers_others_every_10ms",
            2,
            Duration::from_millis(10),
        ),
        ("three_writers_others_back_to_back", 2, Duration::ZERO),
    ];
    for (name, others, pause) in cases {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("team");
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = ["bob", "carol"][..others]
            .iter()
            .map(|who| other_writer(&folder, who, pause, Arc::clone(&stop)))
            .collect();
        let (reports, heard) = std::sync::mpsc::channel();
        let worker = StoreWorker::spawn(
            Box::new(FolderStore::open_as(&folder, "alice").unwrap()),
            dir.path().join("team.position.json"),
            "alice".into(),
            reports,
        );
        let mut seq = 0;
        group.bench_function(BenchmarkId::new(name, others + 1), |b| {
            b.iter(|| {
                seq += 1;
                worker.save(seq, decision("alice", seq));
                loop {
                    match heard.recv().unwrap() {
                        Action::Saved(n) if n == seq => break,
                        Action::SaveFailed { reason, .. } => panic!("{reason}"),
                        _ => {}
                    }
                }
            });
        });
        worker.finish();
        stop.store(true, Ordering::Relaxed);
        let saved: Vec<u64> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        eprintln!("{name}: the other writers saved {saved:?} decisions meanwhile");
    }
    group.finish();
}

criterion_group!(team, benches);
criterion_main!(team);
