//! `stance adjudicate`: a lead settles the sentences where annotators disagree.

use std::process::ExitCode;

use crate::cli::AnnotateArgs;

/// Runs `stance adjudicate`: the review list of disputed sentences, whose decisions are the
/// session annotator's with origin `adjudicated`.
pub fn run(args: &AnnotateArgs) -> anyhow::Result<ExitCode> {
    super::annotate::session_as(args, Some(None), true)
}
