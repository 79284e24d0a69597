//! The model's scores that an accepted suggestion is journaled with, so that how often the
//! analyst followed the model (automation bias) can be studied later.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Label name -> score, in the order the session showed them (schema order), each held as
/// ten-thousandths: exactly the 4 decimals `stance suggest` prints, and comparable with `==`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Scores(Vec<(String, u16)>);

/// Ten-thousandths in one.
const SCALE: f64 = 10_000.0;

impl Scores {
    /// Scores of `names` (one per score, in that order), rounded to 4 decimals as
    /// [`crate::model::round4`] rounds them; a score outside [0, 1] is clamped into it.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>, scores: &[f64]) -> Scores {
        Scores(
            names
                .into_iter()
                .zip(scores)
                .map(|(name, &score)| (name.to_owned(), ten_thousandths(score)))
                .collect(),
        )
    }

    /// Label name and score, in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.0
            .iter()
            .map(|(name, n)| (name.as_str(), f64::from(*n) / SCALE))
    }

    /// Number of labels scored.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no label is scored.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn ten_thousandths(score: f64) -> u16 {
    let clamped = if score.is_nan() {
        0.0
    } else {
        score.clamp(0.0, 1.0)
    };
    // In [0, 10000] after the clamp, so the cast is exact.
    (clamped * SCALE).round() as u16
}

impl Serialize for Scores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, score) in self.iter() {
            map.serialize_entry(name, &score)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Scores {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scores, D::Error> {
        deserializer.deserialize_map(ScoresVisitor)
    }
}

struct ScoresVisitor;

impl<'de> Visitor<'de> for ScoresVisitor {
    type Value = Scores;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of label names to scores between 0 and 1")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scores, A::Error> {
        let mut scores = Vec::new();
        while let Some((name, score)) = map.next_entry::<String, f64>()? {
            if !(0.0..=1.0).contains(&score) {
                return Err(de::Error::custom(format!(
                    "the score of {name:?} is {score}, not between 0 and 1"
                )));
            }
            if scores.iter().any(|(n, _)| *n == name) {
                return Err(de::Error::custom(format!("{name:?} is scored twice")));
            }
            scores.push((name, ten_thousandths(score)));
        }
        Ok(Scores(scores))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_keep_their_order_and_four_decimals() {
        let scores = Scores::new(["b", "a"], &[0.123_456, 0.98765]);
        let json = serde_json::to_string(&scores).unwrap();
        assert_eq!(json, r#"{"b":0.1235,"a":0.9877}"#);
        assert_eq!(serde_json::from_str::<Scores>(&json).unwrap(), scores);
        assert_eq!(
            scores.iter().map(|(_, s)| s).collect::<Vec<_>>(),
            [
                crate::model::round4(0.123_456),
                crate::model::round4(0.98765)
            ]
        );
    }

    #[test]
    fn a_score_outside_zero_to_one_or_twice_is_an_error() {
        for bad in [
            r#"{"a":1.5}"#,
            r#"{"a":-0.1}"#,
            r#"{"a":0.1,"a":0.2}"#,
            "[]",
        ] {
            assert!(serde_json::from_str::<Scores>(bad).is_err(), "{bad}");
        }
    }
}
