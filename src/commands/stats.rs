//! `stance stats`.

use std::process::ExitCode;

use crate::cli::StatsArgs;

/// Runs `stance stats`.
pub fn run(_args: &StatsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("stance stats is not available yet")
}
