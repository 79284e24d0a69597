//! Helpers shared by the test files: sessions without a terminal, and the real binary in a
//! pseudo-terminal.
#![allow(dead_code)]

pub mod bounded;
pub mod encoder;
pub mod harden;
pub mod identity;
pub mod predict;
pub mod pty;
pub mod screen;

use std::sync::Arc;

use stance::app::{Action, Effect, Setup, State, update};
use stance::corpus::Article;
use stance::store::{Event, Op};

/// The name the test harness knows test `name` of the module `module` (its `module_path!()`)
/// by, for running that one test again in a child process with `--exact`: in a suite of
/// `tests/suites/`, each test file is a module of the suite's crate.
pub fn test_path(module: &str, name: &str) -> String {
    match module.split_once("::") {
        Some((_, file)) => format!("{file}::{name}"),
        None => name.to_string(),
    }
}

/// An article with no metadata.
pub fn article(id: &str, text: &str) -> Article {
    Article {
        id: id.to_owned(),
        title: format!("Title of {id}"),
        text: text.to_owned(),
        meta: vec![("date".to_owned(), "2017-12-31".to_owned())],
        source: format!("{id}.txt"),
    }
}

/// Three short articles of three sentences each.
pub fn three_articles() -> Vec<Article> {
    vec![
        article(
            "a",
            "Envoys met in Geneva. Sanctions were discussed. Troops stayed home.",
        ),
        article(
            "b",
            "Talks stalled on Monday. Tariffs rose again. A missile test followed.",
        ),
        article(
            "c",
            "The summit ended. Exports were banned. Ships left port.",
        ),
    ]
}

/// The setup of a session by `alice` on these articles, with the default schema and keys.
pub fn setup(articles: Vec<Article>) -> Setup {
    Setup::new(Arc::new(articles), "alice", "/tmp/labels.jsonl")
}

/// A session at 80x24 on these articles.
pub fn session(articles: Vec<Article>) -> State {
    open(setup(articles), 80, 24)
}

/// A session from a setup at a terminal size.
pub fn open(setup: Setup, width: u16, height: u16) -> State {
    let mut state = State::new(setup);
    update(&mut state, Action::Resize { width, height });
    state
}

/// Runs actions; returns every effect, with every save reported as done.
pub fn run(state: &mut State, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    let mut all = Vec::new();
    for action in actions {
        let effects = update(state, action);
        for effect in &effects {
            match effect {
                Effect::Save { seq, .. } => {
                    update(state, Action::Saved(*seq));
                }
                Effect::SaveAll(saves) => {
                    for (seq, _) in saves {
                        update(state, Action::Saved(*seq));
                    }
                }
                Effect::SaveRemark { seq, .. } => {
                    update(state, Action::Saved(*seq));
                }
                _ => {}
            }
        }
        all.extend(effects);
    }
    all
}

/// The journal events among the effects, as the store would write them (at time 0).
pub fn saves(effects: &[Effect]) -> Vec<Event> {
    effects
        .iter()
        .flat_map(|e| match e {
            Effect::Save { decision, .. } => vec![decision.event(0)],
            Effect::SaveAll(saves) => saves.iter().map(|(_, d)| d.event(0)).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// `(op, article, labels)` of each save, for short assertions.
pub fn decisions(effects: &[Effect]) -> Vec<(Op, String, Vec<String>)> {
    saves(effects)
        .into_iter()
        .map(|e| (e.op, e.article, e.labels))
        .collect()
}

/// Label names as owned strings.
pub fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// The stored annotation of sentence `sentence` of `articles[article]` by `annotator`.
pub fn stored(
    articles: &[Article],
    article: usize,
    sentence: usize,
    names: &[&str],
    annotator: &str,
) -> Event {
    let a = &articles[article];
    let span = stance::corpus::segment(&a.text)[sentence];
    let text = &a.text[span.start..span.end];
    Event::set(&a.id, span.start, text, names.iter().copied(), annotator, 1)
}

/// The three articles with labels by alice and bob: alice has a1 s0 diplomatic, a2 s1
/// sanctions, a3 s2 no stance; bob has a1 s0 military and a2 s1 diplomatic+sanctions.
pub fn reviewed_setup() -> Setup {
    let articles = three_articles();
    let events = vec![
        stored(&articles, 0, 0, &["diplomatic"], "alice"),
        stored(&articles, 1, 1, &["sanctions"], "alice"),
        stored(&articles, 2, 2, &[], "alice"),
        stored(&articles, 0, 0, &["military"], "bob"),
        stored(&articles, 1, 1, &["diplomatic", "sanctions"], "bob"),
    ];
    Setup {
        events,
        review: Some(stance::app::LabelFilter::Any),
        ..setup(articles)
    }
}

/// The review list's rows as `(sentence, annotator, labels)`.
pub fn rows(state: &State) -> Vec<(String, String, Option<Vec<String>>)> {
    let review = state.review();
    review
        .rows()
        .iter()
        .map(|&id| {
            let entry = review.entry(id);
            (
                review.text(id, state.articles()).to_owned(),
                review.annotators()[entry.annotator as usize].clone(),
                entry.labels.clone(),
            )
        })
        .collect()
}
