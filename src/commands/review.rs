//! `stance review`.

use std::process::ExitCode;

use crate::cli::ReviewArgs;

/// Runs `stance review`.
pub fn run(_args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("stance review is not available yet")
}
