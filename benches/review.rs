//! The review list with 100,000 annotations by three annotators over 8,000 articles: opening
//! it (from a label store on disk to the first frame), changing the label and text filters,
//! and drawing a frame, which only touches the rows on screen.

use std::hint::black_box;
use std::io::Write;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use stance::app::{Action, LabelFilter, Setup, State, update};
use stance::corpus::{Article, segment};
use stance::schema::Schema;
use stance::store::{Annotation, Event, LabelStore};

const ARTICLES: usize = 8_000;
const ANNOTATIONS: usize = 100_000;
const WORDS: [&str; 16] = [
    "envoys",
    "sanctions",
    "troops",
    "talks",
    "ministry",
    "oil",
    "exports",
    "border",
    "officials",
    "summit",
    "tariffs",
    "missile",
    "Geneva",
    "embargo",
    "said",
    "Tuesday",
];

/// A small deterministic generator, so every run benches the same corpus.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn corpus() -> Vec<Article> {
    let mut rng = Lcg(7);
    (0..ARTICLES)
        .map(|i| {
            let mut text = String::new();
            for _ in 0..15 {
                let mut sentence = String::from("The");
                for _ in 0..8 + rng.next() % 10 {
                    sentence.push(' ');
                    sentence.push_str(WORDS[rng.next() % WORDS.len()]);
                }
                sentence.push_str(". ");
                text.push_str(&sentence);
            }
            Article {
                id: format!("wire-{i:05}"),
                title: format!("{} and {} on day {i}", WORDS[i % 16], WORDS[(i / 16) % 16]),
                text,
                meta: Vec::new(),
                source: "bench".into(),
            }
        })
        .collect()
}

/// 100,000 annotations: each sentence by one annotator, some by two.
fn events(articles: &[Article]) -> Vec<Event> {
    let schema = Schema::default();
    let mut rng = Lcg(11);
    let mut out = Vec::with_capacity(ANNOTATIONS);
    'all: for (i, article) in articles.iter().enumerate() {
        for (s, span) in segment(&article.text).into_iter().enumerate() {
            for who in ["alice", "bob", "carol"] {
                if out.len() == ANNOTATIONS {
                    break 'all;
                }
                if (i + s + who.len()) % 3 == 0 {
                    continue;
                }
                let text = &article.text[span.start..span.end];
                let labels = match rng.next() % 5 {
                    0 => Vec::new(),
                    n => vec![schema.labels[n % 3].name.clone()],
                };
                out.push(Event::set(&article.id, span.start, text, labels, who, 1));
            }
        }
    }
    assert_eq!(out.len(), ANNOTATIONS);
    out
}

fn setup(articles: &Arc<Vec<Article>>) -> Setup {
    Setup {
        review: Some(LabelFilter::Any),
        ..Setup::new(Arc::clone(articles), "alice", "/tmp/bench.jsonl")
    }
}

const AREA: Rect = Rect::new(0, 0, 160, 48);

fn open<'e>(setup: Setup, events: impl IntoIterator<Item = Annotation<'e>>) -> State {
    let mut state = State::with_events(setup, events);
    update(
        &mut state,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    state
}

fn bench(c: &mut Criterion) {
    let articles = Arc::new(corpus());
    let events = events(&articles);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("labels.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for event in &events {
        serde_json::to_writer(&mut file, event).unwrap();
        file.write_all(b"\n").unwrap();
    }
    file.flush().unwrap();
    drop(file);
    let store = LabelStore::open_read_only(&path).unwrap();
    let mut buf = Buffer::empty(AREA);

    c.bench_function(
        "open review: 100k annotations in the store to the first frame",
        |b| {
            b.iter_with_large_drop(|| {
                let state = open(setup(&articles), store.annotations());
                state.render(AREA, &mut buf);
                black_box(&buf);
                state
            });
        },
    );
    c.bench_function("open review, then drop the session", |b| {
        b.iter(|| {
            let state = open(setup(&articles), store.annotations());
            state.render(AREA, &mut buf);
            black_box(&buf);
        });
    });

    let state = open(setup(&articles), events.iter().map(Annotation::from));
    assert_eq!(state.review().rows().len(), ANNOTATIONS);
    let mut filtered = state.clone();
    c.bench_function("label filter on/off, 100k annotations", |b| {
        b.iter(|| {
            update(&mut filtered, Action::FilterLabel);
            update(&mut filtered, Action::FilterBy(LabelFilter::Label(1)));
            black_box(filtered.review().rows().len());
        });
    });
    c.bench_function("annotator filter in turn, 100k annotations", |b| {
        b.iter(|| {
            update(&mut filtered, Action::FilterAnnotator);
            black_box(filtered.review().rows().len());
        });
    });
    let mut typing = state.clone();
    update(&mut typing, Action::Search);
    c.bench_function(
        "text filter: first character typed, 100k rows scanned",
        |b| {
            b.iter_batched(
                || typing.clone(),
                |mut s| {
                    update(&mut s, Action::Type('o'));
                    s
                },
                BatchSize::LargeInput,
            );
        },
    );
    for c_ in "sanctions".chars() {
        update(&mut typing, Action::Type(c_));
    }
    c.bench_function("text filter: erase a character, 100k rows scanned", |b| {
        b.iter_batched(
            || typing.clone(),
            |mut s| {
                update(&mut s, Action::Erase);
                s
            },
            BatchSize::LargeInput,
        );
    });
    c.bench_function("draw the review list 160x48, 100k rows", |b| {
        b.iter(|| {
            buf.reset();
            black_box(&state).render(AREA, &mut buf);
            black_box(&buf);
        });
    });
    let few = open(
        setup(&articles),
        events[..1_000].iter().map(Annotation::from),
    );
    assert_eq!(few.review().rows().len(), 1_000);
    c.bench_function("draw the review list 160x48, 1k rows", |b| {
        b.iter(|| {
            buf.reset();
            black_box(&few).render(AREA, &mut buf);
            black_box(&buf);
        });
    });
    let mut picking = state.clone();
    update(&mut picking, Action::Articles);
    c.bench_function(
        "article list: type and erase a character, 8,000 articles",
        |b| {
            b.iter(|| {
                update(&mut picking, Action::Type('g'));
                update(&mut picking, Action::Erase);
                black_box(picking.picker().matches().len());
            });
        },
    );
    let mut moving = state.clone();
    c.bench_function("move down a row and draw, 100k rows", |b| {
        b.iter(|| {
            update(&mut moving, Action::NextSentence);
            buf.reset();
            black_box(&moving).render(AREA, &mut buf);
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
