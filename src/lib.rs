//! stance: a keyboard-first terminal tool for tagging news sentences with stance labels.

#![warn(missing_docs)]

pub mod agree;
pub mod app;
pub mod atomic;
pub mod attach;
pub mod boundary;
pub mod cli;
pub mod commands;
pub mod cores;
pub mod corpus;
pub mod escape;
pub mod export;
pub mod fault;
pub mod hash;
pub mod import;
pub mod json_bytes;
pub mod kept_schema;
pub mod model;
pub mod schema;
pub mod special;
pub mod store;
pub mod terminal;
pub mod ui;
