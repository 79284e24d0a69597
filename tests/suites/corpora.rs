//! The tests of corpora, segmentation, import and re-attachment.
//!
//! One test binary for many files, linked once: each file is a module, and `tests/common`
//! is compiled once for all of them.

#[path = "../common/mod.rs"]
mod common;
#[path = "../corpus_errors.rs"]
mod corpus_errors;
#[path = "../corpus_filter.rs"]
mod corpus_filter;
#[path = "../corpus_formats.rs"]
mod corpus_formats;
#[path = "../corpus_identity.rs"]
mod corpus_identity;
#[path = "../corpus_metadata_list.rs"]
mod corpus_metadata_list;
#[path = "../export_support/mod.rs"]
mod export_support;
#[path = "../import_files.rs"]
mod import_files;
#[path = "../import_folder.rs"]
mod import_folder;
#[path = "../import_roundtrip.rs"]
mod import_roundtrip;
#[path = "../reattach_e2e.rs"]
mod reattach_e2e;
#[path = "../reattach_index.rs"]
mod reattach_index;
#[path = "../reattach_state.rs"]
mod reattach_state;
#[path = "../segment_cases.rs"]
mod segment_cases;
#[path = "../segment_cli.rs"]
mod segment_cli;
#[path = "../segment_props.rs"]
mod segment_props;
