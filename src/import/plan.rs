//! From placed annotations to the decisions an import appends: one per sentence and
//! annotator (the file's last word on it), labels in schema order, none that the store
//! already holds.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

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
    /// The key of each of `decisions`.
    decision_keys: Vec<Key>,
    /// Where each key's decision is, once a file's keys were not already in order: built
    /// only when needed, as a file sorted by sentence (an export) has no key twice.
    keys: FxHashMap<Key, usize>,
    /// Every annotator named so far, so that a key holds a number rather than a name.
    annotators: Vec<String>,
    annotator_numbers: FxHashMap<String, usize>,
    /// Decisions found already there, kept until the plan goes (at the process's end, for
    /// the command) rather than freed one by one while the import runs.
    left_out: Vec<Vec<Decision>>,
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
        let mut annotations = parsed.annotations;
        let whos = self.number_annotators(&annotations, annotator)?;
        let (index, annotators) = (&*index, &self.annotators);
        let parts = super::parallel::fold_parts(
            &mut annotations,
            4096,
            Placed::with_capacity,
            |part, i, imported| {
                let who = whos[i];
                match place(index, take(imported), who, &annotators[who], schema) {
                    Ok((key, decision, unknown)) => {
                        part.keys.push(key);
                        part.decisions.push(decision);
                        part.unknown.extend(unknown);
                    }
                    Err(missed) => part.missed.push(missed),
                }
            },
        );
        drop((whos, annotations));
        let first = self.decisions.len();
        let total = first + parts.iter().map(|p| p.decisions.len()).sum::<usize>();
        for part in parts {
            self.attached += part.decisions.len();
            for label in part.unknown {
                *self.unknown_labels.entry(label).or_default() += 1;
            }
            let missed = part.missed.into_iter().map(|(at, miss)| (file, at, miss));
            self.missed.extend(missed);
            join(&mut self.decisions, part.decisions, total);
            join(&mut self.decision_keys, part.keys, total);
        }
        self.supersede(first);
        Ok(())
    }

    /// Keeps one decision per key among those from `first` on: the last one given, at the
    /// place of the first. Keys in strictly increasing order (a file sorted by sentence,
    /// into an empty plan) are all different and need no map.
    fn supersede(&mut self, first: usize) {
        let added = &self.decision_keys[first..];
        if first == 0 && added.windows(2).all(|pair| pair[0] < pair[1]) {
            return;
        }
        if self.keys.len() < first {
            self.keys.clear();
            self.keys.reserve(self.decisions.len());
            for (at, &key) in self.decision_keys[..first].iter().enumerate() {
                self.keys.insert(key, at);
            }
        }
        let mut kept = first;
        for at in first..self.decisions.len() {
            let key = self.decision_keys[at];
            match self.keys.entry(key) {
                Entry::Occupied(earlier) => {
                    self.decisions.swap(*earlier.get(), at);
                    self.superseded += 1;
                }
                Entry::Vacant(place) => {
                    place.insert(kept);
                    self.decisions.swap(kept, at);
                    self.decision_keys.swap(kept, at);
                    kept += 1;
                }
            }
        }
        self.decisions.truncate(kept);
        self.decision_keys.truncate(kept);
    }

    /// Each annotation's annotator by number (the file's, else `annotator`), numbered in
    /// file order so that the numbers do not depend on how the work is shared; each part
    /// of the file is read on its own core.
    fn number_annotators(
        &mut self,
        annotations: &[Imported],
        annotator: Option<&str>,
    ) -> Result<Vec<usize>, ParseError> {
        let parts = super::parallel::parts(annotations, 4096);
        let named = super::parallel::map(&parts, 1, |part| {
            // The part's names in the order it first gives them, and each one's of them.
            let (mut names, mut numbers) = (Vec::new(), FxHashMap::default());
            let mut whos = Vec::with_capacity(part.len());
            let mut last: Option<(&str, usize)> = None;
            for imported in *part {
                let Some(name) = imported.annotator.as_deref().or(annotator) else {
                    return Err(ParseError::record(
                        imported.at,
                        "the file names no annotator; give --annotator NAME",
                    ));
                };
                let who = match last {
                    Some((previous, who)) if previous == name => who,
                    _ => *numbers.entry(name).or_insert_with(|| {
                        names.push(name);
                        names.len() - 1
                    }),
                };
                last = Some((name, who));
                whos.push(who);
            }
            Ok((names, whos))
        });
        let mut whos = Vec::with_capacity(annotations.len());
        for part in named {
            let (names, local) = part?;
            let numbers: Vec<usize> = names.iter().map(|n| self.annotator_number(n)).collect();
            whos.extend(local.into_iter().map(|who| numbers[who]));
        }
        Ok(whos)
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
        let mut current: FxHashMap<(&str, usize, usize, &str), Annotation<'a>> =
            FxHashMap::default();
        current.reserve(existing.size_hint().0);
        current.extend(existing.map(|a| ((a.article(), a.start(), a.end(), a.annotator()), a)));
        if current.is_empty() {
            return;
        }
        self.drop_existing_by(|article, start, end, annotator| {
            current.get(&(article, start, end, annotator)).copied()
        });
    }

    /// [`Plan::drop_existing`] with the annotator's current annotation found by `current`
    /// of (article, start, end, annotator): a store's own index, so that no map of a
    /// million annotations is built; the decisions are looked up on every core.
    pub fn drop_existing_by<'s>(
        &mut self,
        current: impl Fn(&str, usize, usize, &str) -> Option<Annotation<'s>> + Sync,
    ) {
        let parts = super::parallel::parts(&self.decisions, 4096);
        let flags = super::parallel::map(&parts, 1, |part| {
            part.iter()
                .map(|d| {
                    !current(&d.article, d.start, d.end, &d.annotator).is_some_and(|a| same(&a, d))
                })
                .collect::<Vec<bool>>()
        });
        let keep: Vec<bool> = flags.into_iter().flatten().collect();
        if keep.iter().all(|&kept| kept) {
            return;
        }
        // The kept ones moved forward in order; the others go to `left_out` whole rather
        // than being freed one by one.
        let mut kept = 0;
        for (at, &keep) in keep.iter().enumerate() {
            if keep {
                self.decisions.swap(kept, at);
                self.decision_keys.swap(kept, at);
                kept += 1;
            }
        }
        self.already += self.decisions.len() - kept;
        self.left_out.push(self.decisions.split_off(kept));
        self.decision_keys.truncate(kept);
        self.keys.clear();
    }

    /// The decisions to append, in file order.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// Takes the decisions to append out of the plan, which keeps its counts.
    pub fn take_decisions(&mut self) -> Vec<Decision> {
        self.keys.clear();
        self.decision_keys.clear();
        std::mem::take(&mut self.decisions)
    }
}

/// What one part of a file gives when placed: decisions with their keys, the annotations
/// not placed, the labels the schema lacks.
struct Placed {
    decisions: Vec<Decision>,
    keys: Vec<Key>,
    missed: Vec<(At, Miss)>,
    unknown: Vec<String>,
}

impl Placed {
    fn with_capacity(annotations: usize) -> Placed {
        Placed {
            decisions: Vec::with_capacity(annotations),
            keys: Vec::with_capacity(annotations),
            missed: Vec::new(),
            unknown: Vec::new(),
        }
    }
}

/// `part` added to the end of `all`, which will hold `total`: the first part is taken as it
/// is and grown in place, so only the later ones are copied.
fn join<T>(all: &mut Vec<T>, part: Vec<T>, total: usize) {
    if all.is_empty() {
        *all = part;
        all.reserve(total - all.len());
    } else {
        all.extend(part);
    }
}

/// The annotation, what it owns moved out of `slot` rather than copied.
fn take(slot: &mut Imported) -> Imported {
    Imported {
        text: std::mem::take(&mut slot.text),
        labels: std::mem::take(&mut slot.labels),
        annotator: slot.annotator.take(),
        article: slot.article.take(),
        ..*slot
    }
}

fn same(annotation: &Annotation<'_>, decision: &Decision) -> bool {
    let given: &[String] = decision.labels.as_deref().unwrap_or_default();
    // A stored fingerprint that is not 16 hex digits matches no text, as its string would not.
    !annotation.is_ignored()
        && same_labels(annotation.labels(), given)
        && annotation.fingerprint() == Some(fingerprint_u64(&decision.text))
}

/// Whether two label lists hold the same labels, each as often, in any order: in the same
/// order (as stance writes them, in schema order) without sorting copies of them.
fn same_labels(stored: &[String], given: &[String]) -> bool {
    if stored.len() != given.len() {
        return false;
    }
    if stored == given {
        return true;
    }
    let mut stored: Vec<&str> = stored.iter().map(String::as_str).collect();
    let mut given: Vec<&str> = given.iter().map(String::as_str).collect();
    stored.sort_unstable();
    given.sort_unstable();
    stored == given
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
    // The file's own strings are kept where they are the ones needed (nearly always, for
    // an export by stance): a million copies and frees less.
    let own = |given: Option<String>, wanted: &str| match given {
        Some(given) if given == wanted => given,
        _ => wanted.to_owned(),
    };
    let decision = Decision {
        article: own(imported.article, &article.id),
        start: span.start,
        end: span.end,
        text: own(Some(imported.text), &article.text[span.start..span.end]),
        labels: Some(labels),
        origin: Origin::Imported,
        annotator: own(imported.annotator, annotator),
        scores: None,
    };
    Ok((key, decision, unknown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Article;

    fn one(line: usize, article: &str, text: &str, label: &str) -> Imported {
        Imported {
            at: At::Line(line),
            text: text.into(),
            labels: vec![label.into()],
            annotator: Some("ana".into()),
            article: Some(article.into()),
            sentence_index: None,
            span: None,
        }
    }

    fn file(annotations: Vec<Imported>) -> Parsed {
        Parsed {
            annotations,
            skipped: Vec::new(),
        }
    }

    /// (article, text, labels) of each decision, in order.
    fn shown(plan: &Plan) -> Vec<(String, String, Vec<String>)> {
        plan.decisions()
            .iter()
            .map(|d| {
                let labels = d.labels.clone().unwrap_or_default();
                (d.article.clone(), d.text.clone(), labels)
            })
            .collect()
    }

    fn row(article: &str, text: &str, label: &str) -> (String, String, Vec<String>) {
        (article.into(), text.into(), vec![label.into()])
    }

    #[test]
    fn a_later_record_replaces_an_earlier_one_in_its_place_within_and_across_files() {
        let articles = [
            Article::plain("a", "Talks resumed. Troops moved."),
            Article::plain("b", "Officials declined to comment."),
        ];
        let schema: Vec<String> = ["m", "n", "o"].map(String::from).to_vec();
        let mut index = Index::new(&articles);
        let officials = "Officials declined to comment.";
        let mut plan = Plan::new();
        // In sentence order, each sentence once: kept as given.
        let sorted = vec![
            one(1, "a", "Talks resumed.", "m"),
            one(2, "a", "Troops moved.", "m"),
        ];
        plan.add(0, file(sorted), &mut index, None, &schema)
            .unwrap();
        assert_eq!(plan.superseded, 0);
        // Out of order, with a sentence of the first file and one given twice.
        let unsorted = vec![
            one(1, "b", officials, "m"),
            one(2, "a", "Talks resumed.", "n"),
            one(3, "b", officials, "o"),
        ];
        plan.add(1, file(unsorted), &mut index, None, &schema)
            .unwrap();
        assert_eq!(
            shown(&plan),
            [
                row("a", "Talks resumed.", "n"),
                row("a", "Troops moved.", "m"),
                row("b", officials, "o"),
            ]
        );
        assert_eq!((plan.attached, plan.superseded), (5, 2));
        // A third file still finds every earlier sentence.
        let again = vec![one(1, "a", "Troops moved.", "o")];
        plan.add(2, file(again), &mut index, None, &schema).unwrap();
        assert_eq!(shown(&plan)[1], row("a", "Troops moved.", "o"));
        assert_eq!((plan.decisions().len(), plan.superseded), (3, 3));
    }

    #[test]
    fn a_decision_already_in_the_store_with_its_labels_in_any_order_is_left_out() {
        let articles = [Article::plain(
            "a",
            "Talks resumed. Troops moved. Officials declined to comment. Aid arrived.",
        )];
        let schema: Vec<String> = ["m", "n", "o"].map(String::from).to_vec();
        let given = [
            one(1, "a", "Talks resumed.", "m"),
            one(2, "a", "Troops moved.", "m"),
            one(3, "a", "Officials declined to comment.", "o"),
            one(4, "a", "Aid arrived.", "n"),
        ];
        let planned = |extra: &str| {
            let mut given = given.to_vec();
            given[1].labels.push(extra.into());
            let mut plan = Plan::new();
            let mut index = Index::new(&articles);
            plan.add(0, file(given), &mut index, None, &schema).unwrap();
            plan
        };
        // The store: the first as given, the second with its labels in another order, the
        // third with other labels; the fourth not there.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.jsonl");
        let mut stored = planned("n").decisions()[..3].to_vec();
        stored[1].labels = Some(vec!["n".into(), "m".into()]);
        stored[2].labels = Some(vec!["m".into()]);
        let mut store = crate::store::LabelStore::open_as(&path, "ana").unwrap();
        crate::store::Store::append_all(&mut store, &stored).unwrap();
        let left = |plan: &Plan| {
            let texts = plan.decisions().iter().map(|d| d.text.clone());
            (texts.collect::<Vec<_>>(), plan.already)
        };
        let expected = (
            vec![
                "Officials declined to comment.".to_owned(),
                "Aid arrived.".to_owned(),
            ],
            2,
        );
        let mut by_index = planned("n");
        by_index.drop_existing_by(|article, start, end, who| store.get(article, start, end, who));
        assert_eq!(left(&by_index), expected);
        let mut by_map = planned("n");
        by_map.drop_existing(store.annotations());
        assert_eq!(left(&by_map), expected);
        // A label more than the store has is not the same.
        let mut more = planned("o");
        more.drop_existing_by(|article, start, end, who| store.get(article, start, end, who));
        assert_eq!(more.already, 1);
        assert_eq!(more.decisions()[0].text, "Troops moved.");
    }
}
