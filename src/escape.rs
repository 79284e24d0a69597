//! Outside text in a message (file names, journal strings, label and annotator names, config
//! entries, a parser's quote of bad input): the one rule for which characters a terminal
//! must never receive raw, and how a message writes them instead.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// True for characters that must not reach the terminal raw: C0 and C1 controls, DEL, and the
/// marks and overrides that change the direction of text.
pub fn is_hostile(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// True for characters that draw nothing (zero-width space, soft hyphen, word joiner,
/// byte-order mark, invisible operators, tags, Hangul fillers): harmless to a terminal, but a message shows
/// them so two names that look the same can be told apart. Joiners (U+200C, U+200D) are
/// left alone: emoji and several scripts need them.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{115f}' | '\u{1160}' | '\u{180e}' | '\u{200b}' | '\u{2060}'..='\u{2064}'
        | '\u{206a}'..='\u{206f}' | '\u{3164}' | '\u{feff}' | '\u{ffa0}' | '\u{fff9}'..='\u{fffb}'
        | '\u{e0001}' | '\u{e0020}'..='\u{e007f}')
}

fn needs_escape(c: char) -> bool {
    is_hostile(c) || is_invisible(c)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// `text` for a message line: each hostile or invisible character written as `\n`, `\t`,
/// `\r` or `\u{1b}`, everything else as it is (so escaping twice changes nothing).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path for a message, escaped as [`escape`] does: a file name may hold any character but
/// `/` and NUL, ESC included.
pub fn path(path: &Path) -> String {
    escape(&path.display().to_string()).into_owned()
}

/// `text` in double quotes for a message, escaped as [`escape`] does and with `"` and `\`
/// escaped too, so the quoted text cannot seem to end early.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if needs_escape(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// JSON text with every hostile character written as a `\uXXXX` escape: the same JSON value,
/// safe on a terminal. serde_json escapes only C0 controls, not DEL, C1 or the direction
/// marks; outside strings JSON holds no such character, so every one is inside a string.
pub fn json(text: &str) -> Cow<'_, str> {
    // Printable ASCII holds no hostile character; a byte scan settles most lines at once.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) || !text.contains(is_hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hostile(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_overrides_and_invisible_characters_and_nothing_else() {
        let text =
            "a\u{1b}]52;c;eA==\u{7}b\u{1b}[2J\u{9b}\n\t\u{202e}\u{200b}\u{ad} é 東 👨\u{200d}👩";
        assert_eq!(
            escape(text),
            "a\\u{1b}]52;c;eA==\\u{7}b\\u{1b}[2J\\u{9b}\\n\\t\\u{202e}\\u{200b}\\u{ad} é 東 👨\u{200d}👩"
        );
        assert!(matches!(escape("plain \\ \"text\""), Cow::Borrowed(_)));
    }

    #[test]
    fn escaping_twice_changes_nothing() {
        let once = escape("x\u{1b}[31m\u{85}y").into_owned();
        assert_eq!(escape(&once), once);
    }

    #[test]
    fn json_keeps_the_value_and_drops_the_raw_characters() {
        let value = serde_json::json!({"name": "a\u{1b}[2J\u{7f}\u{9b}\u{202e}b"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = json(&text);
        assert!(!safe.contains(is_hostile), "{safe}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
    }

    #[test]
    fn quote_escapes_its_delimiters() {
        assert_eq!(quote("a\"b\\c\u{1b}"), "\"a\\\"b\\\\c\\u{1b}\"");
    }
}
