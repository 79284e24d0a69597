//! The annotation session state machine: state, actions, a pure update, the keymap.
