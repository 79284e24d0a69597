//! The help text, generated from the keymap and the schema so it never drifts from the keys:
//! what each action does, in the article view and in the review list.

use super::action::Action;
use super::keymap::{Key, Keymap};
use crate::schema::Schema;

impl Keymap {
    /// The help text: one `(keys, what they do)` row per label and bound action.
    pub fn help(&self, schema: &Schema) -> Vec<(String, String)> {
        self.help_for(schema, false)
    }

    /// The help text for the article view, or (`review`) for the review list.
    pub fn help_for(&self, schema: &Schema, review: bool) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = schema
            .labels
            .iter()
            .map(|label| {
                let verb = if schema.exclusive { "set" } else { "toggle" };
                (label.key.to_string(), format!("{verb} {}", label.name))
            })
            .collect();
        for (action, keys) in self.bindings() {
            if keys.is_empty() {
                continue;
            }
            let shown: Vec<String> = keys.iter().map(Key::to_string).collect();
            let what = if review {
                describe_in_review(action)
            } else {
                describe(action)
            };
            let review_only = matches!(
                action,
                Action::FilterLabel
                    | Action::FilterAnnotator
                    | Action::FilterOrphaned
                    | Action::ClearFilters
            );
            let skip = if review {
                *action == Action::NextUnannotated
            } else {
                review_only
            };
            if what.is_empty() || skip {
                continue;
            }
            rows.push((shown.join(" "), what.to_owned()));
        }
        rows
    }
}

/// Bindable actions in the order the help lists them.
pub(super) const HELP_ORDER: [Action; 26] = [
    Action::NextSentence,
    Action::PreviousSentence,
    Action::NextArticle,
    Action::PreviousArticle,
    Action::FirstSentence,
    Action::LastSentence,
    Action::NoStance,
    Action::Clear,
    Action::NextUnannotated,
    Action::Confirm,
    Action::Undo,
    Action::Redo,
    Action::Search,
    Action::SearchNext,
    Action::ScrollDown,
    Action::ScrollUp,
    Action::Review,
    Action::Articles,
    Action::Stats,
    Action::FilterLabel,
    Action::FilterAnnotator,
    Action::FilterOrphaned,
    Action::ClearFilters,
    Action::Redraw,
    Action::Help,
    Action::Quit,
];

/// What an action does, in a few words for the help.
pub fn describe(action: &Action) -> &'static str {
    match action {
        Action::NextSentence => "next sentence",
        Action::PreviousSentence => "previous sentence",
        Action::NextArticle => "next article",
        Action::PreviousArticle => "previous article",
        Action::FirstSentence => "first sentence of the article",
        Action::LastSentence => "last sentence of the article",
        Action::NoStance => "reviewed, no stance; next",
        Action::Clear => "clear the annotation",
        Action::NextUnannotated => "next sentence not yet annotated",
        Action::Confirm => "confirm as shown; next",
        Action::Undo => "undo",
        Action::Redo => "redo",
        Action::Search => "search",
        Action::SearchNext => "search again",
        Action::ScrollDown => "scroll down a page",
        Action::ScrollUp => "scroll up a page",
        Action::Help => "this help",
        Action::Quit => "quit (all is saved)",
        Action::Review => "review list / article",
        Action::Articles => "list of articles",
        Action::Stats => "statistics",
        Action::FilterLabel => "filter by label",
        Action::FilterAnnotator => "filter by annotator",
        Action::FilterOrphaned => "orphaned only / all",
        Action::ClearFilters => "clear the filters",
        Action::Redraw => "redraw the screen",
        _ => "",
    }
}

/// What an action does in the review list, where some keys mean something else.
pub fn describe_in_review(action: &Action) -> &'static str {
    match action {
        Action::NextSentence => "next row",
        Action::PreviousSentence => "previous row",
        Action::NextArticle => "next article's rows",
        Action::PreviousArticle => "previous article's rows",
        Action::FirstSentence => "first row",
        Action::LastSentence => "last row",
        Action::NoStance => "no stance; next row",
        Action::Clear => "withdraw, or delete orphan",
        Action::Confirm => "open in its article",
        Action::Search => "filter by text",
        Action::SearchNext => "next match in the corpus",
        Action::ScrollDown => "page down",
        Action::ScrollUp => "page up",
        other => describe(other),
    }
}
