//! What the session hands a store: one annotator's decision on one sentence, in the words of
//! the domain. The store, not the session, adds what the journal needs besides (the format
//! version, the fingerprint of the text, the time).

use super::event::{Event, Op, Origin, fingerprint};

/// The one-name label set that stands for *ignore* (not a sentence to train on) in a
/// decision and in the session's model; the journal writes it as the op `ignore` with no
/// labels. No schema label can have this name: label names never hold `;`.
pub const IGNORE: &str = ";ignore";

/// Whether a label set is the one that stands for *ignore*.
pub fn is_ignore(labels: &[String]) -> bool {
    matches!(labels, [only] if only == IGNORE)
}

/// One annotator's decision on one sentence: these labels (`Some(vec![])` is "reviewed, no
/// stance", `Some(vec![IGNORE])` is "ignored"), or `None` to withdraw the annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The article's id.
    pub article: String,
    /// Byte offset of the sentence in the article text.
    pub start: usize,
    /// Byte offset one past the sentence's end (kept apart from `text`: an orphan's stored
    /// text need not be as long as its span).
    pub end: usize,
    /// The sentence as the annotator saw it; its fingerprint is what later tells whether
    /// the article text changed under the label.
    pub text: String,
    /// The labels given, in schema order; `None` withdraws the annotation.
    pub labels: Option<Vec<String>>,
    /// How the labels were chosen.
    pub origin: Origin,
    /// Who decided.
    pub annotator: String,
    /// The model's scores the analyst accepted, with origin `suggestion` (journal format
    /// version 4); `None` for every other decision.
    pub scores: Option<super::Scores>,
}

impl Decision {
    /// The journal event for this decision made at `ts` (Unix milliseconds): the version is
    /// the lowest that can carry it, the fingerprint is that of `text`.
    pub fn event(&self, ts: u64) -> Event {
        self.clone().into_event(ts)
    }

    /// As [`Decision::event`], moving the decision's strings into the event rather than
    /// copying them (a million imported decisions are a million copies less).
    pub fn into_event(self, ts: u64) -> Event {
        let ignored = self.labels.as_deref().is_some_and(is_ignore);
        let mut event = Event {
            v: 0,
            op: match &self.labels {
                _ if ignored => Op::Ignore,
                Some(_) => Op::Set,
                None => Op::Clear,
            },
            article: self.article,
            start: self.start,
            end: self.end,
            fp: fingerprint(&self.text),
            labels: match ignored {
                true => Vec::new(),
                false => self.labels.unwrap_or_default(),
            },
            annotator: self.annotator,
            ts,
            origin: self.origin,
            text: self.text,
            scores: self.scores,
        };
        event.v = event.version_needed();
        event
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Scores;

    #[test]
    fn a_typed_decision_is_a_version_1_event_with_the_text_fingerprint() {
        let decision = Decision {
            article: "a".into(),
            start: 4,
            end: 18,
            text: "Talks resumed.".into(),
            labels: Some(vec!["diplomatic".into()]),
            origin: Origin::Typed,
            annotator: "ana".into(),
            scores: None,
        };
        let event = decision.event(7);
        assert_eq!(
            event,
            Event::set("a", 4, "Talks resumed.", ["diplomatic"], "ana", 7)
        );
        assert_eq!(event.v, 1);
        let withdrawn = Decision {
            labels: None,
            origin: Origin::Imported,
            ..decision
        }
        .event(8);
        assert_eq!((withdrawn.op, withdrawn.v), (Op::Clear, 2));
    }

    #[test]
    fn an_ignore_is_a_version_3_event_with_no_labels() {
        let decision = Decision {
            article: "a".into(),
            start: 0,
            end: 6,
            text: "REUTER".into(),
            labels: Some(vec![IGNORE.into()]),
            origin: Origin::Typed,
            annotator: "ana".into(),
            scores: None,
        };
        let event = decision.event(7);
        assert_eq!((event.op, event.v, event.labels.len()), (Op::Ignore, 3, 0));
    }

    #[test]
    fn an_accepted_suggestion_with_scores_is_a_version_4_event() {
        let decision = Decision {
            article: "a".into(),
            start: 0,
            end: 14,
            text: "Talks resumed.".into(),
            labels: Some(vec!["diplomatic".into()]),
            origin: Origin::Suggestion,
            annotator: "ana".into(),
            scores: Some(Scores::new(["diplomatic", "sanctions"], &[0.91234, 0.1])),
        };
        let event = decision.event(7);
        assert_eq!(event.v, 4);
        let line = serde_json::to_string(&event).unwrap();
        assert!(
            line.ends_with(
                r#""text":"Talks resumed.","scores":{"diplomatic":0.9123,"sanctions":0.1}}"#
            ),
            "{line}"
        );
        let plain = Decision {
            origin: Origin::Suggestion,
            scores: None,
            ..decision
        };
        let line = serde_json::to_string(&plain.event(7)).unwrap();
        assert!(
            !line.contains("scores") && line.starts_with(r#"{"v":1,"#),
            "{line}"
        );
    }
}
