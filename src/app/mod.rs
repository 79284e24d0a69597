//! The annotation session state machine: state, actions, a pure update, the keymap.
//!
//! Nothing here touches the terminal or the disk: `update` returns effects that the event
//! loop carries out, so every behaviour can be tested without either.

pub mod action;
pub mod annotations;
mod edit;
pub mod help;
pub mod keymap;
mod keys;
pub mod layout;
mod open;
pub mod paste;
pub mod picker;
mod recreate;
mod review;
pub mod review_list;
mod saving;
pub mod sentences;

pub use action::{Action, Effect, Position};
pub use help::HelpFit;
pub use keymap::{Key, KeyCode, Keymap};
pub mod screen;
mod search;
pub mod state;
pub mod stats_panel;
mod update;
pub mod vocabulary;

pub use keys::action_for;
pub use review_list::{Filter, LabelFilter, Review};
pub use state::{Counts, Cursor, Labels, Message, Mode, SaveState, Setup, State, View};
pub use update::update;
