//! Agreement on 100,000 units by three annotators with the default three labels (target: well
//! under 1 s from the decisions to the printed JSON): building the ratings from label names,
//! computing every coefficient, and the whole way through to the JSON text.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use stance::agree::Ratings;

const UNITS: usize = 100_000;
const LABELS: [&str; 3] = ["diplomatic", "sanctions", "military"];

/// A small deterministic generator, so every run benches the same decisions.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Per unit and annotator the label names chosen, as a label store hands them over; one
/// annotator in ten skips a unit, and each flips a label of the unit's truth one time in six.
fn decisions() -> Vec<[Option<Vec<String>>; 3]> {
    let mut rng = Lcg(7);
    (0..UNITS)
        .map(|_| {
            let truth = rng.next() % 8;
            std::array::from_fn(|_| {
                if rng.next().is_multiple_of(10) {
                    return None;
                }
                Some(
                    (0..3)
                        .filter(|&l| (truth >> l & 1 == 1) != rng.next().is_multiple_of(6))
                        .map(|l| LABELS[l].to_string())
                        .collect(),
                )
            })
        })
        .collect()
}

fn build(decisions: &[[Option<Vec<String>>; 3]]) -> Ratings {
    let mut ratings = Ratings::new(
        vec!["ana".into(), "bob".into(), "cy".into()],
        LABELS.iter().map(|s| s.to_string()).collect(),
    )
    .expect("distinct names");
    for unit in decisions {
        ratings
            .push_unit(unit.iter().map(|d| d.as_deref()))
            .expect("known labels");
    }
    ratings
}

fn agreement(c: &mut Criterion) {
    let decisions = decisions();
    let ratings = build(&decisions);
    let mut group = c.benchmark_group("agree");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("build_100k_units", |b| {
        b.iter(|| black_box(build(black_box(&decisions))))
    });
    group.bench_function("coefficients_100k_units", |b| {
        b.iter(|| black_box(ratings.agreement()))
    });
    group.bench_function("decisions_to_json_100k_units", |b| {
        b.iter(|| {
            let agreement = build(black_box(&decisions)).agreement();
            black_box(serde_json::to_string(&agreement).expect("serializes"))
        })
    });
    group.finish();
}

criterion_group!(benches, agreement);
criterion_main!(benches);
