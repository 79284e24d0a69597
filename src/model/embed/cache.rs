//! Embeddings kept on disk beside the store, so that each sentence is embedded once ever per
//! encoder: one file per encoder identity, a header and then fixed-size records (sentence
//! fingerprint, the embedding, a checksum), appended as sentences are embedded. A record
//! whose checksum fails, a torn last record or a file with a wrong header is never trusted:
//! those sentences are embedded again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::SentenceEncoder;
use super::mix;
use crate::hash::fingerprint_u64;

const MAGIC: &[u8; 8] = b"STEMB\x001\n";
const HEADER: usize = 8 + 8 + 8;

/// The embedding cache of one encoder, as read from disk, plus what was added since.
pub struct Cache {
    path: PathBuf,
    identity: u64,
    dimension: usize,
    entries: HashMap<u64, Vec<f32>>,
    /// Records read that were not trusted (checksum, torn tail or header).
    pub rejected: usize,
}

/// The cache folder of the store at `store`: `<store>.embeddings`, beside it.
pub fn folder(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".embeddings");
    PathBuf::from(name)
}

fn checksum(fp: u64, values: &[u8]) -> u64 {
    mix(fp ^ 0x00c0_ffee, values)
}

impl Cache {
    /// Reads the cache of `encoder` in `folder` (empty when there is none yet).
    pub fn open(folder: &Path, encoder: &SentenceEncoder) -> io::Result<Cache> {
        let identity = encoder.identity();
        let dimension = encoder.dimension();
        let path = folder.join(format!("{identity:016x}.emb"));
        let mut cache = Cache {
            path,
            identity,
            dimension,
            entries: HashMap::new(),
            rejected: 0,
        };
        let mut bytes = Vec::new();
        match File::open(&cache.path) {
            Ok(mut file) => {
                file.read_to_end(&mut bytes)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(cache),
            Err(e) => return Err(e),
        }
        if bytes.len() < HEADER || bytes[..HEADER] != cache.header() {
            cache.rejected += 1;
            return Ok(cache);
        }
        let record = cache.record_len();
        let body = &bytes[HEADER..];
        let mut records = body.chunks_exact(record);
        for r in &mut records {
            let fp = u64::from_le_bytes(r[..8].try_into().expect("8 bytes"));
            let values = &r[8..record - 8];
            let check = u64::from_le_bytes(r[record - 8..].try_into().expect("8 bytes"));
            if check != checksum(fp, values) {
                cache.rejected += 1;
                continue;
            }
            let embedding = values
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
                .collect();
            cache.entries.insert(fp, embedding);
        }
        if !records.remainder().is_empty() {
            cache.rejected += 1;
        }
        Ok(cache)
    }

    fn header(&self) -> [u8; HEADER] {
        let mut header = [0u8; HEADER];
        header[..8].copy_from_slice(MAGIC);
        header[8..16].copy_from_slice(&self.identity.to_le_bytes());
        header[16..24].copy_from_slice(&(self.dimension as u64).to_le_bytes());
        header
    }

    fn record_len(&self) -> usize {
        8 + 4 * self.dimension + 8
    }

    /// The file the cache lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sentences with an embedding.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no sentence has an embedding yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The embedding of the sentence `text`, if it has one.
    pub fn get(&self, text: &str) -> Option<&[f32]> {
        self.entries.get(&fingerprint_u64(text)).map(Vec::as_slice)
    }

    /// Every embedding, by sentence fingerprint.
    pub fn entries(&self) -> &HashMap<u64, Vec<f32>> {
        &self.entries
    }

    /// Every embedding, by sentence fingerprint, moved out of the cache (which keeps
    /// appending to its file: see [`Cache::write`]).
    pub fn take_entries(&mut self) -> HashMap<u64, Vec<f32>> {
        std::mem::take(&mut self.entries)
    }

    /// Appends the embeddings of `fresh` (sentence text and embedding) to the file without
    /// keeping them in memory: the caller keeps them.
    pub fn write(&self, fresh: &[(&str, &[f32])]) -> io::Result<()> {
        let mut bytes = Vec::with_capacity(fresh.len() * self.record_len());
        for (text, embedding) in fresh {
            self.record(fingerprint_u64(text), embedding, &mut bytes);
        }
        self.append(&bytes)
    }

    fn record(&self, fp: u64, embedding: &[f32], bytes: &mut Vec<u8>) {
        let start = bytes.len();
        bytes.extend_from_slice(&fp.to_le_bytes());
        for v in embedding {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        let check = checksum(fp, &bytes[start + 8..]);
        bytes.extend_from_slice(&check.to_le_bytes());
    }

    /// Embeds the sentences of `texts` that have no embedding yet (each once) and appends
    /// them to the file; returns how many were embedded.
    pub fn fill<'t>(
        &mut self,
        encoder: &SentenceEncoder,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> anyhow::Result<usize> {
        let mut missing: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for text in texts {
            let fp = fingerprint_u64(text);
            if !self.entries.contains_key(&fp) && seen.insert(fp) {
                missing.push(text);
            }
        }
        if missing.is_empty() {
            return Ok(0);
        }
        let embeddings = encoder.embed(&missing)?;
        let mut bytes = Vec::with_capacity(missing.len() * self.record_len());
        for (text, embedding) in missing.iter().zip(&embeddings) {
            self.record(fingerprint_u64(text), embedding, &mut bytes);
        }
        for (text, embedding) in missing.iter().zip(embeddings) {
            self.entries.insert(fingerprint_u64(text), embedding);
        }
        self.append(&bytes)?;
        Ok(missing.len())
    }

    /// Appends whole records, after a fresh header when the file is new or untrusted, and
    /// after cutting a torn last record so that records stay aligned.
    fn append(&self, records: &[u8]) -> io::Result<()> {
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.path)?;
        let len = file.metadata()?.len() as usize;
        let mut header = [0u8; HEADER];
        let whole = len >= HEADER && {
            file.read_exact(&mut header)?;
            header == self.header()
        };
        if whole {
            let kept = HEADER + (len - HEADER) / self.record_len() * self.record_len();
            file.set_len(kept as u64)?;
        } else {
            file.set_len(0)?;
        }
        use std::io::Seek;
        file.seek(io::SeekFrom::End(0))?;
        let mut out = Vec::with_capacity(HEADER + records.len());
        if !whole {
            out.extend_from_slice(&self.header());
        }
        out.extend_from_slice(records);
        file.write_all(&out)?;
        file.sync_data()
    }
}
