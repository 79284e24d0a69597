//! Everything that can happen to a session, and what the session asks the outside world to do.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::vocabulary::LabelFilter;
use crate::corpus::Span;
use crate::store::{BoundaryChange, Decision, Event, Remark};

/// One thing that happens to the session. The variants without `strum(disabled)` can be named
/// in the keymap file, by their snake_case name, and the help lists them in this order; the
/// others come from the schema, the mouse, the terminal or the loop.
#[derive(Debug, Clone, PartialEq, Eq, EnumIter, EnumString, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
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
    /// Open the list of articles filtered by a metadata condition typed as FIELD=VALUE
    /// (`*` globs; >=, >, <=, < on numbers and dates), as `--where` takes it.
    FilterMetadata,
    /// Clear the terminal and draw the whole screen again, as after something else wrote on it.
    Redraw,
    /// After another process removed or replaced the label store: write it back at its path
    /// with every decision the session knows (asked once more first).
    RecreateStore,
    /// Show or hide the list of keys.
    Help,
    /// Leave the session; every decision is already on disk.
    Quit,

    /// Toggle (or, with an exclusive schema, set) the label with this index in the schema.
    #[strum(disabled)]
    ToggleLabel(usize),
    /// The terminal now has this many columns and rows.
    #[strum(disabled)]
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// A mouse click at this cell.
    #[strum(disabled)]
    Click {
        /// Column from the left edge, from 0.
        column: u16,
        /// Row from the top edge, from 0.
        row: u16,
    },
    /// The mouse wheel turned: positive scrolls the text up (shows later lines).
    #[strum(disabled)]
    Wheel(i32),
    /// A character typed into the search prompt.
    #[strum(disabled)]
    Type(char),
    /// Text pasted in the terminal: typed into a search or filter prompt, refused elsewhere.
    #[strum(disabled)]
    Paste(String),
    /// Backspace in the search prompt.
    #[strum(disabled)]
    Erase,
    /// Enter in the search prompt.
    #[strum(disabled)]
    Submit,
    /// Escape: close the prompt, the help or a message.
    #[strum(disabled)]
    Cancel,
    /// The journal write with this number is on disk.
    #[strum(disabled)]
    Saved(u64),
    /// The journal write with this number failed.
    #[strum(disabled)]
    SaveFailed {
        /// The write's number from [`Effect::Save`].
        seq: u64,
        /// The error, for the status bar.
        reason: String,
        /// The store was removed, replaced or cut by another process: writing it back
        /// ([`Action::RecreateStore`]) is what lets the decision be saved.
        recreate: bool,
    },
    /// The label store was written back at its path ([`Effect::RecreateStore`]).
    #[strum(disabled)]
    Recreated {
        /// Where the file found at the path was kept, for the status bar; `None` when
        /// nothing was there.
        kept: Option<String>,
    },
    /// Writing the label store back failed; nothing changed.
    #[strum(disabled)]
    RecreateFailed {
        /// The error, for the status bar.
        reason: String,
    },
    /// The number of sentences in the whole corpus, counted in the background.
    #[strum(disabled)]
    CorpusCounted(usize),
    /// The label (or "no stance") picked after `FilterLabel`; picking the one in force drops it.
    #[strum(disabled)]
    FilterBy(LabelFilter),
    /// Sentences of consecutive articles, found in the background, from article `first` on.
    #[strum(disabled)]
    Segmented {
        /// Index of the first article.
        first: usize,
        /// Each article's sentences.
        spans: Vec<Vec<Span>>,
    },
    /// The time now, in Unix milliseconds; the loop sends it about once a second.
    #[strum(disabled)]
    Tick(u64),
    /// Something the loop wants the analyst to know (e.g. the position file could not be
    /// written); shown as an error.
    #[strum(disabled)]
    Notice(String),
    /// Decisions that other sessions appended to the store (another annotator's), in the
    /// order they were made.
    #[strum(disabled)]
    Arrived(Vec<Event>),
    /// Split the current sentence before a word chosen with a word cursor.
    SplitSentence,
    /// Merge the current sentence with the next one of its article.
    MergeSentence,
    /// Move the split's word cursor by this many words.
    #[strum(disabled)]
    MoveWord(isize),
    /// In the article view: show or hide the other annotators' labels of each sentence.
    ShowOthers,
    /// Decide "not a sentence to train on" (neither labels nor a negative) and move on.
    Ignore,
    /// Decide "no stance" on every sentence of the article not decided yet (asks first).
    FinishArticle,
    /// Show every label's guideline in full, with the schema's examples.
    Guidelines,
    /// Go back to the match of the last search before the current sentence.
    SearchPrevious,
    /// Open a prompt for an article's number or id, and go there.
    GoToArticle,
    /// In the review list: show only sentences on which annotators disagree, or all again.
    FilterDisagreements,
    /// In the review list: make the selected row's labels the session annotator's decision
    /// as they are (in `stance adjudicate`, the final answer), and go to the next sentence.
    TakeAnswer,
    /// In the adjudication view: show the annotators' columns from this many further right
    /// (negative: left).
    #[strum(disabled)]
    ScrollColumns(isize),
    /// In the article list: sort by the next order in turn (corpus, lowest agreement first,
    /// needing this annotator first).
    #[strum(disabled)]
    CycleArticleOrder,
    /// Show every metadata field of the current article (the selected row's in the review
    /// list) in full, wrapped and scrollable.
    ShowMetadata,
    /// Flag the current sentence for discussion, or withdraw the flag: not a decision.
    Flag,
    /// Open a prompt for the current sentence's note (Tab there switches to the article's).
    Note,
    /// In the review list: show only flagged sentences, or all again.
    FilterFlagged,
    /// Decide the model's suggestion for the sentence (none suggested is "no stance"),
    /// journaled as an accepted suggestion with its scores, and move on.
    AcceptSuggestion,
    /// The model worker finished training and learned from this much.
    #[strum(disabled)]
    ModelTrained(super::assist::Learned),
    /// The model worker's scores for a sentence.
    #[strum(disabled)]
    Suggested(super::assist::Scored),
    /// Every sentence of the corpus, the one the model is least sure of first (ties in
    /// corpus order), for `--order uncertain`.
    #[strum(disabled)]
    Ranked(Vec<super::state::SentenceKey>),
    /// The model's cross-validated quality on the store's settled annotations.
    #[strum(disabled)]
    ModelEvaluated(super::model_stats::Evaluated),
    /// How the store's live decisions were made: accepted suggestions, and their changes.
    #[strum(disabled)]
    SuggestionShare(super::model_stats::Share),
    /// The search for the sentences of this many annotations whose article id is gone has
    /// started (after the first frame).
    #[strum(disabled)]
    Reattaching(usize),
    /// What that search found: shown at their new places unless decided meanwhile.
    #[strum(disabled)]
    Reattached(super::reattach::Found),
}

/// What the help says an action does, in each view; `None` where the view's help leaves the
/// action out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Description {
    /// In the article view.
    pub article: Option<&'static str>,
    /// In the review list, where some keys mean something else.
    pub review: Option<&'static str>,
}

impl Description {
    /// The same words in both views.
    const fn both(text: &'static str) -> Description {
        Description {
            article: Some(text),
            review: Some(text),
        }
    }

    /// Listed in the article view only.
    const fn article_only(text: &'static str) -> Description {
        Description {
            article: Some(text),
            review: None,
        }
    }

    /// Listed in the review list only.
    const fn review_only(text: &'static str) -> Description {
        Description {
            article: None,
            review: Some(text),
        }
    }

    /// Other words for the review list.
    const fn in_review(self, text: &'static str) -> Description {
        Description {
            review: Some(text),
            ..self
        }
    }
}

impl Action {
    /// The bindable actions, in the order the help lists them.
    pub fn bindable() -> impl Iterator<Item = Action> {
        <Action as strum::IntoEnumIterator>::iter()
    }

    /// The name the keymap file gives this action; `None` for an action no key can be bound to.
    pub fn name(&self) -> Option<&'static str> {
        // `into` panics on a `strum(disabled)` variant: only the iterated ones are named.
        Action::bindable().any(|a| a == *self).then(|| self.into())
    }

    /// The bindable action the keymap file calls `name`.
    pub fn from_name(name: &str) -> Option<Action> {
        name.parse().ok()
    }

    /// What the help says this action does; `None` exactly for the actions no key can be bound
    /// to, which the help never lists.
    pub fn description(&self) -> Option<Description> {
        let description = match self {
            Action::NextSentence => Description::both("next sentence").in_review("next row"),
            Action::PreviousSentence => {
                Description::both("previous sentence").in_review("previous row")
            }
            Action::NextArticle => {
                Description::both("next article").in_review("next article's rows")
            }
            Action::PreviousArticle => {
                Description::both("previous article").in_review("previous article's rows")
            }
            Action::FirstSentence => {
                Description::both("first sentence of the article").in_review("first row")
            }
            Action::LastSentence => {
                Description::both("last sentence of the article").in_review("last row")
            }
            Action::NoStance => {
                Description::both("reviewed, no stance; next").in_review("no stance; next row")
            }
            Action::Clear => {
                Description::both("clear the annotation").in_review("withdraw, or delete orphan")
            }
            Action::NextUnannotated => Description::article_only("next sentence not yet annotated"),
            Action::Confirm => {
                Description::both("confirm as shown; next").in_review("open in its article")
            }
            Action::Undo => Description::both("undo"),
            Action::Redo => Description::both("redo"),
            Action::Search => Description::both("search").in_review("filter by text"),
            Action::SearchNext => {
                Description::both("search again").in_review("next match in the corpus")
            }
            Action::ScrollDown => Description::both("scroll down a page").in_review("page down"),
            Action::ScrollUp => Description::both("scroll up a page").in_review("page up"),
            Action::Review => Description::both("review list / article"),
            Action::Articles => Description::both("list of articles"),
            Action::Stats => Description::both("statistics"),
            Action::FilterLabel => Description::review_only("filter by label"),
            Action::FilterAnnotator => Description::review_only("filter by annotator"),
            Action::FilterOrphaned => Description::review_only("orphaned only / all"),
            Action::ClearFilters => Description::review_only("clear the filters"),
            Action::FilterMetadata => Description::both("articles by metadata (FIELD=VALUE)"),
            Action::Redraw => Description::both("redraw the screen"),
            Action::RecreateStore => Description::both("recreate the store"),
            Action::Help => Description::both("this help"),
            Action::Quit => Description::both("quit (all is saved)"),
            Action::ShowOthers => Description::article_only("others' decisions: show / hide"),
            Action::FinishArticle => {
                Description::article_only("undecided sentences of the article: no stance")
            }
            Action::Ignore => {
                Description::both("ignore (not to train on); next").in_review("ignore; next row")
            }
            Action::Guidelines => Description::both("guidelines in full"),
            Action::GoToArticle => Description::both("go to article"),
            Action::SearchPrevious => {
                Description::both("search backwards").in_review("previous match")
            }
            Action::ToggleLabel(_)
            | Action::Resize { .. }
            | Action::Click { .. }
            | Action::Wheel(_)
            | Action::Type(_)
            | Action::Erase
            | Action::Submit
            | Action::Cancel
            | Action::Saved(_)
            | Action::SaveFailed { .. }
            | Action::Recreated { .. }
            | Action::RecreateFailed { .. }
            | Action::CorpusCounted(_)
            | Action::FilterBy(_)
            | Action::Segmented { .. }
            | Action::Tick(_)
            | Action::Notice(_)
            | Action::Arrived(_)
            | Action::MoveWord(_)
            | Action::Paste(_)
            | Action::ScrollColumns(_)
            | Action::CycleArticleOrder => return None,
            Action::SplitSentence => Description::article_only("split the sentence at a word"),
            Action::MergeSentence => Description::article_only("merge with the next sentence"),
            Action::FilterDisagreements => Description::review_only("disagreements only / all"),
            Action::TakeAnswer => Description::review_only("take this row's labels; next"),
            Action::ShowMetadata => Description::both("fields of the article, in full"),
            Action::Flag => Description::article_only("flag for discussion / unflag"),
            Action::Note => Description::article_only("note on the sentence (Tab: article)"),
            Action::FilterFlagged => Description::review_only("flagged only / all"),
            Action::AcceptSuggestion => {
                Description::article_only("accept the model's suggestion; next")
            }
            Action::ModelTrained(_)
            | Action::Suggested(_)
            | Action::Ranked(_)
            | Action::ModelEvaluated(_)
            | Action::SuggestionShare(_) => return None,
            Action::Reattaching(_) | Action::Reattached(_) => return None,
        };
        Some(description)
    }
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
    /// Hand this decision to the label store, then report `Saved(seq)` or `SaveFailed`.
    Save {
        /// Number of the write, echoed back in the report.
        seq: u64,
        /// What was decided; the store adds the version, fingerprint and time.
        decision: Decision,
    },
    /// Remember where the analyst is, for the next session.
    SavePosition(Position),
    /// Write the label store back at its path with everything it knows, keeping what another
    /// process left there; then report `Recreated` or `RecreateFailed`.
    RecreateStore,
    /// Clear the terminal and draw every cell again.
    Redraw,
    /// End the session.
    Quit,
    /// Hand this boundary override to the label store, then report `Saved(seq)` or
    /// `SaveFailed`, as [`Effect::Save`] does.
    SaveBoundary {
        /// Number of the write, echoed back in the report.
        seq: u64,
        /// The split, merge or withdrawal; the store adds the version, fingerprint and time.
        change: BoundaryChange,
    },
    /// Hand these decisions to the label store as one atomic write (all kept or none), then
    /// report `Saved` or `SaveFailed` for each number.
    SaveAll(Vec<(u64, Decision)>),
    /// Hand this flag or note to the label store, then report `Saved(seq)` or `SaveFailed`,
    /// as [`Effect::Save`] does.
    SaveRemark {
        /// Number of the write, echoed back in the report.
        seq: u64,
        /// The flag, unflag or note; the store adds the version, fingerprint and time.
        remark: Remark,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Keymap;
    use crate::schema::Schema;

    #[test]
    fn every_bindable_action_has_a_description_a_name_and_a_default_key() {
        let file: toml::Table =
            toml::from_str(include_str!("../../data/keymap.toml")).expect("keymap.toml parses");
        let keys = file["keys"].as_table().expect("a [keys] table");
        let keymap = Keymap::default();
        for action in Action::bindable() {
            let description = action.description();
            assert!(description.is_some(), "{action:?} has no description");
            let description = description.unwrap();
            assert!(
                description.article.or(description.review).is_some(),
                "{action:?} is in no view's help"
            );
            let name = action.name().expect("a bindable action has a name");
            assert_eq!(Action::from_name(name), Some(action.clone()));
            assert!(keys.contains_key(name), "{name} is not in data/keymap.toml");
            assert!(
                !keymap.keys_of(&action).is_empty(),
                "{name} has no default key"
            );
        }
        assert_eq!(keys.len(), Action::bindable().count(), "{keys:?}");
    }

    #[test]
    fn internal_actions_have_no_name_and_no_description() {
        for (action, name) in [
            (Action::ToggleLabel(0), "toggle_label"),
            (
                Action::Resize {
                    width: 1,
                    height: 1,
                },
                "resize",
            ),
            (Action::Type('a'), "type"),
            (Action::Cancel, "cancel"),
            (Action::Saved(0), "saved"),
            (Action::Tick(0), "tick"),
            (Action::Notice(String::new()), "notice"),
        ] {
            assert_eq!(action.description(), None, "{action:?}");
            assert_eq!(action.name(), None, "{action:?}");
            assert_eq!(Action::from_name(name), None, "{name}");
            assert!(!Action::bindable().any(|a| a == action), "{action:?}");
        }
    }

    #[test]
    fn the_help_lists_actions_in_declaration_order() {
        let keymap = Keymap::default();
        let bound: Vec<Action> = keymap.bindings().iter().map(|(a, _)| a.clone()).collect();
        assert_eq!(bound, Action::bindable().collect::<Vec<_>>());
        let schema = Schema::default();
        for review in [false, true] {
            let expected: Vec<&str> = Action::bindable()
                .filter_map(|a| {
                    let d = a.description()?;
                    if review { d.review } else { d.article }
                })
                .collect();
            let help = keymap.help_for(&schema, review);
            let shown: Vec<&str> = help[schema.labels.len()..]
                .iter()
                .map(|(_, what)| what.as_str())
                .collect();
            assert_eq!(shown, expected, "review: {review}");
        }
    }
}
