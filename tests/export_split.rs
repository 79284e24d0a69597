//! Split properties: by article, stable as articles are added, moved by the seed, and
//! close to the asked proportions.

use std::collections::{BTreeMap, HashMap};

use stance::export::{Split, SplitName};

fn split_by_article(stdout: &[u8]) -> BTreeMap<String, String> {
    let mut splits: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8(stdout.to_vec()).unwrap().lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let (article, split) = (
            row["article_id"].as_str().unwrap(),
            row["split"].as_str().unwrap(),
        );
        let previous = splits.insert(article.into(), split.into());
        assert!(
            previous.as_ref().is_none_or(|p| p == split),
            "{article} is in {previous:?} and {split}"
        );
    }
    splits
}

/// A corpus of `articles` articles of three sentences, every sentence annotated.
fn corpus(dir: &std::path::Path, articles: std::ops::Range<usize>) {
    let mut lines = String::new();
    let mut store = stance::store::LabelStore::open(&dir.join("labels.jsonl")).unwrap();
    for a in articles.clone() {
        let text = format!("Envoys met on day {a}. Tariffs rose again. Troops stayed home.");
        lines.push_str(&serde_json::json!({"id": format!("n{a:05}"), "text": text}).to_string());
        lines.push('\n');
        for span in stance::corpus::segment(&text) {
            let sentence = &text[span.start..span.end];
            store
                .append(stance::store::Event::set(
                    &format!("n{a:05}"),
                    span.start,
                    sentence,
                    ["sanctions"],
                    "ana",
                    a as u64,
                ))
                .unwrap();
        }
    }
    let path = dir.join("corpus.jsonl");
    let mut old = std::fs::read_to_string(&path).unwrap_or_default();
    old.push_str(&lines);
    std::fs::write(path, old).unwrap();
}

fn export(dir: &std::path::Path, seed: &str) -> BTreeMap<String, String> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(dir)
        .args([
            "export",
            "corpus.jsonl",
            "--labels",
            "labels.jsonl",
            "--format",
            "jsonl",
        ])
        .args(["--split", "70,15,15", "--seed", seed])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    split_by_article(&out.stdout)
}

#[test]
fn articles_keep_their_split_when_articles_are_added() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 0..120);
    let before = export(dir.path(), "11");
    assert_eq!(before.len(), 120);
    corpus(dir.path(), 120..300);
    let after = export(dir.path(), "11");
    assert_eq!(after.len(), 300);
    for (article, split) in &before {
        assert_eq!(&after[article], split, "{article} moved");
    }
    let other_seed = export(dir.path(), "12");
    let moved = after.iter().filter(|(a, s)| &other_seed[*a] != *s).count();
    assert!(
        moved > 60,
        "only {moved} of 300 articles moved with another seed"
    );
}

#[test]
fn proportions_are_close_on_a_thousand_articles() {
    for (percents, seed) in [("80,10,10", 0), ("34,33,33", 9), ("60,0,40", 5)] {
        let split = Split::parse(percents, seed).unwrap();
        let mut counts: HashMap<SplitName, i64> = HashMap::new();
        for a in 0..1000 {
            *counts
                .entry(split.assign(&format!("reuters-{a}")))
                .or_default() += 1;
        }
        for (name, percent) in SplitName::ALL.iter().zip(split.percents) {
            let got = counts.get(name).copied().unwrap_or(0);
            let want = i64::from(percent) * 10;
            assert!(
                (got - want).abs() <= 40,
                "{percents}: {name} has {got}, want about {want}"
            );
        }
    }
}

#[test]
fn the_seed_changes_the_assignment() {
    let ids: Vec<String> = (0..1000).map(|a| format!("a{a:06}")).collect();
    let (one, two) = (
        Split::parse("80,10,10", 1).unwrap(),
        Split::parse("80,10,10", 2).unwrap(),
    );
    let moved = ids
        .iter()
        .filter(|id| one.assign(id) != two.assign(id))
        .count();
    // Two independent 80/10/10 draws disagree about 34% of the time.
    assert!((240..440).contains(&moved), "{moved} of 1000 moved");
}
