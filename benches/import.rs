//! `stance import` as a whole process (the release binary): a corpus of 40,000 articles of 25
//! sentences (about 90 MB of JSONL) and 1,000,000 annotations to import, as stance's own
//! `jsonl` export (article id and offsets) and as a doccano export (text only, so every
//! annotation is looked for in the whole corpus). Target: at most 3 s into an empty store.
//! The third case imports the jsonl file again into the store the first one filled, where
//! every annotation is "already there" and nothing is written.
//!
//! With `STANCE_BENCH_KEEP=DIR` the files are written to DIR and kept, so the binary can be
//! timed or profiled on them:
//! `time target/release/stance import DIR/corpus.jsonl --from DIR/export.jsonl --format jsonl --labels DIR/n.jsonl`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};

const ARTICLES: usize = 40_000;
const SENTENCES: usize = 25;
const LABELS: [&str; 3] = ["diplomatic", "sanctions", "military"];
const VERBS: [&str; 5] = ["said", "agreed", "denied", "warned", "reported"];

/// Writes `corpus.jsonl`, `export.jsonl` (stance's jsonl export of one annotation per
/// sentence by `ana`) and `export.doccano.jsonl` (the same labels by text only) into `dir`.
fn write_files(dir: &Path) {
    let (mut corpus, mut jsonl, mut doccano) = (String::new(), String::new(), String::new());
    let mut seed = 11u64;
    for a in 0..ARTICLES {
        let sentences: Vec<String> = (0..SENTENCES)
            .map(|s| {
                format!(
                    "Officials in region {a} {} on Monday that talks number {s} would resume next week.",
                    VERBS[(a + s) % VERBS.len()]
                )
            })
            .collect();
        let text = sentences.join(" ");
        let id = format!("wire-{a:06}");
        let _ = writeln!(
            corpus,
            "{}",
            serde_json::json!({"id": id, "title": format!("Talks {a}"), "text": text})
        );
        let mut start = 0;
        for (index, sentence) in sentences.iter().enumerate() {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let labels: Vec<&str> = (0..3)
                .filter(|l| (seed >> (33 + l)) & 1 == 1)
                .map(|l| LABELS[l])
                .collect();
            let end = start + sentence.len();
            let _ = writeln!(
                jsonl,
                "{}",
                serde_json::json!({"text": sentence, "labels": labels, "article_id": id,
                    "sentence_index": index, "start": start, "end": end, "annotator": "ana"})
            );
            let _ = writeln!(
                doccano,
                "{}",
                serde_json::json!({"text": sentence, "label": labels})
            );
            start = end + 1;
        }
    }
    std::fs::write(dir.join("corpus.jsonl"), corpus).expect("write the corpus");
    std::fs::write(dir.join("export.jsonl"), jsonl).expect("write the jsonl export");
    std::fs::write(dir.join("export.doccano.jsonl"), doccano).expect("write the doccano export");
}

/// Runs `stance import` of `from` into the store `labels`, which must succeed.
fn import(dir: &Path, from: &str, format: &str, labels: &Path, annotator: Option<&str>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stance"));
    command
        .env("STANCE_DATA_DIR", dir.join("data"))
        .env("STANCE_CONFIG_DIR", dir.join("config"))
        .arg("import")
        .arg(dir.join("corpus.jsonl"))
        .arg("--from")
        .arg(dir.join(from))
        .args(["--format", format, "--labels"])
        .arg(labels);
    if let Some(name) = annotator {
        command.args(["--annotator", name]);
    }
    let out = command.output().expect("run stance import");
    assert!(
        out.status.success(),
        "stance import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Leaves `labels` empty (the schema kept beside it stays: it is the default either way).
fn remove_store(labels: &Path) {
    let _ = std::fs::remove_file(labels);
}

fn bench(c: &mut Criterion) {
    let temp;
    let dir: PathBuf = match std::env::var_os("STANCE_BENCH_KEEP") {
        Some(keep) => {
            std::fs::create_dir_all(&keep).expect("make the kept folder");
            PathBuf::from(keep)
        }
        None => {
            temp = tempfile::tempdir().expect("a temp folder");
            temp.path().to_owned()
        }
    };
    write_files(&dir);
    let empty = dir.join("empty.jsonl");
    let mut group = c.benchmark_group("import_1m");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(40));
    group.bench_function("jsonl_into_empty_store", |b| {
        b.iter_batched(
            || remove_store(&empty),
            |()| import(&dir, "export.jsonl", "jsonl", &empty, None),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("doccano_by_text_into_empty_store", |b| {
        b.iter_batched(
            || remove_store(&empty),
            |()| import(&dir, "export.doccano.jsonl", "doccano", &empty, Some("ana")),
            BatchSize::PerIteration,
        )
    });
    let full = dir.join("full.jsonl");
    remove_store(&full);
    import(&dir, "export.jsonl", "jsonl", &full, None);
    let size = std::fs::metadata(&full).expect("the filled store").len();
    group.bench_function("jsonl_again_all_already_there", |b| {
        b.iter(|| import(&dir, "export.jsonl", "jsonl", &full, None))
    });
    assert_eq!(
        std::fs::metadata(&full).expect("the filled store").len(),
        size,
        "a second import of the same file added something"
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
