//! Assignment with `--overlap K`: Space prefers articles that fewer than K annotators have
//! finished (and the session's annotator has not), and the statistics show the coverage.

use crate::common;

use common::*;
use stance::app::{Action, State, update};
use stance::store::{Event, LabelStore};

/// Bob finished article `a` (every sentence); alice, at its first sentence, has decided
/// nothing.
fn alice_after_bob(overlap: usize) -> State {
    let articles = three_articles();
    let events: Vec<Event> = (0..3)
        .map(|s| stored(&articles, 0, s, &["military"], "bob"))
        .collect();
    let mut setup = setup(articles);
    setup.events = events;
    setup.overlap = overlap;
    open(setup, 100, 30)
}

fn cursor(state: &State) -> (usize, usize) {
    (state.cursor().article, state.cursor().sentence)
}

#[test]
fn space_skips_an_article_enough_annotators_finished() {
    let mut alone = alice_after_bob(1);
    assert_eq!(cursor(&alone), (0, 0));
    update(&mut alone, Action::NextUnannotated);
    assert_eq!(
        cursor(&alone),
        (1, 0),
        "one annotator is enough: bob's article is skipped"
    );

    let mut pair = alice_after_bob(2);
    update(&mut pair, Action::NextUnannotated);
    assert_eq!(
        cursor(&pair),
        (0, 1),
        "two wanted: bob's article still needs her"
    );
}

#[test]
fn when_every_article_has_enough_annotators_space_goes_on_and_says_so() {
    let articles = three_articles();
    let mut events = Vec::new();
    for article in 0..3 {
        for s in 0..3 {
            events.push(stored(&articles, article, s, &["military"], "bob"));
        }
    }
    let mut setup = setup(articles);
    setup.events = events;
    let mut alice = open(setup, 100, 30);
    run(&mut alice, [Action::FirstSentence]);
    let start = cursor(&alice);
    update(&mut alice, Action::NextUnannotated);
    assert_ne!(cursor(&alice), start);
    let message = alice.message().map(|m| m.text.clone()).unwrap_or_default();
    assert!(message.contains("--overlap 1"), "{message}");
    assert_eq!(alice.finished_histogram(), [0, 3]);
}

#[test]
fn stats_json_counts_articles_by_how_many_annotators_finished_them() {
    let dir = tempfile::tempdir().unwrap();
    let articles = three_articles();
    let corpus: String = articles
        .iter()
        .map(|a| {
            serde_json::json!({"id": a.id, "title": a.title, "text": a.text}).to_string() + "\n"
        })
        .collect();
    std::fs::write(dir.path().join("news.jsonl"), corpus).unwrap();
    let folder = dir.path().join("team");
    for (who, finished) in [("alice", &[0, 1][..]), ("bob", &[0][..])] {
        let mut journal = LabelStore::open_as(&folder.join(format!("{who}.jsonl")), who).unwrap();
        for &article in finished {
            for s in 0..3 {
                journal
                    .append(stored(&articles, article, s, &[], who))
                    .unwrap();
            }
        }
        // One sentence of the third article: not finished.
        journal.append(stored(&articles, 2, 0, &[], who)).unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["stats", "news.jsonl", "--labels", "team", "--json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        stats["per_article_annotators"],
        serde_json::json!({"0": 1, "1": 1, "2": 1}),
        "{stats}"
    );
}
