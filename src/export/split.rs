//! Train/dev/test splits by article, stable as articles are added.
//!
//! An article's split depends on nothing but the seed and its id:
//! `bucket = (fmix64(fnv1a64(seed as 8 little-endian bytes ++ id as UTF-8)) * 100) >> 64`,
//! a number in 0..100; the article goes to `train` when `bucket < train`, to `dev` when
//! `bucket < train + dev`, else to `test`. FNV-1a alone mixes its low bits poorly, hence
//! MurmurHash3's 64-bit finalizer (`fmix64`) before the range is taken from the high bits.

use std::fmt;

use thiserror::Error;

use crate::hash::{fmix64, fnv1a64};

/// One of the three parts of a split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SplitName {
    /// Training data.
    Train,
    /// Held out for tuning.
    Dev,
    /// Held out for the final evaluation.
    Test,
}

impl SplitName {
    /// The three parts, in output order.
    pub const ALL: [SplitName; 3] = [SplitName::Train, SplitName::Dev, SplitName::Test];

    /// The value written in the `split` field or column.
    pub fn as_str(self) -> &'static str {
        match self {
            SplitName::Train => "train",
            SplitName::Dev => "dev",
            SplitName::Test => "test",
        }
    }
}

impl fmt::Display for SplitName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `--split` value was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SplitSpecError {
    /// Not three comma-separated numbers.
    #[error("expected three percentages TRAIN,DEV,TEST such as 80,10,10, got `{0}`")]
    Shape(String),
    /// One part is not a non-negative integer.
    #[error("`{0}` is not a whole number from 0 to 100")]
    Number(String),
    /// The parts do not add up to 100.
    #[error("the percentages add up to {0}, not 100")]
    Sum(u64),
}

/// Train/dev/test percentages and the seed that places each article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Percent of articles in train, dev and test; they add up to 100.
    pub percents: [u8; 3],
    /// Changes which articles land where, not how many.
    pub seed: u64,
}

impl Split {
    /// Parses `TRAIN,DEV,TEST` (three non-negative integers adding up to 100).
    pub fn parse(spec: &str, seed: u64) -> Result<Split, SplitSpecError> {
        let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
        if parts.len() != 3 {
            return Err(SplitSpecError::Shape(spec.to_string()));
        }
        let mut percents = [0u8; 3];
        let mut sum = 0u64;
        for (slot, part) in percents.iter_mut().zip(&parts) {
            let value: u64 = part
                .parse()
                .ok()
                .filter(|_| part.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| SplitSpecError::Number((*part).to_string()))?;
            sum = sum.saturating_add(value);
            *slot = u8::try_from(value).unwrap_or(u8::MAX);
        }
        if sum != 100 {
            return Err(SplitSpecError::Sum(sum));
        }
        Ok(Split { percents, seed })
    }

    /// The split of the article with this id.
    pub fn assign(&self, article_id: &str) -> SplitName {
        let bucket = bucket(self.seed, article_id);
        let [train, dev, _] = self.percents.map(u64::from);
        if bucket < train {
            SplitName::Train
        } else if bucket < train + dev {
            SplitName::Dev
        } else {
            SplitName::Test
        }
    }
}

/// The article's place in 0..100, from the seed and its id alone.
pub fn bucket(seed: u64, article_id: &str) -> u64 {
    let hash = fmix64(fnv1a64(
        seed.to_le_bytes().iter().chain(article_id.as_bytes()),
    ));
    ((u128::from(hash) * 100) >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates_percentages() {
        let split = Split::parse("80,10,10", 7).unwrap();
        assert_eq!(split.percents, [80, 10, 10]);
        assert_eq!(split.seed, 7);
        assert_eq!(Split::parse(" 100, 0 ,0", 0).unwrap().percents, [100, 0, 0]);
        assert_eq!(
            Split::parse("80,10", 0),
            Err(SplitSpecError::Shape("80,10".into()))
        );
        assert_eq!(
            Split::parse("80,-10,30", 0),
            Err(SplitSpecError::Number("-10".into()))
        );
        assert_eq!(
            Split::parse("80,+10,10", 0),
            Err(SplitSpecError::Number("+10".into()))
        );
        assert_eq!(Split::parse("80,10,20", 0), Err(SplitSpecError::Sum(110)));
        assert_eq!(Split::parse("300,0,0", 0), Err(SplitSpecError::Sum(300)));
    }

    #[test]
    fn buckets_match_the_documented_function() {
        // Computed independently (in Python) from the definition in the module docs.
        assert_eq!(bucket(3, "a1"), 19);
        assert_eq!(bucket(0, "wire-001"), 38);
        assert_eq!(bucket(42, "首尔"), 88);
        assert!((0..1000).all(|i| bucket(3, &format!("a{i}")) < 100));
    }

    #[test]
    fn zero_percent_parts_stay_empty() {
        let split = Split::parse("0,100,0", 1).unwrap();
        assert!((0..500).all(|i| split.assign(&i.to_string()) == SplitName::Dev));
    }
}
