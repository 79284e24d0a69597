//! Sentence embeddings from a sentence-transformers model folder on disk (BERT family, such
//! as all-MiniLM-L6-v2), computed in-process on the CPU: the tokenizer of `tokenizer.json`,
//! the BERT of `config.json` and `model.safetensors`, mean pooling over the attention mask,
//! L2 normalisation, truncation at `sentence_bert_config.json`'s `max_seq_length`. Nothing is
//! ever downloaded.
//!
//! The forward pass is stance's own (`bert`) over `matrixmultiply`'s products rather than
//! candle's: packing a batch's tokens without padding, one product for query, key and value,
//! and attention per sentence at its exact length made it about twice as fast per CPU-second,
//! and the crate builds in seconds where candle took minutes (README, "The sentence encoder").

pub use stance_bert::bert;
pub mod cache;
pub mod features;
pub mod session;
pub mod setup;
pub use stance_bert::tensors;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;
use tokenizers::{Tokenizer, TruncationParams};

use self::bert::{Bert, Config, Scratch};
use crate::escape;
use crate::hash::fmix64;

/// Tokens packed into one forward pass (a group of sentences, whole): enough rows to keep
/// the matrix products at their speed, few enough that a thread's buffers stay near 30 MB.
pub const GROUP_TOKENS: usize = 2048;

/// Why a model folder cannot be used: always names the file at fault.
#[derive(Debug)]
pub struct LoadError {
    /// The file (or folder) at fault.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "encoder {}: {}",
            escape::path(&self.path),
            escape::escape(&self.reason)
        )
    }
}

impl std::error::Error for LoadError {}

fn fail(path: &Path, reason: impl fmt::Display) -> LoadError {
    LoadError {
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

/// A loaded sentence encoder; shareable between threads (inference takes `&self`).
pub struct SentenceEncoder {
    model: Bert,
    tokenizer: Tokenizer,
    dimension: usize,
    max_seq_length: usize,
    identity: u64,
    folder: PathBuf,
}

#[derive(Deserialize)]
struct Module {
    path: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct Pooling {
    word_embedding_dimension: usize,
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
}

#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: usize,
}

/// Only what is checked before the full BERT config is read, so that a model of another
/// family says so instead of naming a missing field.
#[derive(Deserialize)]
struct Family {
    #[serde(default)]
    model_type: Option<String>,
    #[serde(default)]
    architectures: Vec<String>,
}

fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            "missing: a sentence-transformers folder has config.json, model.safetensors, \
             tokenizer.json, modules.json, 1_Pooling/config.json and sentence_bert_config.json"
                .to_owned()
        } else {
            e.to_string()
        };
        fail(path, why)
    })
}

fn json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<(T, Vec<u8>), LoadError> {
    let bytes = read(path)?;
    let value = serde_json::from_slice(&bytes).map_err(|e| fail(path, e))?;
    Ok((value, bytes))
}

/// Mixes `bytes` into `hash`, eight bytes at a time (fast enough for 90 MB of weights even
/// in a debug build).
fn mix(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        hash = fmix64(hash ^ word).wrapping_add(0x9e37_79b9_7f4a_7c15);
    }
    for &byte in chunks.remainder() {
        hash = fmix64(hash ^ u64::from(byte));
    }
    fmix64(hash ^ bytes.len() as u64)
}

impl SentenceEncoder {
    /// Loads the model folder `dir`, checking every file it needs.
    pub fn load(dir: &Path) -> Result<SentenceEncoder, LoadError> {
        if !dir.is_dir() {
            return Err(fail(
                dir,
                "not a folder (give a sentence-transformers model folder)",
            ));
        }
        let (modules, modules_bytes) = json::<Vec<Module>>(&dir.join("modules.json"))?;
        let kinds: Vec<&str> = modules.iter().map(|m| m.kind.as_str()).collect();
        let supported = matches!(
            kinds.as_slice(),
            [
                "sentence_transformers.models.Transformer",
                "sentence_transformers.models.Pooling"
            ] | [
                "sentence_transformers.models.Transformer",
                "sentence_transformers.models.Pooling",
                "sentence_transformers.models.Normalize"
            ]
        );
        if !supported {
            return Err(fail(
                &dir.join("modules.json"),
                format!(
                    "unsupported modules {kinds:?}: stance reads Transformer, Pooling and \
                     optionally Normalize"
                ),
            ));
        }
        let pooling_path = dir.join(&modules[1].path).join("config.json");
        let (pooling, pooling_bytes) = json::<Pooling>(&pooling_path)?;
        if !pooling.pooling_mode_mean_tokens
            || pooling.pooling_mode_cls_token
            || pooling.pooling_mode_max_tokens
            || pooling.pooling_mode_mean_sqrt_len_tokens
        {
            return Err(fail(
                &pooling_path,
                "unsupported pooling: stance reads mean pooling only",
            ));
        }
        let sbert_path = dir.join("sentence_bert_config.json");
        let (sbert, sbert_bytes) = json::<SentenceBertConfig>(&sbert_path)?;
        let config_path = dir.join("config.json");
        let (family, config_bytes) = json::<Family>(&config_path)?;
        let bert = family.model_type.as_deref() == Some("bert")
            || family.architectures.iter().any(|a| a.starts_with("Bert"));
        if !bert {
            return Err(fail(
                &config_path,
                format!(
                    "unsupported architecture {:?} {:?}: stance runs BERT models",
                    family.model_type.unwrap_or_default(),
                    family.architectures
                ),
            ));
        }
        let config: Config =
            serde_json::from_slice(&config_bytes).map_err(|e| fail(&config_path, e))?;
        if config.num_attention_heads == 0
            || !config
                .hidden_size
                .is_multiple_of(config.num_attention_heads)
        {
            return Err(fail(
                &config_path,
                format!(
                    "hidden_size {} is not a multiple of num_attention_heads {}",
                    config.hidden_size, config.num_attention_heads
                ),
            ));
        }
        if pooling.word_embedding_dimension != config.hidden_size {
            return Err(fail(
                &pooling_path,
                format!(
                    "word_embedding_dimension {} is not config.json's hidden_size {}",
                    pooling.word_embedding_dimension, config.hidden_size
                ),
            ));
        }
        let max_seq_length = sbert.max_seq_length.min(config.max_position_embeddings);
        if max_seq_length < 2 {
            return Err(fail(&sbert_path, "max_seq_length must be at least 2"));
        }
        let tokenizer_path = dir.join("tokenizer.json");
        let tokenizer_bytes = read(&tokenizer_path)?;
        let mut tokenizer =
            Tokenizer::from_bytes(&tokenizer_bytes).map_err(|e| fail(&tokenizer_path, e))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_seq_length,
                ..TruncationParams::default()
            }))
            .map_err(|e| fail(&tokenizer_path, e))?;
        let weights_path = dir.join("model.safetensors");
        let weights = read(&weights_path)?;
        let mut identity = 0x5354_414e_4345_0001; // "STANCE", then a layout number
        for bytes in [
            &modules_bytes,
            &pooling_bytes,
            &sbert_bytes,
            &config_bytes,
            &tokenizer_bytes,
            &weights,
        ] {
            identity = mix(identity, bytes);
        }
        let tensors = tensors::Tensors::parse(&weights).map_err(|e| fail(&weights_path, e))?;
        let model = Bert::load(&tensors, &config).map_err(|e| {
            fail(
                &weights_path,
                format!("does not hold the BERT that config.json describes: {e}"),
            )
        })?;
        drop(tensors);
        drop(weights);
        Ok(SentenceEncoder {
            model,
            tokenizer,
            dimension: config.hidden_size,
            max_seq_length,
            identity,
            folder: dir.to_owned(),
        })
    }

    /// Length of every embedding.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Tokens a sentence is cut to, its `[CLS]` and `[SEP]` included.
    pub fn max_seq_length(&self) -> usize {
        self.max_seq_length
    }

    /// A hash of every file the encoder was loaded from: two folders with the same identity
    /// give the same embeddings, so the embedding cache is keyed by it.
    pub fn identity(&self) -> u64 {
        self.identity
    }

    /// The folder it was loaded from.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The unit-length embeddings of `texts`, in their order. Consecutive sentences are
    /// packed into groups of at most [`GROUP_TOKENS`] tokens, run on every core; a
    /// sentence's embedding is the same bit for bit whatever group it is in.
    pub fn embed(&self, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        let mut encodings = Vec::with_capacity(texts.len());
        for text in texts {
            let encoding = self
                .tokenizer
                .encode(*text, true)
                .map_err(|e| anyhow::anyhow!("tokenizing a sentence: {e}"))?;
            encodings.push(encoding.get_ids().to_vec());
        }
        let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
        let (mut start, mut tokens) = (0, 0);
        for (i, ids) in encodings.iter().enumerate() {
            if i > start && tokens + ids.len() > GROUP_TOKENS {
                groups.push(start..i);
                (start, tokens) = (i, 0);
            }
            tokens += ids.len();
        }
        if start < encodings.len() {
            groups.push(start..encodings.len());
        }
        let run = |range: &std::ops::Range<usize>, scratch: &mut Scratch| {
            let rows: Vec<&[u32]> = encodings[range.clone()].iter().map(Vec::as_slice).collect();
            let hidden = self.model.forward(&rows, scratch);
            pool(hidden, &rows, self.dimension)
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(groups.len());
        if threads <= 1 {
            let mut scratch = Scratch::default();
            return Ok(groups.iter().flat_map(|g| run(g, &mut scratch)).collect());
        }
        // Each thread takes the next group not taken: which thread ran a group changes none
        // of its numbers.
        let next = AtomicUsize::new(0);
        let mut done: Vec<(usize, Vec<Vec<f32>>)> = std::thread::scope(|scope| {
            let spawned: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut scratch = Scratch::default();
                        let mut done = Vec::new();
                        loop {
                            let g = next.fetch_add(1, Ordering::Relaxed);
                            let Some(range) = groups.get(g) else { break };
                            done.push((g, run(range, &mut scratch)));
                        }
                        done
                    })
                })
                .collect();
            spawned
                .into_iter()
                .flat_map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        done.sort_unstable_by_key(|&(g, _)| g);
        Ok(done.into_iter().flat_map(|(_, e)| e).collect())
    }
}

/// Mean pooling of each sentence's rows of `hidden`, then L2 normalisation, as
/// sentence-transformers' Pooling and Normalize modules compute them.
fn pool(hidden: &[f32], rows: &[&[u32]], dimension: usize) -> Vec<Vec<f32>> {
    let mut start = 0;
    rows.iter()
        .map(|ids| {
            let tokens = &hidden[start * dimension..(start + ids.len()) * dimension];
            start += ids.len();
            let mut mean = vec![0f32; dimension];
            for token in tokens.chunks_exact(dimension) {
                for (m, v) in mean.iter_mut().zip(token) {
                    *m += v;
                }
            }
            let count = (ids.len() as f32).max(1e-9);
            for m in &mut mean {
                *m /= count;
            }
            let norm = mean.iter().map(|m| m * m).sum::<f32>().sqrt().max(1e-12);
            for m in &mut mean {
                *m /= norm;
            }
            mean
        })
        .collect()
}

/// The cosine of two unit-length embeddings.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
