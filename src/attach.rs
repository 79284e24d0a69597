//! The one rule for whether a stored annotation is still attached to a sentence of its
//! article, and if not, why. `stance stats`, `stance export`, the store's orphan list and the
//! review list all decide through it, so they count the same orphans for the same reasons.
//!
//! The inputs are plain data: the article's current text (`None` when no article has the
//! stored id), its current sentence spans, and the annotation's stored `start`, `end` and
//! fingerprint as a number ([`parse_fingerprint`] of the journal's `fp`, which is `None`
//! for a field that is not 16 lowercase hex digits; such an annotation matches no text).
//!
//! A caller that has the spans at hand calls [`attach`]. A caller that segments articles
//! later (the review list, which opens before segmenting) calls [`check_text`] first and
//! [`check_span`] once the spans are known: the two together decide exactly as [`attach`]
//! does, since the text is checked before the span.
//!
//! [`parse_fingerprint`]: crate::hash::parse_fingerprint

use std::collections::HashMap;

use crate::boundary;
use crate::corpus::{Article, Span};
use crate::hash::fingerprint_u64;
use crate::store::{Annotation, Overrides};

/// Why an annotation is not attached to a sentence. When several hold, the first in this
/// order is the reason: an article that is gone has no text to compare, and text that
/// changed makes the old segmentation's verdict meaningless.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Orphan {
    /// No article of the corpus has the stored id.
    ArticleGone,
    /// The stored offsets are out of bounds or not on character boundaries of the current
    /// text, or the text between them does not have the stored fingerprint.
    TextChanged,
    /// The text is the one labeled, but `start..end` is not exactly one of the article's
    /// current sentence spans (the segmenter or the text around it changed).
    NotASentence,
    /// Not a sentence any more because an analyst split it (a boundary override).
    Split,
    /// Not a sentence any more because an analyst merged it with a neighbour.
    Merged,
}

/// The text half of the rule: `Ok` when `text` (the article's, `None` when it is gone) holds,
/// at `start..end`, text whose fingerprint is `fp`. Needs no segmentation.
pub fn check_text(
    text: Option<&str>,
    start: usize,
    end: usize,
    fp: Option<u64>,
) -> Result<(), Orphan> {
    let text = text.ok_or(Orphan::ArticleGone)?;
    match text.get(start..end) {
        Some(sentence) if fp == Some(fingerprint_u64(sentence)) => Ok(()),
        _ => Err(Orphan::TextChanged),
    }
}

/// The span half of the rule: the index of the sentence that is exactly `start..end` in
/// `spans` (the article's current segmentation, in text order), or
/// [`Orphan::NotASentence`]. Only meaningful after [`check_text`] said `Ok`.
pub fn check_span(spans: &[Span], start: usize, end: usize) -> Result<usize, Orphan> {
    match spans.binary_search_by_key(&start, |span| span.start) {
        Ok(index) if spans[index].end == end => Ok(index),
        _ => Err(Orphan::NotASentence),
    }
}

/// The whole rule: the index in `spans` of the sentence the annotation is attached to, or
/// why it is an orphan. `text` is the article's current text (`None`: the article is gone,
/// and `spans` is not looked at), `spans` its current segmentation in text order.
pub fn attach(
    text: Option<&str>,
    spans: &[Span],
    start: usize,
    end: usize,
    fp: Option<u64>,
) -> Result<usize, Orphan> {
    check_text(text, start, end, fp)?;
    check_span(spans, start, end)
}

/// [`attach`] for a stored annotation, on its article's text and spans (`None`: no article
/// has its id).
pub fn attach_annotation(
    article: Option<(&str, &[Span])>,
    annotation: Annotation<'_>,
) -> Result<usize, Orphan> {
    let (text, spans) = article.unzip();
    attach(
        text,
        spans.unwrap_or(&[]),
        annotation.start(),
        annotation.end(),
        annotation.fingerprint(),
    )
}

/// Each annotation with [`attach_annotation`]'s verdict on `articles` (the corpus) as the
/// store's boundary `overrides` correct its sentences, in the order given; an annotation that
/// a split or merge cut off says so ([`boundary::refine`]). Segments only the articles that
/// annotations name, each once.
pub fn classify<'a>(
    articles: &[Article],
    overrides: &Overrides,
    annotations: impl IntoIterator<Item = Annotation<'a>>,
) -> Vec<(Annotation<'a>, Result<usize, Orphan>)> {
    let by_id: HashMap<&str, &Article> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut spans: HashMap<&str, Vec<Span>> = HashMap::new();
    annotations
        .into_iter()
        .map(|annotation| {
            let article = by_id.get(annotation.article()).map(|article| {
                let spans = spans
                    .entry(article.id.as_str())
                    .or_insert_with(|| boundary::sentences(article, overrides));
                (article.text.as_str(), spans.as_slice())
            });
            let verdict = attach_annotation(article, annotation).map_err(|why| match article {
                Some(place) => boundary::refine(
                    why,
                    place,
                    overrides.of(annotation.article()),
                    (annotation.start(), annotation.end()),
                ),
                None => why,
            });
            (annotation, verdict)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::fingerprint_u64 as fp;

    const TEXT: &str = "Talks resumed. Troops moved — 한국 said.";

    fn spans() -> Vec<Span> {
        vec![
            Span { start: 0, end: 14 },
            Span {
                start: 15,
                end: TEXT.len(),
            },
        ]
    }

    #[test]
    fn attaches_only_to_a_current_sentence_with_the_same_text() {
        let (spans, n) = (spans(), TEXT.len());
        let second = Some(fp(&TEXT[15..]));
        assert_eq!(attach(Some(TEXT), &spans, 15, n, second), Ok(1));
        assert_eq!(
            attach(Some(TEXT), &spans, 0, 14, Some(fp("Talks resumed."))),
            Ok(0)
        );
        assert_eq!(
            attach(Some(TEXT), &spans, 15, n, Some(fp("Troops massed."))),
            Err(Orphan::TextChanged)
        );
        assert_eq!(
            attach(Some(TEXT), &spans, 15, n, None),
            Err(Orphan::TextChanged)
        );
        let head = Some(fp(&TEXT[15..21]));
        assert_eq!(
            attach(Some(TEXT), &spans, 15, 21, head),
            Err(Orphan::NotASentence)
        );
        let both = Some(fp(TEXT));
        assert_eq!(
            attach(Some(TEXT), &spans, 0, n, both),
            Err(Orphan::NotASentence)
        );
    }

    #[test]
    fn reasons_go_in_their_documented_order() {
        let spans = spans();
        // Gone wins over everything, even offsets that fit no text.
        assert_eq!(attach(None, &spans, 0, 14, None), Err(Orphan::ArticleGone));
        assert_eq!(attach(None, &[], 0, 9999, None), Err(Orphan::ArticleGone));
        // Text changed wins over not a sentence: 3..14 is not a span either.
        assert_eq!(
            attach(Some(TEXT), &spans, 3, 14, Some(fp("Talks"))),
            Err(Orphan::TextChanged)
        );
        assert_eq!(
            check_text(Some(TEXT), 3, 14, Some(fp(&TEXT[3..14]))),
            Ok(())
        );
        assert_eq!(check_span(&spans, 3, 14), Err(Orphan::NotASentence));
    }

    #[test]
    fn offsets_that_do_not_fit_the_text_mean_it_changed() {
        let spans = spans();
        let n = TEXT.len();
        let korean = TEXT.find('한').unwrap();
        // Past the end, backwards, and inside a multi-byte character.
        for (start, end) in [(n - 4, n + 10), (14, 3), (korean + 1, n), (15, korean + 2)] {
            for stored in [None, Some(fp("")), Some(fp(&TEXT[15..]))] {
                assert_eq!(
                    attach(Some(TEXT), &spans, start, end, stored),
                    Err(Orphan::TextChanged),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn the_two_halves_decide_as_the_whole() {
        let spans = spans();
        let n = TEXT.len();
        let cases = [
            (0, 14),
            (15, n),
            (3, 14),
            (0, n),
            (15, 21),
            (n, n + 1),
            (16, n),
        ];
        for (start, end) in cases {
            let stored = TEXT.get(start..end).map(fp);
            for fp in [stored, Some(0), None] {
                for text in [Some(TEXT), None] {
                    let halves = check_text(text, start, end, fp)
                        .and_then(|()| check_span(&spans, start, end));
                    assert_eq!(halves, attach(text, &spans, start, end, fp));
                }
            }
        }
    }
}
