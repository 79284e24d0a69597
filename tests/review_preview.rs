//! The review preview: the selected row's whole sentence with its neighbours, its article's
//! title (or first words), every annotator's decision, the text filter's matches; as the
//! state gives it, drawn at 80x24 and 120x40, and in the real binary.

use crate::common;

use common::pty::{Home, Terminal};
use common::screen::{draw, find, row_text};
use common::*;
use ratatui::style::{Color, Modifier};
use stance::app::{Action, LabelFilter, State};
use stance::corpus::Article;
use stance::store::Event;

const LONG: &str = "The foreign ministers of both countries met on Tuesday in the capital to \
    discuss the oil embargo, the sanctions on steel and the fate of the talks, and agreed \
    to meet again next month.";

fn articles() -> Vec<Article> {
    let mut articles = three_articles();
    articles[1].text = format!("Talks stalled on Monday. {LONG} A missile test followed.");
    // Untitled: rows and the preview show its first words.
    articles[2].title = String::new();
    articles
}

fn session(width: u16, height: u16) -> State {
    let articles = articles();
    let setup = stance::app::Setup {
        events: vec![
            stored(&articles, 0, 0, &["diplomatic"], "alice"),
            stored(&articles, 1, 1, &["sanctions"], "alice"),
            stored(&articles, 1, 1, &["diplomatic", "military"], "bob"),
            stored(&articles, 2, 1, &[], "bob"),
        ],
        review: Some(LabelFilter::Any),
        ..setup(articles)
    };
    open(setup, width, height)
}

#[test]
fn the_preview_has_the_whole_sentence_its_neighbours_title_and_annotators() {
    let mut s = session(80, 24);
    let p = s.review_preview().expect("a row is selected");
    assert_eq!(p.sentence, "Envoys met in Geneva.");
    assert_eq!((p.before, p.number), (None, Some(1)));
    assert_eq!(p.after, Some("Sanctions were discussed."));
    assert_eq!(p.title.as_deref(), Some("Title of a"));
    run(&mut s, [Action::NextSentence]);
    let p = s.review_preview().unwrap();
    assert_eq!(p.sentence, LONG);
    assert_eq!(p.before, Some("Talks stalled on Monday."));
    assert_eq!(p.after, Some("A missile test followed."));
    let who: Vec<(&str, Vec<String>)> = p
        .annotators
        .iter()
        .map(|(name, labels)| (*name, labels.cloned().unwrap_or_default()))
        .collect();
    assert_eq!(
        who,
        [
            ("alice", labels(&["sanctions"])),
            ("bob", labels(&["diplomatic", "military"]))
        ]
    );
    run(&mut s, [Action::LastSentence]);
    let p = s.review_preview().unwrap();
    assert_eq!(
        p.title.as_deref(),
        Some("The summit ended. Exports were banned. Ships left…")
    );
    assert_eq!(p.number, Some(2));
}

#[test]
#[allow(clippy::single_range_in_vec_init)]
fn the_text_filter_match_is_in_the_preview() {
    let mut s = session(80, 24);
    run(&mut s, [Action::Search]);
    for c in "embargo".chars() {
        run(&mut s, [Action::Type(c)]);
    }
    run(&mut s, [Action::Submit]);
    let p = s.review_preview().unwrap();
    let at = LONG.find("embargo").unwrap();
    assert_eq!(p.matches, [at..at + "embargo".len()]);
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    let (x, y) = find(buf, "embargo,");
    assert!(y > s.screen().preview.y, "in the preview, not the list");
    for dx in 0..7 {
        let cell = &buf[(x + dx, y)];
        assert_eq!(cell.bg, Color::Yellow, "{dx}");
        assert!(cell.modifier.contains(Modifier::UNDERLINED), "{dx}");
    }
    assert_ne!(buf[(x + 7, y)].bg, Color::Yellow);
}

#[test]
fn preview_80x24() {
    let mut s = session(80, 24);
    run(&mut s, [Action::NextSentence]);
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    // The whole sentence is there, wrapped, though its row is cut.
    let preview: String = (s.screen().preview.y..s.screen().status.y)
        .map(|y| row_text(buf, y))
        .collect::<Vec<_>>()
        .join(" ");
    let folded: String = preview.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(folded.contains(LONG), "{folded}");
    // The neighbours are dimmed, the sentence is not.
    let (x, y) = find(buf, "Talks stalled");
    assert_eq!(buf[(x, y)].fg, Color::DarkGray);
    let (x, y) = find(buf, "The foreign");
    assert_ne!(buf[(x, y)].fg, Color::DarkGray);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn preview_120x40() {
    let mut s = session(120, 40);
    run(&mut s, [Action::NextSentence, Action::NextSentence]);
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}

#[test]
fn untitled_rows_show_first_words_not_untitled() {
    let s = session(120, 40);
    let terminal = draw(&s, 120, 40);
    let screen = format!("{:?}", terminal.backend());
    assert!(!screen.contains("(untitled)"), "{screen}");
    assert!(screen.contains("The summit ended."), "{screen}");
}

#[test]
fn the_real_binary_shows_the_preview_in_review() {
    let home = Home::new();
    let text = format!("Talks stalled on Monday. {LONG} A missile test followed.");
    let line = serde_json::json!({"id": "b1", "text": text}).to_string();
    let corpus = home
        .write("news.jsonl", &(line + "\n"))
        .display()
        .to_string();
    let start = text.find(LONG).unwrap();
    let event = Event::set("b1", start, LONG, ["sanctions"], "bob", 1_700_000_000_000);
    let labels = home
        .write(
            "labels.jsonl",
            &(serde_json::to_string(&event).unwrap() + "\n"),
        )
        .display()
        .to_string();
    let term = Terminal::spawn(&home, &["review", &corpus, "--labels", &labels], 80, 24);
    let screen = term.wait_until("the preview with the whole sentence", |s| {
        s.contains("bob: sanctions") && s.contains("next month.")
    });
    assert!(screen.contains("Talks stalled on Monday."), "{screen}");
    assert!(screen.contains("sentence 2"), "{screen}");
    // Untitled: the first words stand for the title in the row and the preview.
    assert!(!screen.contains("(untitled)"), "{screen}");
    assert!(
        screen.contains("Talks stalled on Monday. The foreign"),
        "{screen}"
    );
}
