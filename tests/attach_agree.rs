//! `stance stats`, `stance export` and the attach rule agree on one real journal that holds
//! every kind of orphan next to attached annotations of two annotators.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use std::sync::Arc;

use serde_json::Value;
use stance::app::{Action, Setup, State, update};
use stance::attach::{self, Orphan};
use stance::corpus::{self, Article, CorpusSpec};
use stance::store::{self, Event, LabelStore, Op, fingerprint};

/// (article id, start, end, annotator): one live annotation per key, as the journal replays.
type Key = (String, usize, usize, String);
type Verdict = Result<usize, Orphan>;

const NEWS: &str = "\
{\"id\": \"n1\", \"title\": \"Geneva\", \"text\": \"Talks resumed in Geneva. Sanctions stay in place. Troops moved north.\"}
{\"id\": \"n2\", \"title\": \"Markets\", \"text\": \"The envoy met officials from 北京 on Friday. Markets were closed. Trading resumes on Monday.\"}
";
const BRIEF: &str = "Ships left port at dawn. Oil fell sharply.\n";

/// The corpus folder, the journal beside it, and what each live annotation should be.
struct World {
    dir: tempfile::TempDir,
    articles: Vec<Article>,
    journal: Vec<Event>,
    expected: BTreeMap<Key, Verdict>,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        std::fs::write(dir.path().join("corpus/news.jsonl"), NEWS).unwrap();
        std::fs::write(dir.path().join("corpus/brief.txt"), BRIEF).unwrap();
        let spec = CorpusSpec {
            paths: vec![dir.path().join("corpus")],
            ..CorpusSpec::default()
        };
        let articles = corpus::open(&spec).unwrap().articles;
        assert_eq!(articles.len(), 3, "two JSON lines and a text file");
        World {
            dir,
            articles,
            journal: Vec::new(),
            expected: BTreeMap::new(),
        }
    }

    fn article(&self, id: &str) -> &Article {
        self.articles.iter().find(|a| a.id == id).unwrap()
    }

    /// The id the reader gave `brief.txt`.
    fn brief(&self) -> String {
        let brief = self.articles.iter().find(|a| a.id != "n1" && a.id != "n2");
        brief.unwrap().id.clone()
    }

    /// (start, end, index) of the current sentence with this text.
    fn sentence(&self, id: &str, text: &str) -> (usize, usize, usize) {
        let article = self.article(id);
        let start = article.text.find(text).unwrap();
        let index = article
            .sentences()
            .iter()
            .position(|s| (s.start, s.end) == (start, start + text.len()))
            .unwrap_or_else(|| panic!("the segmenter does not find `{text}` in {id}"));
        (start, start + text.len(), index)
    }

    /// An annotation of the current sentence `text`, attached.
    fn label(&mut self, id: &str, text: &str, labels: &[&str], who: &str) {
        let (start, _, index) = self.sentence(id, text);
        let event = Event::set(id, start, text, labels.iter().copied(), who, self.ts());
        self.push(event, Ok(index));
    }

    /// A hand-made event, with the verdict the rule must give it.
    fn push(&mut self, event: Event, verdict: Verdict) {
        let key = (
            event.article.clone(),
            event.start,
            event.end,
            event.annotator.clone(),
        );
        match event.op {
            Op::Set | Op::Ignore => self.expected.insert(key, verdict),
            Op::Clear => self.expected.remove(&key),
            Op::Split | Op::Merge | Op::Restore => None,
            Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => None,
        };
        self.journal.push(event);
    }

    fn ts(&self) -> u64 {
        1_700_000_000_000 + self.journal.len() as u64
    }

    fn labels(&self) -> PathBuf {
        self.dir.path().join("labels.jsonl")
    }

    /// Writes the journal through the real label store.
    fn save(&self) {
        let mut store = LabelStore::open(&self.labels()).unwrap();
        for event in &self.journal {
            store.append(event.clone()).unwrap();
        }
    }

    fn stance(&self, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_stance"))
            .current_dir(self.dir.path())
            .env("STANCE_DATA_DIR", self.dir.path().join("data"))
            .env("STANCE_CONFIG_DIR", self.dir.path().join("config"))
            .arg(args[0])
            .arg(self.dir.path().join("corpus"))
            .arg("--labels")
            .arg(self.labels())
            .args(&args[1..])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "stance {args:?}: {stderr}");
        output
    }
}

/// Every kind of orphan, each next to attached annotations by alice and bob.
fn world() -> World {
    let mut w = World::new();
    let brief = w.brief();
    // Attached, two annotators, some sentences labeled by both.
    w.label("n1", "Talks resumed in Geneva.", &["military"], "alice");
    w.label("n1", "Talks resumed in Geneva.", &["diplomatic"], "alice");
    w.label("n1", "Talks resumed in Geneva.", &["military"], "bob");
    w.label("n1", "Sanctions stay in place.", &[], "alice");
    w.label("n2", "Trading resumes on Monday.", &["diplomatic"], "bob");
    w.label(&brief, "Ships left port at dawn.", &[], "bob");
    w.label(
        &brief,
        "Oil fell sharply.",
        &["sanctions", "military"],
        "alice",
    );
    // Withdrawn: counted nowhere.
    w.label("n1", "Troops moved north.", &["military"], "bob");
    let mut clear = w.journal.last().unwrap().clone();
    (clear.op, clear.labels, clear.ts) = (Op::Clear, Vec::new(), w.ts());
    w.push(clear, Ok(0));
    // The stored `text` is for display: the fingerprint decides, and it matches.
    let (start, _, index) = w.sentence("n1", "Troops moved north.");
    let mut shown = Event::set("n1", start, "Troops moved north.", ["military"], "alice", 0);
    (shown.text, shown.ts) = ("Troops moved south.".into(), w.ts());
    w.push(shown, Ok(index));

    // Article gone, even with offsets that would fit no text. (A text that is one sentence
    // of the corpus would be re-attached there: tests/corpus_identity.rs.)
    let gone = Event::set(
        "n9",
        0,
        "Talks resumed in Bern.",
        ["diplomatic"],
        "alice",
        1,
    );
    w.push(gone, Err(Orphan::ArticleGone));
    let mut gone_far = Event::set("n9", 5000, "x", ["military"], "bob", 2);
    gone_far.fp = "not a fingerprint".into();
    w.push(gone_far, Err(Orphan::ArticleGone));

    // Text changed at the same offsets.
    let (start, _, _) = w.sentence("n2", "Markets were closed.");
    // The same length as the current sentence: only the fingerprint tells them apart.
    let changed = Event::set("n2", start, "Markets were steady.", ["sanctions"], "bob", 3);
    assert_eq!(changed.end, w.sentence("n2", "Markets were closed.").1);
    w.push(changed, Err(Orphan::TextChanged));

    // The text is the labeled one, but the span is not a sentence any more: two sentences
    // merged, and the start of one.
    let n1 = w.article("n1").text.clone();
    let merged = "Talks resumed in Geneva. Sanctions stay in place.";
    assert!(n1.starts_with(merged));
    w.push(
        Event::set("n1", 0, merged, ["diplomatic"], "bob", 4),
        Err(Orphan::NotASentence),
    );
    let (start, _, _) = w.sentence("n1", "Sanctions stay in place.");
    w.push(
        Event::set("n1", start, "Sanctions", ["sanctions"], "bob", 5),
        Err(Orphan::NotASentence),
    );
    // Neither the text nor the span: the text is reported, as it is checked first.
    w.push(
        Event::set("n1", 3, "Tariffs", ["sanctions"], "alice", 6),
        Err(Orphan::TextChanged),
    );

    // Offsets past the end of the text: the end only, and both.
    let mut past = Event::set("n1", n1.len() - 6, "north.", ["military"], "alice", 7);
    past.end = n1.len() + 10;
    w.push(past, Err(Orphan::TextChanged));
    let past_both = Event::set("n1", n1.len() + 1, "", ["military"], "bob", 8);
    w.push(past_both, Err(Orphan::TextChanged));

    // A start inside a multi-byte character (北 is three bytes).
    let (_, end, _) = w.sentence("n2", "The envoy met officials from 北京 on Friday.");
    let inside = w.article("n2").text.find('北').unwrap() + 1;
    let mut split_char = Event::set("n2", inside, "", ["diplomatic"], "alice", 9);
    split_char.end = end;
    w.push(split_char, Err(Orphan::TextChanged));

    // Stored fingerprints that are not 16 lowercase hex digits, on the right sentence and
    // with the right stored text: they match no text.
    let envoy = "The envoy met officials from 北京 on Friday.";
    let mut upper = Event::set("n2", 0, envoy, ["sanctions"], "bob", 10);
    upper.fp = upper.fp.to_uppercase();
    assert_ne!(upper.fp, fingerprint(envoy), "the digits hold letters");
    w.push(upper, Err(Orphan::TextChanged));
    let mut short = Event::set("n2", 0, envoy, ["military"], "alice", 11);
    short.fp.pop();
    w.push(short, Err(Orphan::TextChanged));
    w
}

/// Orphans per reason, as the export reports them on stderr (all zero when it says none).
fn reported_orphans(stderr: &str) -> [usize; 3] {
    let Some(line) = stderr.lines().find(|l| l.contains("orphaned annotations")) else {
        return [0; 3];
    };
    let count = |label: &str| -> usize {
        let at = line
            .find(label)
            .unwrap_or_else(|| panic!("{label} in {line}"))
            + label.len();
        let digits: String = line[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    };
    let total: usize = line.split(' ').next().unwrap().parse().unwrap();
    let reasons = [
        count("article missing: "),
        count("text changed: "),
        count("no longer a sentence: "),
    ];
    assert_eq!(total, reasons.iter().sum::<usize>(), "{line}");
    reasons
}

fn by_reason<'a>(verdicts: impl IntoIterator<Item = &'a Verdict>) -> [usize; 3] {
    let mut counts = [0; 3];
    for verdict in verdicts {
        match verdict {
            Err(Orphan::ArticleGone) => counts[0] += 1,
            Err(Orphan::TextChanged) => counts[1] += 1,
            Err(Orphan::NotASentence | Orphan::Split | Orphan::Merged) => counts[2] += 1,
            Ok(_) => {}
        }
    }
    counts
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(bytes).unwrap();
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// What the attach module says about every live annotation in the saved journal.
fn verdicts(path: &Path, articles: &[Article]) -> BTreeMap<Key, Verdict> {
    let store = LabelStore::open_read_only(path).unwrap();
    attach::classify(articles, store.boundaries(), store.annotations())
        .into_iter()
        .map(|(a, verdict)| {
            let key = (
                a.article().to_owned(),
                a.start(),
                a.end(),
                a.annotator().to_owned(),
            );
            (key, verdict)
        })
        .collect()
}

#[test]
fn stats_export_and_the_rule_count_the_same_orphans() {
    let w = world();
    w.save();
    let verdicts = verdicts(&w.labels(), &w.articles);
    assert_eq!(
        verdicts, w.expected,
        "the attach rule, on the saved journal"
    );
    let orphans = by_reason(verdicts.values());
    assert_eq!(orphans, [2, 7, 2], "every kind is there");
    let attached: Vec<(&Key, usize)> = verdicts
        .iter()
        .filter_map(|(key, v)| v.as_ref().ok().map(|&i| (key, i)))
        .collect();
    assert_eq!(attached.len(), 7);

    // The store's own orphan list.
    let corpus = corpus::Corpus {
        articles: w.articles.clone(),
        ..corpus::Corpus::default()
    };
    let store = LabelStore::open_read_only(&w.labels()).unwrap();
    assert_eq!(store::orphans(&store, &corpus).len(), 11);

    // stance stats.
    let stats: Value = serde_json::from_slice(&w.stance(&["stats", "--json"]).stdout).unwrap();
    assert_eq!(stats["orphaned"], 11);
    assert_eq!(stats["annotated"], attached.len());
    for who in ["alice", "bob"] {
        let mine = attached.iter().filter(|(k, _)| k.3 == who).count();
        assert_eq!(stats["annotators"][who], mine, "{who}");
    }

    // stance export, all annotators: one row per attached sentence, the latest decision.
    let all = w.stance(&["export", "--format", "jsonl"]);
    let rows = json_lines(&all.stdout);
    let mut sentences: Vec<(&str, usize, usize, usize)> = attached
        .iter()
        .map(|((id, start, end, _), i)| (id.as_str(), *i, *start, *end))
        .collect();
    sentences.dedup();
    let exported: Vec<(&str, usize, usize, usize)> = rows
        .iter()
        .map(|r| {
            let n = |f: &str| r[f].as_u64().unwrap() as usize;
            let id = r["article_id"].as_str().unwrap();
            (id, n("sentence_index"), n("start"), n("end"))
        })
        .collect();
    let mut in_key_order = exported.clone();
    in_key_order.sort_unstable();
    sentences.sort_unstable();
    assert_eq!(in_key_order, sentences);
    assert_eq!(
        reported_orphans(&String::from_utf8_lossy(&all.stderr)),
        orphans
    );
    let first = &rows.iter().find(|r| r["article_id"] == "n1").unwrap();
    assert_eq!(
        (&first["text"], &first["labels"]),
        (
            &Value::from("Talks resumed in Geneva."),
            &serde_json::json!(["military"])
        ),
        "bob's decision is the later one"
    );

    // One annotator at a time: each attached annotation is written once, each orphan
    // reported once, and together they are what stats counted.
    let mut rows_total = 0;
    let mut orphans_total = [0; 3];
    for who in ["alice", "bob"] {
        let out = w.stance(&["export", "--format", "jsonl", "--annotator", who]);
        let rows = json_lines(&out.stdout);
        assert!(rows.iter().all(|r| r["annotator"] == who));
        let mine = attached.iter().filter(|(k, _)| k.3 == who).count();
        assert_eq!(rows.len(), mine, "{who}");
        let theirs = verdicts.iter().filter(|(k, _)| k.3 == who);
        let reported = reported_orphans(&String::from_utf8_lossy(&out.stderr));
        assert_eq!(reported, by_reason(theirs.map(|(_, v)| v)), "{who}");
        rows_total += rows.len();
        for (sum, n) in orphans_total.iter_mut().zip(reported) {
            *sum += n;
        }
    }
    assert_eq!(stats["annotated"], rows_total);
    assert_eq!(stats["orphaned"], orphans_total.iter().sum::<usize>());

    // The session's one model (review list, statistics panel), once every article is
    // segmented: the same orphans, for the same reasons, and the same live annotations.
    let mut state = State::with_events(
        Setup::new(Arc::new(w.articles.clone()), "alice", "labels.jsonl"),
        store.annotations(),
    );
    let spans = w.articles.iter().map(Article::sentences).collect();
    update(&mut state, Action::Segmented { first: 0, spans });
    let model = state.annotations();
    assert_eq!(model.orphans(), 11);
    let reasons = model
        .entries()
        .iter()
        .filter_map(|e| e.orphan.as_ref().map(|o| Err::<usize, _>(o.reason)))
        .collect::<Vec<_>>();
    assert_eq!(by_reason(&reasons), orphans);
    assert_eq!(state.all_annotators().annotated, attached.len());
    for (who, count) in state.annotator_counts() {
        assert_eq!(stats["annotators"][who], count, "{who}");
    }
}
