//! Whether a split came out as asked: with few articles, a split by article can leave a
//! part empty or far from its percentage, which a training script would not notice.

use super::split::SplitName;
use super::summary::Summary;

/// One line per part that came out empty or far (more than half its target, and at least
/// two sentences) from its share of the sentences written, with the counts.
pub fn split_warnings(summary: &Summary, percents: [u8; 3]) -> Vec<String> {
    let total = summary.total.sentences;
    let mut out = Vec::new();
    if total == 0 {
        return out;
    }
    for (name, percent) in SplitName::ALL.into_iter().zip(percents) {
        let got = summary.splits.get(&name).map_or(0, |c| c.sentences);
        let target = total as f64 * f64::from(percent) / 100.0;
        let off = (got as f64 - target).abs();
        let empty = got == 0 && percent > 0;
        if empty || (off > target / 2.0 && off >= 2.0) {
            let share = got as f64 * 100.0 / total as f64;
            out.push(format!(
                "warning: --split: {} has {got} of {total} sentences ({share:.0}%) where \
                 {percent}% was asked; a split goes by article, so few articles cannot come \
                 close",
                name.as_str()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::summary::Counts;

    fn summary(parts: [usize; 3]) -> Summary {
        let mut s = Summary::default();
        for (name, n) in SplitName::ALL.into_iter().zip(parts) {
            s.splits.insert(
                name,
                Counts {
                    sentences: n,
                    ..Counts::default()
                },
            );
        }
        s.total.sentences = parts.iter().sum();
        s
    }

    #[test]
    fn empty_and_far_parts_are_named_with_counts() {
        let warnings = split_warnings(&summary([10, 0, 0]), [80, 10, 10]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("dev has 0 of 10 sentences (0%) where 10% was asked"));
        assert!(warnings[1].contains("test has 0 of 10"));
        assert!(split_warnings(&summary([80, 11, 9]), [80, 10, 10]).is_empty());
        let far = split_warnings(&summary([50, 40, 10]), [80, 10, 10]);
        assert_eq!(far.len(), 1, "{far:?}");
        assert!(far[0].contains("dev has 40 of 100 sentences (40%)"));
        assert!(split_warnings(&summary([100, 0, 0]), [100, 0, 0]).is_empty());
        assert!(split_warnings(&Summary::default(), [80, 10, 10]).is_empty());
    }
}
