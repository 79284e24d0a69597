//! The in-memory view: the current annotation per (article, start, end, annotator).
//!
//! Only live annotations are kept, never superseded events. Article ids and annotator
//! names are interned so the index holds small integer keys instead of second copies
//! of the strings, and annotations sit in a slab so iteration (and so compaction
//! output) follows a stable order rather than a hash order.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use super::event::{Event, Op};

/// Strings mapped to small dense numbers, never forgotten.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<Box<str>, u32, FxBuildHasher>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).expect("fewer than 2^32 distinct ids");
        self.ids.insert(s.into(), id);
        id
    }

    fn find(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }
}

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
        if self.index.contains_key(&key) {
            return false;
        }
        let slot = match op {
            Op::Set => u32::try_from(self.slots.len()).expect("fewer than 2^32 slots"),
            Op::Clear => CLEARED,
        };
        self.index.insert(key, slot);
        true
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
