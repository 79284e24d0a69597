//! Inter-annotator agreement over plain data: per label (binary: present or absent) and for
//! the whole label set (MASI), each coefficient equal to its reference implementation.
//!
//! [`Ratings`] holds the units (sentences) with the label set each annotator chose, or nothing
//! where that annotator did not annotate the unit; [`Ratings::agreement`] computes every
//! coefficient into an [`Agreement`], which serializes to the JSON that `stance agree --json`
//! prints. [`nominal::Table`] is the same arithmetic on one nominal scale of any size.

mod masi;
pub mod nominal;
mod ratings;
mod report;
pub mod units;

use std::fmt;

use serde::{Serialize, Serializer};

pub use masi::masi_distance;
pub use ratings::{AgreeError, Ratings};
pub use report::{Agreement, LabelAgreement, PairKappa, SetAgreement};

/// A coefficient's value, or why the data leave it undefined (serialized as `null`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Coefficient {
    /// A finite value.
    Value(f64),
    /// The formula would divide zero by zero (or has nothing to average).
    Undefined(Undefined),
}

impl Coefficient {
    /// The value, or `None` where it is undefined.
    pub fn value(self) -> Option<f64> {
        match self {
            Coefficient::Value(v) => Some(v),
            Coefficient::Undefined(_) => None,
        }
    }

    /// Why it is undefined, or `None` where it has a value.
    pub fn undefined(self) -> Option<Undefined> {
        match self {
            Coefficient::Value(_) => None,
            Coefficient::Undefined(why) => Some(why),
        }
    }
}

impl Serialize for Coefficient {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Coefficient::Value(v) => serializer.serialize_f64(*v),
            Coefficient::Undefined(_) => serializer.serialize_none(),
        }
    }
}

/// Why a coefficient has no value; [`Undefined::reason`] words it for a readable table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Undefined {
    /// No unit has decisions from two or more annotators.
    NoUnits,
    /// The two annotators of a Cohen's kappa pair share no unit.
    NoSharedUnits,
    /// Fleiss' kappa needs units that every annotator annotated, and there are none.
    NoCompleteUnits,
    /// Every decision counted is the same value, so chance agreement is total (0 / 0).
    NoVariation,
    /// Gwet's AC1 needs a scale of at least two categories.
    OneCategory,
    /// Gwet's AC1 needs two or more rated units (irrCAC's own computation divides by n − 1).
    OneUnit,
}

impl Undefined {
    /// A short phrase for a readable table ("no variation", ...).
    pub fn reason(self) -> &'static str {
        match self {
            Undefined::NoUnits => "no unit with two or more annotators",
            Undefined::NoSharedUnits => "the pair shares no unit",
            Undefined::NoCompleteUnits => "no unit annotated by every annotator",
            Undefined::NoVariation => "no variation: every decision is the same",
            Undefined::OneCategory => "a scale of one category",
            Undefined::OneUnit => "fewer than two units",
        }
    }
}

impl fmt::Display for Undefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

/// `numerator / denominator`, or undefined with `why` where the denominator is zero.
fn ratio(numerator: f64, denominator: f64, why: Undefined) -> Coefficient {
    if denominator == 0.0 {
        Coefficient::Undefined(why)
    } else {
        Coefficient::Value(numerator / denominator)
    }
}
