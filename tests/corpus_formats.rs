//! Every corpus format, opened from real files: ids, titles, text, metadata, order, keys.

use std::fs;
use std::path::{Path, PathBuf};

use stance::corpus::{self, Article, Corpus, CorpusSpec};

fn open(paths: &[&Path]) -> Corpus {
    open_spec(CorpusSpec {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        ..Default::default()
    })
}

fn open_spec(spec: CorpusSpec) -> Corpus {
    corpus::open(&spec).unwrap_or_else(|err| panic!("open failed: {err}"))
}

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, contents).unwrap();
    path
}

fn ids(corpus: &Corpus) -> Vec<&str> {
    corpus.articles.iter().map(|a| a.id.as_str()).collect()
}

fn meta<'a>(article: &'a Article, name: &str) -> Option<&'a str> {
    article
        .meta
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn text_file_takes_its_title_from_a_first_line_followed_by_a_blank_line() {
    let dir = tempfile::tempdir().unwrap();
    let titled = write(
        dir.path(),
        "talks.txt",
        "Talks resume in Geneva\n\nEnvoys met. They spoke.\n",
    );
    let untitled = write(
        dir.path(),
        "notes.TXT",
        "Envoys met on Tuesday.\nThey spoke.\n",
    );
    let corpus = open(&[&titled, &untitled]);

    let [first, second] = &corpus.articles[..] else {
        panic!("two articles expected")
    };
    assert_eq!(
        (first.id.as_str(), first.title.as_str()),
        ("talks.txt", "Talks resume in Geneva")
    );
    assert_eq!(first.text, "Envoys met. They spoke.\n");
    assert_eq!(first.sentences().len(), 2);
    assert_eq!(
        (second.id.as_str(), second.title.as_str()),
        ("notes.TXT", "notes")
    );
    assert_eq!(second.text, "Envoys met on Tuesday.\nThey spoke.\n");
    assert_eq!(corpus.name, "talks +1");
    assert!(corpus.warnings.is_empty());
}

#[test]
fn folder_is_read_recursively_in_path_order_with_relative_ids() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("news");
    write(&root, "b.txt", "Second.");
    write(&root, "a/z.txt", "First.");
    write(&root, "c.jsonl", "{\"text\": \"Third.\"}\n");
    write(&root, "README.md", "not part of the corpus");
    write(&root, ".hidden/x.txt", "hidden");
    write(&root, ".y.txt", "hidden");
    let corpus = open(&[&root]);

    assert_eq!(ids(&corpus), ["a/z.txt", "b.txt", "c.jsonl#1"]);
    assert_eq!(
        corpus.articles[0].source,
        root.join("a/z.txt").display().to_string()
    );
    assert_eq!(corpus.name, "news");
    assert!(corpus.key.starts_with("news-"), "{}", corpus.key);
}

#[test]
fn jsonl_keeps_ids_titles_and_other_fields_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"id": "reu-1", "title": "Talks", "text": "Envoys met.", "date": "2017-12-01", "tags": ["a", 1], "n": 3}"#,
        "",
        r#"{"text": "No id here.", "id": 42}"#,
        r#"{"title": null, "text": "Derived id.", "subject": "politicsNews"}"#,
    ];
    let path = write(dir.path(), "wire.jsonl", &lines.join("\n"));
    let corpus = open(&[&path]);

    assert_eq!(ids(&corpus), ["reu-1", "42", "wire.jsonl#4"]);
    let first = &corpus.articles[0];
    assert_eq!(
        (first.title.as_str(), first.text.as_str()),
        ("Talks", "Envoys met.")
    );
    let keys: Vec<&str> = first.meta.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["date", "tags", "n"]);
    assert_eq!(meta(first, "tags"), Some(r#"["a",1]"#));
    assert_eq!(meta(first, "n"), Some("3"));
    assert_eq!(
        corpus.articles[2].source,
        format!("{}:line 4", path.display())
    );
    assert_eq!(corpus.articles[2].title, "");
}

#[test]
fn text_field_names_another_field_and_changes_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "wire.ndjson",
        "{\"body\": \"Envoys met.\", \"text\": \"kept\"}\n",
    );
    let spec = CorpusSpec {
        paths: vec![path.clone()],
        text_field: Some("body".into()),
        ..Default::default()
    };
    let corpus = open_spec(spec);

    assert_eq!(corpus.articles[0].text, "Envoys met.");
    assert_eq!(meta(&corpus.articles[0], "text"), Some("kept"));
    let with_default = corpus::open(&CorpusSpec {
        paths: vec![path],
        ..Default::default()
    })
    .unwrap();
    assert_ne!(corpus.key, with_default.key);
}

#[test]
fn json_array_and_json_lines_in_a_json_file_both_open() {
    let dir = tempfile::tempdir().unwrap();
    let array = write(
        dir.path(),
        "a.json",
        "[\n {\"text\": \"One.\", \"id\": \"x\"},\n {\"text\": \"Two.\"}\n]\n",
    );
    let lines = write(
        dir.path(),
        "b.json",
        "{\"text\": \"Three.\"}\n{\"text\": \"Four.\"}\n",
    );
    let corpus = open(&[&array, &lines]);

    assert_eq!(ids(&corpus), ["x", "a.json#2", "b.json#1", "b.json#2"]);
    assert_eq!(
        corpus.articles[1].source,
        format!("{}:item 2", array.display())
    );
}

#[test]
fn wire_news_csv_opens_as_it_is_with_multiline_fields() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "title,text,subject,date\n\
               \"Talks, again\",\"SEOUL (Reuters) - Envoys met.\n\nThey spoke \"\"frankly\"\".\",politicsNews,\"December 1, 2017 \"\n\
               Sanctions,Exports fell.,worldnews,2017-12-02\n";
    let path = write(dir.path(), "news.csv", csv);
    let corpus = open(&[&path]);

    assert_eq!(ids(&corpus), ["news.csv#1", "news.csv#2"]);
    let first = &corpus.articles[0];
    assert_eq!(first.title, "Talks, again");
    assert_eq!(
        first.text,
        "SEOUL (Reuters) - Envoys met.\n\nThey spoke \"frankly\"."
    );
    assert_eq!(
        first.meta,
        [
            ("subject".into(), "politicsNews".into()),
            ("date".into(), "December 1, 2017 ".into())
        ]
    );
    // The second row starts on line 5: the first one holds two line breaks.
    assert_eq!(
        corpus.articles[1].source,
        format!("{}:line 5", path.display())
    );
    assert_eq!(corpus.name, "news");
}

#[test]
fn tsv_with_an_id_column_and_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "items.tsv",
        "\u{feff}id\ttext\tlang\nk1\tEnvoys met, then left.\ten\n",
    );
    let corpus = open(&[&path]);

    assert_eq!(ids(&corpus), ["k1"]);
    assert_eq!(corpus.articles[0].text, "Envoys met, then left.");
    assert_eq!(
        corpus.articles[0].meta,
        [("lang".to_string(), "en".to_string())]
    );
}

#[test]
fn key_is_the_same_for_the_same_files_however_named() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", "One.");
    let b = write(dir.path(), "b.txt", "Two.");
    let roundabout = dir.path().join("sub/../b.txt");
    fs::create_dir(dir.path().join("sub")).unwrap();

    let forward = open(&[&a, &b]);
    let backward = open(&[&roundabout, &a]);
    assert_eq!(forward.key, backward.key);
    assert_eq!(ids(&backward), ["b.txt", "a.txt"]);
    assert_ne!(forward.key, open(&[&a]).key);
    assert!(
        forward
            .key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    );
}

#[test]
fn sample_corpus_is_built_in() {
    let corpus = open(&[]);
    assert_eq!(
        (corpus.name.as_str(), corpus.key.as_str()),
        ("sample", "sample")
    );
    assert!(!corpus.articles.is_empty());
    for article in &corpus.articles {
        assert!(article.id.ends_with(".txt"), "{}", article.id);
        let file = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("sample-data")
                .join(&article.id),
        );
        let first_line = file.unwrap().lines().next().unwrap().trim().to_owned();
        assert_eq!(
            article.title, first_line,
            "{} takes its headline as title",
            article.id
        );
        assert!(
            !article.text.contains(&first_line),
            "{} repeats its title",
            article.id
        );
        assert!(
            !article.sentences().is_empty(),
            "{} has no sentences",
            article.id
        );
    }
}

#[cfg(unix)]
#[test]
fn folder_links_are_followed_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("news");
    write(&root, "a.txt", "One.");
    write(&dir.path().join("elsewhere"), "b.txt", "Two.");
    std::os::unix::fs::symlink(&root, root.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("elsewhere"), root.join("linked")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), root.join("dangling.txt")).unwrap();
    let corpus = open(&[&root]);

    assert_eq!(ids(&corpus), ["a.txt", "linked/b.txt"]);
}

#[test]
fn ids_come_from_the_first_id_field_present_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = write(
        dir.path(),
        "a.jsonl",
        concat!(
            "{\"uuid\": \"u-1\", \"doc_id\": 7, \"text\": \"One.\"}\n",
            "{\"guid\": \"g-2\", \"text\": \"Two.\"}\n",
            "{\"text\": \"Three.\"}\n",
        ),
    );
    let json = write(
        dir.path(),
        "b.json",
        "[{\"article_id\": \"art-9\", \"id\": \"plain-9\", \"text\": \"Four.\"}]",
    );
    let csv = write(dir.path(), "c.csv", "text,guid,subject\nFive.,g-5,world\n");
    let corpus = open(&[&jsonl, &json, &csv]);

    assert_eq!(ids(&corpus), ["7", "g-2", "a.jsonl#3", "plain-9", "g-5"]);
    let first = &corpus.articles[0];
    assert_eq!(
        meta(first, "uuid"),
        Some("u-1"),
        "a field not used stays metadata"
    );
    assert_eq!(meta(first, "doc_id"), None, "the id is not kept twice");
    assert_eq!(meta(&corpus.articles[3], "article_id"), Some("art-9"));
    assert_eq!(meta(&corpus.articles[3], "id"), None);
    let row = &corpus.articles[4];
    assert_eq!(
        row.meta,
        [("subject".to_owned(), "world".to_owned())],
        "the guid column is the id, not metadata"
    );
}

#[test]
fn id_field_names_the_id_and_changes_the_key_only_when_ids_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "wire.jsonl",
        "{\"id\": \"a\", \"slug\": \"talks\", \"text\": \"One.\"}\n",
    );
    let spec = |id_field: Option<&str>| CorpusSpec {
        paths: vec![path.clone()],
        id_field: id_field.map(str::to_owned),
        ..Default::default()
    };
    let slug = open_spec(spec(Some("slug")));
    assert_eq!(ids(&slug), ["talks"]);
    assert_eq!(meta(&slug.articles[0], "id"), Some("a"));
    assert_eq!(meta(&slug.articles[0], "slug"), None);

    // The key every earlier version gave a corpus with ids from `id`: its store keeps opening.
    let canonical = fs::canonicalize(&path).unwrap();
    let digest = stance::hash::fnv1a64(
        format!("{}\ntext-field=text", canonical.to_string_lossy()).as_bytes(),
    );
    let old_key = format!("wire-{}", &format!("{digest:016x}")[..12]);
    assert_eq!(open_spec(spec(None)).key, old_key);
    assert_eq!(open_spec(spec(Some("id"))).key, old_key);
    assert_ne!(slug.key, old_key, "other ids, another corpus");
}

#[test]
fn a_repeated_id_with_the_same_text_is_one_article_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.jsonl",
        "{\"id\": \"r-1\", \"text\": \"Same.\"}\n",
    );
    let b = write(
        dir.path(),
        "b.csv",
        "id,text\nr-2,Other.\nr-1,Same.\nr-2,Other.\n",
    );
    let corpus = open(&[&a, &b]);
    assert_eq!(ids(&corpus), ["r-1", "r-2"]);
    assert_eq!(corpus.articles[0].source, format!("{}:line 1", a.display()));
    assert_eq!(corpus.warnings.len(), 1, "{:?}", corpus.warnings);
    let warning = &corpus.warnings[0];
    assert!(
        warning.starts_with("2 times an article id repeats with the same text"),
        "{warning}"
    );
    assert!(
        warning.contains(&format!(
            "id \"r-1\" at {}:line 1 and {}:line 3",
            a.display(),
            b.display()
        )),
        "{warning}"
    );
}

#[test]
fn skip_bad_leaves_out_a_later_article_whose_id_repeats_with_other_text() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.csv",
        "id,text\nr-1,First.\nr-1,Second.\nr-3,Third.\n",
    );
    let corpus = open_spec(CorpusSpec {
        paths: vec![a.clone()],
        skip_bad: true,
        ..Default::default()
    });
    assert_eq!(ids(&corpus), ["r-1", "r-3"]);
    assert_eq!(corpus.articles[0].text, "First.");
    assert_eq!(
        corpus.warnings,
        [format!(
            "an article id repeats with other text, the later skipped: id \"r-1\" at {0}:line 2 and {0}:line 3",
            a.display()
        )]
    );
}
