//! The article list filtered by metadata (`m`, FIELD=VALUE) in a real session: the binary in
//! a pseudo-terminal, on a JSONL corpus with a subject and a date.

use crate::common;

use common::pty::{Home, Terminal, journal};

const CORPUS: &str = concat!(
    r#"{"id": "w-1", "subject": "worldnews", "date": "2017-01-03", "title": "Envoys meet", "text": "Envoys met in Geneva on Tuesday."}"#,
    "\n",
    r#"{"id": "p-1", "subject": "politicsNews", "date": "2017-02-10", "title": "Senate votes", "text": "The Senate voted on new sanctions."}"#,
    "\n",
    r#"{"id": "p-2", "subject": "politicsNews", "date": "2016-12-30", "title": "Old vote", "text": "Lawmakers met late in December."}"#,
    "\n",
);

#[test]
fn m_filters_the_article_list_by_a_metadata_condition_and_enter_opens_the_match() {
    let home = Home::new();
    let corpus = home.write("news.jsonl", CORPUS).display().to_string();
    let labels = home.labels().display().to_string();
    let mut term = Terminal::spawn(&home, &["annotate", &corpus, "--labels", &labels], 110, 30);
    term.wait_for("Envoys meet");

    term.send("m");
    let screen = term.wait_for("Articles by metadata");
    assert!(
        screen.contains("3 of 3"),
        "every article before a condition:\n{screen}"
    );

    // A field no article has: said, and every article still shows.
    term.send("topic=x");
    let screen = term.wait_for("no article has the field topic");
    assert!(screen.contains("3 of 3"), "{screen}");
    for _ in 0.."topic=x".len() {
        term.send("\u{7f}");
    }

    // A glob, then a date comparison: one condition at a time, as one --where takes.
    term.send("subject=politics*");
    let screen = term.wait_until("two politics articles", |s| s.contains("2 of 3"));
    assert!(
        screen.contains("Senate votes") && screen.contains("Old vote"),
        "{screen}"
    );
    assert!(
        !screen.contains("Envoys meet  w-1"),
        "no row for it:\n{screen}"
    );
    for _ in 0.."subject=politics*".len() {
        term.send("\u{7f}");
    }
    term.send("date>=2017-02-01");
    let screen = term.wait_until("one article after February", |s| s.contains("1 of 3"));
    assert!(screen.contains("Senate votes"), "{screen}");

    term.send("\r");
    let screen = term.wait_until("the article opened", |s| {
        !s.contains("Articles by metadata") && s.contains("The Senate voted")
    });
    assert!(screen.contains("id: p-1"), "{screen}");
    term.send("2");
    term.wait_until("saved", |s| s.contains("saved"));
    term.send("q");
    assert_eq!(term.wait_exit(), 0);
    let events = journal(&home.labels());
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["article"], "p-1");
}
