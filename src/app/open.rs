//! Opening a session: every annotator's annotations indexed once, the session annotator's
//! decisions taken from them, the cursor where they left off; and the sentences of each
//! article taken in as they are found.

use rustc_hash::FxHashMap;

use super::action::Position;
use super::layout::TextLayout;
use super::picker::Picker;
use super::review_list::{Filter, ReviewList};
use super::screen::Screen;
use super::state::{Counts, Cursor, Labels, Message, Mode, Setup, State, View};
use super::stats_panel::SessionClock;
use crate::corpus::Span;
use crate::store::Annotation;

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
        let review = ReviewList::build(&articles, &by_id, &setup.schema, &setup.annotator, events);
        let from_journal = last.map(|e| Position {
            article: e.article().to_owned(),
            start: e.start(),
            end: e.end(),
            ts: e.ts(),
        });
        let mut annotations: Vec<FxHashMap<(usize, usize), Labels>> =
            vec![FxHashMap::default(); count];
        let mut overall = Counts::new(&setup.schema);
        let mut orphaned = 0;
        for entry in review.entries() {
            match (&entry.labels, &entry.orphan) {
                _ if entry.annotator != review.me() => {}
                (Some(labels), None) => {
                    overall.add(&setup.schema, labels, 1);
                    annotations[entry.article].insert((entry.start, entry.end), labels.clone());
                }
                (Some(_), Some(_)) => orphaned += 1,
                (None, _) => {}
            }
        }
        let resume = match (setup.resume, from_journal) {
            (Some(p), Some(j)) => Some(if j.ts > p.ts { j } else { p }),
            (p, j) => p.or(j),
        };
        let mut state = State {
            in_article: Counts::new(&setup.schema),
            articles: setup.articles,
            schema: setup.schema,
            keymap: setup.keymap,
            annotator: setup.annotator,
            store_path: setup.store_path,
            sentences: vec![None; count],
            annotations,
            cursor: Cursor::default(),
            screen: Screen::default(),
            layout: TextLayout::default(),
            layout_of: None,
            scroll: 0,
            help_top: 0,
            mode: Mode::Normal,
            message: None,
            overall,
            orphaned,
            total_sentences: None,
            undo: Vec::new(),
            redo: Vec::new(),
            last_search: None,
            next_seq: 0,
            in_flight: Default::default(),
            unsaved: Default::default(),
            last_error: String::new(),
            saved_any: false,
            quit_when_saved: false,
            view: View::Article,
            review,
            picker: Picker::default(),
            clock: SessionClock::default(),
            read_only: setup.read_only,
            from_review: false,
            segmented: 0,
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
                .set_filter(filter, &state.articles, &state.schema);
        }
        let mut warnings = setup.warnings;
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

    /// Takes an article's sentences (found here or in the background). Stored decisions whose
    /// span is no longer a sentence, or whose text changed, are set aside as orphaned here.
    pub(super) fn install_spans(&mut self, article: usize, spans: Vec<Span>) {
        if self.sentences[article].is_some() {
            return;
        }
        let orphaned = self
            .review
            .check_spans(&self.articles, &self.schema, article, &spans);
        for key in orphaned {
            if let Some(labels) = self.annotations[article].remove(&key) {
                self.overall.add(&self.schema, &labels, -1);
                self.orphaned += 1;
            }
        }
        self.sentences[article] = Some(spans);
        self.segmented += 1;
        if self.segmented == self.articles.len() && self.total_sentences.is_none() {
            let total = self.sentences.iter().flatten().map(Vec::len).sum();
            self.total_sentences = Some(total);
        }
    }
}
