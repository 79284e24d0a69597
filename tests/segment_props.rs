//! Properties of the segmenter on arbitrary and news-like text: it never panics, and its
//! spans are ordered, non-empty, trimmed, on char boundaries, with only whitespace
//! between and around them, but for a wire sign-off (`Reuter`) after the last.

use proptest::prelude::*;
use stance::corpus::segment::{Span, segment, sentences};

fn check_spans(text: &str, spans: &[Span]) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    for span in spans {
        prop_assert!(span.start < span.end, "empty span {span:?}");
        prop_assert!(previous_end <= span.start, "overlap at {span:?}");
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let sentence = &text[span.start..span.end];
        prop_assert!(
            !sentence.starts_with(char::is_whitespace),
            "leading space {span:?}"
        );
        prop_assert!(
            !sentence.ends_with(char::is_whitespace),
            "trailing space {span:?}"
        );
        let gap = &text[previous_end..span.start];
        prop_assert!(
            gap.chars().all(char::is_whitespace),
            "text lost before {span:?}"
        );
        previous_end = span.end;
    }
    // a sign-off is one word of letters (`Reuter`, `REUTER...`) after a sentence
    let tail = text[previous_end..].trim();
    let sign_off = !spans.is_empty()
        && !tail.contains(char::is_whitespace)
        && tail.trim_end_matches('.').chars().all(char::is_alphabetic);
    prop_assert!(tail.is_empty() || sign_off, "text lost at the end");
    prop_assert_eq!(&sentences(text).collect::<Vec<_>>(), spans);
    Ok(())
}

/// Characters that matter to the segmenter, mixed with anything at all.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        4 => prop::sample::select(vec![
            ' ', ' ', '\n', '\n', '\r', '\t', '\u{a0}', '\u{2028}', '\u{2029}', '\u{3000}',
            '.', '.', '.', '?', '!', '…', '。', '？', '！', ')', '(', '[', ']', '"', '\'', '“',
            '”', '‘', '’', '«', '»', '•', '⁃', '-', ':', ';', ',', '$', '%', '0', '1', '9',
            'a', 'b', 'e', 'i', 'p', 'm', 's', 'A', 'B', 'I', 'J', 'U', 'S', 'N', '\u{301}',
        ]),
    ]
}

/// Words, abbreviations and punctuation of wire copy, to be joined at random.
fn news_token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "the",
        "said",
        "talks",
        "on",
        "Monday",
        "The",
        "It",
        "He",
        "Officials",
        "officials",
        "U.S.",
        "U.N.",
        "U.N. Security Council",
        "E.U.",
        "Gen.",
        "Lt. Col.",
        "Sen.",
        "Mr.",
        "Dr.",
        "Jan.",
        "Sept.",
        "Inc.",
        "Corp.",
        "Co.",
        "Ltd.",
        "No.",
        "No. 2",
        "p.m.",
        "a.m.",
        "3 p.m.",
        "John F. Kennedy",
        "J.R.R.",
        "Plan B.",
        "I.",
        "$3.5 billion",
        "2.5%",
        "1,000",
        "1.",
        "2.",
        "a.",
        "b)",
        "2)",
        "China s",
        "It s",
        "SEOUL (Reuters) -",
        "Reuter",
        "REUTER",
        ".",
        ".",
        "?",
        "!",
        "...",
        ". . .",
        ". . . .",
        "…",
        "\"",
        "'",
        "“",
        "”",
        "(",
        ")",
        "[...]",
        "•",
        "- ",
        "\n",
        "\n",
        "\n\n",
        "\r\n",
        "  ",
        "\u{2029}",
        "Yahoo!",
        "etc.",
        "www.example.com.",
        "iPhone",
        "与那国島",
        "。",
        "Ph.D.",
        "ST. LOUIS",
        "At",
    ])
}

fn news_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (news_token(), prop::sample::select(vec!["", " ", " ", "\n"])),
        0..60,
    )
    .prop_map(|parts| parts.into_iter().flat_map(|(t, sep)| [t, sep]).collect())
}

proptest! {
    // PROPTEST_CASES raises the count for a longer hunt
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn arbitrary_unicode_is_covered_exactly(text in any::<String>()) {
        check_spans(&text, &segment(&text))?;
    }

    #[test]
    fn text_dense_in_punctuation_is_covered_exactly(
        text in prop::collection::vec(tricky_char(), 0..300)
            .prop_map(|chars| chars.into_iter().collect::<String>())
    ) {
        check_spans(&text, &segment(&text))?;
    }

    #[test]
    fn news_like_text_is_covered_exactly(text in news_text()) {
        check_spans(&text, &segment(&text))?;
    }

    #[test]
    fn a_paragraph_break_always_ends_a_sentence(a in news_text(), b in news_text()) {
        let text = format!("{a}\n\n{b}");
        let spans = segment(&text);
        check_spans(&text, &spans)?;
        let a_end = a.trim_end().len();
        let b_start = a.len() + 2 + (b.len() - b.trim_start().len());
        prop_assert!(spans.iter().all(|s| s.end <= a_end || s.start >= b_start));
    }
}

#[test]
fn whitespace_alone_has_no_sentences() {
    assert!(segment("").is_empty());
    assert!(segment(" \n\t\u{a0}\u{2029}\r\n").is_empty());
}
