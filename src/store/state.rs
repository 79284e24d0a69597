//! The in-memory view: the current annotation per (article, start, end, annotator).
//!
//! Only live annotations are kept, never superseded events. Article ids and annotator
//! names are interned so the index holds small integer keys instead of second copies
//! of the strings, and annotations sit in a slab so iteration (and so compaction
//! output) follows a stable order rather than a hash order.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{Hash, Hasher};

use rustc_hash::FxBuildHasher;

use super::event::{Event, Op};

/// Strings mapped to small dense numbers, never forgotten.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<Name, u32, FxBuildHasher>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s.as_bytes()) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).expect("fewer than 2^32 distinct ids");
        self.ids.insert(Name::new(s.as_bytes()), id);
        id
    }

    fn find(&self, s: &str) -> Option<u32> {
        self.ids.get(s.as_bytes()).copied()
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

/// Marks a key whose newest event (met first by a backward replay) is a `Clear`.
const CLEARED: u32 = u32::MAX;

/// Live annotations with an index by key.
#[derive(Debug, Default)]
pub(crate) struct Annotations {
    articles: Interner,
    annotators: Interner,
    index: HashMap<Key, u32, FxBuildHasher>,
    slots: Vec<Option<Event>>,
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

    /// Applies one event in journal order: `Set` replaces, `Clear` removes.
    pub(crate) fn apply(&mut self, event: Event) {
        let key = self.key(&event.article, event.start, event.end, &event.annotator);
        match event.op {
            Op::Set => match self.index.get(&key) {
                Some(&slot) => self.slots[slot as usize] = Some(event),
                None => {
                    let slot = u32::try_from(self.slots.len()).expect("fewer than 2^32 slots");
                    self.slots.push(Some(event));
                    self.index.insert(key, slot);
                }
            },
            Op::Clear => {
                if let Some(slot) = self.index.remove(&key) {
                    self.slots[slot as usize] = None;
                    self.holes += 1;
                    self.squeeze_if_sparse();
                }
            }
        }
    }

    /// Records the newest event of `key` during a backward replay: returns false when a
    /// newer event for it was already seen, so the caller can skip building this one.
    pub(crate) fn claim_newest(&mut self, key: Key, op: Op) -> bool {
        let slot = match op {
            Op::Set => u32::try_from(self.slots.len()).expect("fewer than 2^32 slots"),
            Op::Clear => CLEARED,
        };
        match self.index.entry(key) {
            Entry::Occupied(_) => false,
            Entry::Vacant(place) => {
                place.insert(slot);
                true
            }
        }
    }

    /// Stores the event whose key `claim_newest` just gave a slot to.
    pub(crate) fn push_newest(&mut self, event: Event) {
        self.slots.push(Some(event));
    }

    /// Ends a backward replay: drops clear markers and turns slots into journal order.
    pub(crate) fn finish_backward(&mut self) {
        self.index.retain(|_, slot| *slot != CLEARED);
        let last = self.slots.len() as u32;
        for slot in self.index.values_mut() {
            *slot = last - 1 - *slot;
        }
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
        for slot in self.index.values_mut() {
            *slot = moved_to[*slot as usize];
        }
        self.holes = 0;
    }

    pub(crate) fn get(
        &self,
        article: &str,
        start: usize,
        end: usize,
        annotator: &str,
    ) -> Option<&Event> {
        let key = self.find_key(article, start, end, annotator)?;
        let slot = *self.index.get(&key)?;
        self.slots[slot as usize].as_ref()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Event> {
        self.slots.iter().flatten()
    }

    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::event::{JOURNAL_VERSION, Origin};

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
            assert_eq!(found.map(|e| e.labels.clone()), expected, "article {i}");
        }
        let order: Vec<u64> = annotations.iter().map(|e| e.ts).collect();
        assert!(order.is_sorted(), "first-annotated first");
    }
}
