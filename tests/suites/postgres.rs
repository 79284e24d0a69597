//! The tests of the PostgreSQL store and copies between stores.
//!
//! One test binary for many files, linked once: each file is a module, and `tests/common`
//! is compiled once for all of them.

#[path = "../common/mod.rs"]
mod common;
#[path = "../pg_concurrent.rs"]
mod pg_concurrent;
#[path = "../pg_read.rs"]
mod pg_read;
#[path = "../pg_side.rs"]
mod pg_side;
#[path = "../pg_store.rs"]
mod pg_store;
#[path = "../pg/support.rs"]
mod pg_support;
#[path = "../pg_tls.rs"]
mod pg_tls;
#[path = "../store_copy.rs"]
mod store_copy;
