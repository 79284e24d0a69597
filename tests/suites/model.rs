//! The tests of the model in the loop and suggest.
//!
//! One test binary for many files, linked once: each file is a module, and `tests/common`
//! is compiled once for all of them.

#[path = "../common/mod.rs"]
mod common;
#[path = "../encoder_embed.rs"]
mod encoder_embed;
#[path = "../encoder_pool.rs"]
mod encoder_pool;
#[path = "../encoder_session.rs"]
mod encoder_session;
#[path = "../model_session.rs"]
mod model_session;
#[path = "../model_state.rs"]
mod model_state;
#[path = "../suggest_cli.rs"]
mod suggest_cli;
#[path = "../suggest_encoder.rs"]
mod suggest_encoder;
