//! `stance annotate`.

use std::process::ExitCode;

use crate::cli::AnnotateArgs;

/// Runs `stance annotate`.
pub fn run(_args: &AnnotateArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("stance annotate is not available yet")
}
