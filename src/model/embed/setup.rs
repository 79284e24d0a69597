//! What `--encoder DIR` does before the model trains: load the folder, embed every sentence
//! the run needs that the cache beside the store lacks, and hand the model the features.

use std::path::Path;

use super::SentenceEncoder;
use super::cache::{self, Cache};
use super::features::Embedded;
use crate::model::encoder::HashedNgrams;
use crate::model::{Model, OPTIMIZER};
use crate::schema::Schema;

/// The factor on the embedding when it is read beside the n-grams (README, "The sentence
/// encoder", says how it was chosen).
pub const SCALE: f32 = 2.0;

/// Hash bits of the n-grams read beside the embedding.
pub const NGRAM_BITS: u32 = 18;

/// Loads `dir`, brings the cache of the store at `store` up to date for `texts` and returns
/// the features (the n-grams after the embedding unless `embedding_alone`), with how many
/// sentences were embedded now.
pub fn prepare<'t>(
    dir: &Path,
    store: &Path,
    texts: impl IntoIterator<Item = &'t str>,
    embedding_alone: bool,
) -> anyhow::Result<(Embedded, usize)> {
    let encoder = SentenceEncoder::load(dir)?;
    let folder = cache::folder(store);
    let mut cache = Cache::open(&folder, &encoder)
        .map_err(|e| anyhow::anyhow!("embedding cache {}: {e}", crate::escape::path(&folder)))?;
    if cache.rejected > 0 {
        eprintln!(
            "stance: note: {} damaged records of the embedding cache {} are not trusted; \
             their sentences are embedded again",
            cache.rejected,
            crate::escape::path(cache.path())
        );
    }
    let embedded = cache.fill(&encoder, texts)?;
    let features = Embedded::new(
        cache.take_entries(),
        encoder.dimension(),
        SCALE,
        (!embedding_alone).then(|| HashedNgrams::new(NGRAM_BITS)),
    );
    Ok((features, embedded))
}

/// An untrained model for `schema` over `features`.
pub fn model(schema: &Schema, features: &Embedded) -> Model {
    Model::with(schema, Box::new(features.clone()), OPTIMIZER)
}
