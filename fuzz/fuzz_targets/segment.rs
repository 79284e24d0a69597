//! The segmenter on any text: spans in order, non-empty, on char boundaries, trimmed, with
//! only whitespace between and around them; the lazy iterator agrees with `segment`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stance::corpus::segment::{segment, sentences};

fuzz_target!(|text: &str| {
    let spans = segment(text);
    let mut previous_end = 0;
    for span in &spans {
        assert!(span.start < span.end, "empty span {span:?}");
        assert!(previous_end <= span.start, "overlap at {span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let sentence = &text[span.start..span.end];
        assert!(
            !sentence.starts_with(char::is_whitespace),
            "leading space {span:?}"
        );
        assert!(
            !sentence.ends_with(char::is_whitespace),
            "trailing space {span:?}"
        );
        let gap = &text[previous_end..span.start];
        assert!(
            gap.chars().all(char::is_whitespace),
            "text lost before {span:?}"
        );
        previous_end = span.end;
    }
    assert!(
        text[previous_end..].chars().all(char::is_whitespace),
        "text lost at the end"
    );
    assert_eq!(sentences(text).collect::<Vec<_>>(), spans);
});
