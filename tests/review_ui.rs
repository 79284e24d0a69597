//! The review list, the article list and the statistics panel drawn into a test backend:
//! snapshots of the text at 80x24 and 160x48, and the styles of chips, bars and selection.

use crate::common;

use common::screen::{draw, find, row_text};
use common::*;
use ratatui::style::{Color, Modifier};
use stance::app::{Action, State};
use stance::corpus::Article;
use stance::store::fingerprint;

/// Articles with wire-like titles, one of them hostile, and labels by three annotators.
fn review_session(width: u16, height: u16) -> State {
    let mut articles = three_articles();
    articles[0].title = "Envoys meet in Geneva as sanctions threat looms".into();
    articles[1].title = "Tariffs\u{1b}[2J rise after talks stall".into();
    articles[2].title = "東京 summit ends; exports banned".into();
    articles.push(article(
        "d",
        "A very long sentence about the oil embargo that the ministers discussed at length \
         in the capital on Tuesday, with officials from both sides saying little.",
    ));
    let mut setup = setup(articles.clone());
    let mut orphan = stored(&articles, 0, 1, &["sanctions"], "alice");
    orphan.fp = fingerprint("Sanctions were lifted.");
    orphan.text = "Sanctions were lifted.".into();
    setup.events = vec![
        stored(&articles, 0, 0, &["diplomatic"], "alice"),
        orphan,
        stored(&articles, 1, 1, &["sanctions", "military"], "alice"),
        stored(
            &articles,
            1,
            1,
            &["diplomatic", "sanctions", "military"],
            "bob",
        ),
        stored(&articles, 2, 0, &[], "carol-with-a-long-name"),
        stored(&articles, 2, 1, &["sanctions"], "bob"),
        stored(&articles, 3, 0, &["sanctions"], "alice"),
        stored(&articles, 0, 2, &["retired-label"], "bob"),
    ];
    setup.review = Some(stance::app::LabelFilter::Any);
    let mut s = open(setup, width, height);
    let spans = articles.iter().map(Article::sentences).collect();
    run(&mut s, [Action::Segmented { first: 0, spans }]);
    run(
        &mut s,
        [
            Action::NextSentence,
            Action::NextSentence,
            Action::NextSentence,
        ],
    );
    s
}

#[test]
fn review_list_80x24() {
    let s = review_session(80, 24);
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn review_list_160x48() {
    let s = review_session(160, 48);
    insta::assert_snapshot!(draw(&s, 160, 48).backend());
}

#[test]
fn review_list_filtered_80x24() {
    let mut s = review_session(80, 24);
    run(&mut s, [Action::FilterLabel]);
    run(
        &mut s,
        [Action::FilterBy(stance::app::LabelFilter::Label(1))],
    );
    run(
        &mut s,
        [Action::Search, Action::Type('t'), Action::Type('a')],
    );
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn chips_carry_label_colours_and_the_selection_is_reversed() {
    let s = review_session(80, 24);
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    // Bob's row of "Tariffs rose again." has three chips in schema order.
    let (_, y) = find(buf, "bob");
    let y = (y..24)
        .find(|&y| {
            row_text(buf, y).contains("Tariffs rose again.") && row_text(buf, y).contains("bob")
        })
        .unwrap();
    let chips: Vec<(String, Color)> = [1u16, 4, 7]
        .iter()
        .map(|&x| (buf[(x + 1, y)].symbol().to_owned(), buf[(x + 1, y)].bg))
        .collect();
    assert_eq!(
        chips,
        [
            ("1".to_owned(), Color::Blue),
            ("2".to_owned(), Color::Yellow),
            ("3".to_owned(), Color::Red)
        ]
    );
    assert!(buf[(2, y)].modifier.contains(Modifier::BOLD));
    assert_eq!(buf[(2, y)].fg, Color::Black);
    // The selected row (the third) is reversed over its text, not over its chips.
    let selected = 3 + s.review().selected() as u16 - s.review().scroll() as u16;
    assert!(row_text(buf, selected).contains("Tariffs rose again."));
    assert!(buf[(12, selected)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(2, selected)].modifier.contains(Modifier::REVERSED));
    // The orphan's marker, a label the schema lost, and no stance.
    let (_, orphan_y) = find(buf, "Sanctions were lifted.");
    assert_eq!(buf[(0, orphan_y)].symbol(), "!");
    assert_eq!(buf[(0, orphan_y)].fg, Color::Magenta);
    let (_, lost_y) = find(buf, "Troops stayed home.");
    assert_eq!(buf[(2, lost_y)].symbol(), "?");
    assert_eq!(buf[(2, lost_y)].bg, Color::Magenta);
    let (_, none_y) = find(buf, "The summit ended.");
    assert_eq!(buf[(2, none_y)].symbol(), "○");
    // Hostile text in a title is shown escaped.
    let (x, y) = find(buf, "Tariffs^[[2J");
    assert!(y > 2 && x > 40, "in the title column");
}

#[test]
fn article_list_80x24_and_160x48() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = review_session(w, h);
        run(&mut s, [Action::Articles]);
        let terminal = draw(&s, w, h);
        insta::assert_snapshot!(format!("article_list_{w}x{h}"), terminal.backend());
        let buf = terminal.backend().buffer();
        let (x, y) = find(buf, "██");
        assert_eq!(buf[(x, y)].fg, Color::Green, "progress is green");
    }
}

#[test]
fn article_list_filters_by_fuzzy_title_and_jumps() {
    let mut s = review_session(80, 24);
    run(&mut s, [Action::Articles]);
    run(&mut s, "tokyo".chars().map(Action::Type));
    assert!(s.picker().matches().is_empty());
    run(&mut s, (0..5).map(|_| Action::Erase));
    run(&mut s, "trs".chars().map(Action::Type));
    // "Tariffs rise…" (t-r-s in order) and the title with "exports"
    let first = s.picker().matches()[0] as usize;
    assert_eq!(s.articles()[first].id, "b");
    let terminal = draw(&s, 80, 24);
    let buf = terminal.backend().buffer();
    let (_, y) = find(buf, "Tariffs^[[2J rise");
    assert!(buf[(3, y)].modifier.contains(Modifier::REVERSED));
    assert!(row_text(buf, 2).contains("> trs"));
    run(&mut s, [Action::Submit]);
    assert_eq!(s.view(), stance::app::View::Article);
    assert_eq!(s.cursor().article, 1);
    assert_eq!(s.cursor().sentence, 0, "the first sentence not yet decided");
}

#[test]
fn statistics_panel_80x24_and_160x48() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut s = review_session(w, h);
        run(
            &mut s,
            [Action::Tick(0), Action::Tick(45 * 60_000), Action::Stats],
        );
        let terminal = draw(&s, w, h);
        insta::assert_snapshot!(format!("statistics_{w}x{h}"), terminal.backend());
        let buf = terminal.backend().buffer();
        // Each label's bar is drawn in its colour, after its chip.
        let (x, y) = find(buf, "sanctions ");
        assert_eq!(buf[(x - 3, y)].bg, Color::Yellow);
        let bar_x = (x..w).find(|&x| buf[(x, y)].symbol() == "█").unwrap();
        assert_eq!(buf[(bar_x, y)].fg, Color::Yellow);
        assert!(row_text(buf, y).contains(" 4 "), "{}", row_text(buf, y));
    }
}

#[test]
fn help_in_the_review_list_says_what_the_keys_do_there() {
    let mut s = review_session(80, 24);
    run(&mut s, [Action::Help]);
    let terminal = draw(&s, 80, 24);
    insta::assert_snapshot!(terminal.backend());
    let buf = terminal.backend().buffer();
    find(buf, "Keys: review list");
    find(buf, "open in its article");
    find(buf, "filter by label");
    assert!(
        !(0..24).any(|y| row_text(buf, y).contains("next sentence not yet annotated")),
        "Space does nothing in the list"
    );
}

#[test]
fn help_in_the_review_list_scrolls_at_the_smallest_size() {
    let mut s = review_session(30, 12);
    run(&mut s, [Action::Help, Action::LastSentence]);
    let terminal = draw(&s, 30, 12);
    insta::assert_snapshot!(terminal.backend());
    let buf = terminal.backend().buffer();
    find(buf, "Keys: review list");
    // The last row the review help lists is at the bottom.
    let rows = s.help_rows().len();
    let last_keys = &s.help_rows()[rows - 1].0;
    find(buf, &format!("│ {last_keys} "));
    find(
        buf,
        &format!(" {}–{rows} of {rows} · j/k scroll ", rows - 9),
    );
}
