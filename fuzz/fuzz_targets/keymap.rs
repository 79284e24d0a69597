//! The config file's `[keys]` table on any text: a keymap whose every binding is findable
//! and no key bound twice, problems that name the file, and a help that draws.

#![no_main]

#[path = "common.rs"]
mod common;

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use stance::app::{Action, Key, Keymap, update};
use stance::schema::Schema;

fuzz_target!(|text: &str| {
    for word in text.split_whitespace().take(16) {
        let _ = Key::parse(word);
    }
    let mut keymap = Keymap::default();
    let problems = keymap.patch(text, "config.toml");
    for problem in &problems {
        assert!(problem.starts_with("config.toml: "), "{problem}");
    }
    let mut seen = HashSet::new();
    for (action, keys) in keymap.bindings() {
        for key in keys {
            assert!(seen.insert(*key), "{key:?} bound twice");
            assert_eq!(keymap.action(key), Some(action), "{key:?}");
        }
    }
    let schema = Schema::default();
    let _ = keymap.conflicts(&schema);
    let _ = keymap.help(&schema);
    let mut state = common::session(
        vec![common::article("Talks resumed. Sanctions followed.")],
        schema,
        keymap,
    );
    update(&mut state, Action::Help);
    for (width, height) in [(80, 24), (30, 12)] {
        common::draw(&mut state, width, height);
    }
});
