//! Store folders (one journal per annotator) on real files: merged reads, other annotators'
//! decisions followed as arrivals, the folder's refusals, and `stance store convert`.

use std::fs;
use std::path::Path;

use stance::store::{
    Decision, Event, FolderStore, LabelStore, Layout, Op, OpenedStore, Origin, Store, StoreError,
    layout_of,
};

fn decision(start: usize, labels: &[&str], who: &str) -> Decision {
    let text = format!("Sentence at {start}.");
    Decision {
        article: "a1".into(),
        start,
        end: start + text.len(),
        text,
        labels: Some(labels.iter().map(|l| (*l).to_owned()).collect()),
        origin: Origin::Typed,
        annotator: who.into(),
        scores: None,
    }
}

/// Every annotation as an owned event, in one order.
fn all(store: &dyn Store) -> Vec<Event> {
    let mut events: Vec<Event> = store.annotations().map(|a| a.to_event()).collect();
    events.sort_by(|a, b| (&a.annotator, a.start).cmp(&(&b.annotator, b.start)));
    events
}

fn summary(events: &[Event]) -> Vec<(Op, String, usize, Vec<String>)> {
    events
        .iter()
        .map(|e| (e.op, e.annotator.clone(), e.start, e.labels.clone()))
        .collect()
}

#[test]
fn each_annotator_writes_their_own_journal_and_reads_everyone_s() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("team");
    let mut alice = FolderStore::open_as(&folder, "alice").unwrap();
    let mut bob = FolderStore::open_as(&folder, "Bob Smith").unwrap();
    alice
        .append(&decision(0, &["diplomatic"], "alice"))
        .unwrap();
    bob.append(&decision(0, &["military"], "Bob Smith"))
        .unwrap();
    bob.append(&decision(20, &[], "Bob Smith")).unwrap();

    // Each file grows only by its owner, under a name that is safe and reads back.
    let alice_file = fs::read_to_string(folder.join("alice.jsonl")).unwrap();
    let bob_file = fs::read_to_string(folder.join("%42ob%20%53mith.jsonl")).unwrap();
    assert_eq!(alice_file.lines().count(), 1);
    assert_eq!(bob_file.lines().count(), 2);
    assert!(!alice_file.contains("Bob"));

    // Alice's session learns of Bob's journal (new since she opened) as arrivals.
    let arrived = alice.arrivals().unwrap();
    assert_eq!(
        summary(&arrived),
        [
            (Op::Set, "Bob Smith".into(), 0, vec!["military".into()]),
            (Op::Set, "Bob Smith".into(), 20, vec![]),
        ]
    );
    assert!(alice.arrivals().unwrap().is_empty(), "each arrival once");

    // A later decision and a clear, followed from the end of what was read.
    bob.append(&decision(40, &["sanctions"], "Bob Smith"))
        .unwrap();
    let mut clear = decision(0, &[], "Bob Smith");
    clear.labels = None;
    bob.append(&clear).unwrap();
    let arrived = alice.arrivals().unwrap();
    assert_eq!(
        summary(&arrived),
        [
            (Op::Set, "Bob Smith".into(), 40, vec!["sanctions".into()]),
            (Op::Clear, "Bob Smith".into(), 0, vec![]),
        ]
    );
    let reader = OpenedStore::open_read_only(&folder).unwrap();
    assert_eq!(all(&alice), all(&reader));
    assert_eq!(
        summary(&all(&reader)),
        [
            (Op::Set, "Bob Smith".into(), 20, vec![]),
            (Op::Set, "Bob Smith".into(), 40, vec!["sanctions".into()]),
            (Op::Set, "alice".into(), 0, vec!["diplomatic".into()]),
        ]
    );
}

#[test]
fn a_line_still_being_written_waits_and_a_compacted_journal_brings_no_false_arrivals() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("team");
    let mut alice = FolderStore::open_as(&folder, "alice").unwrap();
    let bob_path = folder.join("bob.jsonl");
    let mut bob = LabelStore::open_as(&bob_path, "bob").unwrap();
    Store::append(&mut bob, &decision(0, &["military"], "bob")).unwrap();
    assert_eq!(alice.arrivals().unwrap().len(), 1);

    // Half a line (a writer mid-write): not an event yet.
    let event = Event::set("a1", 50, "Sentence at 50.", ["military"], "bob", 5);
    let line = serde_json::to_string(&event).unwrap() + "\n";
    let (first, rest) = line.split_at(30);
    let mut raw = fs::OpenOptions::new().append(true).open(&bob_path).unwrap();
    std::io::Write::write_all(&mut raw, first.as_bytes()).unwrap();
    assert!(alice.arrivals().unwrap().is_empty());
    std::io::Write::write_all(&mut raw, rest.as_bytes()).unwrap();
    let arrived = alice.arrivals().unwrap();
    assert_eq!(
        summary(&arrived),
        [(Op::Set, "bob".into(), 50, vec!["military".into()])]
    );

    // Compaction renames a new file over the journal: same annotations, nothing arrives.
    drop(bob);
    let mut bob = LabelStore::open_as(&bob_path, "bob").unwrap();
    bob.compact().unwrap();
    assert!(alice.arrivals().unwrap().is_empty());
    Store::append(&mut bob, &decision(0, &["sanctions"], "bob")).unwrap();
    let arrived = alice.arrivals().unwrap();
    assert_eq!(
        summary(&arrived),
        [(Op::Set, "bob".into(), 0, vec!["sanctions".into()])]
    );
    assert_eq!(
        all(&alice),
        all(&OpenedStore::open_read_only(&folder).unwrap())
    );
}

#[test]
fn the_same_annotator_twice_is_refused_and_a_stranger_s_lines_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("team");
    let _alice = FolderStore::open_as(&folder, "alice").unwrap();
    let err = FolderStore::open_as(&folder, "alice").unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Locked { .. }), "{message}");
    assert!(message.contains("alice.jsonl"), "{message}");
    assert!(
        message.contains(&format!("process {}", std::process::id())),
        "{message}"
    );
    assert!(
        FolderStore::open_as(&folder, "bob").is_ok(),
        "others write meanwhile"
    );

    // Bob's journal holding Carol's decision: refused, naming the file and the annotator.
    let mut carol = LabelStore::open_as(&dir.path().join("carol.jsonl"), "carol").unwrap();
    Store::append(&mut carol, &decision(0, &["military"], "carol")).unwrap();
    fs::copy(dir.path().join("carol.jsonl"), folder.join("dan.jsonl")).unwrap();
    let message = FolderStore::open_read_only(&folder)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("dan.jsonl") && message.contains("\"carol\""),
        "{message}"
    );
    fs::remove_file(folder.join("dan.jsonl")).unwrap();

    // A .jsonl name that no annotator's name encodes to.
    fs::write(folder.join("Dan.jsonl"), "").unwrap();
    let message = FolderStore::open_read_only(&folder)
        .unwrap_err()
        .to_string();
    assert!(message.contains("Dan.jsonl"), "{message}");
    fs::remove_file(folder.join("Dan.jsonl")).unwrap();

    // A name too long for a file, and another's decision into one's own journal.
    let long = "x".repeat(300);
    let message = FolderStore::open_as(&folder, &long)
        .unwrap_err()
        .to_string();
    assert!(message.contains("file name"), "{message}");
    let mut bob = FolderStore::open_as(&folder, "bob2").unwrap();
    let message = bob
        .append(&decision(0, &[], "alice"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("\"alice\""), "{message}");
    assert_eq!(fs::read(folder.join("bob2.jsonl")).unwrap(), b"");
}

/// Writes a single-file store the way an older stance did: several annotators in one journal,
/// superseded and cleared decisions, a hostile name, and a torn last line.
fn old_store(path: &Path) -> Vec<u8> {
    let mut store = LabelStore::open_as(path, "lead").unwrap();
    for (start, labels, who) in [
        (0, &["diplomatic"][..], "alice"),
        (0, &["military"][..], "bob"),
        (20, &[][..], "alice"),
        (0, &["sanctions"][..], "alice"),
        (20, &["military"][..], "Zoë/../\u{1b}[31m"),
        (40, &["diplomatic"][..], "bob"),
    ] {
        Store::append(&mut store, &decision(start, labels, who)).unwrap();
    }
    let mut clear = decision(40, &[], "bob");
    clear.labels = None;
    Store::append(&mut store, &clear).unwrap();
    drop(store);
    let mut raw = fs::OpenOptions::new().append(true).open(path).unwrap();
    std::io::Write::write_all(&mut raw, b"{\"v\":1,\"op\":\"se").unwrap();
    fs::read(path).unwrap()
}

#[test]
fn convert_keeps_every_line_and_every_annotation_and_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("labels.jsonl");
    let bytes = old_store(&journal);
    let before = all(&OpenedStore::open_read_only(&journal).unwrap());
    assert_eq!(before.len(), 4);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["store", "convert", "--labels", "labels.jsonl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("7 lines copied"), "{stderr}");
    assert!(stderr.contains("cut short"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "a name reaches the terminal escaped: {stderr}"
    );

    // The journal path now names the folder; the old file is kept, byte for byte.
    let folder = dir.path().join("labels");
    assert_eq!(layout_of(&journal), Layout::Folder(folder.clone()));
    let kept: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("labels.jsonl.converted-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(fs::read(dir.path().join(&kept[0])).unwrap(), bytes);

    let after = all(&OpenedStore::open_read_only(&journal).unwrap());
    assert_eq!(after, before);
    let mut lines = 0;
    for entry in fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let events: Vec<Event> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let owner = &events[0].annotator;
        assert!(
            events.iter().all(|e| &e.annotator == owner),
            "{}",
            path.display()
        );
        lines += events.len();
    }
    assert_eq!(lines, 7, "superseded and cleared lines are copied too");

    // A session of one of them goes on in the folder, and the others' stay as they are.
    let mut alice = OpenedStore::open_as(&journal, "alice").unwrap();
    alice.append(&decision(60, &["military"], "alice")).unwrap();
    assert_eq!(
        fs::read_to_string(folder.join("alice.jsonl"))
            .unwrap()
            .lines()
            .count(),
        4
    );

    let again = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["store", "convert", "--labels", "labels.jsonl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already a store folder"));
}

#[test]
fn convert_refuses_a_store_in_use_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("labels.jsonl");
    let bytes = old_store(&journal);
    let _session = LabelStore::open_as(&journal, "alice").unwrap();
    let err = stance::store::convert(&journal, "lead").unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert_eq!(fs::read(&journal).unwrap(), bytes);
    assert!(!dir.path().join("labels").exists());
    assert!(!dir.path().join("labels.convert-tmp").exists());
}

#[test]
fn export_refuses_to_write_into_a_store_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("team");
    let mut alice = FolderStore::open_as(&folder, "alice").unwrap();
    alice.append(&decision(0, &["military"], "alice")).unwrap();
    drop(alice);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["export", "--labels", "team", "--format", "jsonl"])
        .args(["--out", "team/export.jsonl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("label store folder"), "{stderr}");
    assert!(!folder.join("export.jsonl").exists());
    assert!(FolderStore::open_read_only(&folder).is_ok());
}

#[test]
fn a_read_only_single_file_store_follows_its_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.jsonl");
    let mut writer = LabelStore::open_as(&path, "alice").unwrap();
    Store::append(&mut writer, &decision(0, &["military"], "alice")).unwrap();
    let mut reader = OpenedStore::open_read_only(&path).unwrap();
    assert!(reader.arrivals().unwrap().is_empty());
    Store::append(&mut writer, &decision(20, &[], "alice")).unwrap();
    let arrived = reader.arrivals().unwrap();
    assert_eq!(summary(&arrived), [(Op::Set, "alice".into(), 20, vec![])]);
    assert!(
        Store::arrivals(&mut writer).unwrap().is_empty(),
        "a writer has none"
    );
    assert_eq!(all(&reader), all(&writer));
}
