//! The index of live annotations by key, grouped by (article, annotator).
//!
//! A journal's lines and a store's rows come an article at a time, so the events of one
//! group meet one after another: a lookup reads that group's short list, already in cache,
//! where one table of every sentence would cost a cache miss per event (a third of the
//! replay of a million events) and a rehash of everything as it grew.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use super::state::Key;

/// Sentences a group keeps in a list (searched in order) before it needs a table of its own.
const FEW: usize = 48;

/// Slots of live annotations by key; each key at most once.
#[derive(Debug, Default)]
pub(crate) struct Index {
    groups: HashMap<(u32, u32), Group, FxBuildHasher>,
    len: usize,
}

/// The spans of one (article, annotator) and their slots.
#[derive(Debug)]
enum Group {
    Few(Vec<(usize, usize, u32)>),
    Many(HashMap<(usize, usize), u32, FxBuildHasher>),
}

impl Group {
    fn get_mut(&mut self, span: (usize, usize)) -> Option<&mut u32> {
        match self {
            Group::Few(list) => list
                .iter_mut()
                .find(|e| (e.0, e.1) == span)
                .map(|e| &mut e.2),
            Group::Many(map) => map.get_mut(&span),
        }
    }

    /// Adds a span the group does not hold.
    fn push(&mut self, span: (usize, usize), slot: u32) {
        match self {
            Group::Few(list) if list.len() < FEW => list.push((span.0, span.1, slot)),
            Group::Few(list) => {
                let mut map: HashMap<_, _, FxBuildHasher> =
                    list.drain(..).map(|(s, e, slot)| ((s, e), slot)).collect();
                map.insert(span, slot);
                *self = Group::Many(map);
            }
            Group::Many(map) => {
                map.insert(span, slot);
            }
        }
    }

    fn remove(&mut self, span: (usize, usize)) -> Option<u32> {
        match self {
            Group::Few(list) => {
                let i = list.iter().position(|e| (e.0, e.1) == span)?;
                Some(list.swap_remove(i).2)
            }
            Group::Many(map) => map.remove(&span),
        }
    }

    fn len(&self) -> usize {
        match self {
            Group::Few(list) => list.len(),
            Group::Many(map) => map.len(),
        }
    }

    fn retain(&mut self, keep: &mut impl FnMut(u32) -> bool) {
        match self {
            Group::Few(list) => list.retain(|e| keep(e.2)),
            Group::Many(map) => map.retain(|_, slot| keep(*slot)),
        }
    }

    fn for_each_slot(&mut self, each: &mut impl FnMut(&mut u32)) {
        match self {
            Group::Few(list) => list.iter_mut().for_each(|e| each(&mut e.2)),
            Group::Many(map) => map.values_mut().for_each(each),
        }
    }
}

impl Index {
    pub(crate) fn get(&self, key: &Key) -> Option<u32> {
        match self.groups.get(&key.group())? {
            Group::Few(list) => list.iter().find(|e| (e.0, e.1) == key.span()).map(|e| e.2),
            Group::Many(map) => map.get(&key.span()).copied(),
        }
    }

    /// Points `key` at `slot`, whether or not it was there.
    pub(crate) fn insert(&mut self, key: Key, slot: u32) {
        let group = self.group(key);
        match group.get_mut(key.span()) {
            Some(old) => *old = slot,
            None => {
                group.push(key.span(), slot);
                self.len += 1;
            }
        }
    }

    /// Points `key` at `slot` only when it is not there yet; whether it was not.
    pub(crate) fn claim(&mut self, key: Key, slot: u32) -> bool {
        let group = self.group(key);
        if group.get_mut(key.span()).is_some() {
            return false;
        }
        group.push(key.span(), slot);
        self.len += 1;
        true
    }

    pub(crate) fn remove(&mut self, key: &Key) -> Option<u32> {
        let group = self.groups.get_mut(&key.group())?;
        let slot = group.remove(key.span())?;
        if group.len() == 0 {
            self.groups.remove(&key.group());
        }
        self.len -= 1;
        Some(slot)
    }

    /// Keeps the keys whose slot `keep` accepts.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(u32) -> bool) {
        let mut len = 0;
        self.groups.retain(|_, group| {
            group.retain(&mut keep);
            len += group.len();
            group.len() > 0
        });
        self.len = len;
    }

    /// Calls `each` on every key's slot, to renumber them.
    pub(crate) fn for_each_slot(&mut self, mut each: impl FnMut(&mut u32)) {
        for group in self.groups.values_mut() {
            group.for_each_slot(&mut each);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn group(&mut self, key: Key) -> &mut Group {
        self.groups
            .entry(key.group())
            .or_insert_with(|| Group::Few(Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn the_index_answers_as_one_hash_table_does(
            ops in proptest::collection::vec((0..4u8, 0..3u32, 0..80usize, any::<u32>()), 0..600),
        ) {
            let mut index = Index::default();
            let mut model: HashMap<Key, u32> = HashMap::new();
            for (op, article, start, slot) in ops {
                let key = Key::new(article, article % 2, start, start + 1);
                match op {
                    0 => {
                        index.insert(key, slot);
                        model.insert(key, slot);
                    }
                    1 => {
                        let vacant = !model.contains_key(&key);
                        prop_assert_eq!(index.claim(key, slot), vacant);
                        model.entry(key).or_insert(slot);
                    }
                    2 => prop_assert_eq!(index.remove(&key), model.remove(&key)),
                    _ => {
                        index.retain(|s| s % 3 != 0);
                        model.retain(|_, s| *s % 3 != 0);
                        index.for_each_slot(|s| *s = s.wrapping_add(1));
                        model.values_mut().for_each(|s| *s = s.wrapping_add(1));
                    }
                }
                prop_assert_eq!(index.len(), model.len());
            }
            for article in 0..3 {
                for start in 0..80 {
                    let key = Key::new(article, article % 2, start, start + 1);
                    prop_assert_eq!(index.get(&key), model.get(&key).copied());
                }
            }
        }
    }
}
