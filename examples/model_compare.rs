//! Cross-validated quality of several optimizers and settings on one corpus and store, to
//! choose stance's defaults by measurement:
//! `cargo run --example model_compare -- CORPUS STORE [SCHEMA]`.

use std::path::Path;

use stance::corpus::{self, CorpusSpec};
use stance::model::encoder::HashedNgrams;
use stance::model::eval::{cross_validate_with, curve_with};
use stance::model::examples::settle;
use stance::model::learner::Optimizer;
use stance::model::{Model, eval::Order};
use stance::schema::Schema;
use stance::store::LabelStore;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpus = corpus::open(&CorpusSpec {
        paths: vec![args[0].clone().into()],
        ..CorpusSpec::default()
    })?;
    let store = LabelStore::open_read_only(Path::new(&args[1]))?;
    let schema = match args.get(2) {
        Some(path) => Schema::load(Path::new(path))?,
        None => Schema::default(),
    };
    let settled = settle(
        &corpus.articles,
        store.boundaries(),
        store.annotations(),
        &schema,
        |_| false,
    );
    let examples = &settled.examples;
    println!("{} examples", examples.len());
    let mut settings: Vec<(String, Optimizer, usize)> = Vec::new();
    for epochs in [5, 20] {
        for alpha in [0.5f32, 1.0, 2.0, 5.0] {
            for l1 in [0.0f32, 0.1] {
                let o = Optimizer::Ftrl {
                    alpha,
                    beta: 1.0,
                    l1,
                    l2: 0.0,
                };
                settings.push((format!("e{epochs} ftrl a={alpha} l1={l1}"), o, epochs));
            }
        }
        for rate in [0.5f32, 1.0] {
            let o = Optimizer::AdaGrad { rate, l2: 0.0 };
            settings.push((format!("e{epochs} adagrad r={rate}"), o, epochs));
        }
    }
    train_fit(
        &schema,
        examples,
        Optimizer::AdaGrad { rate: 1.0, l2: 0.0 },
        5,
    );
    train_fit(
        &schema,
        examples,
        Optimizer::Ftrl {
            alpha: 5.0,
            beta: 1.0,
            l1: 0.0,
            l2: 0.0,
        },
        5,
    );
    let curves = std::env::var_os("CURVE").is_some();
    let encoders = [(true, true), (false, true)];
    for (name, optimizer, epochs) in settings {
        for (chars, unit) in encoders {
            let name = format!("{name} c{} u{}", chars as u8, unit as u8);
            let new = || {
                Model::with(
                    &schema,
                    Box::new(HashedNgrams::variant(18, chars, unit)),
                    optimizer,
                )
                .with_max_epochs(epochs)
            };
            let q = cross_validate_with(&new, &schema, examples, 5);
            let mut m = new();
            m.fit(examples);
            let sure = examples
                .iter()
                .filter(|e| m.suggest(&e.text).uncertainty < 0.0001)
                .count();
            print!(
                "{name:<22} saturated {sure:>4} micro {:.4} macro {:.4}",
                q.micro_f1().unwrap_or(0.0),
                q.macro_f1().unwrap_or(0.0)
            );
            if curves {
                for p in curve_with(&new, &schema, examples, 5) {
                    if p.order == Order::Corpus {
                        print!(
                            " | {} {:.3}",
                            p.annotations,
                            p.quality.micro_f1().unwrap_or(0.0)
                        );
                    }
                }
            }
            println!();
        }
    }
    Ok(())
}

/// Fit on everything and score the same sentences: a model that cannot fit its own
/// training data has a bug, not a lack of data.
fn train_fit(
    schema: &Schema,
    examples: &[stance::model::Example],
    optimizer: Optimizer,
    epochs: usize,
) {
    let mut model =
        Model::with(schema, Box::new(HashedNgrams::new(18)), optimizer).with_max_epochs(epochs);
    model.fit(examples);
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for e in examples {
        let s = model.suggest(&e.text);
        for l in 0..schema.labels.len() {
            match (s.suggested.contains(&l), e.labels.contains(&l)) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
    }
    println!(
        "train fit tp {tp} fp {fp} fn {fn_}; counts {:?}",
        model.counts()
    );
}
