//! One module per subcommand: each turns validated settings into work and output.

pub mod adjudicate;
pub mod agree;
pub mod annotate;
pub mod export;
pub mod import;
pub mod review;
pub mod segment;
pub mod stats;
pub mod store;
pub mod suggest;
