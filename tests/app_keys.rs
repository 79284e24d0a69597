//! Keys that act on the screen itself, pressed through the keymap as the terminal sends them:
//! the redraw key in every mode, and scrolling the help at small sizes.

use crate::common;

use common::*;
use stance::app::{Action, Effect, Key, KeyCode, Mode, State, View, action_for, update};

fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
        alt: false,
    }
}

/// Presses a key as the terminal would; the effects, every save reported done.
fn press(state: &mut State, key: Key) -> Vec<Effect> {
    match action_for(state, key) {
        Some(action) => run(state, [action]),
        None => Vec::new(),
    }
}

/// Presses each character as a key (`\t` is Tab).
fn press_str(state: &mut State, keys: &str) {
    for c in keys.chars() {
        let key = match c {
            '\t' => Key::plain(KeyCode::Tab),
            c => Key::char(c),
        };
        press(state, key);
    }
}

/// Sessions in each mode the keyboard works differently in, by name.
fn modes() -> Vec<(&'static str, State)> {
    let normal = session(three_articles());
    let with = |keys: &str, mode: Mode| {
        let mut s = normal.clone();
        press_str(&mut s, keys);
        assert_eq!(*s.mode(), mode, "after {keys:?}");
        s
    };
    let help = with("?", Mode::Help);
    let stats = with("s", Mode::Stats);
    let search = with("/Tro", Mode::Search("Tro".to_owned()));
    let articles = with("ae", Mode::Articles);
    let review = with("\t", Mode::Normal);
    let filter_key = with("\tf", Mode::FilterKey);
    let before = String::new();
    let filter_text = with("\t/Env", Mode::FilterText { before });
    let review_help = with("\t?", Mode::Help);
    let mut quitting = normal.clone();
    let effects = update(&mut quitting, Action::ToggleLabel(0));
    let Some(Effect::Save { seq, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    let reason = "No space left on device".to_owned();
    update(
        &mut quitting,
        Action::SaveFailed {
            seq: *seq,
            reason,
            recreate: false,
        },
    );
    press_str(&mut quitting, "q");
    assert_eq!(*quitting.mode(), Mode::ConfirmQuit);
    vec![
        ("article", normal),
        ("help", help),
        ("statistics", stats),
        ("search prompt", search),
        ("article list", articles),
        ("review list", review),
        ("filter key", filter_key),
        ("filter text", filter_text),
        ("review help", review_help),
        ("confirm quit", quitting),
    ]
}

#[test]
fn ctrl_l_asks_for_a_redraw_in_every_mode_and_changes_nothing_else() {
    for (name, state) in modes() {
        let mut s = state.clone();
        assert_eq!(
            action_for(&s, ctrl('l')),
            Some(Action::Redraw),
            "{name}: Ctrl-l"
        );
        assert_eq!(press(&mut s, ctrl('l')), [Effect::Redraw], "{name}");
        assert_eq!(s.mode(), state.mode(), "{name}: the mode stays");
        assert_eq!(s.message(), state.message(), "{name}: the message stays");
        assert_eq!(s.view(), state.view(), "{name}: the view stays");
        assert_eq!(s.cursor(), state.cursor(), "{name}: the cursor stays");
        assert_eq!(s.review().filter(), state.review().filter(), "{name}");
        assert_eq!(s.picker().query(), state.picker().query(), "{name}");
    }
}

#[test]
fn ctrl_l_in_a_prompt_types_nothing_and_the_search_still_finds() {
    let mut s = session(three_articles());
    press_str(&mut s, "/Tro");
    press(&mut s, ctrl('l'));
    assert_eq!(*s.mode(), Mode::Search("Tro".to_owned()));
    press(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(s.cursor().sentence, 2, "found \"Troops\", not \"Trol\"");
}

#[test]
fn redraw_can_be_rebound_and_a_prompt_types_a_plain_key() {
    let mut keymap = stance::app::Keymap::default();
    let problems = keymap.patch("[keys]\nredraw = [\"r\", \"f5\"]\n", "config.toml");
    assert!(problems.is_empty(), "{problems:?}");
    let mut s = open(
        stance::app::Setup {
            keymap,
            ..setup(three_articles())
        },
        80,
        24,
    );
    assert_eq!(action_for(&s, ctrl('l')), None, "Ctrl-l is no longer bound");
    assert_eq!(action_for(&s, Key::char('r')), Some(Action::Redraw));
    let f5 = Key::plain(KeyCode::F(5));
    press_str(&mut s, "/");
    assert_eq!(action_for(&s, Key::char('r')), Some(Action::Type('r')));
    assert_eq!(action_for(&s, f5), Some(Action::Redraw));
    let help = s.keymap().help(s.schema());
    assert!(help.contains(&("r F5".to_owned(), "redraw the screen".to_owned())));
    assert_eq!(s.view(), View::Article);
}

#[test]
fn the_help_lists_the_redraw_key_in_both_views() {
    let s = session(three_articles());
    for review in [false, true] {
        let help = s.keymap().help_for(s.schema(), review);
        let row = ("Ctrl-l".to_owned(), "redraw the screen".to_owned());
        assert!(help.contains(&row), "{help:?}");
    }
}

/// A session at the smallest size its schema draws at, with the help open.
fn small_help(review: bool) -> State {
    let setup = if review {
        reviewed_setup()
    } else {
        setup(three_articles())
    };
    let mut s = open(setup, 30, 12);
    press_str(&mut s, "?");
    assert_eq!(*s.mode(), Mode::Help);
    s
}

#[test]
fn at_the_smallest_size_the_moving_keys_scroll_the_help_and_stop_at_its_last_row() {
    for review in [false, true] {
        let mut s = small_help(review);
        let fit = s.help_fit();
        let rows = s.help_rows().len();
        assert!(fit.scrolls(), "{fit:?}");
        assert_eq!(
            (fit.columns.len(), fit.per_column, fit.shown),
            (1, rows, 10)
        );
        let last = rows - 10;
        let steps: [(Key, usize); 11] = [
            (Key::char('j'), 1),
            (Key::plain(KeyCode::Down), 2),
            (Key::char('k'), 1),
            (Key::plain(KeyCode::Up), 0),
            (Key::char('k'), 0),
            (Key::plain(KeyCode::PageDown), 10),
            (ctrl('u'), 0),
            (ctrl('d'), 10),
            (Key::char('G'), last),
            (Key::char('j'), last),
            (Key::plain(KeyCode::Home), 0),
        ];
        for (key, top) in steps {
            assert!(press(&mut s, key).is_empty(), "{key:?}");
            assert_eq!(
                *s.mode(),
                Mode::Help,
                "review {review}: {key} keeps the help"
            );
            assert_eq!(s.help_top(), top, "review {review}: after {key}");
        }
        press(&mut s, Key::plain(KeyCode::End));
        assert_eq!(s.help_top(), last);
        run(&mut s, [Action::Wheel(-1)]);
        assert_eq!(s.help_top(), last - 3, "the wheel scrolls three rows");
    }
}

#[test]
fn any_other_key_closes_the_help_and_does_nothing_else_and_q_does_not_quit() {
    for key in [
        Key::char('q'),
        ctrl('c'),
        Key::char('?'),
        Key::plain(KeyCode::Esc),
        Key::char('x'),
        Key::char('1'),
        Key::plain(KeyCode::Enter),
    ] {
        let mut s = small_help(false);
        let before = s.clone();
        assert!(press(&mut s, key).is_empty(), "{key:?}: no write, no quit");
        assert_eq!(*s.mode(), Mode::Normal, "{key:?} closes the help");
        assert_eq!(s.cursor(), before.cursor());
        assert_eq!(s.annotation(0), None);
    }
}

#[test]
fn the_help_opens_at_its_top_again_and_a_resize_keeps_its_last_row_at_the_bottom() {
    let mut s = small_help(false);
    press_str(&mut s, "G");
    let rows = s.help_rows().len();
    assert_eq!(s.help_top(), rows - 10);
    press_str(&mut s, "??");
    assert_eq!(
        (s.mode(), s.help_top()),
        (&Mode::Help, 0),
        "reopened at the top"
    );

    press_str(&mut s, "G");
    run(
        &mut s,
        [Action::Resize {
            width: 30,
            height: 14,
        }],
    );
    assert_eq!(
        s.help_top(),
        rows - 12,
        "two rows more show; the last stays at the bottom"
    );
    // A size where the whole help fits.
    run(
        &mut s,
        // Tall enough for every key of the help, with room for more.
        [Action::Resize {
            width: 120,
            height: 40,
        }],
    );
    assert!(!s.help_fit().scrolls());
    assert_eq!(s.help_top(), 0);
    // Nothing to scroll: as the border says ("any key closes"), j closes it too.
    assert!(press(&mut s, Key::char('j')).is_empty());
    assert_eq!(
        (s.mode(), s.help_top()),
        (&Mode::Normal, 0),
        "j closes a help that fits"
    );
    for key in ["G", "g", "k"] {
        run(&mut s, [Action::Help]);
        assert!(press(&mut s, Key::char(key.chars().next().unwrap())).is_empty());
        assert_eq!(s.mode(), &Mode::Normal, "{key} closes a help that fits");
    }
}

#[test]
fn the_help_names_the_keys_that_scroll_it_from_the_keymap() {
    let s = small_help(false);
    assert_eq!(s.help_scroll_keys().as_deref(), Some("j/k"));
    let mut keymap = stance::app::Keymap::default();
    keymap.patch(
        "[keys]\nnext_sentence = [\"down\"]\nprevious_sentence = []\n",
        "config.toml",
    );
    let mut s = open(
        stance::app::Setup {
            keymap,
            ..setup(three_articles())
        },
        30,
        12,
    );
    assert_eq!(s.help_scroll_keys().as_deref(), Some("PgDn/PgUp"));
    press_str(&mut s, "?");
    press(&mut s, Key::plain(KeyCode::Down));
    assert_eq!(s.help_top(), 1);
    press(&mut s, Key::char('j'));
    assert_eq!(*s.mode(), Mode::Normal, "j is no longer a moving key");
}

#[test]
fn ctrl_c_closes_what_is_open_then_quits_in_every_mode() {
    // Presses until the session ends: one from a view or the quit question, two from a
    // prompt or a panel (the first closes it).
    let expected = [
        ("article", 1),
        ("help", 2),
        ("statistics", 2),
        ("search prompt", 2),
        ("article list", 2),
        ("review list", 1),
        ("filter key", 2),
        ("filter text", 2),
        ("review help", 2),
        ("confirm quit", 1),
    ];
    for ((name, mut s), (expected_name, presses)) in modes().into_iter().zip(expected) {
        assert_eq!(name, expected_name);
        let quit_after = (1..=3).find(|_| press(&mut s, ctrl('c')).contains(&Effect::Quit));
        assert_eq!(quit_after, Some(presses), "{name}");
    }
}

#[test]
fn ctrl_c_quits_whatever_the_keymap_says_asking_first_when_a_decision_is_not_saved() {
    let mut keymap = stance::app::Keymap::default();
    let problems = keymap.patch(
        "[keys]\nquit = []\nundo = [\"u\", \"ctrl-c\"]\n",
        "config.toml",
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    let base = setup(three_articles());
    let setup = stance::app::Setup { keymap, ..base };
    let s = open(setup, 80, 24);
    assert!(s.keymap().keys_of(&Action::Quit).is_empty());
    let mut done = s.clone();
    assert_eq!(press(&mut done, ctrl('c')).last(), Some(&Effect::Quit));

    let mut refused = s;
    let effects = update(&mut refused, Action::ToggleLabel(0));
    let Some(&Effect::Save { seq, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    let reason = "No space left on device".to_owned();
    update(
        &mut refused,
        Action::SaveFailed {
            seq,
            reason,
            recreate: false,
        },
    );
    assert!(press(&mut refused, ctrl('c')).is_empty(), "asks first");
    assert_eq!(*refused.mode(), Mode::ConfirmQuit);
    assert!(refused.quit_question()[0].contains("press Ctrl-c again"));
    assert_eq!(press(&mut refused, ctrl('c')).last(), Some(&Effect::Quit));
}

#[test]
fn a_paste_is_typed_into_a_prompt_as_one_line_and_ignored_elsewhere() {
    let pasted = || Action::Paste("ops\r\n\x1b[31mx".to_owned());
    for (name, mut s) in modes() {
        let before = s.clone();
        let effects = update(&mut s, pasted());
        assert!(effects.is_empty(), "{name}: {effects:?}");
        assert_eq!(s.annotation(0), before.annotation(0), "{name}");
        assert_eq!(s.cursor(), before.cursor(), "{name}");
        let ignored = s
            .message()
            .is_some_and(|m| m.text == stance::app::paste::IGNORED);
        match name {
            "search prompt" => assert_eq!(*s.mode(), Mode::Search("Troops [31mx".into())),
            "filter text" => assert_eq!(s.review().filter().text, "Envops [31mx"),
            "article list" => assert_eq!(s.picker().query(), "eops [31mx"),
            "confirm quit" => assert_eq!(*s.mode(), Mode::ConfirmQuit, "the question stays"),
            _ => {
                assert_eq!(s.mode(), before.mode(), "{name}");
                assert!(ignored, "{name}: {:?}", s.message());
            }
        }
    }
}
