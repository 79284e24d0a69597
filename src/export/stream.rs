//! The export loop: articles in corpus order, sentences in text order, one record at a time.

use std::io::Write;

use rustc_hash::FxHashMap;

use super::record::{Context, MetaValues, Record, Verdict, fold_whitespace};
use super::resolve::{Decision, Resolution, Resolve, conflicting, resolve};
use super::summary::Summary;
use super::{
    ExportError, Format, LabelSet, OnlyLabel, Options, csv, doccano, jsonl, prodigy, spacy,
};
use crate::attach::{Orphan, attach_annotation};
use crate::boundary;
use crate::corpus::{Article, Span};
use crate::store::{self, IGNORE, Op};

/// Writes the annotated sentences of `articles` (in their order) to `out` in the chosen
/// format, and counts what was written and left out. Flushes `out` but does not sync it.
/// `annotations` is gone through twice.
pub fn export<'a, W: Write>(
    articles: impl IntoIterator<Item = &'a Article>,
    annotations: impl IntoIterator<Item = store::Annotation<'a>, IntoIter: Clone>,
    options: &Options,
    out: W,
) -> Result<Summary, ExportError> {
    let wanted = |event: &store::Annotation| {
        event.op() != Op::Clear
            && match &options.resolve {
                Resolve::Annotator(name) => event.annotator() == name,
                _ => true,
            }
    };
    let annotations = annotations.into_iter().filter(wanted);
    // Views of two words each, not copies, in lists counted first so that each is
    // allocated once at its size: the export's own memory stays small.
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for event in annotations.clone() {
        *counts.entry(event.article()).or_default() += 1;
    }
    let mut by_article: FxHashMap<&str, Vec<store::Annotation>> = counts
        .into_iter()
        .map(|(article, n)| (article, Vec::with_capacity(n)))
        .collect();
    for event in annotations {
        by_article
            .get_mut(event.article())
            .expect("counted above")
            .push(event);
    }
    let mut summary = Summary::default();
    let mut sink = Sink::new(out, options)?;
    let mut attached: Vec<(usize, store::Annotation)> = Vec::new();
    let mut group: Vec<store::Annotation> = Vec::new();
    let mut meta_values: Vec<Option<&str>> = Vec::new();
    for article in articles {
        let events = by_article.remove(article.id.as_str()).unwrap_or_default();
        if events.is_empty() && !options.include_unlabeled {
            continue;
        }
        let spans = boundary::sentences(article, &options.boundaries);
        attached.clear();
        for event in events {
            match attach_annotation(Some((&article.text, &spans)), event) {
                Ok(index) => attached.push((index, event)),
                Err(why) => summary.orphan(why),
            }
        }
        attached.sort_by_key(|&(index, _)| index);
        let split = options.split.map(|s| s.assign(&article.id));
        meta_values.clear();
        if let Some(names) = &options.meta {
            meta_values.extend(names.iter().map(|name| {
                article
                    .meta
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.as_str())
            }));
        }
        let meta = options.meta.as_deref().map(|names| MetaValues {
            names,
            values: &meta_values,
        });
        let mut next = 0;
        for index in 0..spans.len() {
            group.clear();
            while next < attached.len() && attached[next].0 == index {
                group.push(attached[next].1);
                next += 1;
            }
            if group.is_empty() && !options.include_unlabeled {
                if next == attached.len() {
                    break;
                }
                continue;
            }
            let conflict = conflicting(&group);
            summary.conflicts += usize::from(conflict);
            let annotation = match resolve(&group, &options.resolve) {
                Resolution::Unannotated if options.include_unlabeled => None,
                Resolution::Unannotated => continue,
                Resolution::Tie => {
                    summary.ties += 1;
                    continue;
                }
                Resolution::Decided(decision) if decision.labels == [IGNORE] => {
                    if !options.include_ignored {
                        summary.ignored += 1;
                        continue;
                    }
                    Some(Verdict {
                        labels: Vec::new(),
                        annotator: decision.annotator,
                        ignored: true,
                    })
                }
                Resolution::Unsettled => {
                    summary.unsettled += 1;
                    continue;
                }
                Resolution::Decided(decision) => {
                    match in_schema(decision, &options.labels, &mut summary) {
                        Some(annotation) => Some(annotation),
                        None => continue,
                    }
                }
            };
            let keeps = |only: OnlyLabel| match (only, annotation.as_ref()) {
                (OnlyLabel::Label(label), Some(a)) => a.has(label),
                (OnlyLabel::NoStance, Some(a)) => a.labels.is_empty(),
                (_, None) => false,
            };
            if options.only_label.is_some_and(|only| !keeps(only)) {
                continue;
            }
            let record = Record {
                article_id: &article.id,
                sentence_index: index,
                start: spans[index].start,
                end: spans[index].end,
                text: fold_whitespace(&article.text[spans[index].start..spans[index].end]),
                annotation,
                split,
                context: options
                    .context
                    .map(|n| context(&article.text, &spans, index, n)),
                meta,
                remarks: remarks_of(
                    &options.remarks,
                    &article.id,
                    spans[index].start,
                    spans[index].end,
                ),
            };
            sink.write(&record)?;
            summary.wrote(record.annotation.as_ref(), split, &options.labels);
        }
    }
    for events in by_article.values() {
        events
            .iter()
            .for_each(|_| summary.orphan(Orphan::ArticleGone));
    }
    sink.finish()?;
    Ok(summary)
}

/// Every annotator's flag and notes on a sentence and its article, for the record.
fn remarks_of(
    remarks: &crate::store::Remarks,
    article: &str,
    start: usize,
    end: usize,
) -> super::record::RemarkFields {
    let joined = |notes: Vec<String>| (!notes.is_empty()).then(|| notes.join(" | "));
    let on = remarks.on_sentence(article, start, end);
    let mut flagged = false;
    let mut notes = Vec::new();
    for (who, r) in on {
        flagged |= r.flagged;
        if let Some(note) = &r.note {
            notes.push(format!("{who}: {note}"));
        }
    }
    let article_notes = remarks
        .article_notes(article)
        .map(|(who, note)| format!("{who}: {note}"))
        .collect();
    super::record::RemarkFields {
        flagged,
        note: joined(notes),
        article_note: joined(article_notes),
    }
}

/// The decision as schema positions, or `None` (counted) when the schema cannot hold it.
fn in_schema<'a>(
    decision: Decision<'a>,
    labels: &LabelSet,
    summary: &mut Summary,
) -> Option<Verdict<'a>> {
    let mut positions = Vec::with_capacity(decision.labels.len());
    let mut fits = true;
    for name in &decision.labels {
        match labels.position(name) {
            Ok(position) => positions.push(position),
            Err(_) => {
                *summary.not_in_schema.entry(name.to_string()).or_default() += 1;
                fits = false;
            }
        }
    }
    if fits && labels.exclusive && positions.len() > 1 {
        summary.several_labels += 1;
        fits = false;
    }
    positions.sort_unstable();
    fits.then_some(Verdict {
        labels: positions,
        annotator: decision.annotator,
        ignored: false,
    })
}

fn context<'a>(text: &'a str, spans: &[Span], index: usize, n: usize) -> Context<'a> {
    let sentence = |span: &Span| fold_whitespace(&text[span.start..span.end]);
    let before = spans[index.saturating_sub(n)..index].iter().map(sentence);
    let after = spans[index + 1..spans.len().min(index + 1 + n)]
        .iter()
        .map(sentence);
    (before.collect(), after.collect())
}

/// The chosen format's writer and the state it keeps between records.
enum Sink<'l, W: Write> {
    Lines {
        out: W,
        format: Format,
        labels: &'l LabelSet,
    },
    Tasks {
        out: W,
        tasks: prodigy::Tasks<'l>,
    },
    Table {
        table: Box<csv::Table<W>>,
        labels: &'l LabelSet,
    },
}

impl<'l, W: Write> Sink<'l, W> {
    fn new(out: W, options: &'l Options) -> Result<Sink<'l, W>, ExportError> {
        let labels = &options.labels;
        Ok(match options.format {
            Format::Csv => Sink::Table {
                table: Box::new(csv::Table::new(
                    out,
                    labels,
                    options.split.is_some(),
                    options.include_ignored,
                    !options.remarks.is_empty(),
                    options.meta.as_deref(),
                )?),
                labels,
            },
            Format::Prodigy => Sink::Tasks {
                out,
                tasks: prodigy::Tasks::new(labels),
            },
            format => Sink::Lines {
                out,
                format,
                labels,
            },
        })
    }

    fn write(&mut self, record: &Record<'_>) -> Result<(), ExportError> {
        match self {
            Sink::Lines {
                out,
                format,
                labels,
            } => match format {
                Format::Spacy => spacy::write(out, record, labels),
                Format::Doccano => doccano::write(out, record, labels),
                _ => jsonl::write(out, record, labels),
            },
            Sink::Tasks { out, tasks } => tasks.write(out, record),
            Sink::Table { table, labels } => table.write(record, labels),
        }?;
        Ok(())
    }

    fn finish(self) -> Result<(), ExportError> {
        match self {
            Sink::Lines { mut out, .. } | Sink::Tasks { mut out, .. } => out.flush()?,
            Sink::Table { table, .. } => table.finish()?.flush()?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Split;
    use crate::store::{Event, fingerprint};

    fn article(id: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            title: String::new(),
            text: text.into(),
            meta: Vec::new(),
            source: format!("{id}.txt"),
        }
    }

    fn label(article: &Article, sentence: &str, labels: &[&str], who: &str, ts: u64) -> Event {
        let start = article.text.find(sentence).unwrap();
        Event::set(
            &article.id,
            start,
            sentence,
            labels.iter().copied(),
            who,
            ts,
        )
    }

    fn options(format: Format) -> Options {
        Options {
            format,
            labels: LabelSet::new(["diplomatic", "sanctions", "military"], false),
            split: None,
            context: None,
            include_unlabeled: false,
            only_label: None,
            resolve: Resolve::Latest,
            meta: None,
            boundaries: Default::default(),
            include_ignored: false,
            remarks: Default::default(),
        }
    }

    fn run(articles: &[Article], events: &[Event], options: &Options) -> (String, Summary) {
        let mut out = Vec::new();
        let views = events.iter().map(store::Annotation::from);
        let summary = export(articles, views, options, &mut out).unwrap();
        (String::from_utf8(out).unwrap(), summary)
    }

    fn texts(output: &str) -> Vec<String> {
        output
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].to_string())
            .collect()
    }

    #[test]
    fn writes_annotated_sentences_in_corpus_order_and_counts_orphans() {
        let a = article("a", "Talks resumed. Troops moved. Oil fell.");
        let b = article("b", "Envoys met. Tariffs rose.");
        let mut moved = label(&a, "Oil fell.", &["sanctions"], "ann", 1);
        moved.fp = fingerprint("Oil rose.");
        let events = vec![
            label(&b, "Tariffs rose.", &["sanctions"], "ann", 5),
            label(&a, "Troops moved.", &["military"], "ann", 4),
            label(&a, "Talks resumed.", &[], "ann", 3),
            moved,
            label(
                &article("gone", "Hello there."),
                "Hello there.",
                &[],
                "ann",
                2,
            ),
        ];
        let (out, summary) = run(&[a, b], &events, &options(Format::Jsonl));
        assert_eq!(
            texts(&out),
            [
                "\"Talks resumed.\"",
                "\"Troops moved.\"",
                "\"Tariffs rose.\""
            ]
        );
        assert_eq!(summary.total.sentences, 3);
        assert_eq!(summary.total.negatives, 1);
        assert_eq!(summary.total.labels, [0, 1, 1]);
        assert_eq!(summary.orphans_text_changed, 1);
        assert_eq!(summary.orphans_article_missing, 1);
    }

    #[test]
    fn unlabeled_sentences_and_label_filter() {
        let a = article("a", "Talks resumed. Troops moved. Oil fell.");
        let events = vec![label(&a, "Troops moved.", &["military"], "ann", 4)];
        let mut opts = options(Format::Doccano);
        opts.include_unlabeled = true;
        let (out, summary) = run(std::slice::from_ref(&a), &events, &opts);
        assert_eq!(
            out,
            "{\"text\":\"Talks resumed.\"}\n{\"text\":\"Troops moved.\",\"label\":[\"military\"]}\n\
             {\"text\":\"Oil fell.\"}\n"
        );
        assert_eq!(summary.total.unlabeled, 2);
        opts.only_label = Some(OnlyLabel::Label(1));
        assert_eq!(run(std::slice::from_ref(&a), &events, &opts).0, "");
        opts.only_label = Some(OnlyLabel::Label(2));
        assert_eq!(texts(&run(&[a], &events, &opts).0), ["\"Troops moved.\""]);
    }

    #[test]
    fn exclusive_schema_leaves_out_several_labels_and_unknown_ones() {
        let a = article("a", "Talks resumed. Troops moved. Oil fell.");
        let events = vec![
            label(&a, "Talks resumed.", &["diplomatic", "military"], "ann", 1),
            label(&a, "Troops moved.", &["military"], "ann", 2),
            label(&a, "Oil fell.", &["economy"], "ann", 3),
        ];
        let mut opts = options(Format::Jsonl);
        opts.labels.exclusive = true;
        let (out, summary) = run(&[a], &events, &opts);
        assert_eq!(texts(&out), ["\"Troops moved.\""]);
        assert!(out.contains("\"labels\":[\"military\"],\"label\":\"military\","));
        assert_eq!(summary.several_labels, 1);
        assert_eq!(summary.not_in_schema.get("economy"), Some(&1));
    }

    #[test]
    fn context_comes_from_the_same_article_and_ties_are_counted() {
        let a = article("a", "One here. Two\n  here. Three here. Four here.");
        let b = article("b", "Five here.");
        let events = vec![
            label(&a, "Two\n  here.", &["military"], "ann", 1),
            label(&a, "Four here.", &["military"], "ann", 1),
            label(&a, "Four here.", &["sanctions"], "bo", 2),
            label(&b, "Five here.", &[], "ann", 2),
        ];
        let mut opts = options(Format::Jsonl);
        opts.context = Some(2);
        opts.resolve = Resolve::Majority;
        let (out, summary) = run(&[a, b], &events, &opts);
        let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(first["text"], "Two here.");
        assert_eq!(first["context_before"], serde_json::json!(["One here."]));
        assert_eq!(
            first["context_after"],
            serde_json::json!(["Three here.", "Four here."])
        );
        let last: serde_json::Value = serde_json::from_str(out.lines().nth(1).unwrap()).unwrap();
        assert_eq!(last["context_before"], serde_json::json!([]));
        assert_eq!(summary.ties, 1);
        assert_eq!(summary.total.sentences, 2);
    }

    #[test]
    fn csv_marks_negatives_with_zeros_and_unlabeled_with_empty_cells() {
        let a = article("a", "Talks, \"at last\", resumed. Troops moved. Oil fell.");
        let events = vec![
            label(
                &a,
                "Talks, \"at last\", resumed.",
                &["sanctions", "diplomatic"],
                "ann",
                1,
            ),
            label(&a, "Oil fell.", &[], "ann", 1),
        ];
        let mut opts = options(Format::Csv);
        opts.include_unlabeled = true;
        opts.split = Some(Split::parse("0,0,100", 0).unwrap());
        let (out, _) = run(&[a], &events, &opts);
        assert_eq!(
            out,
            "article_id,sentence_index,text,labels,diplomatic,sanctions,military,split\n\
             a,0,\"Talks, \"\"at last\"\", resumed.\",diplomatic;sanctions,1,1,0,test\n\
             a,1,Troops moved.,,,,,test\n\
             a,2,Oil fell.,,0,0,0,test\n"
        );
    }
}
