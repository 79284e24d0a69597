//! Whose decision counts when several annotators labeled the same sentence (which
//! sentence an annotation belongs to is [`crate::attach`]'s rule).

use std::borrow::Cow;

use crate::store::{Annotation, IGNORE, Origin};

/// How to settle several annotators' decisions on one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Resolve {
    /// The most recent decision (largest `ts`; equal times go to the annotator name that
    /// sorts last).
    #[default]
    Latest,
    /// The label set chosen by more annotators than any other; a tie for first place
    /// leaves the sentence out.
    Majority,
    /// Only this annotator's decisions; sentences they did not label are not annotated.
    Annotator(String),
    /// The most recent adjudicated decision, else the label set every annotator chose; a
    /// sentence whose annotators disagree and which nobody adjudicated is left out.
    Adjudicated,
}

/// The decision that a sentence is exported with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<'a> {
    /// Label names, sorted and without repeats; empty means "reviewed, no stance", and
    /// `[IGNORE]` that the sentence was ignored.
    pub labels: Vec<&'a str>,
    /// The deciding annotator (latest), or the `;`-joined annotators who agreed (majority).
    pub annotator: Cow<'a, str>,
}

/// The outcome of settling one sentence's annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// Nobody (or not the chosen annotator) annotated the sentence.
    Unannotated,
    /// One label set won.
    Decided(Decision<'a>),
    /// Two or more label sets had the most votes.
    Tie,
    /// The annotators disagree and nobody adjudicated (only with [`Resolve::Adjudicated`]).
    Unsettled,
}

/// True when the annotators (adjudicators aside) of one sentence chose different label sets.
pub fn conflicting(events: &[Annotation<'_>]) -> bool {
    let mut first: Option<Vec<&str>> = None;
    for &event in events.iter().filter(|e| e.origin() != Origin::Adjudicated) {
        let labels = label_set(event);
        match &first {
            None => first = Some(labels),
            Some(set) if *set != labels => return true,
            Some(_) => {}
        }
    }
    false
}

/// Settles the annotations attached to one sentence (each from a different annotator).
pub fn resolve<'a>(events: &[Annotation<'a>], how: &Resolve) -> Resolution<'a> {
    match how {
        Resolve::Latest => latest(events.iter().copied()),
        Resolve::Annotator(name) => {
            latest(events.iter().copied().filter(|e| e.annotator() == name))
        }
        Resolve::Majority => majority(events),
        Resolve::Adjudicated => adjudicated(events),
    }
}

fn adjudicated<'a>(events: &[Annotation<'a>]) -> Resolution<'a> {
    let (lead, annotators): (Vec<Annotation<'a>>, Vec<Annotation<'a>>) = events
        .iter()
        .partition(|e| e.origin() == Origin::Adjudicated);
    if !lead.is_empty() {
        return latest(lead.into_iter());
    }
    if conflicting(&annotators) {
        return Resolution::Unsettled;
    }
    match majority(&annotators) {
        Resolution::Tie => Resolution::Unsettled,
        unanimous => unanimous,
    }
}

fn latest<'a>(events: impl Iterator<Item = Annotation<'a>>) -> Resolution<'a> {
    match events.max_by(|a, b| (a.ts(), a.annotator()).cmp(&(b.ts(), b.annotator()))) {
        Some(event) => Resolution::Decided(Decision {
            labels: label_set(event),
            annotator: Cow::Borrowed(event.annotator()),
        }),
        None => Resolution::Unannotated,
    }
}

fn majority<'a>(events: &[Annotation<'a>]) -> Resolution<'a> {
    // A handful of annotators per sentence: a linear scan beats hashing.
    let mut votes: Vec<(Vec<&'a str>, Vec<&'a str>)> = Vec::new();
    for &event in events {
        let labels = label_set(event);
        match votes.iter_mut().find(|(set, _)| *set == labels) {
            Some((_, voters)) => voters.push(event.annotator()),
            None => votes.push((labels, vec![event.annotator()])),
        }
    }
    let Some(most) = votes.iter().map(|(_, voters)| voters.len()).max() else {
        return Resolution::Unannotated;
    };
    let mut winners = votes.into_iter().filter(|(_, voters)| voters.len() == most);
    let (labels, mut voters) = winners.next().expect("the maximum comes from some entry");
    if winners.next().is_some() {
        return Resolution::Tie;
    }
    if voters.len() == 1 {
        return Resolution::Decided(Decision {
            labels,
            annotator: Cow::Borrowed(voters[0]),
        });
    }
    voters.sort_unstable();
    Resolution::Decided(Decision {
        labels,
        annotator: Cow::Owned(voters.join(";")),
    })
}

/// The label set an annotation votes for; an ignore votes for [`IGNORE`], which no label
/// set of the schema equals.
fn label_set(event: Annotation<'_>) -> Vec<&str> {
    if event.is_ignored() {
        return vec![IGNORE];
    }
    let mut labels: Vec<&str> = event.labels().iter().map(String::as_str).collect();
    labels.sort_unstable();
    labels.dedup();
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Event;

    fn event(annotator: &str, ts: u64, labels: &[&str]) -> Event {
        Event::set("a1", 0, "Talks", labels.iter().copied(), annotator, ts)
    }

    fn decided<'a>(labels: &[&'a str], annotator: &'a str) -> Resolution<'a> {
        Resolution::Decided(Decision {
            labels: labels.to_vec(),
            annotator: Cow::Borrowed(annotator),
        })
    }

    #[test]
    fn latest_takes_the_most_recent_event() {
        let (a, b) = (event("ann", 10, &["military"]), event("bo", 20, &[]));
        assert_eq!(
            resolve(&[(&a).into(), (&b).into()], &Resolve::Latest),
            decided(&[], "bo")
        );
        assert_eq!(
            resolve(&[(&b).into(), (&a).into()], &Resolve::Latest),
            decided(&[], "bo")
        );
        let c = event("cy", 20, &["sanctions"]);
        assert_eq!(
            resolve(&[(&c).into(), (&b).into()], &Resolve::Latest),
            decided(&["sanctions"], "cy")
        );
    }

    #[test]
    fn one_annotator_view_ignores_the_others() {
        let (a, b) = (event("ann", 10, &["military"]), event("bo", 20, &[]));
        let only_ann = Resolve::Annotator("ann".into());
        assert_eq!(
            resolve(&[(&a).into(), (&b).into()], &only_ann),
            decided(&["military"], "ann")
        );
        let only_cy = Resolve::Annotator("cy".into());
        assert_eq!(
            resolve(&[(&a).into(), (&b).into()], &only_cy),
            Resolution::Unannotated
        );
    }

    #[test]
    fn majority_counts_label_sets_and_leaves_ties_out() {
        let a = event("ann", 1, &["sanctions", "military"]);
        let b = event("bo", 2, &["military", "sanctions", "military"]);
        let c = event("cy", 3, &["diplomatic"]);
        let both = Resolution::Decided(Decision {
            labels: vec!["military", "sanctions"],
            annotator: Cow::Owned("ann;bo".into()),
        });
        assert_eq!(
            resolve(&[(&c).into(), (&b).into(), (&a).into()], &Resolve::Majority),
            both
        );
        assert_eq!(
            resolve(&[(&a).into(), (&c).into()], &Resolve::Majority),
            Resolution::Tie
        );
        assert_eq!(
            resolve(&[(&c).into()], &Resolve::Majority),
            decided(&["diplomatic"], "cy")
        );
        assert_eq!(resolve(&[], &Resolve::Majority), Resolution::Unannotated);
    }

    #[test]
    fn adjudicated_prefers_the_lead_then_unanimity_and_never_guesses() {
        let (a, b) = (event("ann", 1, &["military"]), event("bo", 2, &[]));
        let mut lead = event("lead", 0, &["sanctions"]);
        lead.origin = Origin::Adjudicated;
        assert_eq!(
            resolve(&[(&a).into(), (&b).into()], &Resolve::Adjudicated),
            Resolution::Unsettled
        );
        assert!(conflicting(&[(&a).into(), (&b).into(), (&lead).into()]));
        assert_eq!(
            resolve(
                &[(&a).into(), (&lead).into(), (&b).into()],
                &Resolve::Adjudicated
            ),
            decided(&["sanctions"], "lead")
        );
        let c = event("cy", 3, &["military"]);
        assert!(!conflicting(&[(&a).into(), (&c).into(), (&lead).into()]));
        assert_eq!(
            resolve(&[(&a).into(), (&c).into()], &Resolve::Adjudicated),
            Resolution::Decided(Decision {
                labels: vec!["military"],
                annotator: Cow::Owned("ann;cy".into()),
            })
        );
        assert_eq!(resolve(&[], &Resolve::Adjudicated), Resolution::Unannotated);
    }
}
