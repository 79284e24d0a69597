//! `--where` and corpus ids in a real session: the binary in a pseudo-terminal.

use crate::common;

use common::pty::{Home, Terminal, journal};

const CORPUS: &str = concat!(
    r#"{"uuid": "u-1", "subject": "world", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday. Sanctions were not discussed."}"#,
    "\n",
    r#"{"uuid": "u-2", "subject": "markets", "title": "Tariffs rise", "text": "Tariffs rose again. A missile test followed."}"#,
    "\n",
);

#[test]
fn a_filtered_session_shows_only_the_articles_kept_under_their_corpus_ids() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", CORPUS).display().to_string();
    let labels = home.labels().display().to_string();
    let args = [
        "annotate",
        &corpus,
        "--labels",
        &labels,
        "--where",
        "subject=mark*",
    ];
    let mut term = Terminal::spawn(&home, &args, 100, 30);
    let screen = term.wait_for("Tariffs rise");
    assert!(screen.contains("id: u-2 · subject: markets"), "{screen}");
    assert!(
        !screen.contains("uuid"),
        "the id is not shown twice:\n{screen}"
    );
    term.send("1");
    term.wait_until("saved", |s| s.contains("saved"));
    // The only article: `n` stays on it.
    term.send("n");
    let screen = term.wait_for("Tariffs rise");
    assert!(!screen.contains("Envoys meet"), "{screen}");
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let events = journal(&home.labels());
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["article"], "u-2");
}
