//! The in-memory view: the current annotation per (article, start, end, annotator).
//!
//! Only live annotations are kept, never superseded events, and each in a compact form
//! rather than as an [`Event`]: article ids, annotator names and label sets are interned
//! (the index then holds small integer keys, and the few label sets in use are stored
//! once), the fingerprint is held as a number. Annotations sit in a slab so iteration (and so
//! compaction output) follows a stable order rather than a hash order.

use std::borrow::{Borrow, Cow};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rustc_hash::FxBuildHasher;

use super::annotation::Annotation;
use super::event::{Event, Op, Origin};
use super::index::Index;
use super::line::{Labels, Line};
use crate::hash::{format_fingerprint, parse_fingerprint};

/// Byte strings mapped to small dense numbers, never forgotten.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<Name, u32, FxBuildHasher>,
}

impl Interner {
    /// The number of `s`, and whether it is new.
    fn intern(&mut self, s: &[u8]) -> (u32, bool) {
        if let Some(&id) = self.ids.get(s) {
            return (id, false);
        }
        let id = u32::try_from(self.ids.len()).expect("fewer than 2^32 distinct ids");
        self.ids.insert(Name::new(s), id);
        (id, true)
    }

    fn find(&self, s: &[u8]) -> Option<u32> {
        self.ids.get(s).copied()
    }
}

/// Interned strings that can be read back by their number.
#[derive(Debug, Default)]
struct Names {
    ids: Interner,
    names: Vec<Box<str>>,
    /// The name interned last: a replay meets each article's events one after another.
    last: Option<u32>,
}

impl Names {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(last) = self.last
            && *self.names[last as usize] == *s
        {
            return last;
        }
        let (id, new) = self.ids.intern(s.as_bytes());
        if new {
            self.names.push(s.into());
        }
        self.last = Some(id);
        id
    }

    fn find(&self, s: &str) -> Option<u32> {
        self.ids.find(s.as_bytes())
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// Interned label sets: most annotations share one of a handful.
#[derive(Debug, Default)]
struct LabelSets {
    ids: Interner,
    sets: Vec<Box<[String]>>,
    /// The set being looked up, each label as its length then its bytes.
    scratch: Vec<u8>,
    /// Sets by their JSON array exactly as journal lines spell them, so a line's set is
    /// found without reading the array's names one by one.
    spelt: HashMap<Name, u32, FxBuildHasher>,
}

/// Spellings of label sets remembered, so that odd lines cannot grow the table without end.
const SPELLINGS: usize = 4096;

impl LabelSets {
    fn intern<S: AsRef<str>>(&mut self, labels: impl Iterator<Item = S> + Clone) -> u32 {
        self.scratch.clear();
        for label in labels.clone() {
            let label = label.as_ref();
            self.scratch.extend_from_slice(&label.len().to_le_bytes());
            self.scratch.extend_from_slice(label.as_bytes());
        }
        let (id, new) = self.ids.intern(&self.scratch);
        if new {
            self.sets
                .push(labels.map(|l| l.as_ref().to_owned()).collect());
        }
        id
    }

    /// The number of a line's label set.
    fn intern_line(&mut self, labels: &Labels<'_>) -> u32 {
        let Labels::Array(array) = labels else {
            return self.intern(labels.iter());
        };
        if let Some(&id) = self.spelt.get(array.as_bytes()) {
            return id;
        }
        let id = self.intern(labels.iter());
        if self.spelt.len() < SPELLINGS {
            self.spelt.insert(Name::new(array.as_bytes()), id);
        }
        id
    }

    fn get(&self, id: u32) -> &[String] {
        &self.sets[id as usize]
    }
}

/// An interned string's bytes, kept inside the hash table when short (as article ids
/// and names are): a lookup then reads one cache line instead of chasing a pointer,
/// which made up a good part of replay time.
#[derive(Debug)]
enum Name {
    Short { len: u8, bytes: [u8; SHORT] },
    Long(Box<[u8]>),
}

const SHORT: usize = 22;

impl Name {
    fn new(s: &[u8]) -> Name {
        match u8::try_from(s.len()) {
            Ok(len) if s.len() <= SHORT => {
                let mut bytes = [0; SHORT];
                bytes[..s.len()].copy_from_slice(s);
                Name::Short { len, bytes }
            }
            _ => Name::Long(s.into()),
        }
    }
}

impl Borrow<[u8]> for Name {
    fn borrow(&self) -> &[u8] {
        match self {
            Name::Short { len, bytes } => &bytes[..usize::from(*len)],
            Name::Long(bytes) => bytes,
        }
    }
}

// Hash and equality go through the bytes, as `Borrow` requires.
impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        Borrow::<[u8]>::borrow(self).hash(state);
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        Borrow::<[u8]>::borrow(self) == Borrow::<[u8]>::borrow(other)
    }
}

impl Eq for Name {}

/// Identity of a sentence's annotation by one annotator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    article: u32,
    annotator: u32,
    start: usize,
    end: usize,
}

impl Key {
    /// The (article, annotator) whose keys [`super::index::Index`] keeps together.
    pub(super) fn group(&self) -> (u32, u32) {
        (self.article, self.annotator)
    }

    /// The sentence's (start, end).
    pub(super) fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    #[cfg(test)]
    pub(super) fn new(article: u32, annotator: u32, start: usize, end: usize) -> Key {
        Key {
            article,
            annotator,
            start,
            end,
        }
    }
}

/// Marks a key whose newest event (met first by a backward replay) is a `Clear`.
const CLEARED: u32 = u32::MAX;

/// A live annotation as held in memory: names and label sets by number, the
/// fingerprint as a number. Half an [`Event`]'s size, and one heap block (the text) where an
/// event has five or more.
#[derive(Debug)]
pub(crate) struct Stored {
    start: usize,
    end: usize,
    ts: u64,
    text: Box<str>,
    /// The fingerprint as a number when it is 16 lowercase hex digits (always, for
    /// journals stance wrote); otherwise, with `fp_odd`, its number in `odd_fps`.
    fp: u64,
    fp_odd: bool,
    origin: Origin,
    /// The op was `Ignore` (then `labels` is the empty set), not `Set`.
    ignored: bool,
    article: u32,
    annotator: u32,
    labels: u32,
    /// An accepted suggestion's scores; rare, so boxed.
    scores: Option<Box<super::Scores>>,
}

/// Live annotations with an index by key.
#[derive(Debug, Default)]
pub(crate) struct Annotations {
    articles: Names,
    annotators: Names,
    label_sets: LabelSets,
    /// Fingerprints that are not 16 lowercase hex digits, kept verbatim.
    odd_fps: Names,
    index: Index,
    slots: Vec<Option<Stored>>,
    holes: usize,
}

impl Annotations {
    pub(crate) fn key(&mut self, article: &str, start: usize, end: usize, annotator: &str) -> Key {
        Key {
            article: self.articles.intern(article),
            annotator: self.annotators.intern(annotator),
            start,
            end,
        }
    }

    fn find_key(&self, article: &str, start: usize, end: usize, annotator: &str) -> Option<Key> {
        Some(Key {
            article: self.articles.find(article)?,
            annotator: self.annotators.find(annotator)?,
            start,
            end,
        })
    }

    /// The in-memory form of an annotation whose article and annotator `key` holds.
    #[allow(clippy::too_many_arguments)]
    fn store(
        &mut self,
        key: Key,
        op: Op,
        fp: &str,
        labels: u32,
        ts: u64,
        origin: Origin,
        text: Box<str>,
        scores: Option<super::Scores>,
    ) -> Stored {
        let (number, fp_odd) = match parse_fingerprint(fp) {
            Some(number) => (number, false),
            None => (u64::from(self.odd_fps.intern(fp)), true),
        };
        Stored {
            start: key.start,
            end: key.end,
            ts,
            text,
            fp: number,
            fp_odd,
            origin,
            ignored: op == Op::Ignore,
            article: key.article,
            annotator: key.annotator,
            labels,
            scores: scores.map(Box::new),
        }
    }

    /// Applies one event in journal order: `Set` and `Ignore` replace, `Clear` removes.
    pub(crate) fn apply(&mut self, event: Event) {
        let key = self.key(&event.article, event.start, event.end, &event.annotator);
        match event.op {
            Op::Set | Op::Ignore => {
                let labels = self.label_sets.intern(event.labels.iter());
                let stored = self.store(
                    key,
                    event.op,
                    &event.fp,
                    labels,
                    event.ts,
                    event.origin,
                    event.text.into_boxed_str(),
                    event.scores,
                );
                match self.index.get(&key) {
                    Some(slot) => self.slots[slot as usize] = Some(stored),
                    None => {
                        let slot = u32::try_from(self.slots.len()).expect("fewer than 2^32 slots");
                        self.slots.push(Some(stored));
                        self.index.insert(key, slot);
                    }
                }
            }
            Op::Clear => {
                if let Some(slot) = self.index.remove(&key) {
                    self.slots[slot as usize] = None;
                    self.holes += 1;
                    self.squeeze_if_sparse();
                }
            }
            // Boundary, flag and note lines hold no annotation: stores keep them apart.
            Op::Split | Op::Merge | Op::Restore => {}
            Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => {}
        }
    }

    /// Records the newest event of `key` during a backward replay: returns false when a
    /// newer event for it was already seen, so the caller can skip building this one.
    pub(crate) fn claim_newest(&mut self, key: Key, op: Op) -> bool {
        let slot = match op {
            Op::Set | Op::Ignore => u32::try_from(self.slots.len()).expect("fewer than 2^32 slots"),
            Op::Clear | Op::Split | Op::Merge | Op::Restore => CLEARED,
            Op::Flag | Op::Unflag | Op::Note | Op::ArticleNote => CLEARED,
        };
        self.index.claim(key, slot)
    }

    /// Stores the `Set` or `Ignore` line whose key `claim_newest` just gave a slot to.
    pub(crate) fn push_newest(&mut self, key: Key, line: Line<'_>) {
        let fp = line.fp.get();
        let labels = self.label_sets.intern_line(&line.labels);
        let text = line.text.into_boxed_str();
        let scores = line.scores;
        let stored = self.store(
            key,
            line.op,
            &fp,
            labels,
            line.ts,
            line.origin,
            text,
            scores,
        );
        self.slots.push(Some(stored));
    }

    /// Ends a backward replay: drops clear markers and turns slots into journal order.
    pub(crate) fn finish_backward(&mut self) {
        self.index.retain(|slot| slot != CLEARED);
        let last = self.slots.len() as u32;
        self.index.for_each_slot(|slot| *slot = last - 1 - *slot);
        self.slots.reverse();
    }

    /// Drops the holes left by clears once they outnumber the annotations.
    fn squeeze_if_sparse(&mut self) {
        if self.holes < 1024 || self.holes * 2 < self.slots.len() {
            return;
        }
        let mut moved_to = Vec::with_capacity(self.slots.len());
        let mut next = 0u32;
        for slot in &self.slots {
            moved_to.push(next);
            next += u32::from(slot.is_some());
        }
        self.slots.retain(Option::is_some);
        self.index
            .for_each_slot(|slot| *slot = moved_to[*slot as usize]);
        self.holes = 0;
    }

    pub(crate) fn get(
        &self,
        article: &str,
        start: usize,
        end: usize,
        annotator: &str,
    ) -> Option<Annotation<'_>> {
        let key = self.find_key(article, start, end, annotator)?;
        let slot = self.index.get(&key)?;
        let stored = self.slots[slot as usize].as_ref()?;
        Some(Annotation::stored(self, stored))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = Annotation<'_>> + Clone {
        self.slots
            .iter()
            .flatten()
            .map(|stored| Annotation::stored(self, stored))
    }

    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    pub(crate) fn article(&self, stored: &Stored) -> &str {
        self.articles.name(stored.article)
    }

    pub(crate) fn annotator(&self, stored: &Stored) -> &str {
        self.annotators.name(stored.annotator)
    }

    pub(crate) fn labels(&self, stored: &Stored) -> &[String] {
        self.label_sets.get(stored.labels)
    }

    /// The stored fingerprint exactly as the journal had it.
    pub(crate) fn fp<'s>(&'s self, stored: &'s Stored) -> Cow<'s, str> {
        match stored.fp_odd {
            true => Cow::Borrowed(self.odd_fps.name(stored.fp as u32)),
            false => Cow::Owned(format_fingerprint(stored.fp)),
        }
    }

    /// The stored fingerprint as a number, when it is one.
    pub(crate) fn fingerprint(&self, stored: &Stored) -> Option<u64> {
        (!stored.fp_odd).then_some(stored.fp)
    }
}

impl Stored {
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }

    pub(crate) fn ts(&self) -> u64 {
        self.ts
    }

    pub(crate) fn origin(&self) -> Origin {
        self.origin
    }

    pub(crate) fn scores(&self) -> Option<&super::Scores> {
        self.scores.as_deref()
    }

    pub(crate) fn op(&self) -> Op {
        if self.ignored { Op::Ignore } else { Op::Set }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::event::JOURNAL_VERSION;

    fn event(op: Op, article: usize, labels: &[&str]) -> Event {
        Event {
            v: JOURNAL_VERSION,
            op,
            article: format!("article-with-a-long-identifier-{article}"),
            start: article % 7,
            end: 10 + article % 7,
            fp: String::new(),
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            annotator: "a".repeat(1 + article % 30),
            ts: article as u64,
            origin: Origin::Typed,
            text: String::new(),
            scores: None,
        }
    }

    #[test]
    fn many_clears_squeeze_the_slots_and_every_lookup_still_finds_its_annotation() {
        let mut annotations = Annotations::default();
        for i in 0..3000 {
            annotations.apply(event(Op::Set, i, &["military"]));
        }
        for i in (0..3000).filter(|i| i % 3 != 0) {
            annotations.apply(event(Op::Clear, i, &[]));
        }
        assert!(annotations.slots.len() < 3000, "the holes were dropped");
        for i in (0..3000).filter(|i| i % 6 == 0) {
            annotations.apply(event(Op::Set, i, &["sanctions"]));
        }
        assert_eq!(annotations.len(), 1000);
        assert_eq!(annotations.iter().count(), 1000);
        for i in 0..3000 {
            let e = event(Op::Set, i, &[]);
            let found = annotations.get(&e.article, e.start, e.end, &e.annotator);
            let expected = match (i % 3, i % 6) {
                (_, 0) => Some(vec!["sanctions".to_owned()]),
                (0, _) => Some(vec!["military".to_owned()]),
                _ => None,
            };
            assert_eq!(found.map(|e| e.labels().to_vec()), expected, "article {i}");
        }
        let order: Vec<u64> = annotations.iter().map(|e| e.ts()).collect();
        assert!(order.is_sorted(), "first-annotated first");
    }

    #[test]
    fn fingerprints_of_any_length_read_back_verbatim() {
        let fps = [
            "cbf29ce484222325",
            "",
            "CBF29CE484222325",
            "not a fingerprint at all",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{0}x",
            "ab",
            "",
        ];
        let mut annotations = Annotations::default();
        for (i, fp) in fps.iter().enumerate() {
            let mut e = event(Op::Set, i, &[]);
            e.fp = (*fp).to_owned();
            annotations.apply(e);
        }
        let read: Vec<String> = annotations.iter().map(|a| a.fp().into_owned()).collect();
        assert_eq!(read, fps);
    }

    #[test]
    fn label_sets_that_join_to_the_same_text_stay_apart() {
        let sets: [&[&str]; 6] = [&["ab", "c"], &["a", "bc"], &[], &[""], &["", ""], &["abc"]];
        let mut annotations = Annotations::default();
        for (i, labels) in sets.iter().enumerate() {
            annotations.apply(event(Op::Set, i, labels));
        }
        for (i, labels) in sets.iter().enumerate() {
            let e = event(Op::Set, i, &[]);
            let found = annotations.get(&e.article, e.start, e.end, &e.annotator);
            let expected: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
            assert_eq!(found.map(|a| a.labels().to_vec()), Some(expected));
        }
    }

    #[test]
    fn a_label_set_spelt_two_ways_reads_back_the_same_and_other_sets_stay_apart() {
        use crate::store::replay::{Replay, parse_line, take};
        let line = |start: usize, labels: &str| {
            format!(
                "{{\"v\":1,\"op\":\"set\",\"article\":\"a\",\"start\":{start},\"end\":{},\
                 \"fp\":\"cbf29ce484222325\",\"labels\":{labels},\"annotator\":\"x\",\"ts\":1,\
                 \"origin\":\"typed\",\"text\":\"t\"}}",
                start + 1
            )
        };
        let sets = [
            r#"["ab"]"#,
            r#"["a\u0062"]"#,
            r#"["ab","c"]"#,
            r#"["ab"]"#,
            "[]",
            r#"["a","bc"]"#,
        ];
        let lines: Vec<String> = (0..sets.len()).map(|i| line(2 * i, sets[i])).collect();
        let mut out = Replay::default();
        for l in lines.iter().rev() {
            let parsed = parse_line(l.as_bytes()).unwrap();
            assert!(
                matches!(parsed.labels, Labels::Array(_)),
                "read by the fast reader"
            );
            take(&mut out, (&mut Vec::new(), &mut Vec::new()), parsed);
        }
        out.annotations.finish_backward();
        let read: Vec<Vec<String>> = out
            .annotations
            .iter()
            .map(|a| a.labels().to_vec())
            .collect();
        let expected: [&[&str]; 6] = [&["ab"], &["ab"], &["ab", "c"], &["ab"], &[], &["a", "bc"]];
        assert_eq!(read, expected);
    }

    #[test]
    fn a_stored_annotation_is_a_fraction_of_an_event() {
        assert!(std::mem::size_of::<Option<Stored>>() <= 72);
    }
}
