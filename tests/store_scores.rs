//! An accepted suggestion's scores (journal format version 4) through append, replay and
//! compaction, on real files.

use std::fs;

use stance::store::{Decision, LabelStore, Origin, Scores, Store};

fn accepted(start: usize, scores: Option<Scores>) -> Decision {
    Decision {
        article: "a1".into(),
        start,
        end: start + 14,
        text: "Talks resumed.".into(),
        labels: Some(vec!["diplomatic".into()]),
        origin: if scores.is_some() {
            Origin::Suggestion
        } else {
            Origin::Typed
        },
        annotator: "alice".into(),
        scores,
    }
}

#[test]
fn scores_are_journaled_at_version_4_and_survive_replay_and_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let scores = Scores::new(
        ["diplomatic", "sanctions", "military"],
        &[0.8765, 0.12, 0.0],
    );
    {
        let mut store = LabelStore::open(&path).unwrap();
        Store::append(&mut store, &accepted(0, Some(scores.clone()))).unwrap();
        Store::append(&mut store, &accepted(20, None)).unwrap();
    }
    let lines = |path: &std::path::Path| -> Vec<serde_json::Value> {
        fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let written = lines(&path);
    assert_eq!(written[0]["v"], 4);
    assert_eq!(written[0]["origin"], "suggestion");
    assert_eq!(
        written[0]["scores"],
        serde_json::json!({"diplomatic": 0.8765, "sanctions": 0.12, "military": 0.0})
    );
    assert_eq!(
        written[1]["v"], 1,
        "a typed line stays readable by older readers"
    );
    assert!(written[1].get("scores").is_none());
    let mut store = LabelStore::open(&path).unwrap();
    let read: Vec<Option<Scores>> = store.annotations().map(|a| a.scores().cloned()).collect();
    assert_eq!(read, [Some(scores.clone()), None]);
    store.compact().unwrap();
    drop(store);
    let compacted = lines(&path);
    assert_eq!(
        compacted, written,
        "compaction keeps the scores and the versions"
    );
    let store = LabelStore::open(&path).unwrap();
    let events: Vec<_> = store.annotations().map(|a| a.to_event()).collect();
    assert_eq!(events[0].scores, Some(scores));
}

#[test]
fn a_bad_score_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let line = r#"{"v":4,"op":"set","article":"a1","start":0,"end":10,"fp":"cbf29ce484222325","labels":["diplomatic"],"annotator":"alice","ts":5,"origin":"suggestion","text":"","scores":{"diplomatic":1.5}}"#;
    fs::write(&path, format!("{line}\n{line}\n")).unwrap();
    let err = LabelStore::open(&path).unwrap_err().to_string();
    assert!(
        err.contains("line 1") && err.contains("between 0 and 1"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        format!("{line}\n{line}\n")
    );
    for (bad, why) in [
        (
            line.replace(r#""v":4"#, r#""v":3"#).replace("1.5", "0.5"),
            "version 4",
        ),
        (
            line.replace("suggestion", "typed").replace("1.5", "0.5"),
            "only on a set",
        ),
    ] {
        fs::write(&path, format!("{bad}\n{bad}\n")).unwrap();
        let err = LabelStore::open(&path).unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains(why), "{err}");
    }
}
