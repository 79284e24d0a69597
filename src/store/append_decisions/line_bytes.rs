//! A decision's journal line written straight into bytes: exactly what serde_json writes for
//! its event (the same fields in the same order, the same escapes), without building the
//! event or going through a serializer, which took a third of an import's encoding time.

use crate::hash;
use crate::json_bytes::{string, whole};
use crate::store::{Decision, Op, Origin, is_ignore};

/// Appends the line of `decision`'s event made at `ts`, newline included, as
/// `journal::encode(&decision.event(ts))` does; `false` (nothing appended) for a decision
/// with scores, whose line the serializer writes.
pub(super) fn encode(decision: &Decision, ts: u64, out: &mut Vec<u8>) -> bool {
    if decision.scores.is_some() {
        return false;
    }
    let ignored = decision.labels.as_deref().is_some_and(is_ignore);
    let (op, labels): (Op, &[String]) = match &decision.labels {
        _ if ignored => (Op::Ignore, &[]),
        Some(labels) => (Op::Set, labels),
        None => (Op::Clear, &[]),
    };
    // The lowest version that can carry the event, as `Event::version_needed` says.
    let v = decision.origin.since_version().max(op.since_version());
    out.extend_from_slice(b"{\"v\":");
    whole(out, u64::from(v));
    out.extend_from_slice(b",\"op\":\"");
    out.extend_from_slice(op_name(op).as_bytes());
    out.extend_from_slice(b"\",\"article\":");
    string(out, &decision.article);
    out.extend_from_slice(b",\"start\":");
    whole(out, decision.start as u64);
    out.extend_from_slice(b",\"end\":");
    whole(out, decision.end as u64);
    out.extend_from_slice(b",\"fp\":\"");
    hex16(out, hash::fingerprint_u64(&decision.text));
    out.extend_from_slice(b"\",\"labels\":[");
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, label);
    }
    out.extend_from_slice(b"],\"annotator\":");
    string(out, &decision.annotator);
    out.extend_from_slice(b",\"ts\":");
    whole(out, ts);
    out.extend_from_slice(b",\"origin\":\"");
    out.extend_from_slice(origin_name(decision.origin).as_bytes());
    out.extend_from_slice(b"\",\"text\":");
    string(out, &decision.text);
    out.extend_from_slice(b"}\n");
    true
}

/// The op as its serde name; only the ops a decision makes.
fn op_name(op: Op) -> &'static str {
    match op {
        Op::Ignore => "ignore",
        Op::Clear => "clear",
        _ => "set",
    }
}

fn origin_name(origin: Origin) -> &'static str {
    match origin {
        Origin::Typed => "typed",
        Origin::Suggestion => "suggestion",
        Origin::Imported => "imported",
        Origin::Adjudicated => "adjudicated",
    }
}

/// Appends `fp` as 16 lowercase hex digits, as `hash::format_fingerprint` writes it.
fn hex16(out: &mut Vec<u8>, fp: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        out.push(HEX[((fp >> (shift * 4)) & 0xf) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::IGNORE;
    use proptest::prelude::*;

    fn serde_line(decision: &Decision, ts: u64) -> Vec<u8> {
        let mut line = Vec::new();
        crate::store::journal::encode(&decision.event(ts), &mut line);
        line
    }

    fn origin() -> impl Strategy<Value = Origin> {
        prop_oneof![
            Just(Origin::Typed),
            Just(Origin::Suggestion),
            Just(Origin::Imported),
            Just(Origin::Adjudicated),
        ]
    }

    /// Any text, and text made mostly of the bytes that are escaped, so that words of eight
    /// bytes with one of them anywhere are tried.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[a-z\"\\\\\u{0}-\u{1f}\u{7f}é ]{0,40}",]
    }

    proptest! {
        #[test]
        fn lines_are_those_serde_json_writes(
            article in text(),
            text in text(),
            annotator in text(),
            labels in proptest::option::of(proptest::collection::vec(text(), 0..4)),
            ignore in any::<bool>(),
            origin in origin(),
            (start, end) in (any::<usize>(), any::<usize>()),
            ts in any::<u64>(),
        ) {
            let labels = if ignore { Some(vec![IGNORE.to_owned()]) } else { labels };
            let decision = Decision { article, start, end, text, labels, origin, annotator, scores: None };
            let mut line = b"before".to_vec();
            prop_assert!(encode(&decision, ts, &mut line));
            let expected = serde_line(&decision, ts);
            prop_assert_eq!(String::from_utf8_lossy(&line[6..]), String::from_utf8_lossy(&expected));
        }
    }

    #[test]
    fn a_decision_with_scores_is_left_to_the_serializer() {
        let decision = Decision {
            article: "a".into(),
            start: 0,
            end: 1,
            text: "x".into(),
            labels: Some(vec!["m".into()]),
            origin: Origin::Suggestion,
            annotator: "ana".into(),
            scores: Some(crate::store::Scores::new(["m"], &[0.5])),
        };
        let mut line = Vec::new();
        assert!(!encode(&decision, 1, &mut line));
        assert!(line.is_empty());
    }
}
