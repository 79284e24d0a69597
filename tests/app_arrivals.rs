//! Decisions that another session appends reach a running session through the store, and the
//! session's one model of annotations (article view, review list, statistics, counts) takes
//! them in; the in-memory store stands for a store two annotators share.

use crate::common;

use common::*;
use stance::app::{Action, Filter, LabelFilter, State, update};
use stance::store::{Decision, MemoryStore, Origin, Store};

fn decision(
    article: &str,
    start: usize,
    text: &str,
    labels: Option<&[&str]>,
    who: &str,
) -> Decision {
    Decision {
        article: article.into(),
        start,
        end: start + text.len(),
        text: text.into(),
        labels: labels.map(|l| l.iter().map(|s| (*s).to_owned()).collect()),
        origin: Origin::Typed,
        annotator: who.into(),
        scores: None,
    }
}

/// Alice's session on the shared store, opened on the review list, with `arrive` called for
/// what the store hands over.
struct Shared {
    alice: State,
    her_store: MemoryStore,
    bob: MemoryStore,
}

impl Shared {
    fn new() -> Shared {
        let store = MemoryStore::new("team");
        let bob = store.session();
        let mut setup = setup(three_articles());
        setup.review = Some(LabelFilter::Any);
        let alice = open(setup, 100, 30);
        Shared {
            alice,
            her_store: store,
            bob,
        }
    }

    /// Bob appends; alice's store hands his decisions over; her session takes them in.
    fn bob_decides(&mut self, decisions: &[Decision]) {
        for d in decisions {
            self.bob.append(d).unwrap();
        }
        let arrived = self.her_store.arrivals().unwrap();
        assert_eq!(arrived.len(), decisions.len());
        update(&mut self.alice, Action::Arrived(arrived));
    }
}

#[test]
fn another_annotators_decisions_join_the_review_list_and_the_counts_but_not_the_article_view() {
    let mut s = Shared::new();
    run(&mut s.alice, [Action::Review, Action::ToggleLabel(0)]);
    assert_eq!(s.alice.overall().annotated, 1);
    s.bob_decides(&[
        decision("a", 0, "Envoys met in Geneva.", Some(&["military"]), "bob"),
        decision("b", 25, "Tariffs rose again.", Some(&[]), "bob"),
        decision("gone", 0, "A deleted article.", Some(&["sanctions"]), "bob"),
    ]);
    let alice = &s.alice;
    assert_eq!(alice.overall().annotated, 1, "alice's own counts are hers");
    assert_eq!(alice.annotation(0), Some(&labels(&["diplomatic"])));
    assert_eq!(
        alice.all_annotators().annotated,
        3,
        "alice's one and bob's two"
    );
    assert_eq!(alice.annotator_counts(), [("bob", 2), ("alice", 1)]);
    assert_eq!(
        alice.review().orphans(),
        1,
        "bob's on the article that is gone"
    );
    assert_eq!(alice.orphaned(), 0);
    let shown: Vec<(String, String)> = rows(alice)
        .into_iter()
        .map(|(text, who, _)| (text, who))
        .collect();
    assert_eq!(
        shown,
        [
            ("Envoys met in Geneva.".to_owned(), "alice".to_owned()),
            ("Envoys met in Geneva.".to_owned(), "bob".to_owned()),
            ("Tariffs rose again.".to_owned(), "bob".to_owned()),
            ("A deleted article.".to_owned(), "bob".to_owned()),
        ]
    );
}

#[test]
fn a_withdrawal_or_change_from_outside_updates_the_same_entry() {
    let mut s = Shared::new();
    let envoys = "Envoys met in Geneva.";
    s.bob_decides(&[decision("a", 0, envoys, Some(&["military"]), "bob")]);
    assert_eq!(s.alice.all_annotators().labels, [0, 0, 1]);
    s.bob_decides(&[decision("a", 0, envoys, Some(&["diplomatic"]), "bob")]);
    assert_eq!(s.alice.all_annotators().labels, [1, 0, 0]);
    assert_eq!(
        s.alice.review().len(),
        1,
        "one entry per sentence and annotator"
    );
    s.bob_decides(&[decision("a", 0, envoys, None, "bob")]);
    assert_eq!(s.alice.all_annotators().annotated, 0);
    assert_eq!(rows(&s.alice)[0].2, None, "withdrawn, still listed");
}

#[test]
fn an_arrival_that_no_longer_fits_the_text_is_an_orphan_never_attached_elsewhere() {
    let mut s = Shared::new();
    // Sentences of article a are known (the cursor is in it): a span that is not one of them.
    s.bob_decides(&[
        decision("a", 0, "Envoys met", Some(&["military"]), "bob"),
        decision("a", 0, "Envoys met in Paris.", Some(&["military"]), "bob"),
    ]);
    let model = s.alice.annotations();
    let reasons: Vec<_> = model
        .entries()
        .iter()
        .map(|e| e.orphan.as_ref().map(|o| o.reason))
        .collect();
    use stance::attach::Orphan;
    assert_eq!(
        reasons,
        [Some(Orphan::NotASentence), Some(Orphan::TextChanged)]
    );
    assert_eq!(s.alice.all_annotators().annotated, 0);
}

#[test]
fn a_new_annotator_keeps_the_annotator_filter_on_the_same_person() {
    let mut s = Shared::new();
    s.bob_decides(&[decision("a", 0, "Envoys met in Geneva.", Some(&[]), "bob")]);
    // Filter by bob: annotators are alice, bob.
    run(
        &mut s.alice,
        [Action::FilterAnnotator, Action::FilterAnnotator],
    );
    let bob = s.alice.review().filter().annotator.unwrap();
    assert_eq!(s.alice.review().annotators()[bob as usize], "bob");
    // "aaron" sorts first: every index moves, the filter still means bob.
    let aaron = decision("b", 0, "Talks stalled on Monday.", Some(&[]), "aaron");
    s.bob_decides(&[aaron]);
    let filter: &Filter = s.alice.review().filter();
    let who = filter.annotator.unwrap();
    assert_eq!(s.alice.review().annotators()[who as usize], "bob");
    assert_eq!(
        s.alice.review().annotators()[s.alice.review().me() as usize],
        "alice"
    );
    assert_eq!(
        s.alice.annotator_counts(),
        [("aaron", 1), ("bob", 1), ("alice", 0)]
    );
}
