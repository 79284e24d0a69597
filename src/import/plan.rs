//! From placed annotations to the decisions an import appends: one per sentence and
//! annotator (the file's last word on it), labels in schema order, none that the store
//! already holds.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::hash::fingerprint_u64;
use crate::store::{Annotation, Decision, Origin};

use super::{At, Imported, Index, Miss, ParseError, Parsed};

/// (article's position in the corpus, start, end, annotator's number in `Plan::annotators`):
/// what one decision is about.
type Key = (usize, usize, usize, usize);

/// What an import will do, file by file and in total.
#[derive(Debug, Default)]
pub struct Plan {
    decisions: Vec<Decision>,
    keys: FxHashMap<Key, usize>,
    /// Every annotator named so far, so that a key holds a number rather than a name.
    annotators: Vec<String>,
    annotator_numbers: FxHashMap<String, usize>,
    /// Annotations placed on a sentence.
    pub attached: usize,
    /// Placed annotations that a later one of the same sentence and annotator replaced.
    pub superseded: usize,
    /// Decisions left out because the annotator's current annotation says the same.
    pub already: usize,
    /// Annotations not placed: the file (its position in the list given), where, and why.
    pub missed: Vec<(usize, At, Miss)>,
    /// Records that carried no annotation: the file, where, and why.
    pub skipped: Vec<(usize, At, String)>,
    /// Labels the schema does not have, with how many annotations give each.
    pub unknown_labels: BTreeMap<String, usize>,
}

impl Plan {
    /// An empty plan.
    pub fn new() -> Plan {
        Plan::default()
    }

    /// Places the annotations of file number `file`. `annotator` stands in where the file
    /// names none; without it such an annotation is an error naming it. `schema` orders
    /// the labels; the others are kept after them, and counted.
    pub fn add(
        &mut self,
        file: usize,
        parsed: Parsed,
        index: &mut Index<'_>,
        annotator: Option<&str>,
        schema: &[String],
    ) -> Result<(), ParseError> {
        self.skipped
            .extend(parsed.skipped.into_iter().map(|(at, why)| (file, at, why)));
        index.prepare(&parsed.annotations);
        // Numbers in file order, so that they do not depend on how the work is shared.
        let mut whos = Vec::with_capacity(parsed.annotations.len());
        let mut last: Option<(&str, usize)> = None;
        for imported in &parsed.annotations {
            let name = match imported.annotator.as_deref().or(annotator) {
                Some(name) => name,
                None => {
                    return Err(ParseError::record(
                        imported.at,
                        "the file names no annotator; give --annotator NAME",
                    ));
                }
            };
            let who = match last {
                Some((previous, who)) if previous == name => who,
                _ => self.annotator_number(name),
            };
            last = Some((name, who));
            whos.push(who);
        }
        let (index, annotators) = (&*index, &self.annotators);
        let placed = super::parallel::map_into(parsed.annotations, 4096, |i, imported| {
            place(index, imported, whos[i], &annotators[whos[i]], schema)
        });
        drop(whos);
        self.decisions.reserve(placed.len());
        self.keys.reserve(placed.len());
        for placed in placed {
            let (key, decision, unknown) = match placed {
                Ok(placed) => placed,
                Err((at, miss)) => {
                    self.missed.push((file, at, miss));
                    continue;
                }
            };
            self.attached += 1;
            for label in unknown {
                *self.unknown_labels.entry(label).or_default() += 1;
            }
            match self.keys.get(&key) {
                Some(&at) => {
                    self.decisions[at] = decision;
                    self.superseded += 1;
                }
                None => {
                    self.keys.insert(key, self.decisions.len());
                    self.decisions.push(decision);
                }
            }
        }
        Ok(())
    }

    fn annotator_number(&mut self, name: &str) -> usize {
        if let Some(&number) = self.annotator_numbers.get(name) {
            return number;
        }
        self.annotators.push(name.to_owned());
        self.annotator_numbers
            .insert(name.to_owned(), self.annotators.len() - 1);
        self.annotators.len() - 1
    }

    /// Leaves out the decisions equal to the annotator's current annotation in `existing`
    /// (same text, same label set), so importing a file twice adds nothing.
    pub fn drop_existing<'a>(&mut self, existing: impl Iterator<Item = Annotation<'a>>) {
        let current: FxHashMap<(&str, usize, usize, &str), Annotation<'a>> = existing
            .map(|a| ((a.article(), a.start(), a.end(), a.annotator()), a))
            .collect();
        if current.is_empty() {
            return;
        }
        let before = self.decisions.len();
        self.decisions.retain(|d| {
            let key = (d.article.as_str(), d.start, d.end, d.annotator.as_str());
            !current.get(&key).is_some_and(|a| same(a, d))
        });
        self.already += before - self.decisions.len();
        self.keys.clear();
    }

    /// The decisions to append, in file order.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// Takes the decisions to append out of the plan, which keeps its counts.
    pub fn take_decisions(&mut self) -> Vec<Decision> {
        self.keys.clear();
        std::mem::take(&mut self.decisions)
    }
}

fn same(annotation: &Annotation<'_>, decision: &Decision) -> bool {
    let mut stored: Vec<&str> = annotation.labels().iter().map(String::as_str).collect();
    let mut given: Vec<&str> = decision
        .labels
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    stored.sort_unstable();
    given.sort_unstable();
    // A stored fingerprint that is not 16 hex digits matches no text, as its string would not.
    !annotation.is_ignored()
        && stored == given
        && annotation.fingerprint() == Some(fingerprint_u64(&decision.text))
}

/// One annotation placed and made a decision by `who` (named `annotator`), with its key and
/// the labels it gives that `schema` lacks (each time given); or where it was read and why
/// it was not placed.
fn place(
    index: &Index<'_>,
    imported: Imported,
    who: usize,
    annotator: &str,
    schema: &[String],
) -> Result<(Key, Decision, Vec<String>), (At, Miss)> {
    let (article, span) = index.find(&imported).map_err(|miss| (imported.at, miss))?;
    let mut labels = imported.labels;
    let unknown: Vec<String> = labels
        .iter()
        .filter(|label| !schema.contains(label))
        .cloned()
        .collect();
    let position = |l: &String| schema.iter().position(|s| s == l).unwrap_or(usize::MAX);
    labels.sort_by_key(position);
    labels.dedup();
    let key = (article, span.start, span.end, who);
    let article = index.article(article);
    let decision = Decision {
        article: article.id.clone(),
        start: span.start,
        end: span.end,
        text: article.text[span.start..span.end].to_owned(),
        labels: Some(labels),
        origin: Origin::Imported,
        annotator: annotator.to_owned(),
        scores: None,
    };
    Ok((key, decision, unknown))
}
