//! The sentence encoder against the published figures of all-MiniLM-L6-v2, its errors on bad
//! folders, and its on-disk cache.

use crate::common::encoder;

use std::fs;
use std::path::Path;

use stance::model::embed::cache::{self, Cache};
use stance::model::embed::{SentenceEncoder, cosine};

#[test]
fn the_three_example_sentences_have_the_published_similarities() {
    let Some(dir) = encoder::folder() else { return };
    let model = SentenceEncoder::load(&dir).unwrap();
    assert_eq!(model.dimension(), 384);
    assert_eq!(model.max_seq_length(), 256);
    let e = model
        .embed(&[
            "The weather is lovely today.",
            "It's so sunny outside!",
            "He drove to the stadium.",
        ])
        .unwrap();
    for v in &e {
        let length: f32 = v.iter().map(|x| x * x).sum();
        assert!((length - 1.0).abs() < 1e-5, "unit length, not {length}");
    }
    let pairs = [(0, 1, 0.6660), (0, 2, 0.1046), (1, 2, 0.1411)];
    for (a, b, published) in pairs {
        let got = cosine(&e[a], &e[b]);
        assert!(
            (f64::from(got) - published).abs() < 1e-3,
            "similarity of {a} and {b}: {got}, published {published}"
        );
    }
    // Alone or packed with other sentences, a sentence gets the same embedding, bit for bit:
    // attention reads its own tokens only, and every row of a product is summed in one order.
    let alone = model.embed(&["He drove to the stadium."]).unwrap();
    assert_eq!(alone[0], e[2]);
}

#[test]
fn a_sentence_has_the_same_embedding_whatever_it_is_packed_with() {
    let Some(dir) = encoder::folder() else { return };
    let model = SentenceEncoder::load(&dir).unwrap();
    // Enough sentences for several groups of packed tokens, so several threads run them.
    let texts: Vec<String> = (0..400)
        .map(|i| format!("Sentence {i} says the talks on item {} resumed.", i * 7))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let together = model.embed(&refs).unwrap();
    assert_eq!(together.len(), texts.len());
    for i in [0, 57, 199, 399] {
        let alone = model.embed(&refs[i..=i]).unwrap();
        assert_eq!(alone[0], together[i], "sentence {i}");
    }
    assert_eq!(model.embed(&refs).unwrap(), together, "run to run");
}

#[test]
fn long_sentences_are_cut_at_max_seq_length() {
    let Some(dir) = encoder::folder() else { return };
    let model = SentenceEncoder::load(&dir).unwrap();
    let long = "word ".repeat(600);
    let longer = format!("{long} and a different ending about the stadium and the weather");
    let e = model.embed(&[&long, &longer]).unwrap();
    assert!(
        cosine(&e[0], &e[1]) > 0.99999,
        "what lies past 256 tokens is not read"
    );
}

fn link_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to.join("1_Pooling")).unwrap();
    for name in [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
    ] {
        std::os::unix::fs::symlink(from.join(name), to.join(name)).unwrap();
    }
}

fn load_error(dir: &Path) -> String {
    match SentenceEncoder::load(dir) {
        Ok(_) => panic!("{} loaded", dir.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_bad_folder_is_one_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nowhere");
    let e = load_error(&missing);
    assert!(e.contains("nowhere") && e.contains("not a folder"), "{e}");
    assert!(!e.contains('\n'));
    let Some(dir) = encoder::folder() else { return };
    for (file, content, says) in [
        ("tokenizer.json", None, "missing"),
        (
            "model.safetensors",
            Some("not safetensors"),
            "model.safetensors",
        ),
        (
            "config.json",
            Some(r#"{"model_type": "gpt2", "architectures": ["GPT2Model"]}"#),
            "unsupported architecture",
        ),
        ("config.json", Some("{"), "config.json"),
        (
            "1_Pooling/config.json",
            Some(r#"{"word_embedding_dimension": 384, "pooling_mode_cls_token": true}"#),
            "unsupported pooling",
        ),
        ("modules.json", Some("[]"), "unsupported modules"),
    ] {
        let case = tempfile::tempdir().unwrap();
        link_folder(&dir, case.path());
        fs::remove_file(case.path().join(file)).unwrap();
        if let Some(content) = content {
            fs::write(case.path().join(file), content).unwrap();
        }
        let e = load_error(case.path());
        assert!(e.contains(file), "{file}: {e}");
        assert!(e.contains(says), "{file}: {e}");
        assert!(!e.contains('\n'), "one line: {e}");
    }
}

#[test]
fn the_cache_embeds_each_sentence_once_and_never_trusts_a_corrupt_record() {
    let Some(dir) = encoder::folder() else { return };
    let model = SentenceEncoder::load(&dir).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let folder = cache::folder(&tmp.path().join("labels.jsonl"));
    let texts = [
        "Talks resumed in Geneva.",
        "Sanctions were lifted.",
        "Talks resumed in Geneva.",
    ];
    let mut c = Cache::open(&folder, &model).unwrap();
    assert_eq!(
        c.fill(&model, texts).unwrap(),
        2,
        "the repeated sentence once"
    );
    let first = c.get(texts[0]).unwrap().to_vec();
    let mut again = Cache::open(&folder, &model).unwrap();
    assert_eq!((again.len(), again.rejected), (2, 0));
    assert_eq!(
        again.get(texts[0]).unwrap(),
        first.as_slice(),
        "read back bit for bit"
    );
    assert_eq!(
        again.fill(&model, texts).unwrap(),
        0,
        "nothing embedded twice"
    );
    // Flip one byte of the second record's embedding.
    let path = again.path().to_owned();
    let mut bytes = fs::read(&path).unwrap();
    let record = 8 + 4 * 384 + 8;
    bytes[24 + record + 100] ^= 0x40;
    // And leave a torn record at the end.
    bytes.extend_from_slice(&[1, 2, 3]);
    fs::write(&path, &bytes).unwrap();
    let mut hurt = Cache::open(&folder, &model).unwrap();
    assert_eq!((hurt.len(), hurt.rejected), (1, 2));
    assert_eq!(
        hurt.fill(&model, texts).unwrap(),
        1,
        "the corrupt one is embedded again"
    );
    let healed = Cache::open(&folder, &model).unwrap();
    assert_eq!(healed.len(), 2);
    assert_eq!(
        healed.rejected, 1,
        "the corrupt record stays, untrusted; the torn tail is cut"
    );
    // A file of another encoder or layout is not read at all.
    fs::write(&path, b"garbage").unwrap();
    let other = Cache::open(&folder, &model).unwrap();
    assert_eq!((other.len(), other.rejected), (0, 1));
}
