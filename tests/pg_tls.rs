//! Reaching the server as libpq would: a connection service file (`service=` in the
//! address, `PGSERVICE`, `PGSERVICEFILE`), and `sslmode=verify-ca` / `verify-full`, which
//! check the server's certificate against `sslrootcert` and refuse it, in one line, when it
//! does not verify. The test server's certificate is self-signed for "localhost" only.

use crate::pg_support as support;

use std::process::{Command, Output};

use stance::store::{Decision, Origin, PgStore, Store};
use support::{fresh_store, server, with_store};

const CORPUS: &str =
    r#"{"id": "a1", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday."}"#;

/// `stance ARGS` in `dir` with `env` added; data and config folders inside `dir`.
fn stance(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stance"));
    command
        .args(args)
        .current_dir(dir)
        .env("STANCE_DATA_DIR", dir.join("data"))
        .env("STANCE_CONFIG_DIR", dir.join("config"))
        .env_remove("PGSERVICE")
        .env_remove("PGSERVICEFILE")
        .env_remove("PGPASSWORD");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run stance")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// One decision by ana in a fresh store; returns the store's name.
fn a_store_with_one_decision(writer: &str) -> String {
    let store = fresh_store("tls");
    let mut ana = PgStore::open_as(&with_store(writer, &store), "ana").unwrap();
    ana.append(&Decision {
        article: "a1".into(),
        start: 0,
        end: 32,
        text: "Envoys met in Geneva on Tuesday.".into(),
        labels: Some(vec!["diplomatic".into()]),
        origin: Origin::Typed,
        annotator: "ana".into(),
        scores: None,
    })
    .unwrap();
    store
}

/// The test server's port, from its address.
fn port(address: &str) -> String {
    let after = address.rsplit_once(':').unwrap().1;
    after.split('/').next().unwrap().to_owned()
}

#[test]
fn a_service_file_names_the_server_database_user_and_password() {
    let Some(server) = server() else { return };
    let store = a_store_with_one_decision(&server.writer);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("news.jsonl"), CORPUS).unwrap();
    let file = dir.path().join("services.conf");
    std::fs::write(
        &file,
        format!(
            "# the team's server\n[other]\nhost=no-such-host.invalid\n\n[team]\nhost=127.0.0.1\n\
             port={}\ndbname=stance\nuser=stance_writer\npassword=writer-pw\n",
            port(&server.writer)
        ),
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let by_address = format!("postgresql://?service=team&store={store}");
    let by_env = format!("postgresql://?store={store}");
    for (address, env) in [
        (by_address.as_str(), vec![("PGSERVICEFILE", file)]),
        (
            by_env.as_str(),
            vec![("PGSERVICEFILE", file), ("PGSERVICE", "team")],
        ),
    ] {
        let out = stance(
            dir.path(),
            &[
                "export",
                "news.jsonl",
                "--labels",
                address,
                "--format",
                "csv",
            ],
            &env,
        );
        assert!(out.status.success(), "{address}: {}", stderr(&out));
        let csv = String::from_utf8_lossy(&out.stdout);
        assert!(csv.contains("diplomatic"), "{csv}");
    }
    // A service no file defines: one line naming it and the file looked in.
    let out = stance(
        dir.path(),
        &[
            "export",
            "news.jsonl",
            "--labels",
            &format!("postgresql://?service=nobody&store={store}"),
            "--format",
            "csv",
        ],
        &[("PGSERVICEFILE", file)],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("no service \"nobody\"") && err.contains("services.conf"),
        "{err}"
    );
    assert!(!err.contains("writer-pw"), "{err}");
}

#[test]
fn verify_ca_and_verify_full_check_the_certificate_and_refuse_one_that_does_not_verify() {
    let Some(server) = server() else { return };
    let Some(root) = std::env::var("STANCE_TEST_PG_ROOTCERT")
        .ok()
        .filter(|r| !r.is_empty())
    else {
        assert!(
            std::env::var("CI").is_ok_and(|v| v != "true") || std::env::var("CI").is_err(),
            "in CI the test server has a certificate: STANCE_TEST_PG_ROOTCERT (tests/pg/start.sh)"
        );
        eprintln!("\n*** SKIPPED: TLS test — the test server has no certificate ***\n");
        return;
    };
    let store = a_store_with_one_decision(&server.writer);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("news.jsonl"), CORPUS).unwrap();
    // Another self-signed certificate: a root the server's certificate does not chain to.
    let other = dir.path().join("other.crt");
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=localhost", "-keyout"])
        .arg(dir.path().join("other.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .expect("run openssl");
    assert!(made.status.success(), "{}", stderr(&made));
    let address = |mode: &str, root: &str| {
        format!(
            "{}?sslmode={mode}&sslrootcert={root}&store={store}",
            server.writer
        )
    };
    let export = |address: &str| {
        stance(
            dir.path(),
            &[
                "export",
                "news.jsonl",
                "--labels",
                address,
                "--format",
                "csv",
            ],
            &[],
        )
    };

    // Signed by the root given, for "localhost": verify-ca to 127.0.0.1 accepts it.
    let out = export(&address("verify-ca", &root));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("diplomatic"));

    let other = other.to_str().unwrap();
    let missing = dir.path().join("missing.crt");
    for (address, says) in [
        // The name is checked too: the certificate is not for 127.0.0.1.
        (address("verify-full", &root), "IP address mismatch"),
        // Not signed by the root given.
        (address("verify-ca", other), "certificate verify failed"),
        (
            address("verify-full", missing.to_str().unwrap()),
            "missing.crt",
        ),
    ] {
        let out = export(&address);
        assert_eq!(out.status.code(), Some(1), "{address}");
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(says), "{address}: {err}");
        assert!(!err.contains("writer-pw") && err.contains("***"), "{err}");
    }
}
