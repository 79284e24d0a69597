//! Embeds every `sample-data/*.txt` in the binary as the built-in sample corpus.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=sample-data");
    let folder = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("sample-data");
    let mut files: Vec<PathBuf> = match fs::read_dir(&folder) {
        Ok(entries) => entries
            .map(|entry| entry.expect("sample-data is readable").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "txt") && path.is_file())
            .collect(),
        // No folder: an empty sample corpus, which `stance` reports when it is opened.
        Err(_) => Vec::new(),
    };
    files.sort();

    let mut code = String::from(
        "/// Every `sample-data/*.txt` at build time: (file name, contents), in name order.\n\
         pub(crate) const SAMPLE_FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let name = path
            .file_name()
            .expect("a file has a name")
            .to_string_lossy();
        let full = path.to_str().expect("sample-data paths are UTF-8");
        writeln!(code, "    ({name:?}, include_str!({full:?})),").expect("writing to a String");
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("sample_files.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
