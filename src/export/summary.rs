//! What an export wrote and what it left out, for the report on standard error.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::LabelSet;
use super::record::Verdict;
use super::resolve::Resolve;
use super::split::SplitName;
use crate::attach::Orphan;
use crate::escape::escape;

/// Sentences written, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Sentences written.
    pub sentences: usize,
    /// Sentences carrying each label, by position in the schema.
    pub labels: Vec<usize>,
    /// Annotated "reviewed, no stance" sentences (written as negatives).
    pub negatives: usize,
    /// Sentences nobody annotated (only with `--include-unlabeled`).
    pub unlabeled: usize,
    /// Ignored sentences (only with `--include-ignored`): neither labels nor negatives.
    pub ignored: usize,
}

impl Counts {
    fn add(&mut self, annotation: Option<&Verdict<'_>>, label_count: usize) {
        self.labels.resize(label_count, 0);
        self.sentences += 1;
        match annotation {
            None => self.unlabeled += 1,
            Some(a) if a.ignored => self.ignored += 1,
            Some(a) if a.labels.is_empty() => self.negatives += 1,
            Some(a) => a.labels.iter().for_each(|&i| self.labels[i] += 1),
        }
    }
}

/// Everything counted during one export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// All sentences written.
    pub total: Counts,
    /// Per split, in train/dev/test order, when splitting.
    pub splits: BTreeMap<SplitName, Counts>,
    /// Annotations whose article is not in the corpus.
    pub orphans_article_missing: usize,
    /// Annotations whose offsets are no longer a sentence (boundary overrides included).
    pub orphans_not_a_sentence: usize,
    /// Annotations whose sentence text changed.
    pub orphans_text_changed: usize,
    /// Sentences left out because no label set had a majority.
    pub ties: usize,
    /// Sentences left out because their labels are not in the schema, by label name.
    pub not_in_schema: BTreeMap<String, usize>,
    /// Sentences left out because they carry several labels under an exclusive schema.
    pub several_labels: usize,
    /// Sentences left out because they were ignored (not to train on).
    pub ignored: usize,
    /// Sentences whose annotators (adjudicators aside) chose different label sets.
    pub conflicts: usize,
    /// Sentences left out because the annotators disagree and nobody adjudicated.
    pub unsettled: usize,
}

impl Summary {
    pub(super) fn wrote(
        &mut self,
        annotation: Option<&Verdict<'_>>,
        split: Option<SplitName>,
        labels: &LabelSet,
    ) {
        self.total.add(annotation, labels.len());
        if let Some(split) = split {
            self.splits
                .entry(split)
                .or_default()
                .add(annotation, labels.len());
        }
    }

    pub(super) fn orphan(&mut self, why: Orphan) {
        match why {
            Orphan::ArticleGone => self.orphans_article_missing += 1,
            // A split or merge is one way of no longer being a sentence.
            Orphan::NotASentence | Orphan::Split | Orphan::Merged => {
                self.orphans_not_a_sentence += 1;
            }
            Orphan::TextChanged => self.orphans_text_changed += 1,
        }
    }

    /// One line for standard error: how many sentences had conflicting annotators, and how
    /// `how` settled them.
    pub fn conflict_report(&self, how: &Resolve) -> String {
        let n = self.conflicts;
        let settled = match how {
            Resolve::Latest => "each took the latest decision".to_owned(),
            Resolve::Majority => format!(
                "{} took the label set most annotators chose, {} ties were left out",
                n - self.ties.min(n),
                self.ties
            ),
            Resolve::Adjudicated => format!(
                "{} took the adjudicated decision, {} not adjudicated were left out",
                n - self.unsettled.min(n),
                self.unsettled
            ),
            Resolve::Annotator(name) => {
                format!("only {}'s decisions were taken", escape(name))
            }
        };
        match how {
            Resolve::Annotator(_) => {
                format!("conflicts between annotators: none looked at, {settled}\n")
            }
            _ => format!("{n} sentences had conflicting annotators: {settled}\n"),
        }
    }

    /// Annotations that could not be attached to a current sentence.
    pub fn orphans(&self) -> usize {
        self.orphans_article_missing + self.orphans_not_a_sentence + self.orphans_text_changed
    }

    /// The report for standard error: totals, the per-split table, what was left out.
    pub fn report(&self, labels: &LabelSet, split: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "exported {} sentences", self.total.sentences);
        // Label names come from the schema and the journal: escaped.
        let mut header: Vec<String> = vec!["split".into(), "sentences".into()];
        header.extend(labels.names().map(|name| escape(name).into_owned()));
        header.push("no stance".into());
        let show_unlabeled = self.total.unlabeled > 0;
        if show_unlabeled {
            header.push("unlabeled".into());
        }
        let show_ignored = self.total.ignored > 0;
        if show_ignored {
            header.push("ignored".into());
        }
        let mut rows = vec![header];
        let mut push = |name: &str, c: &Counts| {
            let mut row = vec![name.to_string(), c.sentences.to_string()];
            row.extend(
                (0..labels.len()).map(|i| c.labels.get(i).copied().unwrap_or(0).to_string()),
            );
            row.push(c.negatives.to_string());
            if show_unlabeled {
                row.push(c.unlabeled.to_string());
            }
            if show_ignored {
                row.push(c.ignored.to_string());
            }
            rows.push(row);
        };
        if split {
            for name in SplitName::ALL {
                push(
                    name.as_str(),
                    self.splits.get(&name).unwrap_or(&Counts::default()),
                );
            }
        }
        push("all", &self.total);
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|col| {
                rows.iter()
                    .map(|r| r[col].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(col, (cell, &w))| {
                    // Padded by hand: a format width above 65,535 panics.
                    let pad = " ".repeat(w - cell.chars().count());
                    match col {
                        0 => format!("{cell}{pad}"),
                        _ => format!("{pad}{cell}"),
                    }
                })
                .collect();
            let _ = writeln!(out, "  {}", cells.join("  "));
        }
        if self.orphans() > 0 {
            let _ = writeln!(
                out,
                "{} orphaned annotations were not exported (article missing: {}, no longer a \
                 sentence: {}, text changed: {}); they stay in the label store",
                self.orphans(),
                self.orphans_article_missing,
                self.orphans_not_a_sentence,
                self.orphans_text_changed
            );
        }
        if self.ignored > 0 {
            let _ = writeln!(
                out,
                "{} ignored sentences were left out (--include-ignored writes them)",
                self.ignored
            );
        }
        if self.ties > 0 {
            let _ = writeln!(
                out,
                "{} sentences without a majority (tied label sets) were left out",
                self.ties
            );
        }
        if !self.not_in_schema.is_empty() {
            let names: Vec<String> = self
                .not_in_schema
                .iter()
                .map(|(name, n)| format!("{} ({n})", escape(name)))
                .collect();
            let _ = writeln!(
                out,
                "sentences with labels not in the schema were left out: {}",
                names.join(", ")
            );
        }
        if self.several_labels > 0 {
            let _ = writeln!(
                out,
                "{} sentences with several labels were left out (the schema is exclusive)",
                self.several_labels
            );
        }
        out
    }
}
