//! Keys that act on the screen itself, pressed through the keymap as the terminal sends them:
//! the redraw key in every mode, and scrolling the help.

mod common;

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
    update(&mut quitting, Action::SaveFailed { seq: *seq, reason });
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
