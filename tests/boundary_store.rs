//! Boundary overrides in the label store, on real files: journaled as version 3 lines,
//! replayed newest-wins per offset whoever wrote them, kept by compaction, and refused when
//! malformed with the line named.

use std::fs;

use stance::store::{
    BoundaryChange, BoundaryKind, Decision, LabelStore, MemoryStore, Origin, Store, StoreError,
};

const TEXT: &str = "Talks resumed on Monday in Geneva. Troops moved north.";

fn change(kind: Option<BoundaryKind>, at: usize, who: &str) -> BoundaryChange {
    BoundaryChange {
        article: "a1".into(),
        kind,
        start: 0,
        end: TEXT.len(),
        at,
        text: TEXT.into(),
        annotator: who.into(),
    }
}

fn decision() -> Decision {
    Decision {
        article: "a1".into(),
        start: 0,
        end: 34,
        text: TEXT[..34].into(),
        labels: Some(vec!["military".into()]),
        origin: Origin::Typed,
        annotator: "alice".into(),
        scores: None,
    }
}

#[test]
fn overrides_replay_newest_per_offset_and_survive_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    Store::append(&mut store, &decision()).unwrap();
    store
        .append_boundary(change(Some(BoundaryKind::Split), 17, "alice").event(1))
        .unwrap();
    store
        .append_boundary(change(Some(BoundaryKind::Merge), 35, "alice").event(2))
        .unwrap();
    store
        .append_boundary(change(Some(BoundaryKind::Split), 24, "bob").event(3))
        .unwrap();
    store
        .append_boundary(change(None, 17, "bob").event(4))
        .unwrap();
    let live = |store: &LabelStore| -> Vec<(usize, BoundaryKind, String)> {
        store
            .boundaries()
            .of("a1")
            .map(|o| (o.at, o.kind, o.annotator.clone()))
            .collect()
    };
    let expected = vec![
        (24, BoundaryKind::Split, "bob".to_owned()),
        (35, BoundaryKind::Merge, "alice".to_owned()),
    ];
    assert_eq!(live(&store), expected);
    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["v"], 1, "a decision stays at its old version");
    assert!(lines[1..].iter().all(|l| l["v"] == 3), "{text}");
    assert_eq!(lines[4]["op"], "restore");
    drop(store);

    let reopened = LabelStore::open_read_only(&path).unwrap();
    assert_eq!(live(&reopened), expected);
    let mut store = LabelStore::open_as(&path, "alice").unwrap();
    store.compact().unwrap();
    // The decision, the two live overrides, and the withdrawal: in a store folder it may
    // withdraw another annotator's line.
    let compacted_text = fs::read_to_string(&path).unwrap();
    assert_eq!(compacted_text.lines().count(), 4, "{compacted_text}");
    assert_eq!(
        compacted_text
            .lines()
            .filter(|l| l.contains(r#""op":"restore""#))
            .count(),
        1
    );
    drop(store);
    let compacted = LabelStore::open_read_only(&path).unwrap();
    assert_eq!(live(&compacted), expected);
    assert_eq!(compacted.annotations().count(), 1);
}

#[test]
fn malformed_boundary_lines_are_refused_with_their_line_number() {
    let good = change(Some(BoundaryKind::Split), 17, "alice").event(1);
    let good = serde_json::to_value(&good).unwrap();
    let cases = [
        ("v", serde_json::json!(2), "needs journal format version 3"),
        ("at", serde_json::Value::Null, "needs the field at"),
        ("at", serde_json::json!(TEXT.len()), "is not inside"),
        ("op", serde_json::json!("set"), "only for boundary ops"),
    ];
    for (field, value, reason_part) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.jsonl");
        let mut bad = good.clone();
        if value.is_null() {
            bad.as_object_mut().unwrap().remove(field);
        } else {
            bad[field] = value;
        }
        let text = format!("{}\n{bad}\n{good}\n", serde_json::to_string(&good).unwrap());
        fs::write(&path, &text).unwrap();
        match LabelStore::open_read_only(&path) {
            Err(StoreError::BadLine { line, reason, .. }) => {
                assert_eq!(line, 2, "{field}: {reason}");
                assert!(reason.contains(reason_part), "{field}: {reason}");
            }
            other => panic!("{field}: {other:?}"),
        }
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            text,
            "nothing is rewritten"
        );
    }
}

#[test]
fn an_override_one_session_makes_applies_in_the_others() {
    let alice = MemoryStore::new("shared");
    let mut bob = alice.session();
    let mut alice = alice;
    alice
        .append_boundary(&change(Some(BoundaryKind::Split), 17, "alice"))
        .unwrap();
    bob.arrivals().unwrap();
    let seen: Vec<(usize, String)> = bob
        .boundaries()
        .of("a1")
        .map(|o| (o.at, o.annotator.clone()))
        .collect();
    assert_eq!(seen, [(17, "alice".to_owned())]);
    bob.append_boundary(&change(None, 17, "bob")).unwrap();
    alice.arrivals().unwrap();
    assert!(alice.boundaries().is_empty());
}
