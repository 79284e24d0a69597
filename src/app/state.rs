//! The session's model: the corpus, the analyst's annotations, the cursor and what is shown.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use super::action::{Action, Position};
use super::annotations::Annotations;
use super::article_list::Picker;
use super::clock::SessionClock;
use super::history::History;
use super::keymap::Keymap;
use super::layout::{TextLayout, sanitize};
use super::review_list::{Review, ReviewList};
pub use super::saving::SaveState;
use super::saving::Saving;
use super::screen::Screen;
use super::sentences::Sentences;
use crate::corpus::{Article, Span};
use crate::schema::Schema;
use crate::store::{Event, Overrides, Remarks};

pub use super::vocabulary::{Counts, LabelFilter, Labels, SentenceKey};

/// Lines of context the article pane keeps above and below the current sentence.
pub const SCROLL_OFF: usize = 3;

/// Everything a session starts from.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The corpus's articles, shared with the background counter.
    pub articles: Arc<Vec<Article>>,
    /// The label set.
    pub schema: Schema,
    /// Key bindings.
    pub keymap: Keymap,
    /// Who is annotating: the article view shows their decisions, and only theirs are written.
    pub annotator: String,
    /// The label store's path, as shown in the status bar.
    pub store_path: String,
    /// The current annotations in the store, every annotator's (the review list shows all).
    pub events: Vec<Event>,
    /// Where the analyst was at the end of the last session, if known.
    pub resume: Option<Position>,
    /// Warnings to show when the session opens (corpus, config, keymap).
    pub warnings: Vec<String>,
    /// Open on the review list, with this label filter, instead of the article.
    pub review: Option<LabelFilter>,
    /// Why decisions cannot be written (the store is another session's); `None` when they can.
    pub read_only: Option<String>,
    /// The store's boundary overrides, every annotator's: they correct the sentences.
    pub boundaries: Overrides,
    /// How many annotators each article should get (`--overlap`, at least 1): `Space` prefers
    /// articles that fewer have finished.
    pub overlap: usize,
    /// The store's flags and notes, every annotator's.
    pub remarks: Remarks,
}

impl Setup {
    /// A session by `annotator` on `articles`, its store shown as `store_path`: the
    /// default schema and keys, no stored annotations, nothing to resume, no warnings, the
    /// article view, decisions writable. Set fields on it for anything else.
    pub fn new(articles: Arc<Vec<Article>>, annotator: &str, store_path: &str) -> Setup {
        Setup {
            articles,
            schema: Schema::default(),
            keymap: Keymap::default(),
            annotator: annotator.to_owned(),
            store_path: store_path.to_owned(),
            events: Vec::new(),
            resume: None,
            warnings: Vec::new(),
            review: None,
            read_only: None,
            boundaries: Overrides::default(),
            overlap: 1,
            remarks: Remarks::default(),
        }
    }
}

/// The cursor: an article and a sentence in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    /// Index of the article in the corpus.
    pub article: usize,
    /// Index of the sentence in the article (0 when it has none).
    pub sentence: usize,
}

/// Which screen is under the overlays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// One article, sentence by sentence.
    #[default]
    Article,
    /// The list of saved annotations.
    Review,
    /// The sentences where annotators disagree, each annotator's answer in a column, for a
    /// lead to settle (`stance adjudicate`).
    Adjudicate,
}

/// What the session is doing with the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Reading and deciding.
    Normal,
    /// The help overlay is open.
    Help,
    /// Typing a search.
    Search(String),
    /// Quit was asked with decisions not on disk; quit again to leave anyway.
    ConfirmQuit,
    /// The review list waits for the label key (or the no-stance key) to filter by.
    FilterKey,
    /// Typing the review list's text filter, which applies as it is typed.
    FilterText {
        /// The text filter before, put back by Escape.
        before: String,
    },
    /// The article list is open.
    Articles,
    /// The statistics panel is open.
    Stats,
    /// Choosing where to split the current sentence: before its word with this index (from 1).
    Split {
        /// The word the new sentence starts with, counted from the sentence's first (0).
        word: usize,
    },
    /// Every label's guideline in full is shown, from line `top`.
    Guidelines {
        /// The first line on screen.
        top: usize,
    },
    /// Typing the number or id of an article to go to.
    GoTo(String),
    /// The article's metadata is shown in full, from line `top`.
    Metadata {
        /// The first line on screen.
        top: usize,
    },
    /// Typing a note on the current sentence, or on its article.
    Note {
        /// The note as typed so far.
        text: String,
        /// The note is the article's, not the sentence's.
        article: bool,
    },
}

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What to say.
    pub text: String,
    /// Shown as an error.
    pub error: bool,
}

/// The model of an annotation session.
#[derive(Debug, Clone)]
pub struct State {
    pub(super) articles: Arc<Vec<Article>>,
    pub(super) schema: Schema,
    pub(super) keymap: Keymap,
    pub(super) annotator: String,
    pub(super) store_path: String,
    pub(super) sentences: Sentences,
    /// Every annotator's annotations: the one model the article view, the review list, the
    /// statistics and the counts read.
    pub(super) model: Annotations,
    /// Article index by id, made when the first decision from another session arrives.
    pub(super) article_index: FxHashMap<String, usize>,
    pub(super) cursor: Cursor,
    pub(super) screen: Screen,
    pub(super) layout: TextLayout,
    pub(super) layout_of: Option<(usize, u16)>,
    pub(super) scroll: usize,
    pub(super) help_top: usize,
    pub(super) mode: Mode,
    pub(super) message: Option<Message>,
    /// The decision the status bar names, with the number of the write that will make it
    /// `saved: …` once synced.
    pub(super) feedback: Option<(u64, String)>,
    pub(super) history: History,
    pub(super) last_search: Option<String>,
    pub(super) saving: Saving,
    pub(super) view: View,
    pub(super) review: ReviewList,
    pub(super) picker: Picker,
    pub(super) clock: SessionClock,
    pub(super) read_only: Option<String>,
    pub(super) from_review: bool,
    /// The store's boundary overrides, with the session's own splits and merges.
    pub(super) boundaries: Overrides,
    /// The article view shows the other annotators' labels beside the session's own.
    pub(super) others_shown: bool,
    /// Drawn without colour (`NO_COLOR`).
    pub(super) monochrome: bool,
    /// Annotators each article should get; see [`Setup::overlap`].
    pub(super) overlap: usize,
    /// The origin the session's decisions are journaled with: `adjudicated` in
    /// `stance adjudicate`, else typed.
    pub(super) origin: crate::store::Origin,
    /// Agreement over the model, computed when the statistics panel opens.
    pub(super) agreement: Option<crate::agree::Agreement>,
    /// The adjudication view: disputed sentences, filters, the labels being chosen.
    pub(super) adjudication: super::adjudication::Adjudication,
    /// The store's flags and notes, with the session's own.
    pub(super) remarks: Remarks,
    /// The model's scores for the current sentence and what it learned from.
    pub(super) assist: super::assist::Assist,
    /// The search for annotations whose article id is gone, while it runs.
    pub(super) reattach: super::reattach::Reattach,
}

/// Lines counted per step between keys: a few milliseconds of work, so a key waits little.
const COUNT_STEP: usize = 2048;

impl State {
    /// The sentences of an article, segmenting it the first time.
    pub(super) fn spans(&mut self, article: usize) -> &[Span] {
        if !self.sentences.has(article) {
            let spans = crate::boundary::sentences(&self.articles[article], &self.boundaries);
            self.install_spans(article, spans);
        }
        self.sentences.of(article).unwrap_or_default()
    }

    /// Prepares the current article for display: segmentation, counts, layout.
    pub(super) fn enter_article(&mut self) {
        if self.articles.is_empty() {
            return;
        }
        let article = self.cursor.article;
        let sentence_count = self.spans(article).len();
        self.cursor.sentence = self.cursor.sentence.min(sentence_count.saturating_sub(1));
        self.refresh_layout();
    }

    /// Counts the wrapped lines again when the article or the width changed.
    pub(super) fn refresh_layout(&mut self) {
        if self.articles.is_empty() {
            return;
        }
        let key = (self.cursor.article, self.screen.text.width);
        if self.layout_of == Some(key) {
            return;
        }
        if key.1 == 0 {
            // No terminal size yet: the first resize wraps the text.
            self.layout = TextLayout::default();
            self.layout_of = None;
            self.scroll = 0;
            return;
        }
        let article = self.cursor.article;
        let spans = self.sentences.of(article).unwrap_or_default();
        // Lines are counted as far as the screen needs; the rest in steps between keys.
        self.layout = TextLayout::lazy(spans, key.1);
        self.layout_of = Some(key);
        self.scroll = 0;
        self.keep_cursor_visible();
    }

    /// Moves the review list's selection to `row`, scrolling it as little as needed.
    pub(super) fn select_row(&mut self, row: usize) {
        let height = usize::from(self.screen.list.height).max(1);
        self.review.select(row, height);
        self.segment_selected_row();
    }

    /// Scrolls as little as needed to show the current sentence with up to
    /// [`SCROLL_OFF`] lines of context above and below it (fewer when the pane is short).
    pub(super) fn keep_cursor_visible(&mut self) {
        let height = usize::from(self.screen.text.height).max(1);
        if let Some(article) = self.articles.get(self.cursor.article) {
            let spans = self.sentences.of(self.cursor.article).unwrap_or_default();
            self.layout
                .count_to_sentence(&article.text, spans, self.cursor.sentence, height);
        }
        if let Some(&(first, last)) = self.layout.sentence_lines.get(self.cursor.sentence) {
            let tall = last - first + 1;
            let margin = SCROLL_OFF.min(height.saturating_sub(tall) / 2);
            if tall > height {
                self.scroll = first;
            } else if first < self.scroll + margin {
                self.scroll = first.saturating_sub(margin);
            } else if last + margin >= self.scroll + height {
                self.scroll = last + margin + 1 - height;
            }
        }
        self.clamp_scroll();
    }

    /// Keeps the scroll within the text and lays out the lines it shows; every change of
    /// `scroll` ends here, so the view and clicks always find their lines laid out.
    pub(super) fn clamp_scroll(&mut self) {
        let height = usize::from(self.screen.text.height).max(1);
        if let Some(article) = self.articles.get(self.cursor.article) {
            let spans = self.sentences.of(self.cursor.article).unwrap_or_default();
            let needed = self.scroll.saturating_add(2 * height);
            self.layout.count_to_line(&article.text, spans, needed);
        }
        let lines = self.layout.lines.len();
        self.scroll = self.scroll.min(lines.saturating_sub(height));
        let shown = self.scroll..(self.scroll + height).min(lines);
        let laid_out = self.layout.lines.laid_out();
        if self.articles.is_empty() || (laid_out.start <= shown.start && shown.end <= laid_out.end)
        {
            return;
        }
        // A screenful either side, so moving a line or a sentence seldom wraps again.
        let rows = self.scroll.saturating_sub(height)..self.scroll + 2 * height;
        let article = self.cursor.article;
        let spans = self.sentences.of(article).unwrap_or_default();
        self.layout.show(&self.articles[article].text, spans, rows);
    }

    /// Whether the current article's lines are still being counted (see
    /// [`State::count_more_lines`]).
    pub fn counting_lines(&self) -> bool {
        !self.articles.is_empty() && self.layout_of.is_some() && !self.layout.is_counted()
    }

    /// Counts another step of the current article's lines, for the loop to call while no key
    /// is waiting: the scroll position and the end of the text become exact.
    pub fn count_more_lines(&mut self) {
        let Some(article) = self.articles.get(self.cursor.article) else {
            return;
        };
        let spans = self.sentences.of(self.cursor.article).unwrap_or_default();
        self.layout.count_more(&article.text, spans, COUNT_STEP);
    }

    /// The position of the cursor, for the position file.
    pub fn position(&self) -> Option<Position> {
        let article = self.articles.get(self.cursor.article)?;
        let span = self.current_span()?;
        Some(Position {
            article: article.id.clone(),
            start: span.start,
            end: span.end,
            ts: 0,
        })
    }

    /// The span of the current sentence, if the article has any.
    pub fn current_span(&self) -> Option<Span> {
        self.sentences
            .of(self.cursor.article)?
            .get(self.cursor.sentence)
            .copied()
    }

    /// The session annotator's decision on a sentence of the current article: `None` when
    /// not annotated.
    pub fn annotation(&self, sentence: usize) -> Option<&Labels> {
        self.annotation_at(self.cursor.article, sentence)
    }

    /// The session annotator's decision on any sentence whose article is already segmented.
    pub fn annotation_at(&self, article: usize, sentence: usize) -> Option<&Labels> {
        let span = self.sentences.of(article)?.get(sentence)?;
        self.model.labels_of(article, *span, self.model.me())
    }

    /// True when the decision on this sentence of the current article failed to save.
    pub fn is_unsaved(&self, sentence: usize) -> bool {
        let Some(span) = self
            .sentences
            .of(self.cursor.article)
            .and_then(|s| s.get(sentence))
        else {
            return false;
        };
        self.saving
            .is_unsaved(&(self.cursor.article, span.start, span.end))
    }

    /// Whether the decisions are on disk.
    pub fn save_state(&self) -> SaveState {
        self.saving.state()
    }

    /// What quit asks while decisions are not on disk, longest wording first: the status bar
    /// shows the longest that fits.
    pub fn quit_question(&self) -> [String; 5] {
        let n = self.saving.unsaved();
        let key = self.keymap.keys_of(&Action::Quit).first().map_or_else(
            || super::keymap::INTERRUPT.to_string(),
            |key| sanitize(&key.to_string()),
        );
        [
            format!("{n} decision(s) NOT SAVED: press {key} again to leave anyway"),
            format!("{n} NOT SAVED: {key} again leaves anyway"),
            format!("{n} NOT SAVED: {key} again quits"),
            format!("NOT SAVED: {key} again quits"),
            format!("{key} again quits"),
        ]
    }

    /// The article under the cursor (`None` for an empty corpus).
    pub fn article(&self) -> Option<&Article> {
        self.articles.get(self.cursor.article)
    }

    /// Number of articles in the corpus.
    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    /// Number of sentences in the current article.
    pub fn sentence_count(&self) -> usize {
        self.sentences.of(self.cursor.article).map_or(0, <[_]>::len)
    }

    /// Where the cursor is.
    pub fn cursor(&self) -> Cursor {
        self.cursor
    }
    /// The label set.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }
    /// The key bindings.
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }
    /// Who is annotating.
    pub fn annotator(&self) -> &str {
        &self.annotator
    }
    /// The label store's path, for display.
    pub fn store_path(&self) -> &str {
        &self.store_path
    }
    /// The pane geometry for the current terminal size.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }
    /// The current article's text wrapped to the text pane.
    pub fn layout(&self) -> &TextLayout {
        &self.layout
    }
    /// The first visual line shown in the text pane.
    pub fn scroll(&self) -> usize {
        self.scroll
    }
    /// What the keyboard is doing.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }
    /// The status message, if any.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }
    /// The session annotator's decisions across the corpus.
    pub fn overall(&self) -> &Counts {
        &self.model.counts()[self.model.me() as usize]
    }
    /// The session annotator's decisions in the current article.
    pub fn in_article(&self) -> Counts {
        self.model
            .counts_in(&self.schema, self.cursor.article, self.model.me())
    }
    /// The session annotator's stored decisions that no longer match a sentence (seen so
    /// far).
    pub fn orphaned(&self) -> usize {
        self.model.orphans_of(self.model.me())
    }
    /// Every annotator's annotations.
    pub fn annotations(&self) -> &Annotations {
        &self.model
    }
    /// Sentences in the corpus, once the background count has arrived.
    pub fn total_sentences(&self) -> Option<usize> {
        self.sentences.total()
    }
    /// The articles, shared (the background counter reads them).
    pub fn articles(&self) -> &Arc<Vec<Article>> {
        &self.articles
    }
    /// Which screen is shown under the overlays.
    pub fn view(&self) -> View {
        self.view
    }
    /// The review list, with the entries its rows show.
    pub fn review(&self) -> Review<'_> {
        Review {
            list: &self.review,
            model: &self.model,
        }
    }
    /// The article list.
    pub fn picker(&self) -> &Picker {
        &self.picker
    }
    /// The boundary overrides the session's sentences are corrected by.
    pub fn boundaries(&self) -> &Overrides {
        &self.boundaries
    }
    /// Whether a split or merge changed a boundary of this sentence of the current article.
    pub fn boundary_changed(&self, sentence: usize) -> bool {
        let (Some(article), Some(span)) = (
            self.article(),
            self.sentences
                .of(self.cursor.article)
                .and_then(|s| s.get(sentence)),
        ) else {
            return false;
        };
        self.boundaries
            .of(&article.id)
            .filter(|o| crate::boundary::fits(&article.text, o))
            .any(|o| {
                // A split's first part ends before the space in front of the offset.
                let up_to = article.text.get(span.end..o.at);
                span.start <= o.at
                    && (o.at <= span.end || up_to.is_some_and(|t| t.trim().is_empty()))
            })
    }
    /// How many annotations whose article id is gone are being searched for, while the
    /// search runs.
    pub fn reattaching(&self) -> Option<usize> {
        self.reattach.searching
    }
    /// Why decisions cannot be written, when they cannot.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }
    /// The session annotator's decisions in an article, and its sentence count once known.
    pub fn article_progress(&self, article: usize) -> (usize, Option<usize>) {
        let sentences = self.sentences.of(article).map(<[_]>::len);
        let mine = self
            .model
            .of_article(article)
            .filter(|e| e.annotator == self.model.me() && e.orphan.is_none())
            .filter(|e| e.labels.is_some())
            .count();
        (mine, sentences)
    }
}
