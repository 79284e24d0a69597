//! Opening a session: every annotator's annotations indexed once, the session annotator's
//! decisions taken from them, the cursor where they left off; and the sentences of each
//! article taken in as they are found.

use rustc_hash::FxHashMap;

use super::action::Position;
use super::annotations::Annotations;
use super::article_list::Picker;
use super::clock::SessionClock;
use super::history::History;
use super::layout::TextLayout;
use super::review_list::{Filter, ReviewList};
use super::screen::Screen;
use super::sentences::Sentences;
use super::state::{Cursor, Message, Mode, Setup, State, View};
use crate::corpus::Span;
use crate::store::Annotation;

/// How many articles a resumed session looks through for the next undecided sentence: a
/// bound on the segmenting done before the first frame, when the rest is all decided.
pub const RESUME_LOOKAHEAD: usize = 64;

impl State {
    /// Opens a session on `setup.events`: loads the annotator's decisions and puts the cursor
    /// where they left off.
    pub fn new(mut setup: Setup) -> State {
        let events = std::mem::take(&mut setup.events);
        State::with_events(setup, events.iter().map(Annotation::from))
    }

    /// Opens a session on annotations borrowed from the store (`setup.events` is not read),
    /// so a large store is indexed without being copied first.
    pub fn with_events<'e>(
        setup: Setup,
        events: impl IntoIterator<Item = Annotation<'e>>,
    ) -> State {
        let articles = std::sync::Arc::clone(&setup.articles);
        let count = articles.len();
        let by_id: FxHashMap<&str, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut last: Option<Annotation> = None;
        let events = events.into_iter().inspect(|event| {
            if event.annotator() == setup.annotator && last.is_none_or(|l| event.ts() >= l.ts()) {
                last = Some(*event);
            }
        });
        let model = Annotations::build(&articles, &by_id, &setup.schema, &setup.annotator, events);
        let review = ReviewList::new(&model);
        let from_journal = last.map(|e| Position {
            article: e.article().to_owned(),
            start: e.start(),
            end: e.end(),
            ts: e.ts(),
        });
        let resume = match (setup.resume, from_journal) {
            (Some(p), Some(j)) => Some(if j.ts > p.ts { j } else { p }),
            (p, j) => p.or(j),
        };
        let mut state = State {
            articles: setup.articles,
            schema: setup.schema,
            keymap: setup.keymap,
            annotator: setup.annotator,
            store_path: setup.store_path,
            sentences: Sentences::new(count),
            model,
            article_index: Default::default(),
            cursor: Cursor::default(),
            screen: Screen::default(),
            layout: TextLayout::default(),
            layout_of: None,
            scroll: 0,
            help_top: 0,
            mode: Mode::Normal,
            message: None,
            feedback: None,
            history: History::default(),
            last_search: None,
            saving: Default::default(),
            view: View::Article,
            review,
            picker: Picker::default(),
            clock: SessionClock::default(),
            read_only: setup.read_only,
            from_review: false,
            boundaries: setup.boundaries,
            others_shown: false,
            monochrome: false,
            overlap: setup.overlap.max(1),
            origin: crate::store::Origin::Typed,
            agreement: None,
            adjudication: Default::default(),
            remarks: setup.remarks,
            assist: Default::default(),
            reattach: Default::default(),
        };
        if let Some(p) = resume
            && let Some(&article) = by_id.get(p.article.as_str())
        {
            let spans = state.spans(article);
            let sentence = spans
                .iter()
                .position(|s| s.start == p.start && s.end == p.end)
                .or_else(|| spans.iter().position(|s| s.end > p.start))
                .unwrap_or(0);
            state.cursor = Cursor { article, sentence };
            state.cursor = state.undecided_from(state.cursor);
        }
        state.enter_article();
        if let Some(label) = setup.review {
            state.view = View::Review;
            let filter = Filter {
                label,
                ..Filter::default()
            };
            state
                .review
                .set_filter(filter, &state.model, &state.articles, &state.schema);
        }
        let mut warnings = setup.warnings;
        let stale = crate::boundary::stale(&state.articles, &state.boundaries).len();
        if stale > 0 {
            warnings.push(format!(
                "{stale} boundary override(s) no longer fit their article text and are ignored"
            ));
        }
        warnings.extend(state.keymap.conflicts(&state.schema));
        if let Some(first) = warnings.first() {
            let more = match warnings.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            state.message = Some(Message {
                text: format!("{first}{more}"),
                error: true,
            });
        }
        state
    }

    /// Where a resumed session opens: `from` itself when the session's annotator has not
    /// decided it, else the next sentence after it they have not decided, looking at most
    /// [`RESUME_LOOKAHEAD`] articles ahead (each is segmented to look), else `from`.
    fn undecided_from(&mut self, from: Cursor) -> Cursor {
        let me = self.model.me();
        let last = self.articles.len().min(from.article + RESUME_LOOKAHEAD);
        for article in from.article..last {
            let first = if article == from.article {
                from.sentence
            } else {
                0
            };
            let spans = self.spans(article).to_vec();
            let found = (first..spans.len())
                .find(|&i| self.model.labels_of(article, spans[i], me).is_none());
            if let Some(sentence) = found {
                return Cursor { article, sentence };
            }
        }
        from
    }

    /// Changes an entry of the model and keeps the review list's rows in step: a row stays
    /// where it is (counted as edited out if it no longer passes the filter).
    pub(super) fn change_entry(
        &mut self,
        id: u32,
        insert: Insert,
        edit: impl FnOnce(&mut super::annotations::Entry),
    ) {
        let before = self
            .review
            .before(&self.model, id, &self.articles, &self.schema);
        self.model.change(&self.schema, id, edit);
        self.after_change(id, Some(before), insert);
    }

    /// The review list's part of a change to entry `id` of the model; `before` is how it
    /// stood, `None` for a new entry.
    pub(super) fn after_change(
        &mut self,
        id: u32,
        before: Option<super::review_list::Before>,
        insert: Insert,
    ) {
        let (model, articles, schema) = (&self.model, &self.articles, &self.schema);
        if let Some(before) = before {
            self.review.changed(model, id, before, articles, schema);
        }
        if self.review.row_of(model, id).is_none() {
            match insert {
                Insert::Always => self.review.offer(model, id, true, articles, schema),
                Insert::IfMatches => self.review.offer(model, id, false, articles, schema),
                Insert::Never => {}
            }
        }
    }

    /// Takes in decisions other sessions appended to the store, in order.
    pub(super) fn take_arrivals(&mut self, events: &[crate::store::Event]) {
        if self.article_index.is_empty() && !self.articles.is_empty() {
            self.article_index = self
                .articles
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id.clone(), i))
                .collect();
        }
        for event in events {
            let found = self.article_index.get(event.article.as_str()).copied();
            let article = found.map(|i| {
                let spans = self.sentences.of(i);
                (i, self.articles[i].text.as_str(), spans)
            });
            let arrival = self
                .model
                .arrival(&self.schema, article, Annotation::from(event));
            if let Some(at) = arrival.added {
                self.review.annotator_added(at);
            }
            let before = arrival.existing.map(|id| {
                self.review
                    .before(&self.model, id, &self.articles, &self.schema)
            });
            if let Some(id) = self.model.put(&self.schema, arrival) {
                let insert = match before {
                    Some(_) => Insert::Never,
                    None => Insert::IfMatches,
                };
                self.after_change(id, before, insert);
            }
        }
    }

    /// Takes an article's sentences (found here or in the background). Stored decisions whose
    /// span is no longer a sentence, or whose text changed, are set aside as orphaned here.
    pub(super) fn install_spans(&mut self, article: usize, spans: Vec<Span>) {
        if self.sentences.has(article) {
            return;
        }
        for (id, mut orphan) in self.model.check_spans(&self.articles, article, &spans) {
            orphan.reason = self.boundary_reason(article, &spans, &orphan, id);
            self.change_entry(id, Insert::IfMatches, |entry| entry.orphan = Some(orphan));
        }
        self.sentences.install(article, spans);
    }

    /// The reason of an orphan of `article` found against `spans`, told apart when a split or
    /// merge made it one.
    pub(super) fn boundary_reason(
        &self,
        article: usize,
        spans: &[Span],
        orphan: &super::annotations::Orphan,
        id: u32,
    ) -> super::annotations::OrphanReason {
        let a = &self.articles[article];
        let entry = self.model.entry(id);
        crate::boundary::refine(
            orphan.reason,
            (&a.text, spans),
            self.boundaries.of(&a.id),
            (entry.start, entry.end),
        )
    }
}

/// Whether an entry that is not among the review list's rows becomes one after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Insert {
    /// Yes: the reviewer made it from the list, so it must stay in sight.
    Always,
    /// When it passes the filter.
    IfMatches,
    /// No: the rows change only when the filter does.
    Never,
}
