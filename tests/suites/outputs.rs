//! The tests of review, stats and export.
//!
//! One test binary for many files, linked once: each file is a module, and `tests/common`
//! is compiled once for all of them.

#[path = "../common/mod.rs"]
mod common;
#[path = "../export_cli.rs"]
mod export_cli;
#[path = "../export_golden.rs"]
mod export_golden;
#[path = "../export_label_none.rs"]
mod export_label_none;
#[path = "../export_resolve.rs"]
mod export_resolve;
#[path = "../export_split.rs"]
mod export_split;
#[path = "../export_support/mod.rs"]
mod export_support;
#[path = "../review_e2e.rs"]
mod review_e2e;
#[path = "../review_preview.rs"]
mod review_preview;
#[path = "../review_state.rs"]
mod review_state;
#[path = "../review_stats.rs"]
mod review_stats;
#[path = "../review_ui.rs"]
mod review_ui;
#[path = "../stats_annotator.rs"]
mod stats_annotator;
#[path = "../stats_cli.rs"]
mod stats_cli;
