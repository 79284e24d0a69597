//! The tests of the journal store: writing, reading, locks, workers, boundaries and flags.
//!
//! One test binary for many files, linked once: each file is a module, and `tests/common`
//! is compiled once for all of them.

#[path = "../boundary_commands.rs"]
mod boundary_commands;
#[path = "../boundary_store.rs"]
mod boundary_store;
#[path = "../common/mod.rs"]
mod common;
#[path = "../flag_store.rs"]
mod flag_store;
#[path = "../schema_store.rs"]
mod schema_store;
#[path = "../store_append_all.rs"]
mod store_append_all;
#[path = "../store_full_disk.rs"]
mod store_full_disk;
#[path = "../store_journal.rs"]
mod store_journal;
#[path = "../store_lock.rs"]
mod store_lock;
#[path = "../store_model.rs"]
mod store_model;
#[path = "../store_orphans.rs"]
mod store_orphans;
#[path = "../store_retry.rs"]
mod store_retry;
#[path = "../store_scores.rs"]
mod store_scores;
#[path = "../store_worker.rs"]
mod store_worker;
