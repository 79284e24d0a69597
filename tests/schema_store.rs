//! The schema lives with the store: the first writer keeps it beside the store, later
//! subcommands use it without `--schema`, a `--schema` lacking a label the store has is
//! refused (naming the labels) unless `--schema-change`, and exports never drop labels
//! silently. Real files, the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

const CORPUS: &str = concat!(
    r#"{"id": "a1", "text": "Envoys met in Geneva on Monday. The EU banned coal imports."}"#,
    "\n",
);

const STANCES: &str = r#"exclusive = false

[[labels]]
name = "support"
key = "1"
colour = "green"
guideline = "For it."

[[labels]]
name = "oppose"
key = "2"
colour = "red"
guideline = "Against it."
"#;

/// `STANCES` without `oppose`.
const SUPPORT_ONLY: &str = r#"[[labels]]
name = "support"
key = "1"
colour = "green"
"#;

const LABELS: &str = concat!(
    r#"{"text": "Envoys met in Geneva on Monday.", "label": ["support"]}"#,
    "\n",
    r#"{"text": "The EU banned coal imports.", "label": ["oppose"]}"#,
    "\n",
);

struct Place {
    dir: TempDir,
}

impl Place {
    fn new() -> Place {
        let place = Place {
            dir: tempfile::tempdir().unwrap(),
        };
        place.write("c.jsonl", CORPUS);
        place.write("stances.toml", STANCES);
        place.write("support.toml", SUPPORT_ONLY);
        place.write("labels.doccano.jsonl", LABELS);
        place
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, text).unwrap();
        path
    }

    fn stance(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_stance"))
            .current_dir(self.dir.path())
            .env("STANCE_DATA_DIR", self.path("data"))
            .env("STANCE_CONFIG_DIR", self.path("config"))
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.stance(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "stance {args:?} failed: {stderr}");
        (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.stance(args);
        assert_eq!(out.status.code(), Some(1), "stance {args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn import(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "import",
            "c.jsonl",
            "--labels",
            "l.jsonl",
            "--from",
            "labels.doccano.jsonl",
            "--format",
            "doccano",
            "--annotator",
            "alice",
        ];
        args.extend_from_slice(extra);
        self.stance(&args)
    }

    fn journal(&self) -> Vec<u8> {
        fs::read(self.path("l.jsonl")).unwrap_or_default()
    }
}

fn exported_labels(stdout: &str) -> Vec<Vec<String>> {
    stdout
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            v["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

fn kept(place: &Place) -> PathBuf {
    place.path("l.schema.toml")
}

fn is_file(path: &Path) -> bool {
    path.is_file()
}

#[test]
fn the_first_writer_keeps_the_schema_and_later_subcommands_use_it() {
    let place = Place::new();
    let out = place.import(&["--schema", "stances.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read_to_string(kept(&place)).unwrap(), STANCES);

    // No --schema: the kept one, so nothing is dropped.
    let (stdout, _) = place.ok(&["stats", "c.jsonl", "--labels", "l.jsonl", "--json"]);
    let stats: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(stats["labels"]["support"], 1);
    assert_eq!(stats["labels"]["oppose"], 1);
    assert!(stats["labels"].get("diplomatic").is_none(), "{stats}");

    let (stdout, stderr) = place.ok(&[
        "export", "c.jsonl", "--labels", "l.jsonl", "--format", "jsonl",
    ]);
    assert_eq!(
        exported_labels(&stdout),
        vec![vec!["support".to_owned()], vec!["oppose".to_owned()]]
    );
    assert!(!stderr.contains("left out"), "{stderr}");

    // The csv export has one column per label of the kept schema.
    let (stdout, _) = place.ok(&[
        "export", "c.jsonl", "--labels", "l.jsonl", "--format", "csv",
    ]);
    assert!(
        stdout.lines().next().unwrap().ends_with("support,oppose"),
        "{stdout}"
    );

    // A second import without --schema reads the kept one: its labels are known.
    let out = place.import(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_schema_lacking_a_label_of_the_store_is_refused_by_name_unless_accepted() {
    let place = Place::new();
    assert!(place.import(&["--schema", "stances.toml"]).status.success());
    let journal = place.journal();

    for args in [
        vec![
            "export", "c.jsonl", "--labels", "l.jsonl", "--format", "jsonl",
        ],
        vec!["stats", "c.jsonl", "--labels", "l.jsonl"],
    ] {
        let mut args = args.clone();
        args.extend(["--schema", "support.toml"]);
        let stderr = place.fails(&args);
        assert!(
            stderr.contains("--schema lacks labels the label store has: \"oppose\"")
                && stderr.contains("--schema-change")
                && stderr.lines().count() == 1,
            "{args:?}: {stderr}"
        );
    }
    let out = place.import(&["--schema", "support.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"oppose\""));
    assert_eq!(place.journal(), journal, "nothing written on refusal");
    assert_eq!(fs::read_to_string(kept(&place)).unwrap(), STANCES);

    // Accepted: the export says what it left out, naming the label.
    let (stdout, stderr) = place.ok(&[
        "export",
        "c.jsonl",
        "--labels",
        "l.jsonl",
        "--format",
        "jsonl",
        "--schema",
        "support.toml",
        "--schema-change",
    ]);
    assert_eq!(exported_labels(&stdout), vec![vec!["support".to_owned()]]);
    assert!(
        stderr.contains("labels not in the schema were left out: oppose (1)"),
        "{stderr}"
    );
    // A reader does not change the kept schema.
    assert_eq!(fs::read_to_string(kept(&place)).unwrap(), STANCES);

    // --schema-change needs --schema: a usage error.
    let out = place.stance(&["stats", "c.jsonl", "--labels", "l.jsonl", "--schema-change"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_store_without_a_kept_schema_warns_when_the_default_lacks_its_labels() {
    let place = Place::new();
    // A store made by a version that kept no schema.
    assert!(place.import(&["--schema", "stances.toml"]).status.success());
    fs::remove_file(kept(&place)).unwrap();

    let (_, stderr) = place.ok(&["stats", "c.jsonl", "--labels", "l.jsonl"]);
    assert!(
        stderr.contains(
            "the label store has labels the default schema lacks: \"oppose\", \"support\""
        ),
        "{stderr}"
    );
    let (_, stderr) = place.ok(&[
        "export", "c.jsonl", "--labels", "l.jsonl", "--format", "jsonl",
    ]);
    assert!(
        stderr.contains("left out: oppose (1), support (1)"),
        "{stderr}"
    );

    // An import with the default schema does not keep it over such a store: the gap would
    // become permanent.
    let doccano = place.write(
        "none.doccano.jsonl",
        concat!(
            r#"{"text": "The EU banned coal imports.", "label": []}"#,
            "\n"
        ),
    );
    let out = place.stance(&[
        "import",
        "c.jsonl",
        "--labels",
        "l.jsonl",
        "--from",
        doccano.to_str().unwrap(),
        "--format",
        "doccano",
        "--annotator",
        "bob",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!is_file(&kept(&place)));

    // Given again, it is kept.
    let (_, _) = place.ok(&[
        "import",
        "c.jsonl",
        "--labels",
        "l.jsonl",
        "--from",
        doccano.to_str().unwrap(),
        "--format",
        "doccano",
        "--annotator",
        "bob",
        "--schema",
        "stances.toml",
    ]);
    assert_eq!(fs::read_to_string(kept(&place)).unwrap(), STANCES);
}

#[test]
fn a_broken_kept_schema_is_an_error_naming_it_and_the_field() {
    let place = Place::new();
    assert!(place.import(&["--schema", "stances.toml"]).status.success());
    fs::write(
        kept(&place),
        "[[labels]]\nname = \"x\"\nkey = \"0\"\ncolour = \"red\"\n",
    )
    .unwrap();
    let stderr = place.fails(&["stats", "c.jsonl", "--labels", "l.jsonl"]);
    assert!(
        stderr.contains("l.schema.toml") && stderr.contains("labels[1].key"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn the_default_store_keeps_its_schema_beside_it_in_the_data_folder() {
    let place = Place::new();
    let out = place.stance(&[
        "import",
        "c.jsonl",
        "--from",
        "labels.doccano.jsonl",
        "--format",
        "doccano",
        "--annotator",
        "alice",
        "--schema",
        "stances.toml",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let labels = place.path("data/labels");
    let schemas: Vec<String> = fs::read_dir(&labels)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schema.toml"))
        .collect();
    assert_eq!(schemas.len(), 1, "{schemas:?}");
    let (stdout, _) = place.ok(&["export", "c.jsonl", "--format", "jsonl"]);
    assert_eq!(exported_labels(&stdout).len(), 2);
}
