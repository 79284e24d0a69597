//! `stance segment`.

use std::process::ExitCode;

use crate::cli::SegmentArgs;

/// Runs `stance segment`.
pub fn run(_args: &SegmentArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("stance segment is not available yet")
}
