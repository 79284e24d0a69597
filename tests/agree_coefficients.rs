//! Agreement coefficients on data small enough to work out by hand, on published examples,
//! and on the data that leaves a coefficient undefined.

use stance::agree::nominal::Table;
use stance::agree::{AgreeError, Coefficient, Ratings, Undefined, masi_distance};

fn close(coefficient: Coefficient, expected: f64, tolerance: f64) {
    let value = coefficient
        .value()
        .unwrap_or_else(|| panic!("expected {expected}, got {coefficient:?}"));
    assert!(
        (value - expected).abs() <= tolerance,
        "expected {expected}, got {value}"
    );
}

fn table(raters: usize, categories: usize, units: &[&[Option<usize>]]) -> Table {
    let mut table = Table::new(raters, categories);
    for unit in units {
        table.push_unit(unit).unwrap();
    }
    table
}

/// A subjects × categories count table as units × raters (rater j gives the j-th rating).
fn from_counts(counts: &[[usize; 5]]) -> Table {
    let raters = counts[0].iter().sum();
    let mut table = Table::new(raters, 5);
    for row in counts {
        let unit: Vec<Option<usize>> = (0..5)
            .flat_map(|k| std::iter::repeat_n(Some(k), row[k]))
            .collect();
        table.push_unit(&unit).unwrap();
    }
    table
}

fn ratings(annotators: &[&str], labels: &[&str]) -> Ratings {
    Ratings::new(
        annotators.iter().map(|s| s.to_string()).collect(),
        labels.iter().map(|s| s.to_string()).collect(),
    )
    .unwrap()
}

#[test]
fn cohen_from_a_two_by_two_table() {
    // 4 both present, 1 only A, 2 only B, 3 neither: po = 7/10, pe = .5 × .6 + .5 × .4 = .5.
    let mut units: Vec<&[Option<usize>]> = Vec::new();
    units.extend(std::iter::repeat_n(&[Some(1), Some(1)][..], 4));
    units.push(&[Some(1), Some(0)]);
    units.extend(std::iter::repeat_n(&[Some(0), Some(1)][..], 2));
    units.extend(std::iter::repeat_n(&[Some(0), Some(0)][..], 3));
    units.push(&[None, Some(1)]);
    let t = table(2, 2, &units);
    close(t.cohen(0, 1), 0.4, 1e-15);
    close(t.cohen(1, 0), 0.4, 1e-15);
}

#[test]
fn alpha_and_percent_by_hand() {
    // Units (0,0), (0,1), (1,1): n = 6, two disagreeing ordered pairs, Σ n_c n_k = 18,
    // alpha = 1 - 5 × 2 / 18 = 4/9; percent = (1 + 0 + 1) / 3.
    let t = table(
        2,
        2,
        &[
            &[Some(0), Some(0)],
            &[Some(0), Some(1)],
            &[Some(1), Some(1)],
        ],
    );
    close(t.alpha(), 4.0 / 9.0, 1e-15);
    close(t.percent(), 2.0 / 3.0, 1e-15);
    close(t.percent_exact(), 2.0 / 3.0, 1e-15);
    // Units with a single rating are not pairable and change neither.
    let mut more = t.clone();
    more.push_unit(&[Some(1), None]).unwrap();
    close(more.alpha(), 4.0 / 9.0, 1e-15);
    close(more.percent(), 2.0 / 3.0, 1e-15);
}

#[test]
fn fleiss_on_the_wikipedia_table_of_fleiss_1971() {
    let counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ];
    close(from_counts(&counts).fleiss(), 0.2099307, 5e-8);
}

/// The krippendorff package's nominal example, raters × units, -1 for its nan.
const KRIPPENDORFF: [[i8; 15]; 3] = [
    [-1, -1, -1, -1, -1, 3, 4, 1, 2, 1, 1, 3, 3, -1, 3],
    [1, -1, 2, 1, 3, 3, 4, 3, -1, -1, -1, -1, -1, -1, -1],
    [-1, -1, 2, 1, 3, 4, 4, -1, 2, 1, 1, 3, 3, -1, 4],
];

fn krippendorff_rows() -> Vec<Vec<Option<usize>>> {
    (0..15)
        .map(|unit| {
            KRIPPENDORFF
                .iter()
                .map(|rater| usize::try_from(rater[unit]).ok())
                .collect()
        })
        .collect()
}

fn krippendorff_example() -> Table {
    let mut table = Table::new(3, 5);
    for row in krippendorff_rows() {
        table.push_unit(&row).unwrap();
    }
    table
}

#[test]
fn alpha_on_the_krippendorff_package_example() {
    close(krippendorff_example().alpha(), 0.691358, 5e-7);
}

#[test]
fn ac1_on_irrcac_raw_4raters() {
    // Gwet 2014's four raters on 12 subjects (irrCAC's `raw_4raters`): AC1 0.77544, pa 0.81818.
    let s = |k: usize| Some(k - 1);
    let n = None;
    let t = table(
        4,
        5,
        &[
            &[s(1), s(1), n, s(1)],
            &[s(2), s(2), s(3), s(2)],
            &[s(3), s(3), s(3), s(3)],
            &[s(3), s(3), s(3), s(3)],
            &[s(2), s(2), s(2), s(2)],
            &[s(1), s(2), s(3), s(4)],
            &[s(4), s(4), s(4), s(4)],
            &[s(1), s(1), s(2), s(1)],
            &[s(2), s(2), s(2), s(2)],
            &[n, s(5), s(5), s(5)],
            &[n, n, s(1), s(1)],
            &[n, n, s(3), n],
        ],
    );
    close(t.ac1(), 0.77544, 5e-6);
    close(t.percent(), 0.81818, 5e-6);
}

#[test]
fn masi_alpha_on_singletons_is_the_nominal_alpha() {
    let nominal = krippendorff_example();
    let mut sets = ratings(&["r0", "r1", "r2"], &["c0", "c1", "c2", "c3", "c4"]);
    let names = ["c0", "c1", "c2", "c3", "c4"];
    for unit in krippendorff_rows() {
        sets.push_unit(unit.iter().map(|c| c.map(|k| [names[k]])))
            .unwrap();
    }
    let alpha = nominal.alpha().value().unwrap();
    close(sets.agreement().set.alpha_masi, alpha, 1e-12);
}

#[test]
fn no_variation_leaves_the_kappas_and_alpha_undefined_but_not_ac1() {
    let t = table(
        3,
        2,
        &[&[Some(0), Some(0), Some(0)], &[Some(0), None, Some(0)]],
    );
    let no_variation = Coefficient::Undefined(Undefined::NoVariation);
    assert_eq!(t.cohen(0, 2), no_variation);
    assert_eq!(t.fleiss(), no_variation);
    assert_eq!(t.alpha(), no_variation);
    assert_eq!(t.alpha_with(|_, _| 1.0), no_variation);
    // AC1's chance agreement is 2 p (1 - p) = 0 here: the raters agree and AC1 says so.
    close(t.ac1(), 1.0, 0.0);
    close(t.percent(), 1.0, 0.0);
}

#[test]
fn missing_overlap_has_its_own_reasons() {
    let t = table(
        3,
        2,
        &[&[Some(0), None, Some(1)], &[None, Some(1), Some(1)]],
    );
    assert_eq!(
        t.cohen(0, 1),
        Coefficient::Undefined(Undefined::NoSharedUnits)
    );
    assert_eq!(
        t.fleiss(),
        Coefficient::Undefined(Undefined::NoCompleteUnits)
    );
    let empty = table(2, 2, &[&[Some(0), None], &[None, None]]);
    for coefficient in [
        empty.percent(),
        empty.percent_exact(),
        empty.alpha(),
        empty.ac1(),
    ] {
        assert_eq!(coefficient, Coefficient::Undefined(Undefined::NoUnits));
    }
    let one = table(2, 2, &[&[Some(0), Some(1)]]);
    assert_eq!(one.ac1(), Coefficient::Undefined(Undefined::OneUnit));
    close(one.cohen(0, 1), 0.0, 0.0);
    let one_category = table(2, 1, &[&[Some(0), Some(0)], &[Some(0), Some(0)]]);
    assert_eq!(
        one_category.ac1(),
        Coefficient::Undefined(Undefined::OneCategory)
    );
    assert!(!Undefined::NoUnits.reason().is_empty());
}

#[test]
fn units_with_fewer_than_two_decisions_are_left_out() {
    let mut r = ratings(&["ana", "bob", "cy"], &["x"]);
    assert!(!r.push_unit([Some(["x"]), None, None]).unwrap());
    assert!(!r.push_unit([None::<[&str; 0]>, None, None]).unwrap());
    assert!(r.push_unit([Some(vec!["x"]), None, Some(vec![])]).unwrap());
    assert_eq!(r.units(), 1);
    assert_eq!(r.agreement().units, 1);
}

#[test]
fn bad_input_is_refused_and_adds_nothing() {
    let mut r = ratings(&["ana", "bob"], &["x", "y"]);
    assert_eq!(
        r.push_unit([Some(vec!["x"]), Some(vec!["nope"])]),
        Err(AgreeError::UnknownLabel("nope".into()))
    );
    assert_eq!(
        r.push_unit([Some(vec!["x"]), Some(vec!["y"]), None]),
        Err(AgreeError::UnitLength {
            expected: 2,
            found: 3
        })
    );
    assert_eq!(r.units(), 0);
    assert_eq!(
        Ratings::new(vec!["a".into(), "a".into()], vec![]).unwrap_err(),
        AgreeError::DuplicateAnnotator("a".into())
    );
    assert_eq!(
        Ratings::new(vec!["a".into()], vec!["x".into(), "x".into()]).unwrap_err(),
        AgreeError::DuplicateLabel("x".into())
    );
    let mut t = Table::new(2, 2);
    assert_eq!(
        t.push_unit(&[Some(0), Some(2)]),
        Err(AgreeError::UnknownCategory {
            category: 2,
            categories: 2
        })
    );
    assert_eq!(t.units(), 0);
}

#[test]
fn a_label_named_twice_in_one_decision_counts_once() {
    let mut once = ratings(&["ana", "bob"], &["x", "y"]);
    let mut twice = ratings(&["ana", "bob"], &["x", "y"]);
    for (a, b) in [
        (vec!["x"], vec!["x", "y"]),
        (vec!["y"], vec![]),
        (vec![], vec!["y"]),
    ] {
        once.push_unit([Some(a.clone()), Some(b.clone())]).unwrap();
        let doubled: Vec<&str> = a.iter().chain(&a).copied().collect();
        twice.push_unit([Some(doubled), Some(b)]).unwrap();
    }
    assert_eq!(once.agreement(), twice.agreement());
}

#[test]
fn masi_distance_is_public_with_the_exact_weights() {
    assert_eq!(
        masi_distance(&[0, 1], &[0, 1, 2, 3]),
        1.0 - 0.5 * (2.0 / 3.0)
    );
}
