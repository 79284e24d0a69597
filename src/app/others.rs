//! Other annotators' decisions in the article view: hidden by default (the session's own
//! decisions are what the view is for), shown on a key for comparison.

use super::action::Effect;
use super::navigate::say;
use super::state::State;
use super::vocabulary::Labels;

impl State {
    /// Whether the article view shows the other annotators' labels.
    pub fn shows_others(&self) -> bool {
        self.others_shown
    }

    /// Every other annotator's live, attached labels on `sentence` of the current article,
    /// by annotator name order; empty when none decided it (or the article is not segmented).
    pub fn others_on(&self, sentence: usize) -> Vec<(&str, &Labels)> {
        let article = self.cursor.article;
        let Some(span) = self.sentences.of(article).and_then(|s| s.get(sentence)) else {
            return Vec::new();
        };
        let me = self.model.me();
        self.model
            .annotators()
            .iter()
            .enumerate()
            .filter(|&(i, _)| i as u32 != me)
            .filter_map(|(i, name)| {
                let labels = self.model.labels_of(article, *span, i as u32)?;
                Some((name.as_str(), labels))
            })
            .collect()
    }

    /// Whether another annotator decided `sentence` of the current article otherwise than
    /// the session's annotator (or decided it while the session's annotator has not).
    pub fn others_differ_on(&self, sentence: usize) -> bool {
        let mine = self.annotation(sentence);
        self.others_on(sentence)
            .iter()
            .any(|(_, labels)| mine.is_none_or(|m| !same_set(m, labels)))
    }

    /// How many annotators decided every sentence of `article`; `None` until it is
    /// segmented. An article without sentences is finished by nobody.
    pub fn finishers(&self, article: usize) -> Option<usize> {
        let sentences = self.sentences.of(article)?.len();
        if sentences == 0 {
            return Some(0);
        }
        let mut decided = vec![0usize; self.model.annotators().len()];
        for entry in self.model.of_article(article) {
            if entry.orphan.is_none() && entry.labels.is_some() {
                decided[entry.annotator as usize] += 1;
            }
        }
        Some(decided.iter().filter(|&&n| n >= sentences).count())
    }

    /// Annotators each article should get (`--overlap`).
    pub fn overlap(&self) -> usize {
        self.overlap
    }

    /// Whether `article` should get this annotator next: fewer than `--overlap` annotators
    /// finished it. (An article not yet segmented counts as wanted.)
    pub fn wants_annotator(&self, article: usize) -> bool {
        self.finishers(article).is_none_or(|n| n < self.overlap)
    }

    /// How many articles (of those segmented so far, with sentences) `n` annotators
    /// finished, for every `n` from 0 to the most.
    pub fn finished_histogram(&self) -> Vec<usize> {
        let mut histogram = Vec::new();
        for article in 0..self.articles.len() {
            if self.sentences.of(article).is_none_or(<[_]>::is_empty) {
                continue;
            }
            let n = self.finishers(article).unwrap_or(0);
            if histogram.len() <= n {
                histogram.resize(n + 1, 0);
            }
            histogram[n] += 1;
        }
        histogram
    }

    pub(super) fn toggle_others(&mut self) -> Vec<Effect> {
        self.others_shown = !self.others_shown;
        let text = if !self.others_shown {
            "others' decisions hidden"
        } else if self.model.annotators().len() < 2 {
            "others' decisions shown (no other annotator has decided anything yet)"
        } else {
            "others' decisions shown: ≠ marks a sentence they decided otherwise"
        };
        say(self, text)
    }
}

fn same_set(a: &Labels, b: &Labels) -> bool {
    a.len() == b.len() && a.iter().all(|l| b.contains(l))
}
