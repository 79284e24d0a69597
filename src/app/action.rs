//! Everything that can happen to a session, and what the session asks the outside world to do.

use serde::{Deserialize, Serialize};

use super::review_list::LabelFilter;
use crate::corpus::Span;
use crate::store::Event;

/// One thing that happens to the session. The variants without `serde(skip)` can be named in
/// the keymap file; the others come from the schema, the mouse, the terminal or the loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Move to the next sentence, into the next article at the end of one.
    NextSentence,
    /// Move to the previous sentence, into the previous article at the start of one.
    PreviousSentence,
    /// Move to the first sentence of the next article.
    NextArticle,
    /// Move to the first sentence of the previous article.
    PreviousArticle,
    /// Move to the first sentence of this article.
    FirstSentence,
    /// Move to the last sentence of this article.
    LastSentence,
    /// Decide "reviewed, no stance" (an empty label set) and move on.
    NoStance,
    /// Withdraw the sentence's annotation.
    Clear,
    /// Move to the next sentence nobody has decided yet, across articles.
    NextUnannotated,
    /// Decide the labels shown (none means no stance) and move on.
    Confirm,
    /// Put back the sentence as it was before the last decision, wherever it was.
    Undo,
    /// Do again the decision that the last undo took back.
    Redo,
    /// Open the search prompt.
    Search,
    /// Repeat the last search from the current sentence.
    SearchNext,
    /// Scroll the article down a page without moving the cursor.
    ScrollDown,
    /// Scroll the article up a page without moving the cursor.
    ScrollUp,
    /// Show or hide the list of keys.
    Help,
    /// Leave the session; every decision is already on disk.
    Quit,
    /// Switch between the article and the review list, each where it was left.
    Review,
    /// Open the list of articles, filtered as you type.
    Articles,
    /// Show or hide the label distribution, the annotators and the session's pace.
    Stats,
    /// In the review list: filter by the label whose key comes next (or the no-stance key).
    FilterLabel,
    /// In the review list: filter by the next annotator in turn, then none.
    FilterAnnotator,
    /// In the review list: show only orphaned annotations, or all again.
    FilterOrphaned,
    /// In the review list: drop every filter.
    ClearFilters,
    /// Clear the terminal and draw the whole screen again, as after something else wrote on it.
    Redraw,

    /// Toggle (or, with an exclusive schema, set) the label with this index in the schema.
    #[serde(skip)]
    ToggleLabel(usize),
    /// The terminal now has this many columns and rows.
    #[serde(skip)]
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// A mouse click at this cell.
    #[serde(skip)]
    Click {
        /// Column from the left edge, from 0.
        column: u16,
        /// Row from the top edge, from 0.
        row: u16,
    },
    /// The mouse wheel turned: positive scrolls the text up (shows later lines).
    #[serde(skip)]
    Wheel(i32),
    /// A character typed into the search prompt.
    #[serde(skip)]
    Type(char),
    /// Text pasted in the terminal: typed into a search or filter prompt, refused elsewhere.
    #[serde(skip)]
    Paste(String),
    /// Backspace in the search prompt.
    #[serde(skip)]
    Erase,
    /// Enter in the search prompt.
    #[serde(skip)]
    Submit,
    /// Escape: close the prompt, the help or a message.
    #[serde(skip)]
    Cancel,
    /// The journal write with this number is on disk.
    #[serde(skip)]
    Saved(u64),
    /// The journal write with this number failed.
    #[serde(skip)]
    SaveFailed {
        /// The write's number from [`Effect::Save`].
        seq: u64,
        /// The error, for the status bar.
        reason: String,
    },
    /// The number of sentences in the whole corpus, counted in the background.
    #[serde(skip)]
    CorpusCounted(usize),
    /// The label (or "no stance") picked after `FilterLabel`; picking the one in force drops it.
    #[serde(skip)]
    FilterBy(LabelFilter),
    /// Sentences of consecutive articles, found in the background, from article `first` on.
    #[serde(skip)]
    Segmented {
        /// Index of the first article.
        first: usize,
        /// Each article's sentences.
        spans: Vec<Vec<Span>>,
    },
    /// The time now, in Unix milliseconds; the loop sends it about once a second.
    #[serde(skip)]
    Tick(u64),
    /// Something the loop wants the analyst to know (e.g. the position file could not be
    /// written); shown as an error.
    #[serde(skip)]
    Notice(String),
}

/// Where an analyst is in a corpus, kept across sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The article's id.
    pub article: String,
    /// Byte offset of the sentence in the article text.
    pub start: usize,
    /// Byte offset one past the sentence's end.
    pub end: usize,
    /// Unix time in milliseconds when it was written (0 until the loop stamps it).
    #[serde(default)]
    pub ts: u64,
}

/// Work for the event loop: the state machine never writes anything itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Append this event to the label store, then report `Saved(seq)` or `SaveFailed`.
    Save {
        /// Number of the write, echoed back in the report.
        seq: u64,
        /// The journal line; its `ts` is stamped by the loop.
        event: Event,
    },
    /// Remember where the analyst is, for the next session.
    SavePosition(Position),
    /// Clear the terminal and draw every cell again.
    Redraw,
    /// End the session.
    Quit,
}
