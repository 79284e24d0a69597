//! Placing an imported annotation on a sentence of the corpus.
//!
//! The rules, in order: a file that names the article and gives offsets (`start`, `end`)
//! or a sentence index is taken at its word when the sentence there has the file's text;
//! otherwise the text is looked for among the article's sentences; a file that names no
//! article is looked for in the whole corpus. Texts are compared with whitespace folded, as
//! the exports fold it, and a text found more than once is not guessed at.

use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};
use std::fmt;
use std::hash::BuildHasher;

use crate::attach::check_span;
use crate::boundary;
use crate::corpus::{Article, Span};
use crate::export::record::fold_whitespace;
use crate::store::Overrides;

use super::Imported;

/// Why an annotation was not placed on a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Miss {
    /// The file names an article (this id) the corpus does not have.
    NoSuchArticle(String),
    /// No sentence has the text (in the named article, or anywhere when none is named).
    TextNotFound,
    /// That many sentences have the text, so none is chosen.
    FoundTimes(usize),
}

impl Miss {
    /// The reason without its particulars, to count misses by.
    pub fn reason(&self) -> &'static str {
        match self {
            Miss::NoSuchArticle(_) => "no such article",
            Miss::TextNotFound => "text not found",
            Miss::FoundTimes(_) => "text found several times",
        }
    }
}

impl fmt::Display for Miss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Miss::NoSuchArticle(id) => write!(f, "no such article {}", crate::escape::quote(id)),
            Miss::TextNotFound => f.write_str("text not found"),
            Miss::FoundTimes(n) => write!(f, "text found {n} times"),
        }
    }
}

/// The corpus made searchable: articles by id, sentences found once per article when first
/// needed, and (only when a file names no article) every sentence by a hash of its folded
/// text.
pub struct Index<'a> {
    articles: &'a [Article],
    by_id: HashMap<&'a str, usize>,
    spans: Vec<Option<Vec<Span>>>,
    by_text: Option<HashMap<u64, Sentences>>,
    boundaries: Overrides,
}

/// The sentences (article, index) whose folded text has one hash: nearly always one.
enum Sentences {
    One(usize, usize),
    Many(Vec<(usize, usize)>),
}

/// The hash `by_text` keys a folded sentence by.
fn text_hash(folded: &str) -> u64 {
    FxBuildHasher.hash_one(folded)
}

impl<'a> Index<'a> {
    /// An index of `articles`; nothing is segmented yet.
    pub fn new(articles: &'a [Article]) -> Index<'a> {
        Index {
            articles,
            by_id: articles
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id.as_str(), i))
                .collect(),
            spans: vec![None; articles.len()],
            by_text: None,
            boundaries: Overrides::default(),
        }
    }

    /// The same index with sentences corrected by a store's boundary overrides, as the
    /// store's sessions see them.
    pub fn with_boundaries(self, boundaries: Overrides) -> Index<'a> {
        Index { boundaries, ..self }
    }

    /// Segments, on every core, the articles `imported` names that are not segmented yet
    /// (every article when one of them names none, since its text is looked for
    /// everywhere, and then keys every sentence by its text); after it, [`Index::find`]
    /// places each of `imported` without changing the index.
    pub fn prepare(&mut self, imported: &[super::Imported]) {
        // Each part of the file looked at on its own core; a file in article order names
        // each article many times in a row, looked up once.
        let by_id = &self.by_id;
        let found = super::parallel::map(&super::parallel::parts(imported, 4096), 1, |part| {
            let (mut named, mut last) = (Vec::new(), None);
            for one in *part {
                match &one.article {
                    Some(id) if last == Some(id.as_str()) => {}
                    Some(id) => {
                        last = Some(id.as_str());
                        named.extend(by_id.get(id.as_str()).copied());
                    }
                    None => return None,
                }
            }
            Some(named)
        });
        let anywhere = found.iter().any(Option::is_none);
        let mut wanted = vec![anywhere; self.articles.len()];
        for i in found.into_iter().flatten().flatten() {
            wanted[i] = true;
        }
        let todo: Vec<usize> = (0..self.articles.len()).filter(|&i| wanted[i]).collect();
        self.prepare_all(&todo);
        if self.by_text.is_none() && anywhere {
            self.index_texts();
        }
    }

    /// The article at `index` of the corpus.
    pub fn article(&self, index: usize) -> &'a Article {
        &self.articles[index]
    }

    /// The article (its position in the corpus) and sentence span `imported` belongs to.
    pub fn place(&mut self, imported: &Imported) -> Result<(usize, Span), Miss> {
        self.prepare(std::slice::from_ref(imported));
        self.find(imported)
    }

    /// What [`Index::place`] finds, without changing the index, so that many annotations
    /// are placed at once on every core: after [`Index::prepare`] of them (an article not
    /// prepared is segmented for this call alone).
    pub fn find(&self, imported: &Imported) -> Result<(usize, Span), Miss> {
        let wanted = fold_whitespace(imported.text.trim());
        let Some(id) = &imported.article else {
            return self.anywhere(&wanted);
        };
        let article = *self
            .by_id
            .get(id.as_str())
            .ok_or_else(|| Miss::NoSuchArticle(id.clone()))?;
        let articles = self.articles;
        let text = articles[article].text.as_str();
        let segmented;
        let spans: &[Span] = match &self.spans[article] {
            Some(spans) => spans,
            None => {
                segmented = boundary::sentences(&articles[article], &self.boundaries);
                &segmented
            }
        };
        let same = |span: &Span| fold_whitespace(&text[span.start..span.end]) == wanted;
        if let Some((start, end)) = imported.span
            && let Ok(i) = check_span(spans, start, end)
            && same(&spans[i])
        {
            return Ok((article, spans[i]));
        }
        if let Some(span) = imported.sentence_index.and_then(|i| spans.get(i))
            && same(span)
        {
            return Ok((article, *span));
        }
        let mut found = spans.iter().filter(|span| same(span));
        match (found.next(), found.count()) {
            (Some(span), 0) => Ok((article, *span)),
            (Some(_), more) => Err(Miss::FoundTimes(more + 1)),
            (None, _) => Err(Miss::TextNotFound),
        }
    }

    fn anywhere(&self, wanted: &str) -> Result<(usize, Span), Miss> {
        let by_text = self
            .by_text
            .as_ref()
            .expect("prepare keys the sentences by text when an annotation names no article");
        let articles = self.articles;
        let spans = &self.spans;
        let sentence = |&(article, i): &(usize, usize)| {
            spans[article].as_ref().expect("segmented for the index")[i]
        };
        // Equal hashes are checked against the text: only equal texts count.
        let same = |at: &(usize, usize)| {
            let span = sentence(at);
            fold_whitespace(&articles[at.0].text[span.start..span.end]) == wanted
        };
        let found: Vec<(usize, usize)> = match by_text.get(&text_hash(wanted)) {
            None => Vec::new(),
            Some(Sentences::One(article, i)) => {
                [(*article, *i)].into_iter().filter(|at| same(at)).collect()
            }
            Some(Sentences::Many(many)) => many.iter().copied().filter(|at| same(at)).collect(),
        };
        match found.as_slice() {
            [one] => Ok((one.0, sentence(one))),
            [] => Err(Miss::TextNotFound),
            many => Err(Miss::FoundTimes(many.len())),
        }
    }

    /// Segments every article and keys each sentence by the hash of its folded text (the
    /// hashes computed on every core).
    fn index_texts(&mut self) {
        let all: Vec<usize> = (0..self.articles.len()).collect();
        self.prepare_all(&all);
        let (articles, spans) = (self.articles, &self.spans);
        let hashes = super::parallel::map(&all, 64, |&article| {
            let text = articles[article].text.as_str();
            spans[article]
                .as_ref()
                .expect("segmented just above")
                .iter()
                .map(|span| text_hash(&fold_whitespace(&text[span.start..span.end])))
                .collect::<Vec<u64>>()
        });
        let sentences = hashes.iter().map(Vec::len).sum();
        let mut by_text: HashMap<u64, Sentences> =
            HashMap::with_capacity_and_hasher(sentences, FxBuildHasher);
        for (article, hashes) in hashes.into_iter().enumerate() {
            for (i, hash) in hashes.into_iter().enumerate() {
                by_text
                    .entry(hash)
                    .and_modify(|found| match found {
                        Sentences::One(a, j) => {
                            *found = Sentences::Many(vec![(*a, *j), (article, i)])
                        }
                        Sentences::Many(many) => many.push((article, i)),
                    })
                    .or_insert(Sentences::One(article, i));
            }
        }
        self.by_text = Some(by_text);
    }

    /// Segments the articles at `todo` that are not yet, on every core.
    fn prepare_all(&mut self, todo: &[usize]) {
        let todo: Vec<usize> = todo
            .iter()
            .copied()
            .filter(|&i| self.spans[i].is_none())
            .collect();
        let (articles, boundaries) = (self.articles, &self.boundaries);
        let spans = super::parallel::map(&todo, 64, |&i| {
            boundary::sentences(&articles[i], boundaries)
        });
        for (i, spans) in todo.into_iter().zip(spans) {
            self.spans[i] = Some(spans);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::At;

    fn imported(text: &str, article: Option<&str>) -> Imported {
        Imported {
            at: At::Line(1),
            text: text.into(),
            labels: Vec::new(),
            annotator: None,
            article: article.map(str::to_owned),
            sentence_index: None,
            span: None,
        }
    }

    #[test]
    fn text_found_more_than_once_is_not_guessed_at() {
        let articles = [
            Article::plain("a", "Talks resumed. Officials declined to comment."),
            Article::plain(
                "b",
                "Troops moved. Officials  declined\nto comment. Officials declined to comment.",
            ),
        ];
        let mut index = Index::new(&articles);
        let officials = "Officials declined to comment.";
        assert_eq!(
            index.place(&imported(officials, None)),
            Err(Miss::FoundTimes(3))
        );
        assert_eq!(
            index.place(&imported(officials, Some("b"))),
            Err(Miss::FoundTimes(2))
        );
        let (at, span) = index.place(&imported(officials, Some("a"))).unwrap();
        assert_eq!(
            (at, &articles[0].text[span.start..span.end]),
            (0, officials)
        );
        assert_eq!(index.place(&imported("Troops moved.", None)).unwrap().0, 1);
        assert_eq!(
            index.place(&imported("Talks resumed.", Some("c"))),
            Err(Miss::NoSuchArticle("c".into()))
        );
        assert_eq!(
            index.place(&imported("Talks", None)),
            Err(Miss::TextNotFound)
        );
    }

    #[test]
    fn offsets_and_index_win_over_a_repeated_text_and_are_checked() {
        let articles = [Article::plain(
            "b",
            "Troops moved. Officials declined to comment. Officials declined to comment.",
        )];
        let mut index = Index::new(&articles);
        let officials = "Officials declined to comment.";
        let second = articles[0].text.rfind(officials).unwrap();
        let mut by_span = imported(officials, Some("b"));
        by_span.span = Some((second, second + officials.len()));
        assert_eq!(index.place(&by_span).unwrap().1.start, second);
        let mut by_index = imported(officials, Some("b"));
        by_index.sentence_index = Some(1);
        assert_eq!(index.place(&by_index).unwrap().1.start, 14);
        // An index whose sentence has other text falls back to the text, found twice here.
        by_index.sentence_index = Some(0);
        assert_eq!(index.place(&by_index), Err(Miss::FoundTimes(2)));
    }
}
