//! The built-in sample corpus: every `sample-data/*.txt`, compiled into the binary.

use super::CorpusError;
use super::load::Loader;

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));

/// Reads the sample articles; ids are the file names, titles follow the `.txt` rule.
pub fn load(loader: &mut Loader<'_>) -> Result<(), CorpusError> {
    if SAMPLE_FILES.is_empty() {
        return Err(CorpusError::NoSample);
    }
    for (name, text) in SAMPLE_FILES {
        let stem = name.strip_suffix(".txt").unwrap_or(name);
        loader.push_text(
            (*name).to_owned(),
            stem,
            (*text).to_owned(),
            format!("sample:{name}"),
        )?;
    }
    Ok(())
}
