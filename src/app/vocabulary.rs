//! The words the session's modules share: label sets, sentence keys, counts, the label
//! filter. A leaf module: it depends on nothing else in `app`, so the modules that use it do
//! not depend on each other through it.

use crate::schema::Schema;

/// Labels of one decision in schema order; empty means "reviewed, no stance".
pub type Labels = Vec<String>;

/// Identifies a sentence across the session: article index and byte span.
pub type SentenceKey = (usize, usize, usize);

/// How many sentences have which decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Sentences with a decision, "no stance" included.
    pub annotated: usize,
    /// Sentences decided "reviewed, no stance".
    pub no_stance: usize,
    /// Sentences per label, in schema order.
    pub labels: Vec<usize>,
    /// Sentences ignored (not to train on); among `annotated`, as done for progress.
    pub ignored: usize,
}

impl Counts {
    pub(crate) fn new(schema: &Schema) -> Counts {
        Counts {
            labels: vec![0; schema.labels.len()],
            ..Counts::default()
        }
    }

    pub(crate) fn add(&mut self, schema: &Schema, labels: &[String], sign: isize) {
        let step = |n: &mut usize| *n = n.saturating_add_signed(sign);
        step(&mut self.annotated);
        if crate::store::is_ignore(labels) {
            step(&mut self.ignored);
        }
        if labels.is_empty() {
            step(&mut self.no_stance);
        }
        for name in labels {
            if let Some(i) = schema.index_of(name) {
                step(&mut self.labels[i]);
            }
        }
    }
}

/// Which labels a review row must have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LabelFilter {
    /// Any decision.
    #[default]
    Any,
    /// This label (index in the schema) among others.
    Label(usize),
    /// "Reviewed, no stance".
    NoStance,
    /// Ignored: not a sentence to train on.
    Ignored,
}

/// Known labels in schema order, then any names the schema no longer has.
pub(crate) fn in_schema_order(schema: &Schema, mut labels: Labels) -> Labels {
    labels.sort_by_key(|name| schema.index_of(name).unwrap_or(usize::MAX));
    labels.dedup();
    labels
}
