//! What the fuzz targets share: a scratch folder in memory, and drawing a session.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use stance::app::layout::is_hostile;
use stance::app::{Action, State, update};

/// A folder for this process's scratch files, in memory when `/dev/shm` exists, emptied.
pub fn scratch() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let base = PathBuf::from("/dev/shm");
        let base = if base.is_dir() {
            base
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("stance-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    });
    for entry in std::fs::read_dir(dir).expect("scratch folder") {
        let _ = std::fs::remove_file(entry.expect("entry").path());
    }
    dir.clone()
}

/// Lays the session out for `width` x `height`, draws it, and checks that no raw control
/// character reached the screen.
pub fn draw(state: &mut State, width: u16, height: u16) {
    update(state, Action::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| frame.render_widget(&*state, frame.area()))
        .expect("draw");
    for cell in terminal.backend().buffer().content() {
        assert!(
            !cell.symbol().contains(is_hostile),
            "raw {:?} on screen",
            cell.symbol()
        );
    }
}

/// A session of `alice` on `articles` with this schema and keymap, at 80x24.
pub fn session(
    articles: Vec<stance::corpus::Article>,
    schema: stance::schema::Schema,
    keymap: stance::app::Keymap,
) -> State {
    session_with(articles, schema, keymap, Vec::new())
}

/// A session as `session`, with these annotations already in the store.
pub fn session_with(
    articles: Vec<stance::corpus::Article>,
    schema: stance::schema::Schema,
    keymap: stance::app::Keymap,
    events: Vec<stance::store::Event>,
) -> State {
    let mut state = State::new(stance::app::Setup {
        schema,
        keymap,
        events,
        ..stance::app::Setup::new(std::sync::Arc::new(articles), "alice", "/tmp/labels.jsonl")
    });
    update(
        &mut state,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    state
}

/// An article with no metadata.
pub fn article(text: &str) -> stance::corpus::Article {
    stance::corpus::Article {
        id: "a".to_owned(),
        title: "Title".to_owned(),
        text: text.to_owned(),
        meta: Vec::new(),
        source: "a.txt".to_owned(),
    }
}
