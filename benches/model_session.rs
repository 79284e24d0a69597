//! The first suggestion of a session: from starting the model's thread (just before the
//! first frame) until the scores of the current sentence are back, on the sample corpus
//! with a store of 3,000 annotations (15 annotators on its sentences). The aim is at most
//! 100 ms. Also until the scores are the ones `stance suggest` prints (the trainer's model
//! has replaced the first, one-pass model).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::mpsc::channel;

use criterion::{Criterion, criterion_group, criterion_main};
use stance::app::Action;
use stance::corpus::{self, CorpusSpec};
use stance::schema::Schema;
use stance::store::{Event, Overrides};
use stance::terminal::model_worker::{ModelInput, ModelWorker, train};

const ANNOTATORS: usize = 15;

fn input() -> ModelInput {
    let corpus = corpus::open(&CorpusSpec::default()).expect("the sample corpus opens");
    let boundaries = Overrides::default();
    let schema = Schema::default();
    let mut events = Vec::new();
    let names = ["diplomatic", "sanctions", "military"];
    for who in 0..ANNOTATORS {
        let mut n = who;
        for article in &corpus.articles {
            for span in stance::boundary::sentences(article, &boundaries) {
                n += 1;
                let labels: Vec<&str> = match n % 4 {
                    3 => Vec::new(),
                    i => vec![names[i]],
                };
                events.push(Event::set(
                    &article.id,
                    span.start,
                    &article.text[span.start..span.end],
                    labels,
                    &format!("annotator{who}"),
                    n as u64,
                ));
            }
        }
    }
    ModelInput {
        articles: Arc::new(corpus.articles),
        schema,
        boundaries,
        events,
        hidden: HashSet::new(),
        rank: false,
        encoder: None,
    }
}

fn first_suggestion(c: &mut Criterion) {
    let template = input();
    assert!(template.events.len() >= 2_500, "{}", template.events.len());
    let first = &template.articles[0];
    let span = stance::boundary::sentences(first, &template.boundaries)[0];
    let text = first.text[span.start..span.end].to_owned();
    let exact = train(&template).suggest(&text);
    let copy = || ModelInput {
        articles: Arc::clone(&template.articles),
        schema: template.schema.clone(),
        boundaries: template.boundaries.clone(),
        events: template.events.clone(),
        hidden: HashSet::new(),
        rank: false,
        encoder: None,
    };
    c.bench_function(
        "suggest's scores after open (sample, 3k annotations)",
        |b| {
            b.iter_batched(
                copy,
                |input| {
                    let (tx, rx) = channel();
                    let worker = ModelWorker::spawn(input, tx);
                    worker.score((0, span.start, span.end), &text);
                    loop {
                        match rx.recv().expect("the worker answers") {
                            Action::Suggested(scored) if scored.suggestion == exact => {
                                break scored;
                            }
                            _ => continue,
                        }
                    }
                },
                criterion::BatchSize::LargeInput,
            )
        },
    );
    c.bench_function(
        "first suggestion after open (sample, 3k annotations)",
        |b| {
            b.iter_batched(
                copy,
                |input| {
                    let (tx, rx) = channel();
                    let worker = ModelWorker::spawn(input, tx);
                    worker.score((0, span.start, span.end), &text);
                    loop {
                        match rx.recv().expect("the worker answers") {
                            Action::Suggested(scored) => break scored,
                            _ => continue,
                        }
                    }
                },
                criterion::BatchSize::LargeInput,
            )
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = first_suggestion
}
criterion_main!(benches);
