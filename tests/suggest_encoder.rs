//! `stance suggest --encoder DIR` through the real binary on the hand-labeled news: scores
//! from the model over embeddings (the embedding alone by default), the cache beside the
//! store, and a bad folder's error.

use crate::common::encoder;

use std::path::Path;
use std::process::{Command, Output};

const CORPUS: &str = "tests/data/model-eval/corpus.jsonl";
const GOLD: &str = "tests/data/model-eval/gold.jsonl";

fn stance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str]) -> (String, String) {
    let out = stance(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

#[test]
fn a_folder_that_is_not_there_is_one_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("labels.jsonl");
    let store = store.to_str().unwrap();
    ok(&[
        "import", CORPUS, "--labels", store, "--from", GOLD, "--format", "jsonl",
    ]);
    let out = stance(&[
        "suggest",
        CORPUS,
        "--labels",
        store,
        "--encoder",
        "/no/such/model",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("/no/such/model") && stderr.contains("not a folder"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn suggestions_come_from_the_embeddings_which_are_cached_beside_the_store() {
    let Some(dir) = encoder::folder() else { return };
    let dir = dir.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("labels.jsonl");
    let store_s = store.to_str().unwrap();
    ok(&[
        "import", CORPUS, "--labels", store_s, "--from", GOLD, "--format", "jsonl",
    ]);
    let args = [
        "suggest", CORPUS, "--labels", store_s, "--json", "--all", "--limit", "30",
    ];
    let (plain, _) = ok(&args);
    let mut with = args.to_vec();
    with.extend(["--encoder", dir]);
    let (first, stderr) = ok(&with);
    assert!(
        stderr.contains("embedded "),
        "the first run embeds: {stderr}"
    );
    let cache_dir = Path::new(&format!("{store_s}.embeddings")).to_owned();
    let files: Vec<_> = std::fs::read_dir(&cache_dir).unwrap().collect();
    assert_eq!(files.len(), 1, "one cache file per encoder");
    let size = files[0].as_ref().unwrap().metadata().unwrap().len();
    let record = 8 + 4 * 384 + 8;
    assert_eq!((size - 24) % record, 0);
    assert!(
        (size - 24) / record >= 800,
        "every annotated sentence embedded"
    );
    let (second, stderr) = ok(&with);
    assert!(
        !stderr.contains("embedded "),
        "nothing embedded twice: {stderr}"
    );
    assert_eq!(first, second, "the same scores to the last digit");
    assert_eq!(first.lines().count(), 30);
    assert_ne!(first, plain, "the encoder changes the scores");
    // The default is the embedding alone; the n-grams beside it score otherwise.
    for (features, same) in [("embedding", true), ("both", false)] {
        let mut chosen = with.clone();
        chosen.extend(["--encoder-features", features]);
        let (scores, _) = ok(&chosen);
        assert_eq!(scores == first, same, "--encoder-features {features}");
    }
    for line in first.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["scores"]["military"].as_f64().is_some());
    }
}
