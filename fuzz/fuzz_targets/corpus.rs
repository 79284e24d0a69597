//! Each corpus reader on any bytes: an article list or an error naming the file, never a
//! panic. The first byte picks the format (and the settings); the rest is the file.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use stance::corpus::{CorpusSpec, open};

const FORMATS: [&str; 6] = ["txt", "jsonl", "ndjson", "json", "csv", "tsv"];

fuzz_target!(|data: &[u8]| {
    let Some((&settings, bytes)) = data.split_first() else {
        return;
    };
    let ext = FORMATS[usize::from(settings) % FORMATS.len()];
    let path = common::scratch().join(format!("news.{ext}"));
    std::fs::write(&path, bytes).expect("write the corpus file");
    let spec = CorpusSpec {
        paths: vec![path],
        text_field: (settings & 0x40 != 0).then(|| "body".to_owned()),
        skip_bad: settings & 0x80 != 0,
        ..CorpusSpec::default()
    };
    match open(&spec) {
        Ok(corpus) => {
            assert!(!corpus.articles.is_empty());
            let mut ids: Vec<&str> = corpus.articles.iter().map(|a| a.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(
                ids.len(),
                corpus.articles.len(),
                "duplicate ids were let through"
            );
            for article in &corpus.articles {
                assert!(
                    !article.title.contains(char::is_control),
                    "{:?}",
                    article.title
                );
                assert!(!article.id.trim().is_empty());
            }
            stance::store::default_path(&corpus.key).expect("the key names a store file");
        }
        Err(err) => {
            let message = err.to_string();
            assert!(message.contains(&format!("news.{ext}")), "{message}");
        }
    }
});
