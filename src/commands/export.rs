//! `stance export`.

use std::process::ExitCode;

use crate::cli::ExportArgs;

/// Runs `stance export`.
pub fn run(_args: &ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("stance export is not available yet")
}
