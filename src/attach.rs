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

use std::collections::{HashMap, HashSet};

use crate::boundary;
use crate::corpus::{Article, Span};
use crate::hash::fingerprint_u64;
use crate::store::{Annotation, Event, Overrides};

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

/// For each fingerprint searched for: how many sentences of the corpus have it, and the
/// first of them in corpus order (article index, span).
pub type Places = HashMap<u64, (usize, usize, Span)>;

/// The fingerprints of the gone annotations among `annotations` (article id not in
/// `articles`, nor hidden by `--where`): what [`places`] looks for.
pub fn wanted<'a>(
    articles: &[Article],
    hidden: &HashSet<String>,
    annotations: impl IntoIterator<Item = Annotation<'a>>,
) -> HashSet<u64> {
    let ids: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    annotations
        .into_iter()
        .filter(|a| !ids.contains(a.article()) && !hidden.contains(a.article()))
        .filter_map(|a| a.fingerprint())
        .collect()
}

/// Where the sentences with the `wanted` fingerprints are, as `overrides` correct the
/// corpus's segmentation. Segments every article: on every core, joined in corpus order so
/// the first place of a fingerprint is the same on any number of cores.
pub fn places(articles: &[Article], overrides: &Overrides, wanted: &HashSet<u64>) -> Places {
    let found_in: Vec<Vec<(u64, Span)>> = crate::cores::map(articles, |article| {
        boundary::sentences(article, overrides)
            .into_iter()
            .map(|span| (fingerprint_u64(&article.text[span.start..span.end]), span))
            .filter(|(fp, _)| wanted.contains(fp))
            .collect()
    });
    let mut places = Places::new();
    for (at, spans) in found_in.into_iter().enumerate() {
        for (fp, span) in spans {
            places.entry(fp).or_insert((0, at, span)).0 += 1;
        }
    }
    places
}

/// Annotations whose article id is gone, re-attached to the one sentence of the corpus whose
/// text has their fingerprint: what keeps labels when ids came from places (line numbers,
/// file names) and the corpus was renamed, or an article's id changed. A fingerprint found
/// in no sentence, or in more than one, is not guessed at: the annotation stays an orphan.
/// Nothing is written; the views read the store through [`Reattached::annotations`].
#[derive(Debug, Default)]
pub struct Reattached {
    /// The annotations at their new places (one per sentence and annotator).
    moved: Vec<Moved>,
    /// (article, start, end, annotator) of every gone annotation taken out of the view:
    /// the moved ones and those a decision already at the new place supersedes.
    from: HashSet<(String, usize, usize, String)>,
    /// Gone annotations whose new place already had a decision of their annotator (that
    /// one wins), or a later re-attached one.
    superseded: usize,
}

/// One re-attached annotation: as an event at its new place, and where it was stored.
#[derive(Debug)]
struct Moved {
    event: Event,
    /// (article id, start, end) as stored.
    from: (String, usize, usize),
    /// Index in the corpus of the article it moved to.
    at: usize,
}

/// A re-attached annotation as the session takes it: its key as stored, and its new place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The article id as stored (no article of the corpus has it).
    pub article: String,
    /// Stored start offset.
    pub start: usize,
    /// Stored end offset.
    pub end: usize,
    /// Whose annotation it is.
    pub annotator: String,
    /// Index in the corpus of the article whose sentence has its text.
    pub to_article: usize,
    /// That sentence.
    pub to: Span,
}

/// The gone annotations of `annotations`: those whose article id no article of `articles`
/// has, and that no `--where` hid (`hidden`). What a session hands to its search for their
/// sentences, so the search needs no copy of the whole store.
pub fn gone<'a>(
    articles: &[Article],
    hidden: &HashSet<String>,
    annotations: impl IntoIterator<Item = Annotation<'a>>,
) -> Vec<Event> {
    let ids: rustc_hash::FxHashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    annotations
        .into_iter()
        .filter(|a| !ids.contains(a.article()) && !hidden.contains(a.article()))
        .map(|a| a.to_event())
        .collect()
}

impl Reattached {
    /// Finds the re-attachable annotations among `annotations` for `articles` (the kept
    /// articles; an annotation of an article in `hidden`, left out by `--where`, is not
    /// gone). Segments the corpus only when some annotation's article is gone.
    pub fn find<'a, I>(
        articles: &[Article],
        overrides: &Overrides,
        hidden: &HashSet<String>,
        annotations: I,
    ) -> Self
    where
        I: IntoIterator<Item = Annotation<'a>> + Clone,
    {
        let wanted = wanted(articles, hidden, annotations.clone());
        if wanted.is_empty() {
            return Reattached::default();
        }
        let places = places(articles, overrides, &wanted);
        Reattached::with_places(articles, hidden, &places, annotations)
    }

    /// [`Reattached::find`] with the corpus already searched: `places` holds the sentences
    /// of every fingerprint wanted ([`places`]'s answer, or a checked copy of it).
    pub fn with_places<'a, I>(
        articles: &[Article],
        hidden: &HashSet<String>,
        places: &Places,
        annotations: I,
    ) -> Self
    where
        I: IntoIterator<Item = Annotation<'a>> + Clone,
    {
        let ids: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        let gone = |a: &Annotation<'_>| !ids.contains(a.article()) && !hidden.contains(a.article());
        type Key<'k> = (&'k str, usize, usize, &'k str);
        // New place -> the latest gone annotation for it.
        let mut targets: HashMap<Key<'_>, Annotation<'a>> = HashMap::new();
        let mut found = Reattached::default();
        for annotation in annotations.clone().into_iter().filter(gone) {
            let Some(&(1, at, span)) = annotation.fingerprint().and_then(|fp| places.get(&fp))
            else {
                continue;
            };
            let key = (
                articles[at].id.as_str(),
                span.start,
                span.end,
                annotation.annotator(),
            );
            found.from.insert(owned_key(&annotation));
            match targets.get(&key) {
                Some(other) if other.ts() > annotation.ts() => found.superseded += 1,
                Some(_) => {
                    found.superseded += 1;
                    targets.insert(key, annotation);
                }
                None => {
                    targets.insert(key, annotation);
                }
            }
        }
        for annotation in annotations {
            let key = (
                annotation.article(),
                annotation.start(),
                annotation.end(),
                annotation.annotator(),
            );
            if targets.remove(&key).is_some() {
                found.superseded += 1;
            }
        }
        let index: HashMap<&str, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        found.moved = targets
            .into_iter()
            .map(|((article, start, end, _), annotation)| {
                let mut event = annotation.to_event();
                let from = (
                    std::mem::replace(&mut event.article, article.to_owned()),
                    event.start,
                    event.end,
                );
                event.start = start;
                event.end = end;
                Moved {
                    event,
                    from,
                    at: index[article],
                }
            })
            .collect();
        found.moved.sort_by(|a, b| {
            let (a, b) = (&a.event, &b.event);
            (&a.article, a.start, &a.annotator).cmp(&(&b.article, b.start, &b.annotator))
        });
        found
    }

    /// Each re-attached annotation's stored key and new place, in corpus order of the
    /// articles' ids.
    pub fn moves(&self) -> Vec<Move> {
        self.moved
            .iter()
            .map(|m| Move {
                article: m.from.0.clone(),
                start: m.from.1,
                end: m.from.2,
                annotator: m.event.annotator.clone(),
                to_article: m.at,
                to: Span {
                    start: m.event.start,
                    end: m.event.end,
                },
            })
            .collect()
    }

    /// The stored keys (article id, start, end, annotator) of the gone annotations that are
    /// taken out of the view without being moved: a decision at their new place wins.
    pub fn superseded_keys(&self) -> Vec<(String, usize, usize, String)> {
        let moved: HashSet<(&str, usize, usize, &str)> = self
            .moved
            .iter()
            .map(|m| {
                (
                    m.from.0.as_str(),
                    m.from.1,
                    m.from.2,
                    m.event.annotator.as_str(),
                )
            })
            .collect();
        let mut keys: Vec<_> = self
            .from
            .iter()
            .filter(|(a, s, e, who)| !moved.contains(&(a.as_str(), *s, *e, who.as_str())))
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    /// `annotations` (the store's, in its order) with the re-attached ones taken out and put
    /// back, at the end, at their new places.
    pub fn annotations<'s, I>(
        &'s self,
        annotations: I,
    ) -> impl Iterator<Item = Annotation<'s>> + Clone
    where
        I: IntoIterator<Item = Annotation<'s>>,
        I::IntoIter: Clone,
    {
        annotations
            .into_iter()
            .filter(move |a| self.from.is_empty() || !self.from.contains(&owned_key(a)))
            .chain(self.moved.iter().map(|m| Annotation::from(&m.event)))
    }

    /// How many annotations were moved to a sentence of another article.
    pub fn moved_count(&self) -> usize {
        self.moved.len()
    }

    /// True when no annotation was re-attached.
    pub fn is_empty(&self) -> bool {
        self.from.is_empty()
    }

    /// One line for the user, or `None` when nothing was re-attached.
    pub fn report(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut line = format!(
            "{} annotations re-attached by their sentence text: their article id is gone, \
             and the text is one sentence of another article",
            self.moved.len()
        );
        if self.superseded > 0 {
            line.push_str(&format!(
                " ({} more not shown: their annotator decided that sentence again)",
                self.superseded
            ));
        }
        Some(line)
    }
}

fn owned_key(a: &Annotation<'_>) -> (String, usize, usize, String) {
    (
        a.article().to_owned(),
        a.start(),
        a.end(),
        a.annotator().to_owned(),
    )
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
