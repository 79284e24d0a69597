//! Every coefficient for a set of [`Ratings`], shaped as the JSON `stance agree --json` prints.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::nominal::{MISSING, Table};
use super::{Coefficient, Ratings, masi_distance};

/// Agreement per label and on the whole label set, over the same units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// The annotators compared, in the order the ratings list them.
    pub annotators: Vec<String>,
    /// Units with decisions from two or more annotators.
    pub units: usize,
    /// One entry per label, in label order; serialized as an object keyed by label name.
    #[serde(serialize_with = "by_label")]
    pub labels: Vec<LabelAgreement>,
    /// Agreement on the label set as a whole.
    pub set: SetAgreement,
}

/// The coefficients of one label, each annotator's decision being "present" or "absent".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelAgreement {
    /// The label's name (the key of its JSON object, not a field of it).
    #[serde(skip)]
    pub label: String,
    /// Units the coefficients are computed over (Fleiss' kappa uses the complete ones).
    pub units: usize,
    /// Pairwise observed agreement, averaged over the pairs within a unit, then over units.
    pub percent: Coefficient,
    /// Cohen's kappa per pair of annotators, sorted by pair name; an object in JSON.
    #[serde(serialize_with = "by_pair")]
    pub cohen: Vec<PairKappa>,
    /// Fleiss' kappa over the units every annotator annotated.
    pub fleiss: Coefficient,
    /// Krippendorff's alpha, nominal.
    pub alpha: Coefficient,
    /// Gwet's AC1 on the two-category scale.
    pub ac1: Coefficient,
}

/// Cohen's kappa of two annotators over the units both annotated.
#[derive(Clone, Debug, PartialEq)]
pub struct PairKappa {
    /// The two names in sorted order joined by `|`, e.g. `ana|bob`.
    pub pair: String,
    /// The coefficient.
    pub kappa: Coefficient,
}

/// Agreement on the label set as one value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SetAgreement {
    /// Units compared (the same as [`Agreement::units`]).
    pub units: usize,
    /// Share of units where every annotator of the unit chose the same set.
    pub percent_exact: Coefficient,
    /// Krippendorff's alpha with the MASI distance between sets.
    pub alpha_masi: Coefficient,
}

impl Ratings {
    /// Computes every coefficient; each pass is linear in the units, and the MASI alpha's
    /// expected disagreement is quadratic in the number of distinct label sets used.
    pub fn agreement(&self) -> Agreement {
        let raters = self.annotators().len();
        let units = self.units();
        let sets = self.sets();
        let mut pairs: Vec<(String, usize, usize)> = Vec::new();
        for a in 0..raters {
            for b in a + 1..raters {
                let (x, y) = (&self.annotators()[a], &self.annotators()[b]);
                let name = if x <= y {
                    format!("{x}|{y}")
                } else {
                    format!("{y}|{x}")
                };
                pairs.push((name, a, b));
            }
        }
        pairs.sort();

        let labels = (0..self.labels().len())
            .map(|label| {
                let label_u32 = u32::try_from(label).expect("fewer than 2^32 labels");
                let present: Vec<u32> = sets
                    .iter()
                    .map(|set| u32::from(set.binary_search(&label_u32).is_ok()))
                    .collect();
                let mut table = Table::new(raters, 2);
                table.push_cells(self.cells().iter().map(|&cell| match cell {
                    MISSING => MISSING,
                    set => present[set as usize],
                }));
                let [percent, fleiss, alpha, ac1] = table.summary();
                LabelAgreement {
                    label: self.labels()[label].clone(),
                    units,
                    percent,
                    cohen: pairs
                        .iter()
                        .map(|(pair, a, b)| PairKappa {
                            pair: pair.clone(),
                            kappa: table.cohen(*a, *b),
                        })
                        .collect(),
                    fleiss,
                    alpha,
                    ac1,
                }
            })
            .collect();

        Agreement {
            annotators: self.annotators().to_vec(),
            units,
            labels,
            set: self.set_agreement(),
        }
    }

    /// The agreement on the label set alone, as [`Ratings::agreement`] computes it, without
    /// the per-label coefficients (for many small groups of units, e.g. one per article).
    pub fn set_agreement(&self) -> SetAgreement {
        let sets = self.sets();
        let mut table = Table::new(self.annotators().len(), sets.len());
        table.push_cells(self.cells().iter().copied());
        SetAgreement {
            units: self.units(),
            percent_exact: table.percent_exact(),
            alpha_masi: table.alpha_with(|j, k| masi_distance(&sets[j], &sets[k])),
        }
    }
}

fn by_label<S: Serializer>(labels: &[LabelAgreement], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(labels.len()))?;
    for label in labels {
        map.serialize_entry(&label.label, label)?;
    }
    map.end()
}

fn by_pair<S: Serializer>(pairs: &[PairKappa], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for pair in pairs {
        map.serialize_entry(&pair.pair, &pair.kappa)?;
    }
    map.end()
}
