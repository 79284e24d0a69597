//! `stance store copy FROM TO`: one summary line on stderr (or a JSON object on stdout).

use std::process::ExitCode;

use crate::cli::CopyArgs;
use crate::escape;
use crate::store::{self, SchemaCopy};

/// Runs `stance store copy`, saying how many events were read, added and already there.
pub fn run(args: &CopyArgs) -> anyhow::Result<ExitCode> {
    let done = store::copy(&args.from, &args.to, args.dry_run)?;
    if args.json {
        let summary = serde_json::json!({
            "from": done.from,
            "to": done.to,
            "dry_run": args.dry_run,
            "read": done.read,
            "added": done.added,
            "already": done.already,
            "added_per_annotator": done.per_annotator,
            "torn_line_skipped": done.torn_skipped,
            "schema": match done.schema {
                SchemaCopy::None => "none",
                SchemaCopy::Same => "same",
                SchemaCopy::Copied => "copied",
            },
        });
        println!("{summary}");
    }
    let (verb, added) = if args.dry_run {
        ("would copy", "would be added")
    } else {
        ("copied", "added")
    };
    let schema = match (done.schema, args.dry_run) {
        (SchemaCopy::Copied, false) => "; the kept schema was copied",
        (SchemaCopy::Copied, true) => "; the kept schema would be copied",
        _ => "",
    };
    eprintln!(
        "{verb} {} to {}: {} events read, {} {added}, {} already there{schema}{}",
        escape::escape(&done.from),
        escape::escape(&done.to),
        done.read,
        done.added,
        done.already,
        if args.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        },
    );
    if done.torn_skipped {
        eprintln!(
            "stance: warning: a journal of {} ends in a line cut short by a crash (not a \
             decision): it was not copied",
            escape::escape(&done.from)
        );
    }
    Ok(ExitCode::SUCCESS)
}
