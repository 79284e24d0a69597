//! `stance review`: the session opened on the review list, optionally filtered by a label.

use std::process::ExitCode;

use crate::cli::ReviewArgs;

/// Runs `stance review`.
pub fn run(args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    super::annotate::session(&args.session, Some(args.label.as_deref()))
}
