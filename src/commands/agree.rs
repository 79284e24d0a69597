//! `stance agree`: how well the annotators agree, per label and on the label set, as a
//! readable table (with the reason for every coefficient left undefined) or one JSON object.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;

use crate::agree::units::Units;
use crate::agree::{Agreement, Coefficient};
use crate::cli::AgreeArgs;
use crate::corpus;
use crate::escape::escape;
use crate::store::Store;

/// Runs `stance agree`.
pub fn run(args: &AgreeArgs) -> anyhow::Result<ExitCode> {
    let corpus = corpus::open(&args.corpus.spec())?;
    for warning in &corpus.warnings {
        eprintln!("stance: warning: {}", escape(warning));
    }
    let (_, store, schema) =
        super::read_store(args.labels.as_deref(), args.schema.as_deref(), &corpus)?;
    // The sentences every subcommand sees: the store's boundary overrides applied.
    let boundaries = store.boundaries();
    let spans = super::stats::on_every_core(&corpus.articles, |article| {
        crate::boundary::sentences(article, boundaries)
    });
    // An article left out by `--where` is not compared.
    let shown = store.annotations().filter(|e| !corpus.hides(e.article()));
    let units = Units::collect(&corpus.articles, &spans, shown);
    let mut labels: Vec<String> = schema.labels.iter().map(|l| l.name.clone()).collect();
    labels.extend(units.other_labels(&labels));
    let chosen = (!args.annotator.is_empty()).then_some(args.annotator.as_slice());
    let agreement = units
        .ratings(chosen, labels)
        .context("--annotator")?
        .agreement();
    let mut out = io::stdout().lock();
    if args.json {
        let json = serde_json::to_string(&agreement)?;
        writeln!(out, "{}", crate::escape::json(&json))?;
    } else {
        write_table(&agreement, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the figures as a table of three decimals, `-` where a coefficient is undefined,
/// followed by why each one is.
pub fn write_table(agreement: &Agreement, out: &mut impl Write) -> io::Result<()> {
    let names: Vec<String> = agreement
        .annotators
        .iter()
        .map(|n| escape(n).into_owned())
        .collect();
    writeln!(out, "annotators {}", names.join(", "))?;
    writeln!(
        out,
        "units      {} (sentences with decisions from two or more of them)",
        agreement.units
    )?;
    let mut header = vec![
        "label".to_owned(),
        "units".to_owned(),
        "percent".to_owned(),
        "fleiss".to_owned(),
        "alpha".to_owned(),
        "ac1".to_owned(),
    ];
    if let Some(first) = agreement.labels.first() {
        header.extend(
            first
                .cohen
                .iter()
                .map(|p| format!("cohen {}", escape(&p.pair))),
        );
    }
    let mut rows = vec![header];
    let mut undefined: Vec<String> = Vec::new();
    let mut cell = |label: &str, figure: &str, c: Coefficient| match c {
        Coefficient::Value(v) => format!("{v:.3}"),
        Coefficient::Undefined(why) => {
            undefined.push(format!("  {label} {figure}: {why}"));
            "-".to_owned()
        }
    };
    for label in &agreement.labels {
        let name = escape(&label.label).into_owned();
        let mut row = vec![
            name.clone(),
            label.units.to_string(),
            cell(&name, "percent", label.percent),
            cell(&name, "fleiss", label.fleiss),
            cell(&name, "alpha", label.alpha),
            cell(&name, "ac1", label.ac1),
        ];
        for pair in &label.cohen {
            row.push(cell(
                &name,
                &format!("cohen {}", escape(&pair.pair)),
                pair.kappa,
            ));
        }
        rows.push(row);
    }
    let set = &agreement.set;
    let exact = cell("label set", "percent exact", set.percent_exact);
    let masi = cell("label set", "alpha (MASI)", set.alpha_masi);
    write_rows(out, &rows)?;
    writeln!(
        out,
        "label set  {} units, exact agreement {exact}, alpha (MASI) {masi}",
        set.units
    )?;
    if !undefined.is_empty() {
        writeln!(out, "undefined (- above):")?;
        for line in &undefined {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// Left-aligned columns two spaces apart, padded by characters (names are escaped already).
fn write_rows(out: &mut impl Write, rows: &[Vec<String>]) -> io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, text) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            line.push_str(text);
            if c + 1 < row.len() {
                line.push_str(&" ".repeat(widths[c] - text.chars().count()));
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
