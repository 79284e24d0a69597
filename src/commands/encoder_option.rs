//! Which sentence encoder a command uses: `--encoder DIR`, else `encoder = "DIR"` in
//! config.toml (a relative folder is taken from the config folder), else none.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::annotate::config_dir;
use crate::escape;
use crate::model::embed::SentenceEncoder;
use crate::model::embed::session::EncoderInput;

/// The encoder folder `flag` or the config names, if any; a config whose `encoder` is not a
/// string is an error naming the file.
pub fn folder(flag: Option<&Path>) -> anyhow::Result<Option<PathBuf>> {
    if let Some(dir) = flag {
        return Ok(Some(dir.to_owned()));
    }
    let Some(config) = config_dir() else {
        return Ok(None);
    };
    let path = config.join("config.toml");
    if crate::special::refuse(&path).is_err() {
        return Ok(None);
    }
    // A missing or unreadable config is reported where the keys are read; here it means
    // no encoder.
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    let Ok(table) = toml::from_str::<toml::Table>(&text) else {
        return Ok(None);
    };
    match table.get("encoder") {
        None => Ok(None),
        Some(toml::Value::String(dir)) if !dir.is_empty() => Ok(Some(config.join(dir))),
        Some(_) => bail!(
            "{}: encoder must be the path of a model folder (a string)",
            escape::path(&path)
        ),
    }
}

/// The session's encoder: the folder [`folder`] names, loaded; a folder that cannot be used
/// is one warning in `warnings` (naming the file), and the session runs on the n-gram model.
pub fn for_session(
    flag: Option<&Path>,
    store: &Path,
    warnings: &mut Vec<String>,
) -> Option<EncoderInput> {
    let loaded = folder(flag).and_then(|dir| match dir {
        Some(dir) => Ok(Some(SentenceEncoder::load(&dir)?)),
        None => Ok(None),
    });
    match loaded {
        Ok(encoder) => encoder.map(|encoder| EncoderInput {
            encoder,
            store: (!crate::store::pg::is_url_path(store)).then(|| store.to_owned()),
        }),
        Err(err) => {
            warnings.push(format!("{err:#}; suggestions come from the n-gram model"));
            None
        }
    }
}
