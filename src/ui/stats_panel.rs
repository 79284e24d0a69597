//! The statistics panel over the screen: the label distribution over every annotator as a
//! bar chart in the labels' colours, each annotator's count, the session's pace and progress.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Clear, Widget};

use super::article::NO_STANCE;
use super::bar::{bar, gauge};
use super::picker::DONE;
use super::{chip_style, clip, colour, rect, thousands};
use crate::agree::Agreement;
use crate::app::State;
use crate::app::layout::sanitize;

const DIM: Style = Style::new().fg(Color::DarkGray);
const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);

/// One line of the panel: a chip (or blanks), a name, a bar, a count.
struct Line<'a> {
    chip: Option<(String, Style)>,
    name: String,
    count: usize,
    of: usize,
    bar_style: Style,
    note: &'a str,
}

pub(super) fn render(state: &State, buf: &mut Buffer) {
    let popup = rect(state.screen().popup);
    Clear.render(popup, buf);
    let block = Block::bordered()
        .title(" Statistics ")
        .title_bottom(" any key closes ")
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let (x, width) = (inner.x + 1, usize::from(inner.width.saturating_sub(2)));
    let mut y = inner.y;
    let bottom = inner.bottom();
    let text = |buf: &mut Buffer, y: &mut u16, line: &str, style: Style| {
        if *y < bottom {
            buf.set_stringn(x, *y, clip(line, width), width, style);
        }
        *y += 1;
    };
    let schema = state.schema();
    let all = state.all_annotators();
    text(
        buf,
        &mut y,
        &format!(
            "Labels: every annotator, {} annotations",
            thousands(all.annotated)
        ),
        BOLD,
    );
    let mut lines: Vec<Line> = schema
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| Line {
            chip: Some((format!(" {} ", label.key), chip_style(schema, i))),
            name: label.name.clone(),
            count: all.labels[i],
            of: all.annotated,
            bar_style: Style::new().fg(colour(label.colour)),
            note: "",
        })
        .collect();
    lines.push(Line {
        chip: Some((format!(" {} ", NO_STANCE.0), NO_STANCE.1)),
        name: "no stance".into(),
        count: all.no_stance,
        of: all.annotated,
        bar_style: Style::new().fg(Color::Gray),
        note: "",
    });
    let me = state.annotator();
    let annotators = state.annotator_counts();
    let most = annotators.first().map_or(0, |a| a.1);
    let name_width = lines
        .iter()
        .map(|l| l.name.chars().count())
        .chain(annotators.iter().map(|a| a.0.chars().count()))
        .max()
        .unwrap_or(0)
        .clamp(9, 20);
    let chart = Chart {
        x,
        width,
        name_width,
    };
    let bottom_rows = 4;
    for line in &lines {
        if y + bottom_rows < bottom {
            chart.draw(buf, y, line);
            y += 1;
        }
    }
    if let Some(agreement) = state.agreement()
        && y + bottom_rows < bottom
    {
        let line = agreement_line(agreement);
        text(buf, &mut y, &line, Style::new());
    }
    if state.has_model() && y + bottom_rows + 1 < bottom {
        for line in model_lines(state) {
            text(buf, &mut y, &line, Style::new());
        }
    }
    y += 1;
    text(buf, &mut y, "Annotators", BOLD);
    let room = usize::from(bottom.saturating_sub(y + bottom_rows));
    for (n, (name, count)) in annotators.iter().enumerate() {
        if n + 1 == room && annotators.len() > room {
            text(
                buf,
                &mut y,
                &format!("… and {} more", annotators.len() - n),
                DIM,
            );
            break;
        }
        if n >= room {
            break;
        }
        let line = Line {
            chip: None,
            name: (*name).to_owned(),
            count: *count,
            of: most,
            bar_style: Style::new().fg(Color::Cyan),
            note: if *name == me { "you" } else { "" },
        };
        chart.draw(buf, y, &line);
        y += 1;
    }
    if y + bottom_rows < bottom {
        text(buf, &mut y, &coverage(state), DIM);
    }
    y = y.max(bottom.saturating_sub(bottom_rows - 1));
    let pace = state.pace();
    let minutes = pace.elapsed_ms / 60_000;
    let rate = match pace.per_hour {
        Some(rate) => format!("{rate:.0} per hour"),
        None => "the rate shows after a minute".to_owned(),
    };
    text(
        buf,
        &mut y,
        &format!(
            "This session: {} sentences in {minutes} min · {rate}",
            thousands(pace.sentences)
        ),
        Style::new(),
    );
    progress(state, buf, x, y, width);
}

/// The model: per label the examples it learned from (`+` positive, `-` negative) and
/// whether it still scores from patterns; its cross-validated quality; then how many of the
/// store's decisions were accepted suggestions.
fn model_lines(state: &State) -> Vec<String> {
    let learned = match state.model_learned() {
        None => "Model: training…".to_owned(),
        Some(learned) => {
            let labels: Vec<String> = state
                .schema()
                .labels
                .iter()
                .zip(&learned.counts)
                .map(|(label, &(pos, neg))| {
                    let ready =
                        pos >= crate::model::MIN_EXAMPLES && neg >= crate::model::MIN_EXAMPLES;
                    let how = if ready {
                        ""
                    } else if label.patterns.is_empty() {
                        " (not yet)"
                    } else {
                        " (patterns)"
                    };
                    format!("{} {pos}+/{neg}-{how}", sanitize(&label.name))
                })
                .collect();
            format!("Model: {}", labels.join(" · "))
        }
    };
    let mut lines = vec![learned];
    lines.extend(quality_lines(state));
    let share = match state.suggestion_share() {
        None => "counting the store…".to_owned(),
        Some(share) if share.decisions == 0 => "no decisions in the store yet".to_owned(),
        Some(share) => format!(
            "{} of {} decisions ({:.0}%) · changed since open: {}",
            thousands(share.accepted),
            thousands(share.decisions),
            100.0 * share.accepted as f64 / share.decisions as f64,
            thousands(share.changed)
        ),
    };
    lines.push(format!("Accepted suggestions: {share}"));
    lines
}

/// The model's quality as `stance suggest --eval` computes it: micro and macro F1, then per
/// label its F1, or how many more annotations it needs to be learned.
fn quality_lines(state: &State) -> Vec<String> {
    let Some(evaluated) = state.model_quality() else {
        return vec!["Quality: computing…".to_owned()];
    };
    let Some(quality) = &evaluated.quality else {
        let (annotations, articles) = evaluated.shortfall.unwrap_or_default();
        let annotations = match annotations {
            0 => "annotations".to_owned(),
            n => format!("{n} more annotations"),
        };
        let articles = match articles {
            0 => String::new(),
            1 => " in 1 more article".to_owned(),
            n => format!(" in {n} more articles"),
        };
        return vec![format!(
            "Quality: needs {annotations}{articles} ({} settled so far)",
            thousands(evaluated.annotations)
        )];
    };
    let f1 = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{x:.2}"));
    let labels: Vec<String> = state
        .schema()
        .labels
        .iter()
        .zip(&quality.labels)
        .zip(&evaluated.counts)
        .map(|((label, counts), &(pos, neg))| {
            let min = crate::model::MIN_EXAMPLES;
            let more = min.saturating_sub(pos) + min.saturating_sub(neg);
            let figure = match more {
                0 => f1(counts.f1()),
                n => format!("needs {n} more"),
            };
            format!("{} {figure}", sanitize(&label.name))
        })
        .collect();
    vec![
        format!(
            "Quality ({}-fold by article, {} settled): micro F1 {} · macro F1 {}",
            evaluated.folds,
            thousands(evaluated.annotations),
            f1(quality.micro_f1()),
            f1(quality.macro_f1())
        ),
        format!("  F1: {}", labels.join(" · ")),
    ]
}

/// The session annotator's progress over the corpus, and the orphans.
fn progress(state: &State, buf: &mut Buffer, x: u16, y: u16, width: usize) {
    let done = state.overall().annotated;
    let mut cx = buf
        .set_stringn(
            x,
            y,
            format!("{}: ", clip(state.annotator(), 20)),
            width,
            Style::new(),
        )
        .0;
    let end = x + width as u16;
    let mut put = |cx: &mut u16, text: &str, style: Style| {
        let room = usize::from(end.saturating_sub(*cx));
        *cx = buf.set_stringn(*cx, y, text, room, style).0;
    };
    match state.total_sentences() {
        Some(total) => {
            let (filled, empty) = gauge(done, total, 20);
            put(&mut cx, &filled, DONE);
            put(&mut cx, &empty, DIM);
            let percent = done as f64 * 100.0 / total.max(1) as f64;
            let text = format!(" {}/{} ({percent:.1}%)", thousands(done), thousands(total));
            put(&mut cx, &text, Style::new());
        }
        None => put(
            &mut cx,
            &format!("{} annotated, counting…", thousands(done)),
            DIM,
        ),
    }
    let orphans = state.review().orphans();
    if orphans > 0 {
        let text = format!(" · {} orphaned", thousands(orphans));
        put(&mut cx, &text, Style::new().fg(Color::Magenta));
    }
}

/// Krippendorff's alpha per label on one line; `-` where it is undefined.
fn agreement_line(agreement: &Agreement) -> String {
    let per_label: Vec<String> = agreement
        .labels
        .iter()
        .map(|l| {
            let alpha = l
                .alpha
                .value()
                .map_or("-".to_owned(), |v| format!("{v:.2}"));
            format!("{} {alpha}", sanitize(&l.label))
        })
        .collect();
    format!(
        "Agreement (alpha) over {} units: {}",
        thousands(agreement.units),
        per_label.join(" · ")
    )
}

/// The columns of the bar chart.
struct Chart {
    x: u16,
    width: usize,
    name_width: usize,
}

impl Chart {
    fn draw(&self, buf: &mut Buffer, y: u16, line: &Line) {
        let count = format!("{:>8}", thousands(line.count));
        let percent = if line.of > 0 && line.chip.is_some() {
            format!(" {:>3}%", line.count * 100 / line.of)
        } else {
            format!(" {:<4}", line.note)
        };
        let bar_width = self
            .width
            .saturating_sub(4 + self.name_width + 1 + count.len() + percent.len() + 1);
        let mut cx = self.x;
        if let Some((chip, style)) = &line.chip {
            buf.set_stringn(cx, y, chip, 3, *style);
        }
        cx += 4;
        let name = clip(&line.name, self.name_width);
        buf.set_stringn(cx, y, &name, self.name_width, Style::new());
        cx += self.name_width as u16 + 1;
        let fraction = line.count as f64 / line.of.max(1) as f64;
        buf.set_stringn(cx, y, bar(fraction, bar_width), bar_width, line.bar_style);
        cx += bar_width as u16;
        buf.set_stringn(cx, y, &count, count.len(), Style::new());
        cx += count.len() as u16;
        buf.set_stringn(cx, y, &percent, percent.len(), DIM);
    }
}

/// How many articles 0, 1, 2, ... annotators finished, against `--overlap`.
fn coverage(state: &State) -> String {
    let histogram = state.finished_histogram();
    let counts: Vec<String> = histogram.iter().map(|n| thousands(*n)).collect();
    format!(
        "Articles finished by 0–{} annotators: {} (overlap {})",
        histogram.len().saturating_sub(1),
        counts.join(" / "),
        state.overlap()
    )
}
