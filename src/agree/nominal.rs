//! Agreement on one nominal scale: each rater puts each unit in one of `categories`
//! categories, or leaves it out. Per label the scale is binary (absent 0, present 1); for the
//! label set the categories are the distinct sets.
//!
//! Sums are kept as integers grouped by how many raters rated a unit, and divided once at the
//! end, so the figures carry no rounding from long floating-point sums.

use super::{AgreeError, Coefficient, Undefined, ratio};

/// A cell that holds no rating.
pub(crate) const MISSING: u32 = u32::MAX;

/// Units × raters, row by row; a cell holds a category index or [`MISSING`].
#[derive(Clone, Debug)]
pub struct Table {
    raters: usize,
    categories: usize,
    cells: Vec<u32>,
}

/// Integer tallies by the number of raters `m` that rated a unit.
struct Tally {
    categories: usize,
    /// `units[m]`: units rated by `m` raters.
    units: Vec<u64>,
    /// `agree[m]`: over those units, the ordered pairs of raters that chose the same category.
    agree: Vec<u64>,
    /// `totals[m * categories + k]`: over those units, the ratings in category `k`.
    totals: Vec<u64>,
}

impl Tally {
    /// Units rated by two or more raters: the ones any pair can be drawn from.
    fn pairable(&self) -> u64 {
        self.units.iter().skip(2).sum()
    }

    fn totals(&self, m: usize) -> &[u64] {
        &self.totals[m * self.categories..(m + 1) * self.categories]
    }
}

impl Table {
    /// An empty table for `raters` raters on a scale of `categories` categories.
    pub fn new(raters: usize, categories: usize) -> Table {
        Table {
            raters,
            categories,
            cells: Vec::new(),
        }
    }

    /// Adds one unit: one entry per rater, `None` where that rater did not rate it.
    pub fn push_unit(&mut self, unit: &[Option<usize>]) -> Result<(), AgreeError> {
        if unit.len() != self.raters {
            return Err(AgreeError::UnitLength {
                expected: self.raters,
                found: unit.len(),
            });
        }
        if let Some(&category) = unit.iter().flatten().find(|&&c| c >= self.categories) {
            return Err(AgreeError::UnknownCategory {
                category,
                categories: self.categories,
            });
        }
        self.cells.extend(unit.iter().map(|cell| match cell {
            Some(c) => u32::try_from(*c).expect("a category below `categories` fits in u32"),
            None => MISSING,
        }));
        Ok(())
    }

    /// Appends a whole row of cells already checked by the caller.
    pub(crate) fn push_cells(&mut self, row: impl IntoIterator<Item = u32>) {
        self.cells.extend(row);
    }

    /// How many raters each unit has a cell for.
    pub fn raters(&self) -> usize {
        self.raters
    }

    /// How many units were added, whatever their number of ratings.
    pub fn units(&self) -> usize {
        self.cells.len().checked_div(self.raters).unwrap_or(0)
    }

    fn rows(&self) -> impl Iterator<Item = &[u32]> {
        self.cells.chunks_exact(self.raters.max(1))
    }

    fn tally(&self) -> Tally {
        let q = self.categories;
        let mut tally = Tally {
            categories: q,
            units: vec![0; self.raters + 1],
            agree: vec![0; self.raters + 1],
            totals: vec![0; (self.raters + 1) * q],
        };
        // Counts per category for the current row, and the categories it touched, so a row
        // costs its own ratings and not the size of the scale.
        let mut counts = vec![0u64; q];
        let mut touched = Vec::with_capacity(self.raters);
        for row in self.rows() {
            let mut m = 0;
            for &c in row {
                if c != MISSING {
                    m += 1;
                    let count = &mut counts[c as usize];
                    if *count == 0 {
                        touched.push(c as usize);
                    }
                    *count += 1;
                }
            }
            tally.units[m] += 1;
            for &k in &touched {
                let n = std::mem::take(&mut counts[k]);
                tally.agree[m] += n * (n - 1);
                tally.totals[m * q + k] += n;
            }
            touched.clear();
        }
        tally
    }

    /// `percent`, `fleiss`, `alpha` and `ac1` from a single pass over the units.
    pub(crate) fn summary(&self) -> [Coefficient; 4] {
        let tally = self.tally();
        [
            percent(&tally),
            self.fleiss_of(&tally),
            self.alpha_of(&tally),
            self.ac1_of(&tally),
        ]
    }

    /// Observed agreement: the share of agreeing pairs of raters within a unit, averaged over
    /// the units rated by two or more raters (irrCAC's `pa`).
    pub fn percent(&self) -> Coefficient {
        percent(&self.tally())
    }

    /// Share of the units rated by two or more raters where all of them chose one category.
    pub fn percent_exact(&self) -> Coefficient {
        let (mut pairable, mut exact) = (0u64, 0u64);
        for row in self.rows() {
            let mut present = row.iter().filter(|&&c| c != MISSING);
            let Some(first) = present.next() else {
                continue;
            };
            let mut count = 1;
            let mut same = true;
            for c in present {
                count += 1;
                same &= c == first;
            }
            if count >= 2 {
                pairable += 1;
                exact += u64::from(same);
            }
        }
        ratio(exact as f64, pairable as f64, Undefined::NoUnits)
    }

    /// Cohen's kappa of raters `a` and `b` over the units both rated (scikit-learn's
    /// `cohen_kappa_score`). Panics if either index is not below [`Table::raters`].
    pub fn cohen(&self, a: usize, b: usize) -> Coefficient {
        assert!(
            a < self.raters && b < self.raters,
            "rater index out of range"
        );
        let mut by_a = vec![0u64; self.categories];
        let mut by_b = vec![0u64; self.categories];
        let (mut shared, mut same) = (0u64, 0u64);
        for row in self.rows() {
            let (x, y) = (row[a], row[b]);
            if x == MISSING || y == MISSING {
                continue;
            }
            shared += 1;
            same += u64::from(x == y);
            by_a[x as usize] += 1;
            by_b[y as usize] += 1;
        }
        if shared == 0 {
            return Coefficient::Undefined(Undefined::NoSharedUnits);
        }
        // kappa = (po - pe) / (1 - pe) with po = same / N and pe = Σ a_k b_k / N², times N².
        let chance: u128 = by_a
            .iter()
            .zip(&by_b)
            .map(|(&x, &y)| u128::from(x) * u128::from(y))
            .sum();
        let all = u128::from(shared) * u128::from(shared);
        let observed = u128::from(shared) * u128::from(same);
        ratio(
            (observed as i128 - chance as i128) as f64,
            (all - chance) as f64,
            Undefined::NoVariation,
        )
    }

    /// Fleiss' kappa over the units that every rater rated (statsmodels' `fleiss_kappa`).
    pub fn fleiss(&self) -> Coefficient {
        self.fleiss_of(&self.tally())
    }

    fn fleiss_of(&self, tally: &Tally) -> Coefficient {
        let r = self.raters;
        let complete = if r >= 2 { tally.units[r] } else { 0 };
        if complete == 0 {
            return Coefficient::Undefined(Undefined::NoCompleteUnits);
        }
        let ratings = complete * r as u64;
        let totals = tally.totals(r);
        let squares: u128 = totals.iter().map(|&t| u128::from(t) * u128::from(t)).sum();
        if squares == u128::from(ratings) * u128::from(ratings) {
            return Coefficient::Undefined(Undefined::NoVariation);
        }
        let p_mean = tally.agree[r] as f64 / (ratings * (r as u64 - 1)) as f64;
        let p_chance: f64 = totals
            .iter()
            .map(|&t| {
                let p = t as f64 / ratings as f64;
                p * p
            })
            .sum();
        ratio(p_mean - p_chance, 1.0 - p_chance, Undefined::NoVariation)
    }

    /// Krippendorff's alpha, nominal, over the units rated by two or more raters (the
    /// `krippendorff` package's `alpha(..., level_of_measurement="nominal")`).
    pub fn alpha(&self) -> Coefficient {
        self.alpha_of(&self.tally())
    }

    fn alpha_of(&self, tally: &Tally) -> Coefficient {
        if tally.pairable() == 0 {
            return Coefficient::Undefined(Undefined::NoUnits);
        }
        let mut values = 0u64;
        let mut by_category = vec![0u64; self.categories];
        let mut observed = 0.0;
        for m in 2..=self.raters {
            let units = tally.units[m];
            values += units * m as u64;
            for (total, t) in by_category.iter_mut().zip(tally.totals(m)) {
                *total += t;
            }
            let disagree = units * (m * (m - 1)) as u64 - tally.agree[m];
            observed += disagree as f64 / (m - 1) as f64;
        }
        let squares: u128 = by_category
            .iter()
            .map(|&n| u128::from(n) * u128::from(n))
            .sum();
        let expected = u128::from(values) * u128::from(values) - squares;
        alpha_from(values, observed, expected as f64)
    }

    /// Krippendorff's alpha with a distance between categories (`distance(k, k)` is taken as
    /// 0), over the units rated by two or more raters (NLTK's `AnnotationTask.alpha`). The
    /// expected disagreement costs one distance per pair of categories in use.
    pub fn alpha_with(&self, distance: impl Fn(usize, usize) -> f64) -> Coefficient {
        let mut by_category = vec![0u64; self.categories];
        let (mut values, mut pairable) = (0u64, 0u64);
        let mut observed = 0.0;
        let mut present = Vec::with_capacity(self.raters);
        for row in self.rows() {
            present.clear();
            present.extend(row.iter().copied().filter(|&c| c != MISSING));
            let m = present.len();
            if m < 2 {
                continue;
            }
            pairable += 1;
            values += m as u64;
            let mut within = 0.0;
            for (i, &x) in present.iter().enumerate() {
                by_category[x as usize] += 1;
                for &y in &present[i + 1..] {
                    if x != y {
                        within += distance(x as usize, y as usize);
                    }
                }
            }
            observed += 2.0 * within / (m - 1) as f64;
        }
        if pairable == 0 {
            return Coefficient::Undefined(Undefined::NoUnits);
        }
        let used: Vec<(usize, f64)> = by_category
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(k, &n)| (k, n as f64))
            .collect();
        let mut expected = 0.0;
        for (i, &(j, nj)) in used.iter().enumerate() {
            for &(k, nk) in &used[i + 1..] {
                expected += 2.0 * nj * nk * distance(j, k);
            }
        }
        alpha_from(values, observed, expected)
    }

    /// Gwet's AC1 on this table's whole scale of categories, with identity weights (irrCAC's
    /// `CAC(ratings, categories=...).gwet()`): chance agreement from the units rated at all,
    /// observed agreement from the units rated by two or more raters. Undefined with fewer
    /// than two rated units, where irrCAC fails.
    pub fn ac1(&self) -> Coefficient {
        self.ac1_of(&self.tally())
    }

    fn ac1_of(&self, tally: &Tally) -> Coefficient {
        let pa = match percent(tally) {
            Coefficient::Value(pa) => pa,
            undefined => return undefined,
        };
        let q = self.categories;
        if q < 2 {
            return Coefficient::Undefined(Undefined::OneCategory);
        }
        let rated: u64 = tally.units.iter().skip(1).sum();
        if rated < 2 {
            return Coefficient::Undefined(Undefined::OneUnit);
        }
        let pe: f64 = (0..q)
            .map(|k| {
                let shares: f64 = (1..=self.raters)
                    .map(|m| tally.totals(m)[k] as f64 / m as f64)
                    .sum();
                let pi = shares / rated as f64;
                pi * (1.0 - pi)
            })
            .sum::<f64>()
            / (q - 1) as f64;
        ratio(pa - pe, 1.0 - pe, Undefined::NoVariation)
    }
}

fn percent(tally: &Tally) -> Coefficient {
    let sum: f64 = (2..tally.units.len())
        .map(|m| tally.agree[m] as f64 / (m * (m - 1)) as f64)
        .sum();
    ratio(sum, tally.pairable() as f64, Undefined::NoUnits)
}

/// alpha = 1 - (n - 1) · Do / De, where `observed` is the sum over units of the disagreeing
/// ordered pairs' distances divided by (m_u - 1), and `expected` the same over all value pairs.
fn alpha_from(values: u64, observed: f64, expected: f64) -> Coefficient {
    match ratio(
        (values - 1) as f64 * observed,
        expected,
        Undefined::NoVariation,
    ) {
        Coefficient::Value(share) => Coefficient::Value(1.0 - share),
        undefined => undefined,
    }
}
