//! The lines `stance suggest` prints, written straight into one buffer per chunk of rows:
//! JSON lines byte for byte as serde_json writes them (then made terminal-safe by
//! [`escape::json`]), and the readable table, without a string per line or per field.

use std::io::Write;

use crate::corpus::Article;
use crate::escape::{self, escape};
use crate::export::record::fold_whitespace;
use crate::json_bytes;
use crate::model::{Source, Suggestion, round4};
use crate::schema::Schema;

/// Characters of a sentence shown in the table.
const TEXT_WIDTH: usize = 60;

/// The start of the lines of one article (see [`Lines::line`]), made once for all of its
/// sentences written one after another.
#[derive(Default)]
pub struct Prefix {
    /// The article's position in the corpus.
    of: Option<usize>,
    bytes: Vec<u8>,
    beyond_ascii: bool,
}

/// Writes rows for one schema, with what every row repeats (label names, quoted and
/// escaped) prepared once.
pub struct Lines<'s> {
    schema: &'s Schema,
    json: bool,
    /// Per label, `"name":` as a JSON object key.
    keys: Vec<Vec<u8>>,
    /// Per label, `"name"` as a JSON string.
    names: Vec<Vec<u8>>,
    /// Per label, its name escaped for the terminal.
    shown: Vec<String>,
    /// Per label, whether its name has a byte from DEL up.
    beyond_ascii: Vec<bool>,
}

impl<'s> Lines<'s> {
    /// Lines for `schema`, JSON lines if `json`, else table rows.
    pub fn new(schema: &'s Schema, json: bool) -> Lines<'s> {
        let names: Vec<Vec<u8>> = schema
            .labels
            .iter()
            .map(|label| {
                let mut name = Vec::new();
                json_str(&mut name, &label.name);
                name
            })
            .collect();
        Lines {
            schema,
            json,
            keys: names
                .iter()
                .map(|name| [&name[..], b":"].concat())
                .collect(),
            beyond_ascii: schema
                .labels
                .iter()
                .map(|label| label.name.bytes().any(|b| b >= 0x7f))
                .collect(),
            names,
            shown: schema
                .labels
                .iter()
                .map(|label| escape(&label.name).into_owned())
                .collect(),
        }
    }

    /// The table's header line (nothing for JSON lines).
    pub fn header(&self, out: &mut Vec<u8>) {
        if self.json {
            return;
        }
        let _ = write!(out, "{:<24} {:>4}", "article", "#");
        for label in &self.schema.labels {
            let _ = write!(out, " {:>10}", clip(&escape(&label.name), 10));
        }
        out.extend_from_slice(b"  unsure  suggested / text\n");
    }

    /// Appends the line of one sentence: `sentence` of `article`, at `start..end`.
    pub fn row(
        &self,
        out: &mut Vec<u8>,
        prefix: &mut Prefix,
        article: (usize, &Article),
        sentence: usize,
        (start, end): (usize, usize),
        suggestion: &Suggestion,
    ) {
        let mut tail = Vec::new();
        let beyond_ascii = self.tail(&mut tail, &article.1.text[start..end], suggestion);
        self.line(
            out,
            prefix,
            article,
            sentence,
            (start, end),
            &tail,
            beyond_ascii,
        );
    }

    /// Appends the part of a line that depends on the sentence's text (as in the corpus)
    /// and its suggestion alone, kept for texts that repeat; returns whether it has a byte
    /// from DEL up, for [`Lines::line`].
    pub fn tail(&self, out: &mut Vec<u8>, text: &str, suggestion: &Suggestion) -> bool {
        let text = fold_whitespace(text);
        if self.json {
            self.json_tail(out, &text, suggestion)
        } else {
            self.table_tail(out, &text, suggestion);
            false
        }
    }

    /// Appends the line of `sentence` of `article` (the corpus's article `at`), at
    /// `start..end`, whose [`Lines::tail`] is `tail`; `prefix` keeps the start of the
    /// lines of the article last written.
    #[allow(clippy::too_many_arguments)]
    pub fn line(
        &self,
        out: &mut Vec<u8>,
        prefix: &mut Prefix,
        (at, article): (usize, &Article),
        sentence: usize,
        (start, end): (usize, usize),
        tail: &[u8],
        tail_beyond_ascii: bool,
    ) {
        if prefix.of != Some(at) {
            prefix.of = Some(at);
            prefix.bytes.clear();
            prefix.beyond_ascii = self.prefix(&mut prefix.bytes, &article.id);
        }
        let from = out.len();
        out.extend_from_slice(&prefix.bytes);
        if !self.json {
            let _ = write!(out, " {sentence:>4}");
            out.extend_from_slice(tail);
            return;
        }
        json_bytes::whole(out, sentence as u64);
        out.extend_from_slice(b",\"start\":");
        json_bytes::whole(out, start as u64);
        out.extend_from_slice(b",\"end\":");
        json_bytes::whole(out, end as u64);
        out.extend_from_slice(tail);
        // The strings' C0 controls are escaped already, so only a line with a byte from DEL
        // up (in a label name, a suggested one among them, the id or the text) can hold a
        // hostile character: most lines need no second look.
        if prefix.beyond_ascii || tail_beyond_ascii {
            let line = std::str::from_utf8(&out[from..]).expect("built from str");
            if let std::borrow::Cow::Owned(safe) = escape::json(line) {
                out.truncate(from);
                out.extend_from_slice(safe.as_bytes());
            }
        }
        out.push(b'\n');
    }

    /// Appends what every line of the article `id` starts with, up to its sentence
    /// number; returns whether it has a byte from DEL up.
    fn prefix(&self, out: &mut Vec<u8>, id: &str) -> bool {
        if !self.json {
            let id = escape(id);
            let id = clip(&id, 24);
            out.extend_from_slice(id.as_bytes());
            pad(out, 24usize.saturating_sub(id.chars().count()));
            return false;
        }
        out.extend_from_slice(b"{\"article_id\":");
        let beyond_ascii = json_str(out, id);
        out.extend_from_slice(b",\"sentence_index\":");
        beyond_ascii
    }

    /// The JSON line from `"text"` to its closing brace.
    fn json_tail(&self, out: &mut Vec<u8>, text: &str, suggestion: &Suggestion) -> bool {
        out.extend_from_slice(b",\"text\":");
        let mut beyond_ascii = json_str(out, text);
        out.extend_from_slice(b",\"scores\":{");
        for (i, (key, &score)) in self.keys.iter().zip(&suggestion.scores).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            beyond_ascii |= self.beyond_ascii[i];
            json_round4(out, score);
        }
        out.extend_from_slice(b"},\"suggested\":[");
        for (i, &label) in suggestion.suggested.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            beyond_ascii |= self.beyond_ascii[label];
            out.extend_from_slice(&self.names[label]);
        }
        out.extend_from_slice(b"],\"uncertainty\":");
        json_round4(out, suggestion.uncertainty);
        out.push(b'}');
        beyond_ascii
    }

    /// The table row from the scores to its end of line.
    fn table_tail(&self, out: &mut Vec<u8>, text: &str, suggestion: &Suggestion) {
        for (&score, source) in suggestion.scores.iter().zip(&suggestion.sources) {
            let mark = match source {
                Source::Model => b' ',
                Source::Patterns => b'p',
                Source::Nothing => b'-',
                Source::Ngrams => b'n',
            };
            out.push(b' ');
            percent(out, score * 100.0);
            out.push(b'%');
            out.push(mark);
        }
        let _ = write!(out, " {:>6.2}  ", suggestion.uncertainty);
        if suggestion.suggested.is_empty() {
            out.extend_from_slice(b"(no stance)");
        }
        for (i, &label) in suggestion.suggested.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.shown[label].as_bytes());
        }
        out.extend_from_slice(b" / ");
        out.extend_from_slice(clip(&escape(text), TEXT_WIDTH).as_bytes());
        out.push(b'\n');
    }
}

/// At most `width` characters of `text`, with `…` when cut.
fn clip(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    // A string of at most `width` bytes has at most `width` characters.
    if text.len() <= width || text.chars().count() <= width {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    std::borrow::Cow::Owned(cut)
}

fn pad(out: &mut Vec<u8>, spaces: usize) {
    out.resize(out.len() + spaces, b' ');
}

/// Appends `value` as `format!("{:>9.0}", value)` does.
fn percent(out: &mut Vec<u8>, value: f64) {
    // A score's percentage is a whole number of at most three digits after rounding, ties
    // to even as the formatter rounds; anything else takes the general formatter.
    if (0.0..=100.0).contains(&value) && value.is_sign_positive() {
        let whole = value.round_ties_even() as u64;
        let digits = 1 + usize::from(whole >= 10) + usize::from(whole >= 100);
        pad(out, 9 - digits);
        json_bytes::whole(out, whole);
    } else {
        let _ = write!(out, "{value:>9.0}");
    }
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it; returns whether it has a
/// byte from DEL up.
fn json_str(out: &mut Vec<u8>, text: &str) -> bool {
    json_bytes::string(out, text);
    text.bytes().any(|b| b >= 0x7f)
}

/// Appends [`round4`] of `x` as serde_json writes that number.
fn json_round4(out: &mut Vec<u8>, x: f64) {
    let rounded = round4(x);
    // In [0, 1], the rounded number is the double nearest n / 10,000 for a whole n, whose
    // shortest decimal form is n / 10,000 without trailing zeros; anything else (and -0)
    // takes serde_json's own formatter.
    if (0.0..=1.0).contains(&rounded) && rounded.is_sign_positive() {
        let n = (rounded * 10_000.0).round() as u32;
        if f64::from(n) / 10_000.0 == rounded {
            match n {
                0 => out.extend_from_slice(b"0.0"),
                10_000 => out.extend_from_slice(b"1.0"),
                _ => {
                    let digits = [
                        b'0' + (n / 1000) as u8,
                        b'0' + (n / 100 % 10) as u8,
                        b'0' + (n / 10 % 10) as u8,
                        b'0' + (n % 10) as u8,
                    ];
                    let used = 4 - digits.iter().rev().take_while(|&&d| d == b'0').count();
                    out.extend_from_slice(b"0.");
                    out.extend_from_slice(&digits[..used]);
                }
            }
            return;
        }
    }
    let _ = serde_json::to_writer(&mut *out, &rounded);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_print_as_serde_json_prints_them_rounded() {
        let mut out = Vec::new();
        for n in 0..=10_000u32 {
            for x in [
                f64::from(n) / 10_000.0,
                (f64::from(n) + 0.4999) / 10_000.0,
                (f64::from(n) - 0.5) / 10_000.0,
            ] {
                out.clear();
                json_round4(&mut out, x);
                let expected = serde_json::to_string(&round4(x)).unwrap();
                assert_eq!(String::from_utf8_lossy(&out), expected, "{x}");
            }
        }
        for x in [-0.0, -0.3, 1.2, f64::NAN, f64::INFINITY, 1e-9] {
            out.clear();
            json_round4(&mut out, x);
            assert_eq!(
                String::from_utf8_lossy(&out),
                serde_json::to_string(&round4(x)).unwrap()
            );
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every: String = (0u8..0x80).map(char::from).collect();
        every.push_str("é 東 \u{9b}\u{202e}👨\u{200d}👩 \"quoted\" back\\slash");
        for text in [every.as_str(), "", "plain", "\"", "\u{1}x\u{1f}"] {
            let mut out = Vec::new();
            json_str(&mut out, text);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
    }

    #[test]
    fn percentages_print_as_the_formatter_prints_them() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut values: Vec<f64> = (0..=200).map(|half| f64::from(half) / 2.0).collect();
        values.extend((0..20_000).map(|_| {
            state = crate::hash::fmix64(state.wrapping_add(1));
            (state >> 11) as f64 / (1u64 << 53) as f64 * 100.0
        }));
        values.extend([
            -0.0,
            -0.4,
            100.4,
            100.5,
            1e300,
            f64::NAN,
            0.49999999999999994,
        ]);
        values.extend((0..=10_000).map(|n| f64::from(n) / 10_000.0 * 100.0));
        for value in values {
            let mut out = Vec::new();
            percent(&mut out, value);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("{value:>9.0}"),
                "{value:?}"
            );
        }
    }

    /// The lines as first written (serde_json and the general formatter, a string per
    /// field): the direct writer must give exactly their bytes.
    fn reference(
        schema: &Schema,
        json: bool,
        article: &Article,
        sentence: usize,
        (start, end): (usize, usize),
        s: &Suggestion,
    ) -> String {
        use serde::ser::{SerializeMap, Serializer};
        struct Scores<'a>(&'a Schema, &'a [f64]);
        impl serde::Serialize for Scores<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.1.len()))?;
                for (label, score) in self.0.labels.iter().zip(self.1) {
                    map.serialize_entry(&label.name, &round4(*score))?;
                }
                map.end()
            }
        }
        #[derive(serde::Serialize)]
        struct Line<'a> {
            article_id: &'a str,
            sentence_index: usize,
            start: usize,
            end: usize,
            text: &'a str,
            scores: Scores<'a>,
            suggested: Vec<&'a str>,
            uncertainty: f64,
        }
        let text = fold_whitespace(&article.text[start..end]);
        let suggested: Vec<&str> = s
            .suggested
            .iter()
            .map(|&i| schema.labels[i].name.as_str())
            .collect();
        if json {
            let line = Line {
                article_id: &article.id,
                sentence_index: sentence,
                start,
                end,
                text: &text,
                scores: Scores(schema, &s.scores),
                suggested,
                uncertainty: round4(s.uncertainty),
            };
            return format!("{}\n", escape::json(&serde_json::to_string(&line).unwrap()));
        }
        let mut out = format!("{:<24} {:>4}", clip(&escape(&article.id), 24), sentence);
        for (score, source) in s.scores.iter().zip(&s.sources) {
            let mark = match source {
                Source::Model => ' ',
                Source::Patterns => 'p',
                Source::Nothing => '-',
                Source::Ngrams => 'n',
            };
            out += &format!(" {:>9.0}%{mark}", score * 100.0);
        }
        let shown = if suggested.is_empty() {
            "(no stance)".to_owned()
        } else {
            escape(&suggested.join(",")).into_owned()
        };
        out + &format!(
            " {:>6.2}  {shown} / {}\n",
            s.uncertainty,
            clip(&escape(&text), TEXT_WIDTH)
        )
    }

    #[test]
    fn lines_are_those_of_serde_json_and_the_formatter_to_the_byte() {
        let plain = Schema::default();
        let mut schema = plain.clone();
        let mut odd = schema.labels[0].clone();
        odd.name = "odd \"name\"\u{1b}[31m\u{202e}é".into();
        schema.labels.push(odd);
        let articles = [
            (
                "wire-1",
                "Envoys met in Geneva.  Talks\tresumed\non Tuesday.",
            ),
            (
                "an id longer than twenty-four characters, \u{1b}]0;x\u{7}",
                "Zürich \"quoted\" back\\slash \u{7f}\u{9b} 東京で会談 and a sentence that is far longer than sixty characters in all",
            ),
            ("", ""),
            ("del\u{7f}", "only DEL\u{7f} is beyond ASCII"),
        ];
        let suggestions = [
            (vec![0.93456, 0.0, 0.5, 1.0], vec![0, 3], 0.07),
            (vec![0.00004, 0.99995, 0.12345, 0.5555], vec![], 1.0),
            (vec![0.25, 0.125, 0.0625, 0.995], vec![1, 2, 3], 0.005),
        ];
        let sources = [
            Source::Model,
            Source::Patterns,
            Source::Nothing,
            Source::Ngrams,
        ];
        for (json, schema) in [
            (true, &schema),
            (true, &plain),
            (false, &schema),
            (false, &plain),
        ] {
            let n = schema.labels.len();
            let lines = Lines::new(schema, json);
            // One prefix for every row: kept while the article stays, made again for the next.
            let mut prefix = Prefix::default();
            for (at, (id, text)) in articles.into_iter().enumerate() {
                let article = Article {
                    id: id.into(),
                    title: String::new(),
                    text: text.into(),
                    meta: Vec::new(),
                    source: "test".into(),
                };
                for (scores, suggested, uncertainty) in &suggestions {
                    let s = Suggestion {
                        scores: scores[..n].to_vec(),
                        sources: sources[..n].to_vec(),
                        suggested: suggested.iter().copied().filter(|&i| i < n).collect(),
                        uncertainty: *uncertainty,
                    };
                    for span in [(0, text.len()), (0, text.len().min(6))] {
                        let mut out = Vec::new();
                        lines.row(&mut out, &mut prefix, (at, &article), 3, span, &s);
                        let expected = reference(schema, json, &article, 3, span, &s);
                        assert_eq!(String::from_utf8(out).unwrap(), expected);
                    }
                }
            }
        }
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("ééé", 3), "ééé", "six bytes, three characters");
        assert_eq!(clip("éééé", 3), "éé…");
    }
}
