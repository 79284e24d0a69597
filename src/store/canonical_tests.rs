//! The fast reader agrees with serde_json on every line it accepts, and accepts every
//! line the store writes.

use proptest::prelude::*;

use super::parse;
use crate::store::event::{Event, Op, Origin};
use crate::store::line::Line;

fn serde(line: &[u8]) -> Option<Line<'_>> {
    serde_json::from_slice(line).ok()
}

fn event_strategy() -> impl Strategy<Value = Event> {
    (
        any::<u32>(),
        any::<bool>(),
        any::<String>(),
        (any::<usize>(), any::<usize>()),
        "[0-9a-f]{16}",
        proptest::collection::vec(any::<String>(), 0..4),
        any::<String>(),
        any::<u64>(),
        any::<bool>(),
        any::<String>(),
    )
        .prop_map(
            |(v, set, article, (start, end), fp, labels, annotator, ts, typed, text)| Event {
                v,
                op: if set { Op::Set } else { Op::Clear },
                article,
                start,
                end,
                fp,
                labels,
                annotator,
                ts,
                origin: if typed {
                    Origin::Typed
                } else {
                    Origin::Suggestion
                },
                text,
                scores: None,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_written_line_is_read_fast_and_as_serde_reads_it(event in event_strategy()) {
        let line = serde_json::to_vec(&event).unwrap();
        let fast = parse(&line);
        prop_assert!(fast.is_some(), "{}", String::from_utf8_lossy(&line));
        prop_assert_eq!(&fast, &serde(&line));
        prop_assert_eq!(fast.unwrap().into_event(), event);
    }

    #[test]
    fn a_damaged_line_is_read_fast_only_when_serde_reads_it_the_same(
        event in event_strategy(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..4),
    ) {
        let mut line = serde_json::to_vec(&event).unwrap();
        for (at, byte, kind) in edits {
            let at = at.index(line.len() + 1);
            match kind {
                0 if at < line.len() => line[at] = byte,
                1 if at < line.len() => {
                    line.remove(at);
                }
                _ => line.insert(at, byte),
            }
        }
        if let Some(fast) = parse(&line) {
            prop_assert_eq!(Some(fast), serde(&line), "{}", String::from_utf8_lossy(&line));
        }
    }
}

const LINE: &str = r#"{"v":1,"op":"set","article":"a1","start":0,"end":12,"fp":"cbf29ce484222325","labels":["diplomatic","military"],"annotator":"alice","ts":17,"origin":"typed","text":"TEXT"}"#;

fn with_text(text: &str) -> String {
    LINE.replace("TEXT", text)
}

#[test]
fn escapes_decode_as_serde_decodes_them() {
    for text in [
        r#"plain"#,
        r#"\"quoted\" \\ back\/slash"#,
        r#"\b\f\n\r\t"#,
        r#"caf\u00e9 \u00E9 \u0000 \u001f"#,
        r#"smile \ud83d\ude00 end"#,
        "raw é 한국 \u{7f}",
        "",
    ] {
        let line = with_text(text);
        let fast = parse(line.as_bytes()).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(Some(fast), serde(line.as_bytes()), "{line}");
    }
}

#[test]
fn unusual_or_invalid_lines_are_left_to_serde() {
    let text_cases = [
        r#"lone \ud83d end"#,
        r#"lone \ude00 end"#,
        r#"pair \ud83d\u0041"#,
        r#"bad \x escape"#,
        r#"short \u12"#,
        "raw \u{1} control",
        "raw \t tab",
    ];
    for text in text_cases {
        assert_eq!(parse(with_text(text).as_bytes()), None, "{text}");
    }
    let line_cases = [
        LINE.replace(r#""v":1"#, r#""v":01"#),
        LINE.replace(r#""v":1"#, r#""v":1.0"#),
        LINE.replace(r#""v":1"#, r#""v":1e0"#),
        LINE.replace(r#""v":1"#, r#""v":-1"#),
        LINE.replace(r#""v":1"#, r#""v":4294967296"#),
        LINE.replace(r#""ts":17"#, r#""ts":18446744073709551616"#),
        LINE.replace(r#""op":"set""#, r#""op":"sett""#),
        LINE.replace(r#""origin":"typed""#, r#""origin":"model""#),
        LINE.replace(r#","labels""#, r#", "labels""#),
        LINE.replace(r#"["diplomatic","military"]"#, r#"["diplomatic",]"#),
        LINE.replace(r#"["diplomatic","military"]"#, r#"["diplomatic",1]"#),
        format!("{LINE} "),
        format!("{LINE}\r"),
        format!("{LINE}}}"),
        LINE.replace(r#""start":0,"end":12"#, r#""end":12,"start":0"#),
    ];
    for line in line_cases {
        assert_eq!(parse(line.as_bytes()), None, "{line}");
    }
    let mut invalid_utf8 = with_text("x").into_bytes();
    let x = invalid_utf8.iter().rposition(|&b| b == b'x').unwrap();
    invalid_utf8[x] = 0xff;
    assert_eq!(parse(&invalid_utf8), None);
}
