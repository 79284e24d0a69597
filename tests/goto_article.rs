//! Finding an article: `:` goes to one by its number or id, and the article list ranks
//! whole-word and word-prefix matches first and shows untitled articles by their first words.

use crate::common;

use common::screen::draw;
use common::*;
use stance::app::keymap::{Key, KeyCode};
use stance::app::{Action, Mode, State, View, action_for};

fn press(s: &mut State, c: char) {
    let key = Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: false,
    };
    if let Some(action) = action_for(s, key) {
        run(s, [action]);
    }
}

fn go_to(s: &mut State, text: &str) {
    press(s, ':');
    assert_eq!(*s.mode(), Mode::GoTo(String::new()));
    for c in text.chars() {
        press(s, c);
    }
    run(s, [Action::Submit]);
}

fn error(s: &State) -> Option<String> {
    s.message().filter(|m| m.error).map(|m| m.text.clone())
}

#[test]
fn colon_goes_to_an_article_by_number_or_id() {
    let mut s = session(three_articles());
    go_to(&mut s, "3");
    assert_eq!(s.cursor().article, 2);
    assert_eq!(*s.mode(), Mode::Normal);
    go_to(&mut s, "b");
    assert_eq!(s.cursor().article, 1);
    go_to(&mut s, "99");
    assert_eq!(
        error(&s).as_deref(),
        Some("no article 99: the corpus has 1 to 3")
    );
    assert_eq!(s.cursor().article, 1, "nothing moved");
    go_to(&mut s, "nope");
    assert_eq!(error(&s).as_deref(), Some("no article with id \"nope\""));
    // Escape leaves the prompt and goes nowhere; the keys typed in it did nothing else.
    press(&mut s, ':');
    press(&mut s, '1');
    run(&mut s, [Action::Cancel]);
    assert_eq!((s.cursor().article, s.annotation(0)), (1, None));
}

#[test]
fn an_id_that_is_a_number_wins_over_the_number() {
    let mut articles = three_articles();
    articles[0].id = "2".into();
    let mut s = session(articles);
    go_to(&mut s, "2");
    assert_eq!(s.cursor().article, 0);
}

#[test]
fn from_the_review_list_it_opens_the_article() {
    let mut s = open(reviewed_setup(), 80, 24);
    assert_eq!(s.view(), View::Review);
    go_to(&mut s, "2");
    assert_eq!((s.view(), s.cursor().article), (View::Article, 1));
}

#[test]
fn the_prompt_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = open(setup(three_articles()), w, h);
        press(&mut s, ':');
        press(&mut s, '2');
        insta::assert_snapshot!(format!("prompt_{w}x{h}"), draw(&s, w, h).backend());
    }
}

#[test]
fn the_article_list_ranks_whole_words_and_prefixes_first() {
    let titles = [
        "Oil exporters open talks in Caracas",
        "OPEC cuts output",
        "Shipping lanes reopen",
        "Talks on opec quotas",
        "Opecs of the world",
    ];
    let articles = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut a = article(&format!("a{i}"), "Some text.");
            a.title = (*t).into();
            a
        })
        .collect();
    let mut s = session(articles);
    press(&mut s, 'a');
    for c in "opec".chars() {
        run(&mut s, [Action::Type(c)]);
    }
    let ranked: Vec<&str> = s
        .picker()
        .matches()
        .iter()
        .map(|&i| titles[i as usize])
        .collect();
    assert_eq!(ranked.len(), 4, "{ranked:?}");
    let mut words = ranked[..2].to_vec();
    words.sort_unstable();
    assert_eq!(words, ["OPEC cuts output", "Talks on opec quotas"]);
    assert_eq!(ranked[2], "Opecs of the world", "a prefix next");
    assert_eq!(
        ranked[3], "Oil exporters open talks in Caracas",
        "fuzzy last"
    );
}

#[test]
fn untitled_articles_show_their_first_words_in_the_list() {
    let mut articles = three_articles();
    articles[1].title = String::new();
    let mut s = session(articles);
    press(&mut s, 'a');
    let screen = format!("{:?}", draw(&s, 80, 24).backend());
    assert!(
        screen.contains("Talks stalled on Monday. Tariffs rose …"),
        "{screen}"
    );
    assert!(!screen.contains("(untitled)"), "{screen}");
}
