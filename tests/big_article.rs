//! One very big article opened through the library: the memory it takes, counted by this
//! binary's own allocator, and the keys and clicks on it, which must do what they do on a
//! small article.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{article, run};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use stance::app::{Action, Setup, State, update};

/// The system allocator, counting the bytes in use and the most ever in use.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// What was in use before the session was opened.
static BEFORE_OPEN: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let now = IN_USE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak is shared by every thread, so the tests here take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const BIG: usize = 50 * 1024 * 1024;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

/// News-like sentences on one line, about `bytes` long.
fn one_line_of_sentences(bytes: usize) -> String {
    let sentences = [
        "Envoys from both countries met in Geneva on Tuesday for talks.",
        "The ministry said new sanctions on oil exports would follow.",
        "Troops stayed on high alert along the 東京 border, officials said.",
        "Markets barely moved.",
    ];
    let mut text = String::with_capacity(bytes + 100);
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(sentences[i % 4]);
        text.push(' ');
        i += 1;
    }
    text.push_str("The last sentence ends here.");
    text
}

/// Opens the article at 200x60 and draws the first frame; returns the session, the frame
/// and the most memory the two took beyond what was in use before.
fn open_and_draw(text: String) -> (State, Buffer, usize) {
    let setup = Setup::new(
        Arc::new(vec![article("big", &text)]),
        "alice",
        "/tmp/labels.jsonl",
    );
    drop(text);
    let before = IN_USE.load(Ordering::Relaxed);
    BEFORE_OPEN.store(before, Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut state = State::new(setup);
    update(
        &mut state,
        Action::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
    );
    let buf = draw(&state);
    (state, buf, PEAK.load(Ordering::Relaxed) - before)
}

fn draw(state: &State) -> Buffer {
    let area = Rect::new(0, 0, WIDTH, HEIGHT);
    let mut buf = Buffer::empty(area);
    state.render(area, &mut buf);
    buf
}

/// The rows of the text pane as drawn.
fn text_rows(state: &State, buf: &Buffer) -> Vec<String> {
    let text = state.screen().text;
    (text.y..text.y + text.height)
        .map(|y| {
            (text.x..text.x + text.width)
                .map(|x| buf[(x, y)].symbol())
                .collect()
        })
        .collect()
}

fn cursor_visible(s: &State) -> bool {
    let (first, last) = s.layout().sentence_lines[s.cursor().sentence];
    let height = usize::from(s.screen().text.height);
    first >= s.scroll() && (last < s.scroll() + height || last - first >= height)
}

#[test]
fn a_50_mb_article_on_one_line_takes_less_than_four_times_its_text() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = one_line_of_sentences(BIG);
    let len = text.len();
    let (mut state, buf, grown) = open_and_draw(text);
    assert!(
        state.sentence_count() > 700_000,
        "{}",
        state.sentence_count()
    );
    assert!(
        grown < 4 * len,
        "opening and drawing took {grown} bytes for {len} bytes of text"
    );
    assert!(text_rows(&state, &buf)[0].contains("Envoys from both countries"));
    // The lines below the first screen are counted after it, within the same bound.
    assert!(state.counting_lines());
    while state.counting_lines() {
        state.count_more_lines();
    }
    let grown = PEAK.load(Ordering::Relaxed) - BEFORE_OPEN.load(Ordering::Relaxed);
    assert!(
        grown < 4 * len,
        "counting every line took {grown} bytes for {len} bytes of text"
    );
    run(&mut state, [Action::LastSentence]);
    assert!(cursor_visible(&state));
    let rows = text_rows(&state, &draw(&state));
    let shown: Vec<&str> = rows.iter().map(|row| row.trim()).collect();
    assert!(
        shown.join(" ").contains("The last sentence ends here."),
        "{shown:?}"
    );
}

#[test]
fn a_50_mb_sentence_without_a_break_takes_less_than_four_times_its_text_and_scrolls() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let digits = "0123456789".repeat(BIG / 10);
    let (mut s, buf, grown) = open_and_draw(digits.clone());
    assert!(
        grown < 4 * BIG,
        "opening and drawing took {grown} bytes for {BIG} bytes of text"
    );
    assert_eq!(s.sentence_count(), 1);
    let width = usize::from(s.screen().text.width);
    let height = usize::from(s.screen().text.height);
    // The mark, then the digits broken where the line ends.
    let row_text = |line: usize| {
        let start = if line == 0 {
            0
        } else {
            width - 2 + (line - 1) * width
        };
        &digits[start..(start + width - if line == 0 { 2 } else { 0 }).min(BIG)]
    };
    let rows = text_rows(&s, &buf);
    assert_eq!(rows[0].chars().skip(2).collect::<String>(), row_text(0));
    assert_eq!(rows[1], row_text(1));
    assert!(
        !s.layout().is_counted(),
        "the first frame counts only the lines it shows"
    );
    run(&mut s, [Action::ScrollDown, Action::ScrollDown]);
    assert_eq!(s.scroll(), 2 * (height - 1));
    let rows = text_rows(&s, &draw(&s));
    assert_eq!(rows[0], row_text(2 * (height - 1)));
    while s.counting_lines() {
        s.count_more_lines();
    }
    assert_eq!(
        s.layout().lines.len(),
        1 + (BIG - (width - 2)).div_ceil(width)
    );
    run(&mut s, [Action::Wheel(i32::MAX)]);
    let lines = s.layout().lines.len();
    assert_eq!(s.scroll(), lines - height);
    let rows = text_rows(&s, &draw(&s));
    assert_eq!(rows[height - 1].trim_end(), row_text(lines - 1));
    assert!(digits.ends_with(rows[height - 1].trim_end()));
    run(&mut s, [Action::FirstSentence]);
    assert_eq!(
        s.scroll(),
        0,
        "the sentence taller than the screen shows from its top"
    );
}

#[test]
fn keys_and_clicks_on_a_10_mb_article_do_what_they_do_on_a_small_one() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = one_line_of_sentences(10 * 1024 * 1024);
    // The same start, small: its first screens wrap the same.
    let small = text[..(0..=200_000)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap()]
        .to_owned();
    let (mut big, _, _) = open_and_draw(text.clone());
    let (mut little, _, _) = open_and_draw(small);
    let same = |big: &State, little: &State| {
        assert_eq!(big.cursor(), little.cursor());
        assert_eq!(big.scroll(), little.scroll());
        assert_eq!(text_rows(big, &draw(big)), text_rows(little, &draw(little)));
    };
    same(&big, &little);
    let steps: [&[Action]; 6] = [
        &[
            Action::NextSentence,
            Action::NextSentence,
            Action::NextSentence,
        ],
        &[Action::PreviousSentence],
        &[Action::ScrollDown, Action::ScrollDown],
        &[Action::ScrollUp],
        &[Action::Wheel(7)],
        &[Action::NextSentence],
    ];
    for actions in steps {
        run(&mut big, actions.iter().cloned());
        run(&mut little, actions.iter().cloned());
        same(&big, &little);
        let moves = actions
            .iter()
            .any(|a| matches!(a, Action::NextSentence | Action::PreviousSentence));
        // The scrolling keys leave the cursor where it is, on screen or not.
        assert!(!moves || cursor_visible(&big));
    }
    // A click on the middle of the text pane selects the sentence drawn there.
    let area = big.screen().text;
    let click = Action::Click {
        column: area.x + area.width / 2,
        row: area.y + area.height / 2,
    };
    run(&mut big, [click.clone()]);
    run(&mut little, [click]);
    same(&big, &little);
    assert!(big.cursor().sentence > 3);
    // The last sentence: at the end of the last screen, as on any article.
    run(&mut big, [Action::LastSentence]);
    let last = big.sentence_count() - 1;
    assert_eq!(big.cursor().sentence, last);
    let lines = big.layout().lines.len();
    let height = usize::from(area.height);
    assert_eq!(big.scroll(), lines - height);
    assert_eq!(big.layout().sentence_lines[last].1, lines - 1);
    let buf = draw(&big);
    let rows = text_rows(&big, &buf);
    let tail: Vec<&str> = rows[height - 2..].iter().map(|r| r.trim_end()).collect();
    assert!(
        tail.join(" ").ends_with("The last sentence ends here."),
        "{tail:?}"
    );
    let rule: String = (0..WIDTH).map(|x| buf[(x, area.y - 1)].symbol()).collect();
    assert!(rule.contains(" 100% "), "{rule}");
    run(&mut big, [Action::PreviousSentence, Action::ScrollUp]);
    assert_eq!(big.cursor().sentence, last - 1);
    assert_eq!(big.scroll(), lines - height - (height - 1));
    let rows = text_rows(&big, &draw(&big));
    assert!(
        rows.iter().all(|r| !r.trim().is_empty()),
        "every row is drawn: {rows:?}"
    );
}
