//! Plain-text articles: a `.txt` file, standard input, or a sample file.

use super::Article;

/// The longest first line, in characters, that is still taken for a title.
const MAX_TITLE_CHARS: usize = 200;

/// An article from a whole plain text: the title is split off when the text opens with one.
///
/// The first line is the title when a blank line follows it, more text follows that, and it
/// looks like a headline (at most 200 characters, not ending in a full stop); `text` is then
/// what follows the blank lines. Otherwise `text` is the whole input and the title is
/// `fallback_title`, so that a first paragraph is never hidden from annotation.
pub fn article(id: String, fallback_title: &str, mut text: String, source: String) -> Article {
    let title = match split_title(&text) {
        Some((title, body)) => {
            let title = clean_title(title);
            text.drain(..body);
            title
        }
        None => fallback_title.to_owned(),
    };
    Article {
        id,
        title,
        text,
        meta: Vec::new(),
        source,
    }
}

/// The title line and the byte offset where the body starts, when the text opens with a title.
fn split_title(text: &str) -> Option<(&str, usize)> {
    let (first, rest) = text.split_once('\n')?;
    let title = first.trim();
    if title.is_empty() || title.ends_with('.') || title.chars().nth(MAX_TITLE_CHARS).is_some() {
        return None;
    }
    let (second, _) = rest.split_once('\n')?;
    if !second.trim().is_empty() {
        return None;
    }
    let body_line = skip_blank_lines(rest);
    let body = text.len() - rest.len() + body_line;
    (!text[body..].trim().is_empty()).then_some((title, body))
}

/// The offset of the first line of `text` holding more than whitespace.
fn skip_blank_lines(text: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        offset += line.len();
    }
    offset
}

/// A title fit for one line of display: whitespace and control characters folded to spaces.
pub fn clean_title(title: &str) -> String {
    let mut clean = String::with_capacity(title.len());
    for word in title.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !clean.is_empty() {
            clean.push(' ');
        }
        clean.push_str(word);
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (String, String) {
        let article = article("id".into(), "file", text.into(), "file.txt".into());
        (article.title, article.text)
    }

    #[test]
    fn headline_then_blank_line_is_the_title() {
        let (title, text) = parts("Talks resume\r\n\r\n\n  Envoys met. They spoke.\n");
        assert_eq!(title, "Talks resume");
        assert_eq!(text, "  Envoys met. They spoke.\n");
    }

    #[test]
    fn without_a_blank_line_the_file_name_is_the_title() {
        let (title, text) = parts("Talks resume\nEnvoys met.\n");
        assert_eq!(title, "file");
        assert_eq!(text, "Talks resume\nEnvoys met.\n");
    }

    #[test]
    fn a_first_sentence_or_a_lone_line_is_not_taken_as_title() {
        assert_eq!(parts("Envoys met on Tuesday.\n\nThey spoke.").0, "file");
        assert_eq!(parts("Talks resume\n\n   \n").0, "file");
        assert_eq!(parts(&format!("{}\n\nBody.", "x".repeat(201))).0, "file");
    }

    #[test]
    fn titles_fold_control_characters() {
        assert_eq!(clean_title(" A\tB\u{1b}[31m  C "), "A B [31m C");
    }
}
