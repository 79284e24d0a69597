//! The tests of sessions: keys, screens, deciding, the article view and layout.
//!
//! One test binary for many files, linked once: each file is a module, and `tests/common`
//! is compiled once for all of them.

#[path = "../app_arrivals.rs"]
mod app_arrivals;
#[path = "../app_keys.rs"]
mod app_keys;
#[path = "../app_recreate.rs"]
mod app_recreate;
#[path = "../app_session.rs"]
mod app_session;
#[path = "../article_scrolloff.rs"]
mod article_scrolloff;
#[path = "../boundary_session.rs"]
mod boundary_session;
#[path = "../cli_test_binaries.rs"]
mod cli_test_binaries;
#[path = "../cli_top.rs"]
mod cli_top;
#[path = "../common/mod.rs"]
mod common;
#[path = "../corpus_session.rs"]
mod corpus_session;
#[path = "../decide_feedback.rs"]
mod decide_feedback;
#[path = "../decide_finish.rs"]
mod decide_finish;
#[path = "../decide_ignore.rs"]
mod decide_ignore;
#[path = "../decide_resume.rs"]
mod decide_resume;
#[path = "../decide_status.rs"]
mod decide_status;
#[path = "../e2e_screen.rs"]
mod e2e_screen;
#[path = "../e2e_session.rs"]
mod e2e_session;
#[path = "../first_write.rs"]
mod first_write;
#[path = "../flag_e2e.rs"]
mod flag_e2e;
#[path = "../flag_session.rs"]
mod flag_session;
#[path = "../goto_article.rs"]
mod goto_article;
#[path = "../guidelines.rs"]
mod guidelines;
#[path = "../keymap_conflicts.rs"]
mod keymap_conflicts;
#[path = "../layout_window.rs"]
mod layout_window;
#[path = "../metadata_overlay.rs"]
mod metadata_overlay;
#[path = "../no_color.rs"]
mod no_color;
#[path = "../search_matches.rs"]
mod search_matches;
#[path = "../stdin_corpus_session.rs"]
mod stdin_corpus_session;
#[path = "../ui_screen.rs"]
mod ui_screen;
