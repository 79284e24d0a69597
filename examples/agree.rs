//! Prints stance's agreement figures for each input file as one JSON line, for the reference
//! checks in tests/interop_agree.
//!
//! `cargo run --example agree -- FILE.json...`, where a file is either label sets,
//! `{"annotators": [..], "labels": [..], "units": [[["label", ..] | null, ..], ..]}`, printed as
//! `{"file", "agreement"}` with the `stance agree --json` object; or one nominal scale,
//! `{"raters": R, "categories": Q, "units": [[category | null, ..], ..]}`, printed as
//! `{"file", "nominal"}` with every coefficient and Cohen's kappa keyed `"a|b"` by rater index.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Context;
use serde::Deserialize;
use serde_json::json;
use stance::agree::{Ratings, nominal::Table};

#[derive(Deserialize)]
#[serde(untagged, deny_unknown_fields)]
enum Input {
    Sets {
        annotators: Vec<String>,
        labels: Vec<String>,
        units: Vec<Vec<Option<Vec<String>>>>,
    },
    Nominal {
        raters: usize,
        categories: usize,
        units: Vec<Vec<Option<usize>>>,
    },
}

/// The figures as `"key": value` for the output line; the agreement goes straight to text, since
/// a `serde_json::Value` would sort its labels by name.
fn figures(input: Input) -> anyhow::Result<String> {
    Ok(match input {
        Input::Sets {
            annotators,
            labels,
            units,
        } => {
            let mut ratings = Ratings::new(annotators, labels)?;
            for (i, unit) in units.into_iter().enumerate() {
                ratings
                    .push_unit(unit)
                    .with_context(|| format!("unit {}", i + 1))?;
            }
            format!(
                "\"agreement\":{}",
                serde_json::to_string(&ratings.agreement())?
            )
        }
        Input::Nominal {
            raters,
            categories,
            units,
        } => {
            let mut table = Table::new(raters, categories);
            for (i, unit) in units.iter().enumerate() {
                table
                    .push_unit(unit)
                    .with_context(|| format!("unit {}", i + 1))?;
            }
            let mut cohen = BTreeMap::new();
            for a in 0..raters {
                for b in a + 1..raters {
                    cohen.insert(format!("{a}|{b}"), table.cohen(a, b));
                }
            }
            let figures = json!({

                "units": table.units(),
                "percent": table.percent(),
                "percent_exact": table.percent_exact(),
                "cohen": cohen,
                "fleiss": table.fleiss(),
                "alpha": table.alpha(),
                "ac1": table.ac1(),
            });
            format!("\"nominal\":{figures}")
        }
    })
}

fn run() -> anyhow::Result<()> {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
        let input: Input = serde_json::from_str(&text)
            .with_context(|| format!("{path}: not an agreement input"))?;
        let figures = figures(input).with_context(|| path.clone())?;
        println!("{{\"file\":{},{figures}}}", json!(path));
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("agree: {err:#}");
            ExitCode::FAILURE
        }
    }
}
