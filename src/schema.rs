//! The label set: names, keys, colours, guidelines, exclusive or multi-label.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use unicode_width::UnicodeWidthChar;

use crate::escape;

/// The compiled-in default label set.
pub(crate) const DEFAULT_SCHEMA: &str = include_str!("../data/schema.toml");

/// The labels an annotator chooses from, and whether a sentence takes one or several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// Labels in display order; their position is the label's index everywhere else.
    pub labels: Vec<Label>,
    /// One label per sentence: a label key sets it and moves on.
    pub exclusive: bool,
}

/// One stance label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The name written to the journal and the exports.
    pub name: String,
    /// The key that toggles (or, when exclusive, sets) the label.
    pub key: char,
    /// How the label is marked on screen.
    pub colour: Colour,
    /// One line telling the annotator when the label applies.
    pub guideline: String,
    /// Sentences that have the label, each on one line, shown with the guideline in full.
    pub examples: Vec<String>,
    /// Words or phrases that suggest the label until the model has learned it.
    pub patterns: Vec<Pattern>,
    /// The score from which the model suggests the label; `None` means 0.5.
    pub threshold: Option<Threshold>,
}

/// A suggestion threshold, checked to be a number in (0, 1) when the schema is read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold(f64);

// A checked threshold is never NaN, so equality is total.
impl Eq for Threshold {}

impl Threshold {
    /// The threshold as a number in (0, 1).
    pub fn get(self) -> f64 {
        self.0
    }
}

pub use crate::model::patterns::Pattern;

/// A label colour: one of the 16 named terminal colours, or an RGB value from `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// A named colour, by its index in [`Colour::NAMES`] (the terminal's palette order).
    Named(u8),
    /// A 24-bit colour.
    Rgb(u8, u8, u8),
}

impl Colour {
    /// The accepted names, in the terminal's palette order (0–15).
    pub const NAMES: [&'static str; 16] = [
        "black",
        "red",
        "green",
        "yellow",
        "blue",
        "magenta",
        "cyan",
        "gray",
        "darkgray",
        "lightred",
        "lightgreen",
        "lightyellow",
        "lightblue",
        "lightmagenta",
        "lightcyan",
        "white",
    ];

    /// Reads `blue`, `light-blue`, `Dark Gray`, `grey` or `#1e90ff`; `None` when it is neither.
    pub fn parse(text: &str) -> Option<Colour> {
        if let Some(hex) = text.strip_prefix('#') {
            if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
            return Some(Colour::Rgb(byte(0)?, byte(2)?, byte(4)?));
        }
        let folded: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .replace("grey", "gray");
        let index = Colour::NAMES.iter().position(|name| *name == folded)?;
        Some(Colour::Named(index as u8))
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Colour::Named(i) => f.write_str(Colour::NAMES[usize::from(*i)]),
            Colour::Rgb(r, g, b) => write!(f, "#{r:02x}{g:02x}{b:02x}"),
        }
    }
}

/// Why a schema file could not be used; each names the file, and the field where it applies.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The file could not be read.
    #[error("{}: {error}", escape::path(path))]
    Read {
        /// The schema file.
        path: PathBuf,
        /// The underlying error (in the message, so not also a source to print again).
        error: std::io::Error,
    },
    /// The file is not valid TOML, or has a field of the wrong type or an unknown field.
    #[error("{}: {}", escape::path(path), escape::escape(message))]
    Syntax {
        /// The schema file.
        path: PathBuf,
        /// The TOML parser's message, with the line.
        message: String,
    },
    /// A field holds a value the schema cannot use.
    #[error("{}: {field}: {}", escape::path(path), escape::escape(reason))]
    Invalid {
        /// The schema file.
        path: PathBuf,
        /// Where, e.g. `labels[2].key`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// A key shows as itself on one or two cells: not whitespace, a control, a format character,
/// a zero-width or a combining mark alone (each would show as a blank or join its neighbour).
fn is_visible(c: char) -> bool {
    !c.is_whitespace()
        && !escape::is_hostile(c)
        && !escape::is_invisible(c)
        && c.width().is_some_and(|w| w > 0)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    #[serde(default)]
    exclusive: bool,
    #[serde(default)]
    labels: Vec<RawLabel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabel {
    name: String,
    key: String,
    #[serde(alias = "color")]
    colour: Option<String>,
    #[serde(default)]
    guideline: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    threshold: Option<f64>,
}

/// The colour a label without one gets: the next of these, by its place in the schema.
const DEFAULT_COLOURS: [&str; 6] = ["blue", "yellow", "red", "green", "magenta", "cyan"];

impl Default for Schema {
    fn default() -> Self {
        Schema::parse(DEFAULT_SCHEMA, Path::new("data/schema.toml"))
            .expect("the compiled-in schema is valid (checked by a unit test)")
    }
}

impl Schema {
    /// Reads and checks a schema file.
    pub fn load(path: &Path) -> Result<Schema, SchemaError> {
        let text = crate::special::refuse(path)
            .and_then(|()| std::fs::read_to_string(path))
            .map_err(|error| SchemaError::Read {
                path: path.to_owned(),
                error,
            })?;
        Schema::parse(&text, path)
    }

    /// Checks schema TOML; `path` only names the source in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Schema, SchemaError> {
        let raw: RawSchema = toml::from_str(text).map_err(|err| SchemaError::Syntax {
            path: path.to_owned(),
            message: syntax_message(text, &err),
        })?;
        let invalid = |field: String, reason: String| SchemaError::Invalid {
            path: path.to_owned(),
            field,
            reason,
        };
        if raw.labels.is_empty() {
            return Err(invalid(
                "labels".into(),
                "no labels: add at least one [[labels]] table".into(),
            ));
        }
        let mut labels: Vec<Label> = Vec::with_capacity(raw.labels.len());
        for (i, raw) in raw.labels.into_iter().enumerate() {
            let field = |name: &str| format!("labels[{}].{name}", i + 1);
            let name = raw.name.trim().to_owned();
            if name.is_empty() {
                return Err(invalid(field("name"), "empty name".into()));
            }
            if labels.iter().any(|l| l.name == name) {
                return Err(invalid(
                    field("name"),
                    format!("duplicate name {}", escape::quote(&name)),
                ));
            }
            if name.contains(';') {
                return Err(invalid(
                    field("name"),
                    format!(
                        "{} holds \";\", which joins label names in the CSV export",
                        escape::quote(&name)
                    ),
                ));
            }
            let mut chars = raw.key.chars();
            let key = match (chars.next(), chars.next()) {
                (Some(c), None) if is_visible(c) => c,
                _ => {
                    return Err(invalid(
                        field("key"),
                        format!("{} is not one visible character", escape::quote(&raw.key)),
                    ));
                }
            };
            if key == '0' {
                return Err(invalid(
                    field("key"),
                    "\"0\" is kept for \"reviewed, no stance\"".into(),
                ));
            }
            if let Some(other) = labels.iter().find(|l| l.key == key) {
                return Err(invalid(
                    field("key"),
                    format!(
                        "duplicate key {key:?}, already used by {}",
                        escape::quote(&other.name)
                    ),
                ));
            }
            let raw_colour = raw
                .colour
                .unwrap_or_else(|| DEFAULT_COLOURS[i % DEFAULT_COLOURS.len()].to_owned());
            let colour = Colour::parse(raw_colour.trim()).ok_or_else(|| {
                invalid(
                    field("colour"),
                    format!(
                        "unknown colour {}: use #rrggbb or one of {}",
                        escape::quote(&raw_colour),
                        Colour::NAMES.join(", ")
                    ),
                )
            })?;
            let guideline = raw
                .guideline
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let fold = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
            let examples = raw.examples.iter().map(|e| fold(e)).collect();
            let mut patterns = Vec::with_capacity(raw.patterns.len());
            for (j, text) in raw.patterns.iter().enumerate() {
                let pattern = Pattern::parse(text).map_err(|why| {
                    invalid(
                        format!("labels[{}].patterns[{}]", i + 1, j + 1),
                        format!("label {}: {why}", escape::quote(&name)),
                    )
                })?;
                patterns.push(pattern);
            }
            let threshold = match raw.threshold {
                Some(t) if t > 0.0 && t < 1.0 => Some(Threshold(t)),
                Some(t) => {
                    return Err(invalid(
                        field("threshold"),
                        format!(
                            "label {}: {t} is not a number between 0 and 1",
                            escape::quote(&name)
                        ),
                    ));
                }
                None => None,
            };
            labels.push(Label {
                name,
                key,
                colour,
                guideline,
                examples,
                patterns,
                threshold,
            });
        }
        Ok(Schema {
            labels,
            exclusive: raw.exclusive,
        })
    }

    /// The index of the label with this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l.name == name)
    }

    /// The index of the label typed with this key.
    pub fn index_of_key(&self, key: char) -> Option<usize> {
        self.labels.iter().position(|l| l.key == key)
    }
}

/// A TOML error as one line: where (`labels[2]` for a label table, else `line N`) and what,
/// without the parser's excerpt and caret art.
fn syntax_message(text: &str, err: &toml::de::Error) -> String {
    let what = err.message().trim().replace('\n', " ");
    let Some(span) = err.span() else {
        return what;
    };
    let start = span.start.min(text.len());
    let line = text[..start].matches('\n').count() + 1;
    // The label table the error is in: the `[[labels]]` headers up to the error's line (a
    // missing field points at its table's header).
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let label = text[..line_end]
        .lines()
        .filter(|l| l.trim_start().starts_with("[[labels]]"))
        .count();
    if label > 0 {
        format!("labels[{label}] (line {line}): {what}")
    } else {
        format!("line {line}: {what}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Schema, SchemaError> {
        Schema::parse(text, Path::new("my-schema.toml"))
    }

    const ONE: &str = "[[labels]]\nname = \"a\"\nkey = \"1\"\ncolour = \"red\"\n";

    #[test]
    fn default_schema_is_diplomatic_sanctions_military_multi_label() {
        let schema = Schema::default();
        let names: Vec<_> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["diplomatic", "sanctions", "military"]);
        let keys: Vec<_> = schema.labels.iter().map(|l| l.key).collect();
        assert_eq!(keys, ['1', '2', '3']);
        assert!(!schema.exclusive);
        assert!(schema.labels.iter().all(|l| !l.guideline.is_empty()));
    }

    #[test]
    fn a_toml_error_is_one_line_naming_the_label_table() {
        let two = format!("{ONE}\n[[labels]]\nname = \"b\"\nkey = \"2\"\nguideline = 3\n");
        let err = parse(&two).unwrap_err().to_string();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("my-schema.toml: labels[2] (line 9): "),
            "{err}"
        );
        assert!(err.contains("string"), "{err}");
        assert!(!err.contains('^') && !err.contains(" | "), "{err}");
        let err = parse("[[labels]]\nname = \"a\"\n").unwrap_err().to_string();
        assert!(
            err.starts_with("my-schema.toml: labels[1] (line 1): missing field `key`"),
            "{err}"
        );
        let err = parse("exclusive = 1\n").unwrap_err().to_string();
        assert!(err.starts_with("my-schema.toml: line 1: "), "{err}");
    }

    #[test]
    fn a_label_without_a_colour_gets_one_and_examples_are_kept() {
        let text = "[[labels]]\nname = \"a\"\nkey = \"1\"\nexamples = [\"Talks  resumed.\", \"b\"]\n\
                    [[labels]]\nname = \"b\"\nkey = \"2\"\n";
        let schema = parse(text).unwrap();
        assert_eq!(schema.labels[0].colour, Colour::Named(4));
        assert_eq!(schema.labels[1].colour, Colour::Named(3));
        assert_eq!(schema.labels[0].examples, ["Talks resumed.", "b"]);
        assert!(schema.labels[1].examples.is_empty());
    }

    #[test]
    fn colours_by_name_and_hex() {
        assert_eq!(Colour::parse("Light-Blue"), Some(Colour::Named(12)));
        assert_eq!(Colour::parse("dark grey"), Some(Colour::Named(8)));
        assert_eq!(
            Colour::parse("#1E90ff"),
            Some(Colour::Rgb(0x1e, 0x90, 0xff))
        );
        assert_eq!(Colour::parse("#12345"), None);
        assert_eq!(Colour::parse("mauve"), None);
        assert_eq!(Colour::Rgb(1, 2, 255).to_string(), "#0102ff");
    }

    #[test]
    fn exclusive_schema_reads() {
        let schema = parse(&format!("exclusive = true\n{ONE}")).unwrap();
        assert!(schema.exclusive);
        assert_eq!(schema.labels[0].colour, Colour::Named(1));
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn bad_schemas_name_the_file_and_field() {
        assert_eq!(
            error("exclusive = true\n"),
            "my-schema.toml: labels: no labels: add at least one [[labels]] table"
        );
        let dup_key = format!("{ONE}{}", ONE.replace("\"a\"", "\"b\""));
        assert!(error(&dup_key).starts_with("my-schema.toml: labels[2].key: duplicate key '1'"));
        let dup_name = format!("{ONE}{}", ONE.replace("\"1\"", "\"2\""));
        assert!(error(&dup_name).starts_with("my-schema.toml: labels[2].name: duplicate name"));
        let zero = ONE.replace("\"1\"", "\"0\"");
        assert!(error(&zero).starts_with("my-schema.toml: labels[1].key: \"0\" is kept"));
        let colour = ONE.replace("red", "mauve");
        assert!(error(&colour).starts_with("my-schema.toml: labels[1].colour: unknown colour"));
        let long_key = ONE.replace("\"1\"", "\"12\"");
        assert!(error(&long_key).contains("labels[1].key"));
        let typo = ONE.replace("colour", "colur");
        let message = error(&typo);
        assert!(message.starts_with("my-schema.toml: "), "{message}");
        assert!(message.contains("colur"), "{message}");
    }

    #[test]
    fn patterns_and_threshold_read_and_bad_ones_name_the_label() {
        let with = |extra: &str| format!("{ONE}{extra}\n");
        let schema = parse(&with(
            "patterns = [\"Sanction*\", \"asset freeze\"]\nthreshold = 0.3",
        ))
        .unwrap();
        let label = &schema.labels[0];
        assert_eq!(label.patterns.len(), 2);
        assert_eq!(label.threshold.map(Threshold::get), Some(0.3));
        assert_eq!(
            error(&with("patterns = [\"ok\", \"\"]")),
            "my-schema.toml: labels[1].patterns[2]: label \"a\": empty pattern"
        );
        let message = error(&with("patterns = [\"<b>\"]"));
        assert!(
            message.starts_with("my-schema.toml: labels[1].patterns[1]: label \"a\": "),
            "{message}"
        );
        assert!(error(&with("patterns = [\"a*b\"]")).contains("label \"a\""));
        assert!(
            error(&with("threshold = 1.5"))
                .starts_with("my-schema.toml: labels[1].threshold: label \"a\"")
        );
        assert!(error(&with("threshold = 0")).contains("threshold"));
    }

    #[test]
    fn missing_file_is_named() {
        let err = Schema::load(Path::new("/nonexistent/schema.toml")).unwrap_err();
        assert!(err.to_string().starts_with("/nonexistent/schema.toml: "));
    }
}
