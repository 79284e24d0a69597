//! Drawing one frame at 200x60 in an article of 5,000 sentences, with the cursor in the middle
//! and a decision on every other sentence: the view only copies the visible lines of a layout
//! counted once per (article, width). And opening an article (segmenting it, counting its
//! lines, laying out the first screen) until its first frame is drawn: the 5,000 sentences,
//! and 10 MB and 50 MB of sentences on one line.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use stance::app::{Action, Effect, Setup, State, update};
use stance::corpus::Article;

const SENTENCES: usize = 5_000;

fn long_article() -> Article {
    let mut text = String::new();
    for i in 0..SENTENCES {
        let sentence = match i % 4 {
            0 => "Envoys from both countries met in Geneva on Tuesday for talks.",
            1 => "The ministry said new sanctions on oil exports would follow.",
            2 => "Troops stayed on high alert along the 東京 border, officials said.",
            _ => "Markets barely moved.",
        };
        text.push_str(sentence);
        text.push(if i % 5 == 4 { '\n' } else { ' ' });
    }
    Article {
        id: "long".into(),
        title: "A very long article".into(),
        text,
        meta: vec![("date".into(), "2017-12-31".into())],
        source: "bench".into(),
    }
}

/// News sentences on one line, about `bytes` long.
fn one_line_article(bytes: usize) -> Article {
    let mut text = String::with_capacity(bytes + 100);
    let sentences = [
        "Envoys from both countries met in Geneva on Tuesday for talks.",
        "The ministry said new sanctions on oil exports would follow.",
        "Troops stayed on high alert along the 東京 border, officials said.",
        "Markets barely moved.",
    ];
    for sentence in sentences.iter().cycle() {
        if text.len() >= bytes {
            break;
        }
        text.push_str(sentence);
        text.push(' ');
    }
    Article {
        text,
        ..long_article()
    }
}

/// Opens a session on `article` at 200x60 and draws its first frame into `buf`.
fn open_and_draw(articles: &Arc<Vec<Article>>, buf: &mut Buffer) -> State {
    let mut state = State::new(Setup::new(
        Arc::clone(articles),
        "bench",
        "/tmp/bench.jsonl",
    ));
    update(
        &mut state,
        Action::Resize {
            width: 200,
            height: 60,
        },
    );
    buf.reset();
    let area = buf.area;
    (&state).render(area, buf);
    state
}

fn session() -> State {
    let mut state = State::new(Setup::new(
        Arc::new(vec![long_article()]),
        "bench",
        "/tmp/bench.jsonl",
    ));
    update(
        &mut state,
        Action::Resize {
            width: 200,
            height: 60,
        },
    );
    assert_eq!(
        state.sentence_count(),
        SENTENCES,
        "the segmenter splits the bench text"
    );
    for i in 0..SENTENCES / 2 {
        let action = if i % 2 == 0 {
            Action::ToggleLabel(i % 3)
        } else {
            Action::NoStance
        };
        for effect in update(&mut state, action) {
            if let Effect::Save { seq, .. } = effect {
                update(&mut state, Action::Saved(seq));
            }
        }
        update(&mut state, Action::NextSentence);
    }
    state
}

fn bench(c: &mut Criterion) {
    let state = session();
    let area = Rect::new(0, 0, 200, 60);
    let mut buf = Buffer::empty(area);
    c.bench_function("draw 200x60, 5000-sentence article, into a Buffer", |b| {
        b.iter(|| {
            buf.reset();
            black_box(&state).render(area, &mut buf);
            black_box(&buf);
        });
    });
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");
    c.bench_function(
        "draw 200x60, 5000-sentence article, TestBackend frame",
        |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| frame.render_widget(black_box(&state), frame.area()))
                    .expect("draw");
            });
        },
    );
    let mut resized = state.clone();
    c.bench_function("re-wrap the 5000-sentence article on resize", |b| {
        let mut width = 200;
        b.iter(|| {
            width = if width == 200 { 199 } else { 200 };
            update(&mut resized, Action::Resize { width, height: 60 });
        });
    });
}

fn open(c: &mut Criterion) {
    let mut buf = Buffer::empty(Rect::new(0, 0, 200, 60));
    let long = Arc::new(vec![long_article()]);
    c.bench_function("open + first frame, 5000-sentence article", |b| {
        b.iter_with_large_drop(|| open_and_draw(&long, &mut buf));
    });
    let mut group = c.benchmark_group("open + first frame, one-line article");
    group.sample_size(10);
    for mb in [10, 50] {
        let big = Arc::new(vec![one_line_article(mb << 20)]);
        group.bench_function(format!("{mb} MB"), |b| {
            b.iter_with_large_drop(|| open_and_draw(&big, &mut buf));
        });
    }
    group.finish();
}

criterion_group!(benches, bench, open);
criterion_main!(benches);
