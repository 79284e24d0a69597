//! The numeric kernel of stance's sentence encoder: the BERT forward pass (`bert`) and the
//! weights it reads (`tensors`). A crate of its own so that debug builds, which the tests and
//! the checks run, compile it optimised (`[profile.dev.package.stance-bert]` in the
//! workspace's Cargo.toml): unoptimised, a forward pass is tens of times slower.

pub mod bert;
pub mod tensors;
