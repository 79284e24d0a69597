//! stance: a keyboard-first terminal tool for tagging news sentences with stance labels.

pub mod agree;
pub mod app;
pub mod atomic;
pub mod cli;
pub mod commands;
pub mod corpus;
pub mod export;
pub mod fault;
pub mod schema;
pub mod store;
pub mod terminal;
pub mod ui;
