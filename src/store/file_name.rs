//! Annotator names as journal file names in a store folder, and back.
//!
//! A name is outside text: it may hold `/`, `..`, control characters, or differ from another
//! only in case (which a case-insensitive file system would fold into one file). Lowercase
//! ASCII letters, digits, `-` and `_` stand for themselves, and so does `.` past the first
//! byte; every other byte of the UTF-8 name is `%` and two uppercase hex digits. So each
//! name has exactly one file name, no two names share one even where case is folded, no file
//! name starts with a dot, and the name reads back exactly.

/// What follows the encoded name in an annotator's journal file name.
pub(crate) const JOURNAL_EXTENSION: &str = ".jsonl";

/// Longest encoded name: the side files (`.jsonl.replaced-<ms>-<n>`) must still fit in the
/// 255 bytes most file systems allow.
const MAX_ENCODED: usize = 200;

/// `<encoded name>.jsonl`, or why `name` cannot be one (empty, or too long once encoded).
pub(crate) fn journal_name(annotator: &str) -> Result<String, String> {
    if annotator.is_empty() {
        return Err("an empty annotator name cannot name a journal file".into());
    }
    let mut out = String::with_capacity(annotator.len() + JOURNAL_EXTENSION.len());
    for (i, byte) in annotator.bytes().enumerate() {
        if plain(byte, i) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    if out.len() > MAX_ENCODED {
        return Err(format!(
            "annotator name is {} bytes long as a file name, more than the {MAX_ENCODED} a \
             journal file name may take",
            out.len()
        ));
    }
    out.push_str(JOURNAL_EXTENSION);
    Ok(out)
}

/// The annotator whose journal `file_name` is; `None` when it is not a journal's name
/// (another extension) and `Err` when it ends in `.jsonl` but is not what
/// [`journal_name`] makes of any name.
pub(crate) fn annotator_of(file_name: &str) -> Option<Result<String, String>> {
    let stem = file_name.strip_suffix(JOURNAL_EXTENSION)?;
    Some(
        decode(stem)
            .filter(|name| journal_name(name).as_deref() == Ok(file_name))
            .ok_or_else(|| {
                format!(
                    "{file_name:?} is not an annotator's journal file name (names are written with \
                 lowercase letters, digits, '-', '_', '.' and %XX for every other byte)"
                )
            }),
    )
}

fn plain(byte: u8, index: usize) -> bool {
    byte.is_ascii_lowercase()
        || byte.is_ascii_digit()
        || byte == b'-'
        || byte == b'_'
        || (byte == b'.' && index > 0)
}

fn decode(stem: &str) -> Option<String> {
    let bytes = stem.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = stem.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn names_become_safe_file_names() {
        assert_eq!(journal_name("ana").unwrap(), "ana.jsonl");
        assert_eq!(journal_name("Ana").unwrap(), "%41na.jsonl");
        assert_eq!(journal_name("../x").unwrap(), "%2E.%2Fx.jsonl");
        assert_eq!(journal_name("a b\u{1b}").unwrap(), "a%20b%1B.jsonl");
        assert!(journal_name("").is_err());
        assert!(journal_name(&"é".repeat(40)).is_err());
    }

    #[test]
    fn only_canonical_journal_names_read_back() {
        assert_eq!(annotator_of("ana.jsonl"), Some(Ok("ana".into())));
        assert_eq!(annotator_of("%41na.jsonl"), Some(Ok("Ana".into())));
        assert_eq!(annotator_of("ana.jsonl.lock"), None);
        assert!(matches!(annotator_of("Ana.jsonl"), Some(Err(_))));
        assert!(matches!(annotator_of("%61na.jsonl"), Some(Err(_))));
        assert!(matches!(annotator_of("%zz.jsonl"), Some(Err(_))));
        assert!(matches!(annotator_of(".jsonl"), Some(Err(_))));
    }

    proptest! {
        #[test]
        fn every_name_reads_back_and_is_a_plain_file_name(name in "\\PC{1,12}|[A-Za-z./%\\x00-\\x1f ]{1,20}") {
            let file = journal_name(&name).unwrap();
            prop_assert!(!file.starts_with('.'));
            prop_assert!(file.bytes().all(|b| b.is_ascii_graphic() && b != b'/' && b != b'\\'));
            prop_assert_eq!(annotator_of(&file), Some(Ok(name)));
        }
    }
}
