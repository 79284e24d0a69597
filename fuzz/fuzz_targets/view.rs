//! The session on any article and any actions at any size, and the same actions on an empty
//! corpus: no panic, no raw control character on screen, and the wrapped text within the pane.

#![no_main]

#[path = "common.rs"]
mod common;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use stance::app::layout::{MARK_WIDTH, layout};
use stance::app::{Action, Effect, Keymap, LabelFilter, update};
use stance::corpus::{Article, segment};
use stance::schema::Schema;
use stance::store::Event;

#[derive(Debug, Clone, Arbitrary)]
enum Step {
    Next,
    Previous,
    NextArticle,
    Label(u8),
    NoStance,
    Clear,
    Undo,
    Redo,
    Confirm,
    NextUnannotated,
    Scroll(bool),
    Wheel(i8),
    Click(u8, u8),
    Search(String),
    SearchNext,
    Fail,
    Resize(u8, u8),
    Review,
    Articles,
    Stats,
    FilterLabel,
    FilterBy(u8),
    FilterAnnotator,
    FilterOrphaned,
    ClearFilters,
    Type(char),
    Paste(String),
    Erase,
    Submit,
    Cancel,
    Help,
    Quit,
    Tick(u64),
}

#[derive(Debug, Arbitrary)]
struct Input {
    title: String,
    id: String,
    meta: Vec<(String, String)>,
    text: String,
    second: String,
    steps: Vec<Step>,
}

fn action(step: Step) -> Vec<Action> {
    match step {
        Step::Next => vec![Action::NextSentence],
        Step::Previous => vec![Action::PreviousSentence],
        Step::NextArticle => vec![Action::NextArticle],
        Step::Label(i) => vec![Action::ToggleLabel(usize::from(i % 4))],
        Step::NoStance => vec![Action::NoStance],
        Step::Clear => vec![Action::Clear],
        Step::Undo => vec![Action::Undo],
        Step::Redo => vec![Action::Redo],
        Step::Confirm => vec![Action::Confirm],
        Step::NextUnannotated => vec![Action::NextUnannotated],
        Step::Scroll(down) => vec![if down {
            Action::ScrollDown
        } else {
            Action::ScrollUp
        }],
        Step::Wheel(lines) => vec![Action::Wheel(i32::from(lines))],
        Step::Click(column, row) => vec![Action::Click {
            column: u16::from(column),
            row: u16::from(row),
        }],
        Step::Search(query) => {
            let mut actions = vec![Action::Search];
            actions.extend(query.chars().take(32).map(Action::Type));
            actions.push(Action::Submit);
            actions
        }
        Step::SearchNext => vec![Action::SearchNext],
        Step::Fail => Vec::new(),
        Step::Resize(width, height) => vec![Action::Resize {
            width: u16::from(width),
            height: u16::from(height),
        }],
        Step::Review => vec![Action::Review],
        Step::Articles => vec![Action::Articles],
        Step::Stats => vec![Action::Stats],
        Step::FilterLabel => vec![Action::FilterLabel],
        Step::FilterBy(i) => vec![Action::FilterBy(match i % 5 {
            0 => LabelFilter::Any,
            1 => LabelFilter::NoStance,
            n => LabelFilter::Label(usize::from(n - 2)),
        })],
        Step::FilterAnnotator => vec![Action::FilterAnnotator],
        Step::FilterOrphaned => vec![Action::FilterOrphaned],
        Step::ClearFilters => vec![Action::ClearFilters],
        Step::Type(c) => vec![Action::Type(c)],
        Step::Paste(text) => vec![Action::Paste(text)],
        Step::Erase => vec![Action::Erase],
        Step::Submit => vec![Action::Submit],
        Step::Cancel => vec![Action::Cancel],
        Step::Help => vec![Action::Help],
        Step::Quit => vec![Action::Quit],
        Step::Tick(ms) => vec![Action::Tick(ms)],
    }
}

fuzz_target!(|input: Input| {
    let id = if input.id.trim().is_empty() {
        "a".to_owned()
    } else {
        input.id
    };
    let first = Article {
        id: id.clone(),
        title: input.title,
        text: input.text,
        meta: input.meta.into_iter().take(8).collect(),
        source: "fuzz".to_owned(),
    };
    let second = Article {
        id: format!("{id}-2"),
        ..common::article(&input.second)
    };
    for article in [&first, &second] {
        let spans = segment(&article.text);
        for width in [0, 1, 2, 7, 40] {
            let wrapped = layout(&article.text, &spans, width);
            assert_eq!(wrapped.sentence_lines.len(), spans.len());
            for line in &wrapped.lines {
                let end = line
                    .last()
                    .map_or(0, |p| u32::from(p.column) + u32::from(p.width));
                let alone = line.len() == 1;
                assert!(end <= u32::from(width.max(MARK_WIDTH)) || alone, "{line:?}");
            }
        }
    }
    // Annotations already in the store: another annotator's on every sentence of the first
    // article, alice's on its first, and one whose article is gone (orphaned).
    let mut events: Vec<Event> = segment(&first.text)
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let labels = ["diplomatic", "sanctions", "military"]
                .into_iter()
                .take(i % 4);
            Event::set(
                &first.id,
                s.start,
                &first.text[s.start..s.end],
                labels,
                "bob",
                i as u64,
            )
        })
        .collect();
    if let Some(s) = segment(&first.text).first() {
        let text = &first.text[s.start..s.end];
        events.push(Event::set(
            &first.id,
            s.start,
            text,
            ["military"],
            "alice",
            9,
        ));
    }
    events.push(Event::set("gone", 0, "Gone.", ["sanctions"], "carol", 3));
    let steps: Vec<Step> = input.steps.into_iter().take(64).collect();
    // The stored annotations all become orphans on an empty corpus, so the review list still
    // has rows to search and filter.
    run(vec![first, second], events.clone(), steps.clone());
    run(Vec::new(), events, steps);
});

/// Runs `steps` on a session of `articles` with `events` in its store, answering each save,
/// then draws it at the size the steps left and at 80x24.
fn run(articles: Vec<Article>, events: Vec<Event>, steps: Vec<Step>) {
    let mut state = common::session_with(articles, Schema::default(), Keymap::default(), events);
    let mut fail_next = false;
    for step in steps {
        if matches!(step, Step::Fail) {
            fail_next = true;
        }
        for action in action(step) {
            for effect in update(&mut state, action) {
                if let Effect::Save { seq, .. } = effect {
                    let report = if fail_next {
                        Action::SaveFailed {
                            seq,
                            reason: "disk full \u{1b}[2J".to_owned(),
                            recreate: false,
                        }
                    } else {
                        Action::Saved(seq)
                    };
                    update(&mut state, report);
                }
            }
        }
    }
    let screen = *state.screen();
    let (width, height) = (screen.size.width.max(1), screen.size.height.max(1));
    common::draw(&mut state, width.min(300), height.min(120));
    common::draw(&mut state, 80, 24);
}
