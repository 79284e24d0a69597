//! Sentence embeddings as the classifier's features, behind the same [`Encoder`] trait as
//! the hashed n-grams: a bias slot, then the embedding (dense, unit length, times
//! [`Embedded::scale`]), then optionally the n-gram features shifted past it.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use crate::hash::fingerprint_u64;
use crate::model::encoder::{Encoder, Feature, HashedNgrams};

/// Looks each sentence's embedding up by fingerprint; the embeddings are computed beforehand
/// (see [`super::cache::Cache::fill`]) and may keep arriving while the model runs (the
/// session's worker adds them with [`Embedded::insert`]). A sentence without one gets only
/// the n-gram features (or only the bias), so the model never waits for the encoder.
#[derive(Clone)]
pub struct Embedded {
    table: Arc<RwLock<HashMap<u64, Vec<f32>>>>,
    dimension: usize,
    scale: f32,
    ngrams: Option<HashedNgrams>,
}

impl Embedded {
    /// Features from `table` (embeddings of `dimension` values by sentence fingerprint),
    /// scaled by `scale`, followed by `ngrams` when given.
    pub fn new(
        table: HashMap<u64, Vec<f32>>,
        dimension: usize,
        scale: f32,
        ngrams: Option<HashedNgrams>,
    ) -> Embedded {
        Embedded {
            table: Arc::new(RwLock::new(table)),
            dimension,
            scale,
            ngrams,
        }
    }

    /// The factor the embedding's values are multiplied by.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// True when `text` has an embedding.
    pub fn has(&self, text: &str) -> bool {
        self.read().contains_key(&fingerprint_u64(text))
    }

    /// Gives `text` its embedding, for this value and every clone of it.
    pub fn insert(&self, text: &str, embedding: Vec<f32>) {
        self.table
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(fingerprint_u64(text), embedding);
    }

    /// Sentences with an embedding.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// True when no sentence has an embedding yet.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<u64, Vec<f32>>> {
        // A writer that panicked left whole entries: each insert is one map operation.
        self.table.read().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Encoder for Embedded {
    fn dimension(&self) -> usize {
        1 + self.dimension + self.ngrams.as_ref().map_or(0, |n| n.dimension())
    }

    fn features(&self, text: &str, out: &mut Vec<Feature>) {
        out.clear();
        out.push(Feature {
            index: 0,
            value: 1.0,
        });
        if let Some(embedding) = self.read().get(&fingerprint_u64(text)) {
            out.extend(embedding.iter().enumerate().map(|(i, &v)| Feature {
                index: 1 + i as u32,
                value: v * self.scale,
            }));
        }
        if let Some(ngrams) = &self.ngrams {
            let mut grams = Vec::new();
            ngrams.features(text, &mut grams);
            let shift = 1 + self.dimension as u32;
            // The n-grams' own bias (slot 0) is left out: there is one bias already.
            out.extend(grams.into_iter().filter(|f| f.index != 0).map(|f| Feature {
                index: f.index + shift,
                value: f.value,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_bias_embedding_then_shifted_ngrams() {
        let mut table = HashMap::new();
        table.insert(fingerprint_u64("known"), vec![0.6, 0.8]);
        let alone = Embedded::new(table.clone(), 2, 2.0, None);
        let mut out = Vec::new();
        alone.features("known", &mut out);
        assert_eq!(alone.dimension(), 3);
        let values: Vec<(u32, f32)> = out.iter().map(|f| (f.index, f.value)).collect();
        assert_eq!(values, [(0, 1.0), (1, 1.2), (2, 1.6)]);
        alone.features("unknown", &mut out);
        assert_eq!(out.len(), 1, "only the bias without an embedding");
        assert!(alone.has("known") && !alone.has("unknown"));
        alone.clone().insert("unknown", vec![1.0, 0.0]);
        alone.features("unknown", &mut out);
        assert_eq!(
            out.len(),
            3,
            "an embedding inserted in a clone is seen by all"
        );
        let both = Embedded::new(table, 2, 1.0, Some(HashedNgrams::new(10)));
        both.features("known", &mut out);
        assert_eq!(both.dimension(), 3 + 1024);
        assert!(out.windows(2).all(|w| w[0].index < w[1].index));
        assert!(out[3..].iter().all(|f| f.index >= 3));
        assert!(out.iter().all(|f| (f.index as usize) < both.dimension()));
    }
}
