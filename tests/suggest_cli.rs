//! `stance suggest` and `stance suggest --eval` through the real binary, on a corpus and a
//! label store written to a temporary folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use stance::store::{Event, LabelStore};

/// Sentence templates and the labels they carry (schema positions of the default schema).
const TEMPLATES: [(&str, &[&str]); 5] = [
    (
        "Envoys from {a} and {b} resumed talks in {c} and agreed to meet again next month.",
        &["diplomatic"],
    ),
    (
        "The {c} council imposed sanctions on banks in {a} and ordered an asset freeze.",
        &["sanctions"],
    ),
    (
        "Troops from {a} moved tanks and artillery toward the border with {b} overnight.",
        &["military"],
    ),
    (
        "Shares in {c} closed higher as traders in {a} bought shipping stocks.",
        &[],
    ),
    (
        "Ministers from {b} held talks in {c} while {a} warned of sanctions on its exports.",
        &["diplomatic", "sanctions"],
    ),
];

const PLACES: [&str; 7] = [
    "Nordland", "Vesk", "Harju", "Oslava", "Teral", "Marnow", "Quist",
];

/// One generated article: id, sentences and the labels each sentence should get.
struct Article {
    id: String,
    sentences: Vec<(String, &'static [&'static str])>,
}

fn articles(count: usize) -> Vec<Article> {
    (0..count)
        .map(|i| {
            let sentences = (0..6)
                .map(|j| {
                    let (template, labels) = TEMPLATES[(i * 7 + j * 3) % TEMPLATES.len()];
                    let text = template
                        .replace("{a}", PLACES[(i + j) % PLACES.len()])
                        .replace("{b}", PLACES[(i + 2 * j + 1) % PLACES.len()])
                        .replace("{c}", PLACES[(3 * i + j + 2) % PLACES.len()]);
                    (text, labels)
                })
                .collect();
            Article {
                id: format!("art-{i:03}"),
                sentences,
            }
        })
        .collect()
}

struct Setup {
    _dir: tempfile::TempDir,
    corpus: PathBuf,
    store: PathBuf,
    dir: PathBuf,
    articles: Vec<Article>,
}

/// A corpus of `count` articles, the first `annotated` of them fully annotated in the store.
fn setup(count: usize, annotated: usize) -> Setup {
    setup_with(count, annotated, &[])
}

/// [`setup`] with one more article, never annotated, of these sentences (no labels known).
fn setup_with(count: usize, annotated: usize, extra: &[&'static str]) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("news.jsonl");
    let store = dir.path().join("labels.jsonl");
    let mut articles = articles(count);
    if !extra.is_empty() {
        articles.push(Article {
            id: "mixed".into(),
            sentences: extra.iter().map(|s| (s.to_string(), &[][..])).collect(),
        });
    }
    let mut lines = String::new();
    for article in &articles {
        let text: Vec<&str> = article.sentences.iter().map(|(s, _)| s.as_str()).collect();
        let line = serde_json::json!({"id": article.id, "text": text.join(" ")});
        lines.push_str(&format!("{line}\n"));
    }
    fs::write(&corpus, lines).unwrap();
    let mut events = Vec::new();
    for article in &articles[..annotated] {
        let mut start = 0;
        for (ts, (sentence, labels)) in article.sentences.iter().enumerate() {
            events.push(Event::set(
                &article.id,
                start,
                sentence,
                labels.iter().copied(),
                "ana",
                1_000 + ts as u64,
            ));
            start += sentence.len() + 1;
        }
    }
    let mut labels = LabelStore::open_as(&store, "ana").unwrap();
    labels.append_all(events).unwrap();
    drop(labels);
    Setup {
        dir: dir.path().to_owned(),
        _dir: dir,
        corpus,
        store,
        articles,
    }
}

impl Setup {
    fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<String> = vec!["suggest".into()];
        all.push(self.corpus.display().to_string());
        all.push("--labels".into());
        all.push(self.store.display().to_string());
        all.extend(args.iter().map(|s| s.to_string()));
        Command::new(env!("CARGO_BIN_EXE_stance"))
            .args(&all)
            .current_dir(&self.dir)
            .output()
            .expect("the stance binary runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "stance suggest {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn lines(&self, args: &[&str]) -> Vec<Value> {
        self.ok(args)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    fn expected(&self, line: &Value) -> Vec<String> {
        let article = &self.articles[self
            .articles
            .iter()
            .position(|a| a.id == line["article_id"])
            .unwrap()];
        let index = line["sentence_index"].as_u64().unwrap() as usize;
        assert_eq!(article.sentences[index].0, line["text"], "{line}");
        article.sentences[index]
            .1
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
}

/// Asserts that `raw` (JSON text) first names `keys` in this order.
fn in_order(raw: &str, keys: &[&str]) {
    let at: Vec<usize> = keys
        .iter()
        .map(|key| {
            let quoted = format!("\"{key}\":");
            raw.find(&quoted)
                .unwrap_or_else(|| panic!("{key} in {raw}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{keys:?} in order in {raw}"
    );
}

/// The keys of a JSON object (sorted: the order is checked by [`in_order`]).
fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

fn is_rounded(x: f64) -> bool {
    ((x * 10_000.0).round() - x * 10_000.0).abs() < 1e-6
}

#[test]
fn json_lines_score_every_unannotated_sentence_reproducibly_and_mostly_right() {
    let setup = setup(30, 20);
    let first = setup.ok(&["--json"]);
    assert_eq!(
        first,
        setup.ok(&["--json"]),
        "the same store gives the same bytes"
    );
    let lines: Vec<Value> = first
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        10 * 6,
        "the 10 unannotated articles, 6 sentences each"
    );
    let mut right = 0;
    for (raw, line) in first.lines().zip(&lines) {
        let fields = [
            "article_id",
            "sentence_index",
            "start",
            "end",
            "text",
            "scores",
            "suggested",
            "uncertainty",
        ];
        assert_eq!(keys(line), sorted(&fields));
        in_order(raw, &fields);
        in_order(raw, &["diplomatic", "sanctions", "military"]);
        let id = line["article_id"].as_str().unwrap();
        assert!(id >= "art-020", "{id} was annotated");
        assert_eq!(
            keys(&line["scores"]),
            ["diplomatic", "military", "sanctions"]
        );
        for score in line["scores"].as_object().unwrap().values() {
            let score = score.as_f64().unwrap();
            assert!((0.0..=1.0).contains(&score) && is_rounded(score), "{score}");
        }
        let uncertainty = line["uncertainty"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&uncertainty) && is_rounded(uncertainty));
        let suggested: Vec<String> = line["suggested"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        for name in &suggested {
            assert!(line["scores"][name].as_f64().unwrap() >= 0.5, "{line}");
        }
        right += usize::from(suggested == setup.expected(line));
    }
    assert!(
        right * 10 >= lines.len() * 9,
        "{right} of {} right",
        lines.len()
    );
    let all = setup.lines(&["--json", "--all"]);
    assert_eq!(all.len(), 30 * 6);
    assert_eq!(all[0]["article_id"], "art-000");
}

#[test]
fn uncertain_order_puts_the_least_sure_first_and_limit_cuts() {
    // Sentences that mix the cues of two labels, or have none, are the ones to doubt.
    let mixed = [
        "Envoys moved tanks toward the talks.",
        "Sanctions on troops were discussed by traders.",
        "Rain fell on the harbour at dawn.",
    ];
    let setup = setup_with(12, 3, &mixed);
    let corpus = setup.lines(&["--json"]);
    let uncertain = setup.lines(&["--json", "--order", "uncertain"]);
    assert_eq!(corpus.len(), uncertain.len());
    let u: Vec<f64> = uncertain
        .iter()
        .map(|l| l["uncertainty"].as_f64().unwrap())
        .collect();
    assert!(u.windows(2).all(|w| w[0] >= w[1]), "{u:?}");
    assert!(u[0] > *u.last().unwrap(), "the scores differ: {u:?}");
    assert_eq!(uncertain[0]["article_id"], "mixed", "{}", uncertain[0]);
    let mut a: Vec<String> = corpus.iter().map(|l| l.to_string()).collect();
    let mut b: Vec<String> = uncertain.iter().map(|l| l.to_string()).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "the same sentences with the same scores");
    assert_eq!(setup.lines(&["--json", "--limit", "3"]), corpus[..3]);
    assert_eq!(
        setup.lines(&["--json", "--order", "uncertain", "--limit", "2"]),
        uncertain[..2]
    );
    let table = setup.ok(&["--limit", "2"]);
    assert_eq!(table.lines().count(), 3, "a header and two rows: {table}");
    assert!(table.lines().next().unwrap().contains("diplomatic"));
}

const PATTERN_SCHEMA: &str = r#"
[[labels]]
name = "diplomatic"
key = "1"
colour = "blue"

[[labels]]
name = "sanctions"
key = "2"
colour = "yellow"
patterns = ["sanction*", "asset freeze"]
threshold = 0.6

[[labels]]
name = "military"
key = "3"
colour = "red"
"#;

#[test]
fn cold_labels_score_by_their_patterns_and_say_so() {
    let setup = setup(6, 0);
    let schema = setup.dir.join("schema.toml");
    fs::write(&schema, PATTERN_SCHEMA).unwrap();
    let output = setup.run(&["--json", "--schema", schema.to_str().unwrap()]);
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("\"sanctions\" has 0 positive and 0 negative annotations")
            && stderr.contains("its scores come from its schema patterns alone"),
        "{stderr}"
    );
    assert!(stderr.contains("\"military\" has 0 positive"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut hits = 0;
    for line in stdout.lines() {
        let line: Value = serde_json::from_str(line).unwrap();
        let text = line["text"].as_str().unwrap().to_lowercase();
        let hit = text.contains("sanction") || text.contains("asset freeze");
        hits += usize::from(hit);
        let (score, suggested) = if hit {
            (0.9, vec!["sanctions"])
        } else {
            (0.1, vec![])
        };
        assert_eq!(line["scores"]["sanctions"], score, "{line}");
        assert_eq!(
            line["scores"]["military"], 0.0,
            "no patterns, no model: {line}"
        );
        assert_eq!(line["suggested"], serde_json::json!(suggested), "{line}");
    }
    assert!(hits > 0);
}

#[test]
fn a_bad_pattern_names_the_label_and_nothing_is_scored() {
    let setup = setup(2, 0);
    let schema = setup.dir.join("schema.toml");
    for (bad, why) in [
        ("\"\"", "empty pattern"),
        ("\"<b>\"", "not a word or phrase"),
    ] {
        fs::write(&schema, PATTERN_SCHEMA.replace("\"asset freeze\"", bad)).unwrap();
        let output = setup.run(&["--schema", schema.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("schema.toml: labels[2].patterns[2]: label \"sanctions\": ")
                && stderr.contains(why),
            "{stderr}"
        );
    }
}

#[test]
fn eval_with_too_few_annotations_says_how_many_are_needed() {
    let setup = setup(6, 2);
    let output = setup.run(&["--eval"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "--eval needs at least 20 settled annotations in at least 5 articles (one test \
             fold each); the store has 12 in 2 articles"
        ),
        "{stderr}"
    );
    let usage = setup.run(&["--curve"]);
    assert_eq!(usage.status.code(), Some(2), "--curve needs --eval");
}

fn supports(articles: &[Article], label: &str) -> usize {
    articles
        .iter()
        .flat_map(|a| &a.sentences)
        .filter(|(_, labels)| labels.contains(&label))
        .count()
}

#[test]
fn eval_json_has_the_documented_shape_and_the_curve_both_orders() {
    let setup = setup(40, 40);
    let text = setup.ok(&["--eval", "--json", "--curve"]);
    assert_eq!(text.lines().count(), 1);
    let object: Value = serde_json::from_str(&text).unwrap();
    let fields = [
        "folds",
        "annotations",
        "labels",
        "micro_f1",
        "macro_f1",
        "curve",
    ];
    assert_eq!(keys(&object), sorted(&fields));
    in_order(&text, &fields);
    in_order(&text, &["diplomatic", "sanctions", "military"]);
    assert_eq!(object["folds"], 5);
    assert_eq!(object["annotations"], 240);
    assert_eq!(
        keys(&object["labels"]),
        ["diplomatic", "military", "sanctions"]
    );
    let figure_fields = ["precision", "recall", "f1", "support"];
    for (name, figures) in object["labels"].as_object().unwrap() {
        assert_eq!(keys(figures), sorted(&figure_fields));
        assert_eq!(
            figures["support"],
            supports(&setup.articles, name),
            "{name}"
        );
        assert!(figures["f1"].as_f64().unwrap() > 0.8, "{name}: {figures}");
    }
    assert!(object["micro_f1"].as_f64().unwrap() > 0.8);
    let curve = object["curve"].as_array().unwrap();
    let points: Vec<(u64, &str)> = curve
        .iter()
        .map(|p| {
            (
                p["annotations"].as_u64().unwrap(),
                p["order"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        points,
        [
            (50, "corpus"),
            (50, "uncertain"),
            (100, "corpus"),
            (100, "uncertain"),
            (200, "corpus"),
            (200, "uncertain"),
            (240, "corpus"),
            (240, "uncertain")
        ]
    );
    let point_fields = ["annotations", "order", "micro_f1", "macro_f1"];
    for p in curve {
        assert_eq!(keys(p), sorted(&point_fields));
    }
    let first_point = &text[text.find("\"curve\":[").unwrap()..];
    in_order(
        &first_point[..first_point.find('}').unwrap()],
        &point_fields,
    );
    let labels = &text[text.find("\"labels\":").unwrap()..];
    in_order(&labels[..labels.find('}').unwrap()], &figure_fields);
    let three: Value =
        serde_json::from_str(&setup.ok(&["--eval", "--json", "--folds", "3"])).unwrap();
    assert_eq!(three["folds"], 3);
    assert!(three.get("curve").is_none());
    let table = setup.ok(&["--eval"]);
    assert!(table.starts_with("5-fold cross-validation by article over 240 annotations\n"));
    assert!(table.contains("micro F1"), "{table}");
}

#[test]
fn a_missing_store_is_an_empty_one_and_stays_missing() {
    let setup = setup(3, 0);
    fs::remove_file(&setup.store).unwrap();
    let lines = setup.lines(&["--json"]);
    assert_eq!(lines.len(), 18);
    assert!(!Path::new(&setup.store).exists(), "suggest writes nothing");
}

#[test]
fn export_suggested_writes_the_suggestions_and_no_annotation() {
    let setup = setup(30, 20);
    let suggested = setup.lines(&["--json"]);
    let out = setup.dir.join("suggested.jsonl");
    let output = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["export", setup.corpus.to_str().unwrap(), "--labels"])
        .arg(&setup.store)
        .args(["--format", "jsonl", "--suggested", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let exported: Vec<Value> = fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(exported.len(), suggested.len());
    for (record, line) in exported.iter().zip(&suggested) {
        assert_eq!(record["article_id"], line["article_id"]);
        assert_eq!(record["sentence_index"], line["sentence_index"]);
        assert_eq!(record["labels"], line["suggested"], "{record}");
        assert_eq!(record["annotator"], "suggestion");
    }
    let refused = Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["export", setup.corpus.to_str().unwrap(), "--labels"])
        .arg(&setup.store)
        .args(["--format", "csv", "--suggested", "--include-unlabeled"])
        .output()
        .unwrap();
    assert_eq!(
        refused.status.code(),
        Some(2),
        "suggestions are never mixed"
    );
}

#[test]
fn many_rounds_come_out_in_corpus_order_and_limit_cuts_across_them() {
    // Past a few rounds of 512 articles on every core, so the rounds' hand-over is tested.
    let (count, annotated) = (2_600, 40);
    let setup = setup(count, annotated);
    let text = setup.ok(&["--json"]);
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let places: Vec<(usize, u64)> = lines
        .iter()
        .map(|line| {
            let id = line["article_id"].as_str().unwrap();
            let number = id.strip_prefix("art-").unwrap().parse().unwrap();
            (number, line["sentence_index"].as_u64().unwrap())
        })
        .collect();
    let expected: Vec<(usize, u64)> = (annotated..count)
        .flat_map(|a| (0..6).map(move |s| (a, s)))
        .collect();
    assert!(
        places == expected,
        "every unannotated sentence, in corpus order"
    );
    // A text repeated anywhere in the corpus has the same scores everywhere.
    let mut by_text: std::collections::HashMap<&str, &Value> = std::collections::HashMap::new();
    let mut repeats = 0;
    for line in &lines {
        let scored = by_text
            .entry(line["text"].as_str().unwrap())
            .or_insert(line);
        if !std::ptr::eq(*scored, line) {
            repeats += 1;
            assert_eq!(scored["scores"], line["scores"], "{line}");
            assert_eq!(scored["uncertainty"], line["uncertainty"], "{line}");
        }
    }
    assert!(repeats > 1_000, "the corpus repeats texts: {repeats}");
    let raw: Vec<&str> = text.lines().collect();
    for limit in [1, 512 * 6 - 1, 512 * 6, 512 * 6 + 1, 3 * 512 * 6 + 7] {
        let cut = setup.ok(&["--json", "--limit", &limit.to_string()]);
        assert!(
            cut.lines().eq(raw[..limit].iter().copied()),
            "--limit {limit} is the first {limit} lines"
        );
    }
    let uncertain = setup.ok(&["--json", "--order", "uncertain"]);
    let mut sorted_lines: Vec<&str> = uncertain.lines().collect();
    let u: Vec<f64> = sorted_lines
        .iter()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["uncertainty"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert!(u.windows(2).all(|w| w[0] >= w[1]));
    sorted_lines.sort_unstable();
    let mut corpus_lines = raw.clone();
    corpus_lines.sort_unstable();
    assert!(sorted_lines == corpus_lines, "the same lines, reordered");
}

#[test]
fn articles_left_out_after_reading_leave_every_other_sentence_its_own() {
    // Sentences are found while the corpus is read, before a repeated id or `--where`
    // leaves an article out: the articles after it must still get their own sentences.
    let setup = setup(30, 10);
    let plain = setup.ok(&["--json", "--all"]);
    assert_eq!(plain.lines().count(), 30 * 6);
    let lines: Vec<String> = fs::read_to_string(&setup.corpus)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let other = serde_json::json!({
        "id": "other",
        "text": "A wholly different opening line. It has two sentences of its own, and more words."
    });
    let mut corpus = vec![other.to_string(), lines[0].clone(), lines[0].clone()];
    corpus.extend(lines[1..].iter().cloned());
    fs::write(&setup.corpus, corpus.join("\n") + "\n").unwrap();
    let output = setup.run(&["--json", "--all", "--where", "id=art-*"]);
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("repeats with the same text"),
        "the repeat is read and left out"
    );
    assert_eq!(String::from_utf8(output.stdout).unwrap(), plain);
    // Without the filter, the other article comes first, then the same lines.
    let all = setup.ok(&["--json", "--all"]);
    let (first, rest): (Vec<&str>, Vec<&str>) = all
        .lines()
        .partition(|line| line.contains("\"article_id\":\"other\""));
    assert_eq!(first.len(), 2);
    assert_eq!(rest, plain.lines().collect::<Vec<_>>());
}

#[test]
fn a_model_trained_while_the_corpus_is_read_scores_as_one_trained_after() {
    // The store names the first articles: the model learns while the rest is read. A copy
    // of the store that also names an article the corpus lacks is trained after the open.
    let setup = setup(40, 12);
    let after = setup.dir.join("after.jsonl");
    fs::copy(&setup.store, &after).unwrap();
    let mut labels = LabelStore::open_as(&after, "ana").unwrap();
    labels
        .append_all(vec![Event::set("gone", 0, "Gone.", ["military"], "ana", 9)])
        .unwrap();
    drop(labels);
    let run = |store: &Path, args: &[&str]| {
        let mut all = vec![
            "suggest".to_owned(),
            setup.corpus.display().to_string(),
            "--labels".to_owned(),
            store.display().to_string(),
        ];
        all.extend(args.iter().map(|s| s.to_string()));
        let output = Command::new(env!("CARGO_BIN_EXE_stance"))
            .args(&all)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        (output.stdout, output.stderr)
    };
    // With the article of a named id repeated (and left out), and with `--where` leaving
    // named articles out, the model trained ahead is not the one to use.
    let lines: Vec<String> = fs::read_to_string(&setup.corpus)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    // Its repeat has other text, as the annotations' sentences: learned from in its place,
    // it would change the model.
    let mut other: Value = serde_json::from_str(&lines[2]).unwrap();
    other["text"] = Value::from(format!(
        "Talks about the sanctions broke down. {}",
        other["text"].as_str().unwrap()
    ));
    let repeated = [&lines[..3], &[other.to_string()], &lines[3..]].concat();
    for (corpus, args) in [
        (None, &["--json", "--all"][..]),
        (None, &["--order", "uncertain", "--limit", "50"][..]),
        (None, &["--json", "--where", "id=art-01*"][..]),
        (Some(&repeated), &["--json", "--skip-bad"][..]),
    ] {
        if let Some(corpus) = corpus {
            fs::write(&setup.corpus, corpus.join("\n") + "\n").unwrap();
        }
        let (ahead, ahead_notes) = run(&setup.store, args);
        let (trained_after, _) = run(&after, args);
        assert!(!ahead.is_empty());
        let (ahead, trained_after) = (
            String::from_utf8(ahead).unwrap(),
            String::from_utf8(trained_after).unwrap(),
        );
        let differs = ahead
            .lines()
            .zip(trained_after.lines())
            .find(|(a, b)| a != b);
        assert!(
            ahead == trained_after,
            "{args:?}: first differing lines {differs:?}"
        );
        assert!(!String::from_utf8_lossy(&ahead_notes).contains("panicked"));
    }
}
