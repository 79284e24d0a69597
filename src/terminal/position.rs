//! The position file: where each annotator was, kept beside the label store.
//!
//! `<store stem>.position.json` holds `{"<annotator>": {"article", "start", "end", "ts"}}`.
//! It is replaced whole (written to a temporary file, then renamed), so a crash leaves the
//! old file or the new one, never half of one. A PostgreSQL store keeps the positions in
//! the database instead ([`crate::store::pg::side`]); its "position file" is its address.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::app::Position;
use crate::atomic::AtomicFile;
use crate::store::pg::side;

/// A PostgreSQL store's address, when `path` is one.
fn address(path: &Path) -> Option<&str> {
    path.to_str().filter(|p| crate::store::pg::is_url(p))
}

/// The position file that belongs to the label store at `store` (for a PostgreSQL store,
/// its address).
pub fn path_for(store: &Path) -> PathBuf {
    if crate::store::pg::is_url_path(store) {
        return store.to_owned();
    }
    let stem = store
        .file_stem()
        .map_or_else(|| "labels".into(), |s| s.to_string_lossy().into_owned());
    store.with_file_name(format!("{stem}.position.json"))
}

/// Every annotator's position; an absent file is an empty map.
pub fn read_all(path: &Path) -> anyhow::Result<BTreeMap<String, Position>> {
    if let Some(address) = address(path) {
        let all = side::positions(address).map_err(|reason| {
            anyhow::anyhow!("cannot read the positions in {address}: {reason}")
        })?;
        let all = all
            .into_iter()
            .map(|(annotator, (article, start, end, ts))| {
                let position = Position {
                    article,
                    start,
                    end,
                    ts,
                };
                (annotator, position)
            });
        return Ok(all.collect());
    }
    // A FIFO would block the read until a writer came.
    let text = match crate::special::refuse(path).and_then(|()| std::fs::read_to_string(path)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", crate::escape::path(path)));
        }
    };
    serde_json::from_str(&text)
        .with_context(|| format!("{}: not a position file", crate::escape::path(path)))
}

/// Records `annotator`'s position, keeping the others', synced before the rename.
pub fn write(path: &Path, annotator: &str, position: Position) -> anyhow::Result<()> {
    if let Some(address) = address(path) {
        let place = (position.article, position.start, position.end, position.ts);
        return side::keep_position(address, annotator, &place).map_err(|reason| {
            anyhow::anyhow!(
                "cannot write the position of {} in {address}: {reason}",
                crate::escape::quote(annotator)
            )
        });
    }
    let mut all = read_all(path).unwrap_or_default();
    all.insert(annotator.to_owned(), position);
    let result = (|| -> std::io::Result<()> {
        let mut file = AtomicFile::create(path)?;
        serde_json::to_writer_pretty(&mut file, &all)?;
        file.write_all(b"\n")?;
        file.commit()
    })();
    result.with_context(|| format!("cannot write position file {}", crate::escape::path(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_per_annotator() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("news.jsonl");
        let path = path_for(&store);
        assert_eq!(path, dir.path().join("news.position.json"));
        assert!(read_all(&path).unwrap().is_empty());
        let at = |article: &str, ts| Position {
            article: article.into(),
            start: 3,
            end: 9,
            ts,
        };
        write(&path, "alice", at("a", 1)).unwrap();
        write(&path, "bob", at("b", 2)).unwrap();
        write(&path, "alice", at("c", 3)).unwrap();
        let all = read_all(&path).unwrap();
        assert_eq!(all["alice"], at("c", 3));
        assert_eq!(all["bob"], at("b", 2));
        std::fs::write(&path, "{not json").unwrap();
        let err = read_all(&path).unwrap_err().to_string();
        assert!(err.contains("news.position.json"), "{err}");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }
}
