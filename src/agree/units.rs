//! The units of a corpus and a label store: per sentence, the current annotation of each
//! annotator that is still attached to it (by [`crate::attach`]'s rule), and any adjudicated
//! decision apart, since a lead's final answer is not one more annotator's judgement.

use rustc_hash::FxHashMap;

use super::{AgreeError, Ratings};
use crate::attach::attach_annotation;
use crate::corpus::{Article, Span};
use crate::store::{Annotation, Op, Origin};

/// The attached decisions of one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit<'a> {
    /// Index of the article in the corpus.
    pub article: usize,
    /// Index of the sentence in the article's segmentation.
    pub sentence: usize,
    /// `(annotator index into [`Units::annotators`], labels)`, by annotator index; labels
    /// sorted without repeats, empty for "no stance".
    pub decisions: Vec<(usize, Vec<&'a str>)>,
    /// The most recent adjudicated decision on the sentence, if any: its labels (sorted) and
    /// the adjudicator.
    pub adjudicated: Option<(Vec<&'a str>, &'a str)>,
}

impl Unit<'_> {
    /// True when two of the annotators chose different label sets.
    pub fn disagrees(&self) -> bool {
        self.decisions.windows(2).any(|pair| pair[0].1 != pair[1].1)
    }
}

/// Every sentence with an attached decision, in corpus order, and who decided.
#[derive(Clone, Debug, Default)]
pub struct Units<'a> {
    /// Annotators with at least one attached decision (adjudications aside), sorted.
    pub annotators: Vec<String>,
    /// Sentences with an attached decision or adjudication, in corpus order.
    pub units: Vec<Unit<'a>>,
    /// Annotations not attached to a current sentence (left out of everything).
    pub orphaned: usize,
}

impl<'a> Units<'a> {
    /// Groups `annotations` (only `set`s count) by the sentence of `articles` each is
    /// attached to; `spans` holds each article's segmentation, in the same order.
    pub fn collect(
        articles: &'a [Article],
        spans: &[Vec<Span>],
        annotations: impl IntoIterator<Item = Annotation<'a>>,
    ) -> Units<'a> {
        let by_id: FxHashMap<&str, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut names: FxHashMap<&'a str, usize> = FxHashMap::default();
        let mut attached: Vec<(usize, usize, Annotation<'a>)> = Vec::new();
        let mut orphaned = 0;
        for event in annotations {
            if event.op() != Op::Set {
                continue;
            }
            let place = by_id.get(event.article()).copied();
            let article = place.map(|i| (articles[i].text.as_str(), spans[i].as_slice()));
            match (place, attach_annotation(article, event)) {
                (Some(a), Ok(s)) => {
                    if event.origin() != Origin::Adjudicated {
                        let next = names.len();
                        names.entry(event.annotator()).or_insert(next);
                    }
                    attached.push((a, s, event));
                }
                _ => orphaned += 1,
            }
        }
        let mut sorted: Vec<&'a str> = names.keys().copied().collect();
        sorted.sort_unstable();
        let index: FxHashMap<&str, usize> =
            sorted.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        attached.sort_unstable_by_key(|&(a, s, _)| (a, s));
        let mut units: Vec<Unit<'a>> = Vec::new();
        let mut latest_adjudication: u64 = 0;
        for (article, sentence, event) in attached {
            if units
                .last()
                .is_none_or(|u| (u.article, u.sentence) != (article, sentence))
            {
                latest_adjudication = 0;
                units.push(Unit {
                    article,
                    sentence,
                    decisions: Vec::new(),
                    adjudicated: None,
                });
            }
            let unit = units.last_mut().expect("pushed above");
            let labels = label_set(event.labels());
            if event.origin() == Origin::Adjudicated {
                if unit.adjudicated.is_none() || event.ts() >= latest_adjudication {
                    latest_adjudication = event.ts();
                    unit.adjudicated = Some((labels, event.annotator()));
                }
            } else {
                unit.decisions.push((index[event.annotator()], labels));
            }
        }
        for unit in &mut units {
            unit.decisions.sort_unstable_by_key(|&(who, _)| who);
        }
        Units {
            annotators: sorted.into_iter().map(str::to_owned).collect(),
            units,
            orphaned,
        }
    }

    /// The ratings of `annotators` (default: all, sorted) on `labels`: a unit counts where two
    /// or more of them decided.
    pub fn ratings(
        &self,
        annotators: Option<&[String]>,
        labels: Vec<String>,
    ) -> Result<Ratings, AgreeError> {
        let chosen: Vec<String> = annotators.map_or_else(|| self.annotators.clone(), <[_]>::to_vec);
        // Position in `chosen` of each of our annotators, if chosen.
        let slot: Vec<Option<usize>> = self
            .annotators
            .iter()
            .map(|name| chosen.iter().position(|c| c == name))
            .collect();
        let mut ratings = Ratings::new(chosen, labels)?;
        let mut row: Vec<Option<&[&str]>> = Vec::new();
        for unit in &self.units {
            row.clear();
            row.resize(ratings.annotators().len(), None);
            for (who, labels) in &unit.decisions {
                if let Some(at) = slot[*who] {
                    row[at] = Some(labels.as_slice());
                }
            }
            ratings.push_unit(row.iter().map(|d| d.map(|labels| labels.iter())))?;
        }
        Ok(ratings)
    }

    /// Label names used by some decision that `known` does not have, sorted.
    pub fn other_labels(&self, known: &[String]) -> Vec<String> {
        let mut other: Vec<&str> = self
            .units
            .iter()
            .flat_map(|u| u.decisions.iter().flat_map(|(_, labels)| labels.iter()))
            .copied()
            .filter(|name| !known.iter().any(|k| k == name))
            .collect();
        other.sort_unstable();
        other.dedup();
        other.into_iter().map(str::to_owned).collect()
    }
}

fn label_set(labels: &[String]) -> Vec<&str> {
    let mut set: Vec<&str> = labels.iter().map(String::as_str).collect();
    set.sort_unstable();
    set.dedup();
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Event;

    fn article(id: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            title: id.into(),
            text: text.into(),
            meta: Vec::new(),
            source: format!("{id}.txt"),
        }
    }

    #[test]
    fn groups_attached_decisions_and_keeps_adjudications_apart() {
        let articles = vec![article("a", "Talks resumed. Troops moved.")];
        let spans = vec![articles[0].sentences()];
        let mut lead = Event::set("a", 0, "Talks resumed.", ["military"], "lead", 9);
        lead.origin = Origin::Adjudicated;
        lead.v = lead.version_needed();
        let events = [
            Event::set("a", 15, "Troops moved.", ["military"], "bob", 1),
            Event::set("a", 0, "Talks resumed.", ["diplomatic"], "bob", 2),
            Event::set("a", 0, "Talks resumed.", Vec::<String>::new(), "ana", 3),
            Event::set("a", 0, "Talks changed.", ["military"], "cy", 4),
            lead,
        ];
        let units = Units::collect(&articles, &spans, events.iter().map(Annotation::from));
        assert_eq!(units.annotators, ["ana", "bob"]);
        assert_eq!(units.orphaned, 1);
        assert_eq!(units.units.len(), 2);
        let first = &units.units[0];
        assert_eq!(first.decisions, vec![(0, vec![]), (1, vec!["diplomatic"])]);
        assert_eq!(first.adjudicated, Some((vec!["military"], "lead")));
        assert!(first.disagrees());
        assert!(!units.units[1].disagrees());
        let labels = vec!["diplomatic".to_owned()];
        assert_eq!(units.other_labels(&labels), ["military"]);
        let ratings = units
            .ratings(None, vec!["diplomatic".into(), "military".into()])
            .unwrap();
        assert_eq!(ratings.units(), 1);
    }
}
