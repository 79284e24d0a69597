//! Every figure equals a direct, unoptimised reading of its definition, on random label sets
//! with missing decisions; and no figure depends on the order annotators are listed in.

use proptest::prelude::*;
use stance::agree::{Agreement, Coefficient, Ratings, masi_distance};

const LABELS: [&str; 4] = ["a", "b", "c", "d"];

/// Units × annotators of label bitmasks, `None` where the annotator did not annotate.
type Units = Vec<Vec<Option<u8>>>;

fn units() -> impl Strategy<Value = (usize, usize, Units)> {
    (2usize..=5, 1usize..=4).prop_flat_map(|(annotators, labels)| {
        let cell = proptest::option::weighted(0.7, 0u8..(1 << labels));
        (
            Just(annotators),
            Just(labels),
            proptest::collection::vec(proptest::collection::vec(cell, annotators), 0..40),
        )
    })
}

fn build(annotators: &[String], labels: usize, units: &Units) -> Ratings {
    let mut ratings = Ratings::new(
        annotators.to_vec(),
        LABELS[..labels].iter().map(|s| s.to_string()).collect(),
    )
    .unwrap();
    for unit in units {
        ratings
            .push_unit(unit.iter().map(|cell| {
                cell.map(|mask| {
                    (0..labels)
                        .filter(|l| mask & (1 << l) != 0)
                        .map(|l| LABELS[l])
                        .collect::<Vec<_>>()
                })
            }))
            .unwrap();
    }
    ratings
}

fn defined(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator != 0.0).then(|| numerator / denominator)
}

/// Definitions over one nominal scale, read literally; rows hold only comparable units.
fn percent(rows: &[Vec<Option<u32>>]) -> Option<f64> {
    let shares: Vec<f64> = rows
        .iter()
        .map(|row| {
            let v: Vec<u32> = row.iter().flatten().copied().collect();
            let (mut pairs, mut agree) = (0.0, 0.0);
            for i in 0..v.len() {
                for j in i + 1..v.len() {
                    pairs += 1.0;
                    agree += f64::from(u8::from(v[i] == v[j]));
                }
            }
            agree / pairs
        })
        .collect();
    defined(shares.iter().sum(), shares.len() as f64)
}

fn cohen(rows: &[Vec<Option<u32>>], a: usize, b: usize) -> Option<f64> {
    let pairs: Vec<(u32, u32)> = rows
        .iter()
        .filter_map(|row| Some((row[a]?, row[b]?)))
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let po = pairs.iter().filter(|(x, y)| x == y).count() as f64 / n;
    let pe: f64 = (0..2)
        .map(|k| {
            let pa = pairs.iter().filter(|(x, _)| *x == k).count() as f64 / n;
            let pb = pairs.iter().filter(|(_, y)| *y == k).count() as f64 / n;
            pa * pb
        })
        .sum();
    defined(po - pe, 1.0 - pe)
}

fn fleiss(rows: &[Vec<Option<u32>>]) -> Option<f64> {
    let complete: Vec<Vec<u32>> = rows
        .iter()
        .filter_map(|row| row.iter().copied().collect::<Option<Vec<u32>>>())
        .collect();
    if complete.is_empty() {
        return None;
    }
    let r = complete[0].len() as f64;
    let n = complete.len() as f64;
    let count = |row: &[u32], k: u32| row.iter().filter(|&&v| v == k).count() as f64;
    let p_i: f64 = complete
        .iter()
        .map(|row| {
            (0..2)
                .map(|k| count(row, k) * (count(row, k) - 1.0))
                .sum::<f64>()
                / (r * (r - 1.0))
        })
        .sum::<f64>()
        / n;
    let p_e: f64 = (0..2)
        .map(|k| {
            let p = complete.iter().map(|row| count(row, k)).sum::<f64>() / (n * r);
            p * p
        })
        .sum();
    if p_e == 1.0 {
        return None;
    }
    defined(p_i - p_e, 1.0 - p_e)
}

/// Krippendorff's alpha from the coincidence matrix, for any distance.
fn alpha<T: PartialEq + Clone>(rows: &[Vec<Option<T>>], d: impl Fn(&T, &T) -> f64) -> Option<f64> {
    let mut values: Vec<T> = Vec::new();
    let mut observed = 0.0;
    for row in rows {
        let v: Vec<&T> = row.iter().flatten().collect();
        let m = v.len() as f64;
        for i in 0..v.len() {
            for j in 0..v.len() {
                if i != j {
                    observed += d(v[i], v[j]) / (m - 1.0);
                }
            }
        }
        values.extend(v.into_iter().cloned());
    }
    if rows.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mut expected = 0.0;
    for (i, x) in values.iter().enumerate() {
        for (j, y) in values.iter().enumerate() {
            if i != j {
                expected += d(x, y);
            }
        }
    }
    // Over distinct value pairs Σ n_c n_k d equals Σ over ordered pairs of values i ≠ j.
    defined(observed * (n - 1.0), expected).map(|share| 1.0 - share)
}

fn ac1(rows: &[Vec<Option<u32>>]) -> Option<f64> {
    if rows.len() < 2 {
        return None;
    }
    let pa = percent(rows)?;
    let pe: f64 = (0..2)
        .map(|k| {
            let pi = rows
                .iter()
                .map(|row| {
                    let v: Vec<u32> = row.iter().flatten().copied().collect();
                    v.iter().filter(|&&x| x == k).count() as f64 / v.len() as f64
                })
                .sum::<f64>()
                / rows.len() as f64;
            pi * (1.0 - pi)
        })
        .sum();
    defined(pa - pe, 1.0 - pe)
}

fn same(label: &str, ours: Coefficient, theirs: Option<f64>) -> Result<(), TestCaseError> {
    match (ours.value(), theirs) {
        (Some(x), Some(y)) => prop_assert!((x - y).abs() < 1e-9, "{label}: {x} vs {y}"),
        (x, y) => prop_assert!(x.is_none() && y.is_none(), "{label}: {x:?} vs {y:?}"),
    }
    Ok(())
}

fn check(
    agreement: &Agreement,
    annotators: &[String],
    labels: usize,
    units: &Units,
) -> Result<(), TestCaseError> {
    let kept: Units = units
        .iter()
        .filter(|row| row.iter().flatten().count() >= 2)
        .cloned()
        .collect();
    prop_assert_eq!(agreement.units, kept.len());
    for (l, figures) in agreement.labels.iter().enumerate() {
        let rows: Vec<Vec<Option<u32>>> = kept
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| c.map(|m| u32::from(m >> l & 1)))
                    .collect()
            })
            .collect();
        same("percent", figures.percent, percent(&rows))?;
        same("fleiss", figures.fleiss, fleiss(&rows))?;
        same(
            "alpha",
            figures.alpha,
            alpha(&rows, |x, y| f64::from(u8::from(x != y))),
        )?;
        same("ac1", figures.ac1, ac1(&rows))?;
        for pair in &figures.cohen {
            let (x, y) = pair.pair.split_once('|').unwrap();
            let a = annotators.iter().position(|n| n == x).unwrap();
            let b = annotators.iter().position(|n| n == y).unwrap();
            same(&pair.pair, pair.kappa, cohen(&rows, a, b))?;
        }
        prop_assert!(l < labels);
    }
    let sets: Vec<Vec<Option<Vec<u32>>>> = kept
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| c.map(|m| (0..8).filter(|l| m & (1 << l) != 0).collect()))
                .collect()
        })
        .collect();
    same(
        "alpha_masi",
        agreement.set.alpha_masi,
        alpha(&sets, |x, y| masi_distance(x, y)),
    )?;
    let exact = kept
        .iter()
        .filter(|row| {
            let v: Vec<u8> = row.iter().flatten().copied().collect();
            v.iter().all(|&x| x == v[0])
        })
        .count() as f64;
    same(
        "percent_exact",
        agreement.set.percent_exact,
        defined(exact, kept.len() as f64),
    )?;
    Ok(())
}

proptest! {
    #[test]
    fn figures_follow_their_definitions((annotators, labels, units) in units()) {
        let names: Vec<String> = (0..annotators).map(|i| format!("n{}", annotators - i)).collect();
        let agreement = build(&names, labels, &units).agreement();
        check(&agreement, &names, labels, &units)?;
    }

    #[test]
    fn annotator_order_changes_nothing((annotators, labels, units) in units()) {
        let names: Vec<String> = (0..annotators).map(|i| format!("n{i}")).collect();
        let forward = build(&names, labels, &units).agreement();
        let reversed_names: Vec<String> = names.iter().rev().cloned().collect();
        let reversed_units: Units = units.iter().map(|row| row.iter().rev().copied().collect()).collect();
        let mut backward = build(&reversed_names, labels, &reversed_units).agreement();
        prop_assert_eq!(&backward.annotators, &reversed_names);
        backward.annotators = forward.annotators.clone();
        // Distinct sets are numbered in the order first seen, so the MASI sums run in another
        // order: equal up to rounding. Every other figure comes from integer tallies.
        if let (Some(x), Some(y)) = (forward.set.alpha_masi.value(), backward.set.alpha_masi.value()) {
            prop_assert!((x - y).abs() < 1e-12);
            backward.set.alpha_masi = forward.set.alpha_masi;
        }
        prop_assert_eq!(forward, backward);
    }
}
