//! The whole screen drawn into a test backend: snapshots of the text, assertions on styles.

use crate::common;

use common::screen::{draw, find, row_text};
use common::*;
use ratatui::style::{Color, Modifier};
use stance::app::{Action, Effect, State, update};
use stance::corpus::Article;

fn wire_articles() -> Vec<Article> {
    let mut first = article(
        "reuters-0001",
        "GENEVA (Reuters) - Envoys from both countries met in Geneva on Tuesday for a \
         second round of talks. The United States said new sanctions on oil exports would \
         follow if the talks failed. Troops remained on high alert along the border.\n\n\
         A spokesman said the meeting was constructive. Officials declined to say when the \
         next round would take place. Markets barely moved.",
    );
    first.title = "Envoys meet in Geneva as sanctions threat looms".into();
    first.meta = vec![
        ("subject".into(), "worldnews".into()),
        ("date".into(), "December 31, 2017".into()),
    ];
    vec![
        first,
        article("reuters-0002", "Talks stalled. Tariffs rose."),
    ]
}

/// A session with a few decisions made: labels, no stance, a failed save.
fn busy_session(width: u16, height: u16) -> State {
    let mut s = open(setup(wire_articles()), width, height);
    run(&mut s, [Action::ToggleLabel(0), Action::ToggleLabel(2)]);
    run(&mut s, [Action::NextSentence, Action::ToggleLabel(1)]);
    run(&mut s, [Action::NextSentence]);
    let effects = update(&mut s, Action::ToggleLabel(0));
    let Effect::Save { seq, .. } = effects[0] else {
        panic!("{effects:?}")
    };
    update(
        &mut s,
        Action::SaveFailed {
            seq,
            reason: "No space left on device".into(),
            recreate: false,
        },
    );
    run(&mut s, [Action::NextSentence, Action::NoStance]);
    update(&mut s, Action::CorpusCounted(8));
    s
}

#[test]
fn screen_80x24() {
    let state = busy_session(80, 24);
    insta::assert_snapshot!(draw(&state, 80, 24).backend());
}

#[test]
fn screen_160x48() {
    let state = busy_session(160, 48);
    insta::assert_snapshot!(draw(&state, 160, 48).backend());
}

#[test]
fn help_is_drawn_from_the_keymap() {
    let mut state = busy_session(80, 24);
    update(&mut state, Action::Help);
    let terminal = draw(&state, 80, 24);
    insta::assert_snapshot!(terminal.backend());
    let buf = terminal.backend().buffer();
    find(buf, "toggle diplomatic");
    find(buf, "Ctrl-r");
    update(&mut state, Action::Cancel);
    let terminal = draw(&state, 80, 24);
    assert!(!format!("{:?}", terminal.backend().buffer()).contains("toggle diplomatic"));
}

/// The first word of what the help's last row says: the last bindable action's.
fn last_help_word() -> &'static str {
    let what = Action::bindable()
        .filter_map(|action| action.description().and_then(|d| d.article))
        .last()
        .expect("in the help");
    what.split(' ').next().expect("a word")
}

#[test]
fn help_at_the_smallest_size_scrolls_to_its_last_row_and_says_where_it_is() {
    let mut state = busy_session(30, 12);
    update(&mut state, Action::Help);
    let rows = state.help_rows().len();
    let terminal = draw(&state, 30, 12);
    insta::assert_snapshot!("help_30x12_top", terminal.backend());
    let buf = terminal.backend().buffer();
    find(buf, &format!(" 1–10 of {rows} · j/k scroll "));
    find(buf, "toggle diplomatic");

    update(&mut state, Action::LastSentence);
    let terminal = draw(&state, 30, 12);
    insta::assert_snapshot!("help_30x12_end", terminal.backend());
    let buf = terminal.backend().buffer();
    let (_, y) = find(buf, last_help_word());
    assert_eq!(y, 10, "the last row is at the bottom, above the border");
    find(buf, &format!(" {}–{rows} of {rows} ", rows - 9));
    // Keys wider than the narrow keys column push their text right rather than being cut
    // (seen on a screen tall enough for every row, wherever the quit row falls).
    let mut tall = busy_session(30, rows as u16 + 4);
    update(&mut tall, Action::Help);
    find(
        draw(&tall, 30, rows as u16 + 4).backend().buffer(),
        "q Ctrl-c  quit",
    );
}

#[test]
fn search_prompt_shows_in_the_status_bar() {
    let mut state = busy_session(80, 24);
    run(
        &mut state,
        [Action::Search, Action::Type('t'), Action::Type('a')],
    );
    let terminal = draw(&state, 80, 24);
    let (x, y) = find(terminal.backend().buffer(), "/ta");
    assert_eq!((x, y), (1, 23));
}

#[test]
fn current_sentence_is_highlighted_and_marks_carry_label_colours() {
    let state = busy_session(80, 24);
    let terminal = draw(&state, 80, 24);
    let buf = terminal.backend().buffer();
    // The cursor is on "Officials declined ...": reversed; others are not.
    let (x, y) = find(buf, "Officials declined");
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let (x, y) = find(buf, "Markets");
    assert!(!buf[(x, y)].modifier.contains(Modifier::REVERSED));
    // Sentence 1 has diplomatic + military: a half block in blue over red.
    let (x, y) = find(buf, "GENEVA");
    let mark = &buf[(x - 2, y)];
    assert_eq!(mark.symbol(), "▌");
    assert_eq!((mark.fg, mark.bg), (Color::Blue, Color::Red));
    // Sentence 2 has sanctions only: its key on yellow.
    let (x, y) = find(buf, "The United States");
    assert_eq!(buf[(x - 2, y)].symbol(), "2");
    assert_eq!(buf[(x - 2, y)].bg, Color::Yellow);
    // No stance and not annotated look different.
    let (x, y) = find(buf, "A spokesman");
    assert_eq!(buf[(x - 2, y)].symbol(), "○");
    let (x, y) = find(buf, "Markets");
    assert_eq!(buf[(x - 2, y)].symbol(), "·");
    // The failed save is marked on its sentence and in the status bar.
    let (x, y) = find(buf, "Troops");
    assert_eq!(buf[(x - 2, y)].symbol(), "!");
    assert_eq!(buf[(x - 2, y)].bg, Color::Red);
    let (x, y) = find(buf, "NOT SAVED (1): No space left on device");
    assert_eq!(buf[(x, y)].bg, Color::Red);
    assert!(!format!("{buf:?}").contains("\"saved\""));
}

/// A session with `n` refused decisions of a long reason and quit asked once, at `width`.
fn asking_to_quit(n: usize, width: u16, keymap: stance::app::Keymap) -> State {
    let mut state = open(
        stance::app::Setup {
            keymap,
            ..setup(wire_articles())
        },
        width,
        12,
    );
    for _ in 0..n {
        let effects = update(&mut state, Action::ToggleLabel(1));
        let Effect::Save { seq, .. } = effects[0] else {
            panic!("{effects:?}")
        };
        let reason = "cannot append to label store /data/stance/labels.jsonl: \
                      No space left on device (os error 28)"
            .to_owned();
        update(
            &mut state,
            Action::SaveFailed {
                seq,
                reason,
                recreate: false,
            },
        );
        update(&mut state, Action::NextSentence);
    }
    let quit = state.keymap().keys_of(&Action::Quit)[0];
    let action = stance::app::action_for(&state, quit).unwrap();
    update(&mut state, action);
    assert_eq!(*state.mode(), stance::app::Mode::ConfirmQuit);
    state
}

#[test]
fn the_quit_question_comes_before_the_save_error_on_a_narrow_status_bar() {
    let expected = [
        (30, " 3 NOT SAVED: q again quits   "),
        (40, " 3 NOT SAVED: q again leaves anyway     "),
        (50, " 3 NOT SAVED: q again leaves anyway NOT SAVED (3) "),
        (
            60,
            " 3 decision(s) NOT SAVED: press q again to leave anyway     ",
        ),
        (
            80,
            " 3 decision(s) NOT SAVED: press q again to leave anyway NOT SAVED (3): cannot … ",
        ),
    ];
    for (width, row) in expected {
        let state = asking_to_quit(3, width, stance::app::Keymap::default());
        let terminal = draw(&state, width, 12);
        let buf = terminal.backend().buffer();
        assert_eq!(row_text(buf, 11), row, "at {width} columns");
        assert_eq!(buf[(1, 11)].fg, Color::Red, "the question is an error");
        assert!(buf[(1, 11)].modifier.contains(Modifier::BOLD));
    }
    // The key named is the key bound.
    let mut keymap = stance::app::Keymap::default();
    keymap.patch("[keys]\nquit = [\"Q\"]\n", "config.toml");
    let state = asking_to_quit(1, 30, keymap);
    let terminal = draw(&state, 30, 12);
    assert_eq!(
        row_text(terminal.backend().buffer(), 11).trim_end(),
        " 1 NOT SAVED: Q again quits"
    );
}

#[test]
fn saved_shows_only_when_every_write_is_done() {
    let mut state = open(setup(wire_articles()), 80, 24);
    let effects = update(&mut state, Action::ToggleLabel(1));
    let Effect::Save { seq, .. } = effects[0] else {
        panic!()
    };
    let terminal = draw(&state, 80, 24);
    find(terminal.backend().buffer(), "saving…");
    update(&mut state, Action::Saved(seq));
    let terminal = draw(&state, 80, 24);
    let buf = terminal.backend().buffer();
    // The save state sits at the right end of the second row, after the "saved: …" feedback.
    let row = row_text(buf, 23);
    assert!(row.trim_end().ends_with(" saved"), "{row}");
    let x = row.trim_end().chars().count() as u16 - 5;
    assert_eq!(buf[(x, 23)].fg, Color::Green);
}

#[test]
fn hostile_text_is_shown_escaped() {
    let mut evil = article(
        "evil\u{1b}[2J",
        "Plain start. Then \u{1b}]0;pwned\u{7} and \u{1b}[31mred\u{1b}[0m and \u{202e}reversed\u{202c} \
         and\ttab and \u{9b}c1 and del\u{7f}.",
    );
    evil.title = "Title \u{1b}[5mblink\u{2066}".into();
    let state = open(setup(vec![evil]), 80, 24);
    let terminal = draw(&state, 80, 24);
    let buf = terminal.backend().buffer();
    for cell in buf.content() {
        assert!(
            !cell.symbol().contains(stance::app::layout::is_hostile),
            "raw {:?} in the buffer",
            cell.symbol()
        );
    }
    find(buf, "^[]0;pwned^G");
    find(buf, "<U+202E>reversed<U+202C>");
    find(buf, "Title ^[[5mblink<U+2066>");
    find(buf, "id: evil^[[2J");
    find(buf, "<U+009B>c1 and del^?.");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn wide_and_combining_text_aligns() {
    let text = "東京で首脳会談が開かれた。制裁について話し合った。\n\
                Cafe\u{301} owners said « non ». 👍🏽 Emoji too.";
    let state = open(setup(vec![article("cjk", text)]), 40, 14);
    let terminal = draw(&state, 40, 14);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn too_small_says_so_at_every_size_without_panicking() {
    let state = busy_session(80, 24);
    for width in 1..=60 {
        for height in 1..=30 {
            let mut sized = state.clone();
            update(&mut sized, Action::Resize { width, height });
            draw(&sized, width, height);
        }
    }
    let mut small = state.clone();
    update(
        &mut small,
        Action::Resize {
            width: 28,
            height: 8,
        },
    );
    let terminal = draw(&small, 28, 8);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_click_on_a_label_where_it_is_drawn_toggles_it() {
    // under the article; beside it with whole guidelines; beside it cut short at the bottom
    for (width, height) in [(80, 24), (160, 48), (120, 14)] {
        let mut s = open(setup(wire_articles()), width, height);
        let schema = s.schema().clone();
        let buf = draw(&s, width, height).backend().buffer().clone();
        let pane = s.screen().labels;
        let mut clicked = 0;
        for (i, label) in schema.labels.iter().enumerate() {
            let chip = format!(" {} ", label.key);
            let drawn = (pane.y..pane.y + pane.height).find(|&y| {
                common::screen::row_text(&buf, y)
                    .chars()
                    .skip(usize::from(pane.x))
                    .collect::<String>()
                    .contains(&chip)
            });
            let Some(y) = drawn else {
                // not drawn: a click anywhere below the last drawn label hits nothing
                assert!(
                    s.screen()
                        .label_at(&schema, pane.x + 5, pane.y + pane.height - 1)
                        != Some(i)
                );
                continue;
            };
            // its own row, and the last row it takes (its guideline, beside the article)
            let rows = s.screen().label_rows(&schema)[i];
            assert_eq!(rows.0, y, "{width}x{height}: label {i} drawn on row {y}");
            for row in [y, rows.0 + rows.1 - 1] {
                let column = pane.x + pane.width / 2;
                let effects = run(&mut s, [Action::Click { column, row }]);
                assert_eq!(effects.len(), 1, "{width}x{height}: a click saves");
                let has = |s: &State| {
                    s.annotation(s.cursor().sentence)
                        .is_some_and(|l| l.contains(&label.name))
                };
                assert!(
                    has(&s),
                    "{width}x{height}: row {row} toggles {}",
                    label.name
                );
                run(&mut s, [Action::Click { column, row }]);
                assert!(!has(&s), "{width}x{height}: a second click takes it off");
                clicked += 1;
            }
        }
        assert!(clicked >= 2, "{width}x{height}: some label was clickable");
        // the pane's title row and the border are not labels
        assert_eq!(s.screen().label_at(&schema, pane.x + 3, pane.y), None);
        if s.screen().side_labels {
            assert_eq!(s.screen().label_at(&schema, pane.x - 1, pane.y + 2), None);
        }
    }
}

#[test]
fn a_save_error_beside_the_store_path_shows_its_reason_and_keeps_a_gap() {
    let reason = "cannot append to label store /data/stance/labels.jsonl: \
                  No space left on device (os error 28)";
    for width in [40u16, 80, 100, 140] {
        let mut state = open(setup(wire_articles()), width, 12);
        let effects = update(&mut state, Action::ToggleLabel(1));
        let Effect::Save { seq, .. } = effects[0] else {
            panic!("{effects:?}")
        };
        let failed = Action::SaveFailed {
            seq,
            reason: reason.to_owned(),
            recreate: false,
        };
        update(&mut state, failed);
        assert!(state.message().is_none());
        let terminal = draw(&state, width, 12);
        let row = row_text(terminal.backend().buffer(), 11);
        let at = row
            .find("NOT SAVED (1): ")
            .expect("the save error is shown");
        let shown = row[at..].trim_end();
        let whole = format!("NOT SAVED (1): {reason}");
        if usize::from(width) >= whole.chars().count() + 2 {
            assert_eq!(shown, whole, "at {width} columns the whole reason shows");
        } else {
            // the reason takes the row; the path gives way
            assert_eq!(shown.chars().count(), usize::from(width) - 2, "{row:?}");
        }
        assert!(
            row[..at].ends_with(' '),
            "a blank cell before the error: {row:?}"
        );
    }
}
