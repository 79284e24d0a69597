//! PostgreSQL store speed, against a server with `fsync` and `synchronous_commit` on:
//! one keystroke's decision appended until its commit returned (alone, through the
//! session's store worker, and with seven other writers appending to the same store at
//! once), opening a store of 1,000,000 events against the same lines as a journal file, and
//! `stance export --format jsonl` of its 1,000,000 sentences from either.
//!
//! The bench starts its own server with `tests/pg/start.sh` (`STANCE_TEST_PG_FSYNC=on`, port
//! 55443 or the next free one) and stops it at the end; with `STANCE_TEST_PG_WRITER` set
//! (and `STANCE_TEST_PG`, as start.sh prints them) it uses that server instead and says what
//! its `fsync` is. Criterion reports means; the medians and worst cases of single appends are
//! printed on stderr (`append latency …`), from every append timed during the run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use stance::app::Action;
use stance::store::pg::{Row, encode};
use stance::store::{Decision, Event, LabelStore, Origin, PgStore, Store};
use stance::terminal::worker::StoreWorker;

const ARTICLES: usize = 40_000;
const SENTENCES: usize = 25;
const LABELS: [&str; 3] = ["diplomatic", "sanctions", "military"];
const VERBS: [&str; 5] = ["said", "agreed", "denied", "warned", "reported"];
/// Rows sent in one INSERT while the big store is filled.
const LOAD_BATCH: usize = 20_000;
/// Writers of the concurrent case, the measured one included.
const WRITERS: usize = 8;

/// The server the bench talks to; stopped on drop when the bench started it.
struct Server {
    writer: String,
    /// The cluster folder and tests/pg/ctl.sh, when this bench started the server.
    started: Option<(PathBuf, PathBuf)>,
}

impl Server {
    fn get() -> Server {
        if let Ok(writer) = std::env::var("STANCE_TEST_PG_WRITER") {
            return Server {
                writer,
                started: None,
            };
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pg");
        let dir = std::env::temp_dir().join(format!("stance-bench-pg-{}", std::process::id()));
        let out = Command::new(root.join("start.sh"))
            .arg(&dir)
            .arg("55443")
            .env("STANCE_TEST_PG_FSYNC", "on")
            .output()
            .expect("run tests/pg/start.sh");
        assert!(
            out.status.success(),
            "tests/pg/start.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed = String::from_utf8(out.stdout).expect("start.sh prints text");
        let writer = printed
            .lines()
            .find_map(|l| l.strip_prefix("export STANCE_TEST_PG_WRITER='"))
            .and_then(|l| l.strip_suffix('\''))
            .expect("start.sh prints STANCE_TEST_PG_WRITER")
            .to_owned();
        Server {
            writer,
            started: Some((dir, root.join("ctl.sh"))),
        }
    }

    /// The writer's address for the store `name`.
    fn store(&self, name: &str) -> String {
        format!("{}?store={name}", self.writer)
    }

    fn sql(&self) -> postgres::Client {
        postgres::Client::connect(&self.writer, postgres::NoTls).expect("the writer connects")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some((dir, ctl)) = &self.started {
            let _ = Command::new(ctl).arg(dir).arg("stop").status();
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Appends timed one by one, for the median and the worst case criterion does not give.
#[derive(Default)]
struct Latencies(Mutex<Vec<Duration>>);

impl Latencies {
    fn add(&self, took: Duration) {
        self.0.lock().expect("no panic while held").push(took);
    }

    fn report(&self, what: &str) {
        let mut all = self.0.lock().expect("no panic while held").clone();
        all.sort();
        if all.is_empty() {
            return;
        }
        let at = |q: f64| all[((all.len() - 1) as f64 * q) as usize];
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        eprintln!(
            "append latency, {what}: {} appends, median {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, \
             p99.9 {:.3} ms, worst {:.3} ms",
            all.len(),
            ms(at(0.5)),
            ms(at(0.9)),
            ms(at(0.99)),
            ms(at(0.999)),
            ms(all[all.len() - 1]),
        );
    }
}

/// The `n`-th decision of `annotator`: a new sentence each time, as a session going on.
fn decision(annotator: &str, n: u64) -> Decision {
    let text = format!("Sentence {n} of the wire story, as the annotator saw it.");
    Decision {
        article: format!("{annotator}-{}", n / 25),
        start: (n % 25) as usize * 100,
        end: (n % 25) as usize * 100 + text.len(),
        text,
        labels: Some(vec![LABELS[n as usize % 3].into()]),
        origin: Origin::Typed,
        annotator: annotator.into(),
        scores: None,
    }
}

/// Writes `corpus.jsonl` (1,000,000 sentences) and `labels.jsonl` (one decision by `ana` on
/// each) into `dir`; returns the journal's lines as the rows of a PostgreSQL store.
fn write_files(dir: &Path) -> Vec<Row> {
    let (mut corpus, mut journal) = (String::new(), String::new());
    let mut rows = Vec::with_capacity(ARTICLES * SENTENCES);
    let mut seed = 11u64;
    for a in 0..ARTICLES {
        let sentences: Vec<String> = (0..SENTENCES)
            .map(|s| {
                format!(
                    "Officials in region {a} {} on Monday that talks number {s} would resume \
                     next week, \"firmly\" in Zürich.",
                    VERBS[(a + s) % VERBS.len()]
                )
            })
            .collect();
        let id = format!("wire-{a:06}");
        let _ = writeln!(
            corpus,
            "{}",
            serde_json::json!({"id": id, "title": format!("Talks {a}"), "text": sentences.join(" ")})
        );
        let mut start = 0;
        for sentence in &sentences {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let labels = (0..3)
                .filter(|l| (seed >> (33 + l)) & 1 == 1)
                .map(|l| LABELS[l]);
            let ts = 1_700_000_000_000 + rows.len() as u64;
            let line = encode(&Event::set(&id, start, sentence, labels, "ana", ts));
            journal.push_str(&line);
            journal.push('\n');
            rows.push((
                format!("load-{}", rows.len()),
                "ana".into(),
                id.clone(),
                line,
            ));
            start += sentence.len() + 1;
        }
    }
    std::fs::write(dir.join("corpus.jsonl"), corpus).expect("write the corpus");
    std::fs::write(dir.join("labels.jsonl"), journal).expect("write the journal");
    rows
}

/// `stance export` of the corpus from `labels` into `out`, which must succeed.
fn export(dir: &Path, labels: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_stance"))
        .env("STANCE_DATA_DIR", dir.join("data"))
        .env("STANCE_CONFIG_DIR", dir.join("config"))
        .arg("export")
        .arg(dir.join("corpus.jsonl"))
        .args(["--labels", labels, "--format", "jsonl", "--out"])
        .arg(out)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run stance export");
    assert!(status.success(), "stance export from {labels} failed");
}

/// Appends `decision(annotator, n)` for n = 1, 2, … back to back until `stop`; returns how
/// many were saved.
fn writer(
    address: String,
    annotator: String,
    stop: Arc<AtomicBool>,
    latencies: Arc<Latencies>,
) -> std::thread::JoinHandle<u64> {
    let mut store = PgStore::open_as(&address, &annotator).expect("a writer opens the store");
    std::thread::spawn(move || {
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            n += 1;
            let began = Instant::now();
            store.append(&decision(&annotator, n)).expect("saved");
            latencies.add(began.elapsed());
        }
        n
    })
}

fn append(c: &mut Criterion, server: &Server, run: &str) {
    let mut group = c.benchmark_group("pg_append");
    group.measurement_time(Duration::from_secs(5));

    // The server's own floor, with no store around: a round trip, and a one-row INSERT
    // committed (its WAL synced) on a bare table.
    let mut sql = server.sql();
    let floor = format!("{run}_floor");
    sql.batch_execute(&format!("CREATE TABLE {floor} (n bigint)"))
        .unwrap();
    let select = sql.prepare("SELECT 1").unwrap();
    group.bench_function("round_trip_only", |b| {
        b.iter(|| sql.query_one(&select, &[]).unwrap());
    });
    let insert = sql
        .prepare(&format!("INSERT INTO {floor} VALUES ($1)"))
        .unwrap();
    let mut n = 0i64;
    group.bench_function("insert_and_commit_only", |b| {
        b.iter(|| {
            n += 1;
            sql.execute(&insert, &[&n]).unwrap()
        });
    });
    sql.batch_execute(&format!("DROP TABLE {floor}")).unwrap();

    let alone = Latencies::default();
    let mut store = PgStore::open_as(&server.store(&format!("{run}_alone")), "alice").unwrap();
    let mut n = 0;
    group.bench_function(BenchmarkId::new("one_writer", 1), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let one = decision("alice", n);
                let began = Instant::now();
                store.append(&one).unwrap();
                let took = began.elapsed();
                alone.add(took);
                total += took;
            }
            total
        });
    });
    drop(store);
    alone.report("one writer, PgStore::append");

    // What a keystroke waits for in the session: the decision handed to the store worker,
    // committed there, and `Saved` heard back.
    let (reports, heard) = std::sync::mpsc::channel();
    let dir = tempfile::tempdir().unwrap();
    let store = PgStore::open_as(&server.store(&format!("{run}_worker")), "alice").unwrap();
    let worker = StoreWorker::spawn(
        Box::new(store),
        dir.path().join("position.json"),
        "alice".into(),
        reports,
    );
    let through = Latencies::default();
    let mut seq = 0;
    group.bench_function(BenchmarkId::new("through_the_store_worker", 1), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                seq += 1;
                let one = decision("alice", seq);
                let began = Instant::now();
                worker.save(seq, one);
                loop {
                    match heard.recv().unwrap() {
                        Action::Saved(n) if n == seq => break,
                        Action::SaveFailed { reason, .. } => panic!("{reason}"),
                        _ => {}
                    }
                }
                let took = began.elapsed();
                through.add(took);
                total += took;
            }
            total
        });
    });
    worker.finish();
    through.report("one writer, through the store worker");

    // Eight writers: this one, measured by criterion, and seven appending back to back.
    let name = format!("{run}_eight");
    let address = server.store(&name);
    let stop = Arc::new(AtomicBool::new(false));
    let others_latency = Arc::new(Latencies::default());
    let began = Instant::now();
    let others: Vec<_> = (1..WRITERS)
        .map(|w| {
            writer(
                address.clone(),
                format!("w{w}"),
                Arc::clone(&stop),
                Arc::clone(&others_latency),
            )
        })
        .collect();
    let mut store = PgStore::open_as(&address, "w0").unwrap();
    let measured = Latencies::default();
    let mut n = 0;
    group.bench_function(BenchmarkId::new("eight_writers", WRITERS), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let one = decision("w0", n);
                let at = Instant::now();
                store.append(&one).unwrap();
                let took = at.elapsed();
                measured.add(took);
                total += took;
            }
            total
        });
    });
    stop.store(true, Ordering::Relaxed);
    let mut saved: Vec<u64> = vec![n];
    saved.extend(others.into_iter().map(|w| w.join().unwrap()));
    let elapsed = began.elapsed();
    drop(store);
    let total: u64 = saved.iter().sum();
    eprintln!(
        "eight writers: {total} decisions in {:.1} s, {:.0} commits a second; each saved {saved:?}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    measured.report("eight writers, the measured one");
    others_latency.report("eight writers, the seven others");
    // Every decision present exactly once: one row each, and each sentence annotated.
    let mut sql = server.sql();
    let read = PgStore::open_read_only(&address).unwrap();
    for (w, &count) in saved.iter().enumerate() {
        let who = format!("w{w}");
        let rows: i64 = sql
            .query_one(
                "SELECT count(*) FROM stance_events WHERE store = $1 AND annotator = $2",
                &[&name, &who],
            )
            .unwrap()
            .get(0);
        let annotated = read
            .annotations_iter()
            .filter(|a| a.annotator() == who)
            .count();
        assert_eq!(
            (rows, annotated),
            (count as i64, count as usize),
            "{who}'s decisions"
        );
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    let server = Server::get();
    let mut sql = server.sql();
    let setting = |sql: &mut postgres::Client, name: &str| -> String {
        sql.query_one(&format!("SHOW {name}"), &[]).unwrap().get(0)
    };
    let (fsync, commit) = (
        setting(&mut sql, "fsync"),
        setting(&mut sql, "synchronous_commit"),
    );
    eprintln!("server: fsync = {fsync}, synchronous_commit = {commit}");
    if server.started.is_some() {
        assert_eq!((fsync.as_str(), commit.as_str()), ("on", "on"));
    }
    let run = format!("bench_{}", std::process::id());

    append(c, &server, &run);

    let dir = tempfile::tempdir().unwrap();
    let began = Instant::now();
    let rows = write_files(dir.path());
    let journal = dir.path().join("labels.jsonl");
    eprintln!(
        "files: {} events, journal {} MB, written in {:.1} s",
        rows.len(),
        std::fs::metadata(&journal).unwrap().len() / 1_000_000,
        began.elapsed().as_secs_f64()
    );
    let big = format!("{run}_big");
    let address = server.store(&big);
    let began = Instant::now();
    let mut loader = PgStore::open_as(&address, "loader").unwrap();
    let mut rows = rows.into_iter();
    loop {
        let batch: Vec<Row> = rows.by_ref().take(LOAD_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        loader.insert(batch).unwrap();
    }
    drop(loader);
    sql.batch_execute("VACUUM ANALYZE stance_events").unwrap();
    eprintln!(
        "PostgreSQL store filled in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    let opened = PgStore::open_read_only(&address).unwrap();
    let from_journal = LabelStore::open_read_only(&journal).unwrap();
    assert!(opened.last_seq() > 0, "the store was read");
    assert_eq!(
        opened.annotations_iter().count(),
        from_journal.annotations().count(),
        "the store and the journal hold the same annotations"
    );
    drop((opened, from_journal));

    let mut open = c.benchmark_group("open_1m");
    open.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(20));
    open.bench_function("journal_read_only", |b| {
        b.iter_with_large_drop(|| LabelStore::open_read_only(&journal).unwrap());
    });
    open.bench_function("pg_read_only", |b| {
        b.iter_with_large_drop(|| PgStore::open_read_only(&address).unwrap());
    });
    // A new annotator each time: the lock of the one before may not be released yet.
    let mut session = 0;
    open.bench_function("pg_writer", |b| {
        b.iter_with_large_drop(|| {
            session += 1;
            PgStore::open_as(&address, &format!("reader-{session}")).unwrap()
        });
    });
    open.finish();

    let journal_out = dir.path().join("from-journal.jsonl");
    let pg_out = dir.path().join("from-pg.jsonl");
    export(dir.path(), journal.to_str().unwrap(), &journal_out);
    export(dir.path(), &address, &pg_out);
    let written = std::fs::read(&journal_out).unwrap();
    assert!(
        written == std::fs::read(&pg_out).unwrap(),
        "the exports from the journal and from PostgreSQL differ"
    );
    eprintln!(
        "export: {} sentences, {} MB",
        written.iter().filter(|&&b| b == b'\n').count(),
        written.len() / 1_000_000
    );
    drop(written);
    let mut group = c.benchmark_group("export_1m");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("journal", |b| {
        b.iter(|| export(dir.path(), journal.to_str().unwrap(), &journal_out))
    });
    group.bench_function("pg", |b| b.iter(|| export(dir.path(), &address, &pg_out)));
    group.finish();

    if server.started.is_none() {
        // Someone else's server: leave it as it was.
        sql.execute(
            "DELETE FROM stance_events WHERE store LIKE $1",
            &[&format!("{run}_%")],
        )
        .unwrap();
    }
}

criterion_group!(pg, bench);
criterion_main!(pg);
