//! Flags and notes in the label store, on real files: journaled as version 4 lines per
//! annotator, newest-wins per target, kept by compaction, recreation, store folders and
//! `convert`, and refused when malformed with the line named.

use std::fs;

use stance::store::{
    Decision, FolderStore, LabelStore, Origin, Remark, RemarkChange, Store, StoreError, convert,
};

const TEXT: &str = "Talks resumed on Monday in Geneva.";

fn remark(change: RemarkChange, who: &str) -> Remark {
    Remark {
        article: "a1".into(),
        start: 0,
        end: TEXT.len(),
        text: TEXT.into(),
        annotator: who.into(),
        change,
    }
}

fn decision(who: &str) -> Decision {
    Decision {
        article: "a1".into(),
        start: 0,
        end: TEXT.len(),
        text: TEXT.into(),
        labels: Some(vec!["military".into()]),
        origin: Origin::Typed,
        annotator: who.into(),
        scores: None,
    }
}

/// (flagged, note, article note) of `who` on the sentence and article.
fn shown(store: &dyn Store, who: &str) -> (bool, Option<String>, Option<String>) {
    let remarks = store.remarks();
    let on = remarks.of("a1", 0, TEXT.len(), who);
    (
        on.is_some_and(|r| r.flagged),
        on.and_then(|r| r.note.clone()),
        remarks.article_note("a1", who).map(str::to_owned),
    )
}

#[test]
fn flags_and_notes_are_version_4_lines_that_replay_and_survive_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    Store::append(&mut store, &decision("alice")).unwrap();
    for change in [
        RemarkChange::Flag,
        RemarkChange::Note("is this a threat?".into()),
        RemarkChange::ArticleNote("opinion piece".into()),
        RemarkChange::Unflag,
        RemarkChange::Flag,
    ] {
        Store::append_remark(&mut store, &remark(change, "alice")).unwrap();
    }
    let expected = (
        true,
        Some("is this a threat?".to_owned()),
        Some("opinion piece".to_owned()),
    );
    assert_eq!(shown(&store, "alice"), expected);
    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["v"], 1, "a decision stays at its old version");
    assert!(lines[1..].iter().all(|l| l["v"] == 4), "{text}");
    assert_eq!(lines[2]["note"], "is this a threat?");
    assert_eq!(lines[3]["op"], "article_note");
    assert_eq!(
        (lines[3]["start"].as_u64(), lines[3]["end"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(
        lines[1].get("note").is_none(),
        "a flag line has no note field"
    );
    // A flag is not a decision: the annotation is as it was.
    assert_eq!(store.annotations().count(), 1);
    drop(store);

    let reopened = LabelStore::open_read_only(&path).unwrap();
    assert_eq!(shown(&reopened, "alice"), expected);
    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    store.compact().unwrap();
    let compacted = fs::read_to_string(&path).unwrap();
    assert_eq!(compacted.lines().count(), 4, "{compacted}");
    drop(store);
    let reopened = LabelStore::open_read_only(&path).unwrap();
    assert_eq!(shown(&reopened, "alice"), expected);
    assert_eq!(reopened.annotations().count(), 1);
}

#[test]
fn an_empty_note_and_unflag_withdraw_and_stay_withdrawn_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    for change in [
        RemarkChange::Flag,
        RemarkChange::Note("x".into()),
        RemarkChange::ArticleNote("y".into()),
        RemarkChange::Unflag,
        RemarkChange::Note(String::new()),
        RemarkChange::ArticleNote(String::new()),
    ] {
        Store::append_remark(&mut store, &remark(change, "alice")).unwrap();
    }
    assert!(store.remarks().is_empty());
    drop(store);
    let reopened = LabelStore::open_read_only(&path).unwrap();
    assert!(reopened.remarks().is_empty());
}

#[test]
fn recreation_writes_the_remarks_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    Store::append_remark(&mut store, &remark(RemarkChange::Flag, "alice")).unwrap();
    Store::append_remark(
        &mut store,
        &remark(RemarkChange::Note("ask the lead".into()), "alice"),
    )
    .unwrap();
    fs::remove_file(&path).unwrap();
    let refused = Store::append_remark(&mut store, &remark(RemarkChange::Unflag, "alice"));
    assert!(
        refused.as_ref().is_err_and(StoreError::needs_recreate),
        "{refused:?}"
    );
    Store::recreate(&mut store).unwrap();
    drop(store);
    let reopened = LabelStore::open_read_only(&path).unwrap();
    assert_eq!(
        shown(&reopened, "alice"),
        (true, Some("ask the lead".to_owned()), None)
    );
}

#[test]
fn a_store_folder_merges_every_annotators_remarks_and_convert_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    Store::append_remark(&mut store, &remark(RemarkChange::Flag, "alice")).unwrap();
    Store::append_remark(
        &mut store,
        &remark(RemarkChange::ArticleNote("by bob".into()), "bob"),
    )
    .unwrap();
    drop(store);
    let converted = convert(&path, "alice").unwrap();
    assert_eq!(converted.annotators.len(), 2);

    let mut alice = FolderStore::open_as(&converted.folder, "alice").unwrap();
    assert_eq!(shown(&alice, "alice"), (true, None, None));
    assert_eq!(
        shown(&alice, "bob"),
        (false, None, Some("by bob".to_owned()))
    );
    Store::append_remark(
        &mut alice,
        &remark(RemarkChange::Note("mine".into()), "alice"),
    )
    .unwrap();
    let refused = Store::append_remark(&mut alice, &remark(RemarkChange::Flag, "bob"));
    assert!(refused.is_err(), "alice cannot write bob's flag");
    drop(alice);
    let reader = FolderStore::open_read_only(&converted.folder).unwrap();
    assert_eq!(
        shown(&reader, "alice"),
        (true, Some("mine".to_owned()), None)
    );
    assert_eq!(reader.remarks().len(), 3);
}

#[test]
fn malformed_remark_lines_are_refused_with_their_line_number() {
    let good = r#"{"v":4,"op":"flag","article":"a1","start":0,"end":5,"fp":"x","annotator":"a","ts":1,"text":"Talks"}"#;
    for (bad, why) in [
        (
            r#"{"v":4,"op":"note","article":"a1","start":0,"end":5,"fp":"x","annotator":"a","ts":1,"text":"Talks"}"#,
            "needs the field note",
        ),
        (
            r#"{"v":3,"op":"flag","article":"a1","start":0,"end":5,"fp":"x","annotator":"a","ts":1,"text":"Talks"}"#,
            "needs journal format version 4",
        ),
        (
            r#"{"v":4,"op":"flag","article":"a1","start":0,"end":5,"fp":"x","annotator":"a","ts":1,"text":"Talks","note":"n"}"#,
            "only for the ops note",
        ),
        (
            r#"{"v":4,"op":"article_note","article":"a1","start":0,"end":5,"fp":"x","annotator":"a","ts":1,"text":"","note":"n"}"#,
            "start and end 0",
        ),
        (
            r#"{"v":4,"op":"flag","article":"a1","start":0,"end":5,"fp":"x","labels":["m"],"annotator":"a","ts":1,"text":"Talks"}"#,
            "carries no labels",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.jsonl");
        fs::write(&path, format!("{good}\n{bad}\n{good}\n")).unwrap();
        let err = LabelStore::open_read_only(&path).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains(why), "{err}");
        assert_eq!(
            fs::read_to_string(&path).unwrap().lines().count(),
            3,
            "nothing is overwritten"
        );
    }
}
