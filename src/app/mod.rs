//! The annotation session state machine: state, actions, a pure update, the keymap.
//!
//! Nothing here touches the terminal or the disk: `update` returns effects that the event
//! loop carries out, so every behaviour can be tested without either.

pub mod action;
mod adjudicate;
pub mod adjudication;
pub mod annotations;
mod article_list;
pub mod article_order;
mod article_view;
pub mod assist;
mod clock;
pub mod colour;
mod edit;
mod finish;
pub mod goto;
pub mod guidelines;
pub mod help;
mod history;
pub mod keymap;
mod keys;
pub mod layout;
pub mod metadata;
pub mod model_stats;
mod navigate;
mod open;
mod others;
pub mod panel;
mod panels;
pub mod paste;
pub mod picker;
pub mod preview;
pub mod reattach;
mod recreate;
pub mod remark;
mod review;
pub mod review_list;
mod saving;
pub mod sentences;

pub use action::{Action, Effect, Position};
pub use help::HelpFit;
pub use keymap::{Key, KeyCode, Keymap};
pub mod query;
pub mod screen;
mod search;
mod split;
pub mod state;
pub mod stats_panel;
mod update;
pub mod vocabulary;

pub use panels::action_for;
pub use review_list::{Filter, LabelFilter, Review};
pub use state::{Counts, Cursor, Labels, Message, Mode, SaveState, Setup, State, View};
pub use update::update;
