//! Sentences as analysts corrected them: the segmenter's spans with the store's boundary
//! overrides applied. Every place that needs an article's sentences (the session, `stats`,
//! `review`, `export`, `import`, `segment --labels`) takes them from [`sentences`], so all of
//! them see the same sentences.
//!
//! An override applies only while the article text it was made on is still there: the text at
//! its `start..end` must have its stored fingerprint and its offset must fall on a character
//! boundary. One that does not fit is [`stale`]: reported like an orphan, and ignored, so it
//! is never applied to other text. Overrides apply in the order of their offsets; one that
//! has nothing left to do (a split where a boundary already is, a merge where there is none)
//! changes nothing.

use crate::attach::Orphan;
use crate::corpus::{Article, Span, segment};
use crate::hash::fingerprint_u64;
use crate::hash::parse_fingerprint;
use crate::store::{BoundaryKind, Override, Overrides};

/// The sentences of `article`, corrected by the store's `overrides`.
pub fn sentences(article: &Article, overrides: &Overrides) -> Vec<Span> {
    correct(
        &article.text,
        segment(&article.text),
        overrides.of(&article.id),
    )
}

/// `spans` (the segmenter's, of `text`, in order) corrected by the article's overrides.
pub fn correct<'o>(
    text: &str,
    mut spans: Vec<Span>,
    overrides: impl Iterator<Item = &'o Override>,
) -> Vec<Span> {
    for o in overrides.filter(|o| fits(text, o)) {
        match o.kind {
            BoundaryKind::Split => {
                let Some(i) = spans.iter().position(|s| s.start < o.at && o.at < s.end) else {
                    continue;
                };
                let span = spans[i];
                let left = trim_end(text, span.start, o.at);
                let right = skip_space(text, o.at, span.end);
                if left > span.start && right < span.end {
                    spans[i].end = left;
                    spans.insert(
                        i + 1,
                        Span {
                            start: right,
                            end: span.end,
                        },
                    );
                }
            }
            BoundaryKind::Merge => {
                if let Some(i) = spans.iter().position(|s| s.start == o.at)
                    && i > 0
                {
                    spans[i - 1].end = spans[i].end;
                    spans.remove(i);
                }
            }
        }
    }
    spans
}

/// Whether the text an override was made on is still the article's `text`.
pub fn fits(text: &str, o: &Override) -> bool {
    text.is_char_boundary(o.at)
        && text
            .get(o.start..o.end)
            .is_some_and(|t| parse_fingerprint(&o.fp) == Some(fingerprint_u64(t)))
}

/// An override that does not fit its article: the article is gone, or its text changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale<'o> {
    /// The article id as stored.
    pub article: &'o str,
    /// The override, ignored.
    pub boundary: &'o Override,
    /// Why: [`Orphan::ArticleGone`] or [`Orphan::TextChanged`].
    pub reason: Orphan,
}

/// The overrides that `articles` (the corpus) gives no place to, in store order.
pub fn stale<'o>(articles: &[Article], overrides: &'o Overrides) -> Vec<Stale<'o>> {
    let by_id: std::collections::HashMap<&str, &Article> =
        articles.iter().map(|a| (a.id.as_str(), a)).collect();
    overrides
        .iter()
        .filter_map(|(article, boundary)| {
            let reason = match by_id.get(article) {
                None => Orphan::ArticleGone,
                Some(a) if !fits(&a.text, boundary) => Orphan::TextChanged,
                Some(_) => return None,
            };
            Some(Stale {
                article,
                boundary,
                reason,
            })
        })
        .collect()
}

/// Why an annotation of `start..end` that is not a sentence of the corrected `spans` is not
/// one: [`Orphan::Split`] when an applied split cuts it, [`Orphan::Merged`] when an applied
/// merge took it into a longer sentence, else `reason` as the attach rule gave it.
pub fn refine<'o>(
    reason: Orphan,
    (text, spans): (&str, &[Span]),
    overrides: impl Iterator<Item = &'o Override>,
    (start, end): (usize, usize),
) -> Orphan {
    if reason != Orphan::NotASentence {
        return reason;
    }
    for o in overrides.filter(|o| fits(text, o)) {
        let applied = match o.kind {
            BoundaryKind::Split => spans
                .iter()
                .any(|s| s.start == skip_space(text, o.at, text.len())),
            BoundaryKind::Merge => spans.iter().any(|s| s.start < o.at && o.at < s.end),
        };
        match o.kind {
            BoundaryKind::Split if applied && start < o.at && o.at < end => return Orphan::Split,
            BoundaryKind::Merge if applied && o.start <= start && end <= o.end => {
                return Orphan::Merged;
            }
            _ => {}
        }
    }
    reason
}

fn skip_space(text: &str, mut pos: usize, end: usize) -> usize {
    while let Some(c) = text[pos..end].chars().next().filter(|c| c.is_whitespace()) {
        pos += c.len_utf8();
    }
    pos
}

fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{BoundaryChange, Overrides};

    const TEXT: &str = "Talks resumed on Monday in Geneva. Troops moved.";

    fn article() -> Article {
        Article {
            id: "a".into(),
            title: String::new(),
            text: TEXT.into(),
            meta: Vec::new(),
            source: "test".into(),
        }
    }

    fn made(kind: Option<BoundaryKind>, (start, end): (usize, usize), at: usize) -> Overrides {
        let mut overrides = Overrides::default();
        overrides.apply(
            &BoundaryChange {
                article: "a".into(),
                kind,
                start,
                end,
                at,
                text: TEXT[start..end].into(),
                annotator: "ana".into(),
            }
            .event(1),
        );
        overrides
    }

    fn texts(spans: &[Span]) -> Vec<&'static str> {
        spans.iter().map(|s| &TEXT[s.start..s.end]).collect()
    }

    #[test]
    fn a_split_cuts_before_the_word_and_a_merge_joins_with_the_sentence_before() {
        let plain = sentences(&article(), &Overrides::default());
        assert_eq!(
            texts(&plain),
            ["Talks resumed on Monday in Geneva.", "Troops moved."]
        );
        let at = TEXT.find("on Monday").unwrap();
        let split = sentences(&article(), &made(Some(BoundaryKind::Split), (0, 34), at));
        assert_eq!(
            texts(&split),
            ["Talks resumed", "on Monday in Geneva.", "Troops moved."]
        );
        let merged = sentences(
            &article(),
            &made(Some(BoundaryKind::Merge), (0, TEXT.len()), 35),
        );
        assert_eq!(texts(&merged), [TEXT]);
    }

    #[test]
    fn an_override_whose_text_changed_is_stale_and_ignored() {
        let overrides = made(Some(BoundaryKind::Merge), (0, TEXT.len()), 35);
        let mut changed = article();
        changed.text = TEXT.replace("Troops", "Tanks!");
        let spans = sentences(&changed, &overrides);
        assert_eq!(spans, segment(&changed.text));
        let stale = stale(&[changed], &overrides);
        assert_eq!(stale.len(), 1);
        assert_eq!(
            (stale[0].article, stale[0].reason),
            ("a", Orphan::TextChanged)
        );
        assert_eq!(super::stale(&[], &overrides)[0].reason, Orphan::ArticleGone);
        assert!(super::stale(&[article()], &overrides).is_empty());
    }

    #[test]
    fn annotations_cut_by_a_split_or_taken_into_a_merge_say_so() {
        let at = TEXT.find("on Monday").unwrap();
        let split = made(Some(BoundaryKind::Split), (0, 34), at);
        let spans = sentences(&article(), &split);
        let why = |o: &Overrides, spans: &[Span], span| {
            refine(Orphan::NotASentence, (TEXT, spans), o.of("a"), span)
        };
        assert_eq!(why(&split, &spans, (0, 34)), Orphan::Split);
        let merge = made(Some(BoundaryKind::Merge), (0, TEXT.len()), 35);
        let spans = sentences(&article(), &merge);
        assert_eq!(why(&merge, &spans, (35, TEXT.len())), Orphan::Merged);
        assert_eq!(why(&merge, &spans, (0, 34)), Orphan::Merged);
        assert_eq!(why(&merge, &spans, (3, 9)), Orphan::Merged);
        let none = Overrides::default();
        assert_eq!(why(&none, &spans, (0, 34)), Orphan::NotASentence);
    }
}
