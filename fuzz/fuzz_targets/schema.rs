//! The schema parser on any text: a schema that keeps its promises, or an error naming the
//! file; a schema it accepts draws at every size and takes every label key.

#![no_main]

#[path = "common.rs"]
mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stance::app::{Action, Effect, Keymap, update};
use stance::schema::Schema;

fuzz_target!(|text: &str| {
    let schema = match Schema::parse(text, Path::new("schema.toml")) {
        Ok(schema) => schema,
        Err(err) => {
            assert!(err.to_string().starts_with("schema.toml: "), "{err}");
            return;
        }
    };
    assert!(!schema.labels.is_empty());
    for (i, label) in schema.labels.iter().enumerate() {
        assert!(!label.name.is_empty() && label.name.trim() == label.name);
        assert!(label.key != '0' && !label.key.is_control() && !label.key.is_whitespace());
        assert!(!label.guideline.contains('\n'));
        assert_eq!(schema.index_of(&label.name), Some(i), "duplicate name");
        assert_eq!(schema.index_of_key(label.key), Some(i), "duplicate key");
    }
    let mut state = common::session(
        vec![common::article("Talks resumed. Sanctions followed.")],
        schema.clone(),
        Keymap::default(),
    );
    for (width, height) in [(80, 24), (30, 12), (160, 48), (12, 5)] {
        common::draw(&mut state, width, height);
    }
    for i in 0..schema.labels.len().min(64) {
        for effect in update(&mut state, Action::ToggleLabel(i)) {
            if let Effect::Save { seq, decision } = effect {
                update(&mut state, Action::Saved(seq));
                let labels = decision.labels.unwrap_or_default();
                assert!(labels.iter().all(|l| schema.index_of(l).is_some()));
            }
        }
    }
    common::draw(&mut state, 120, 40);
    update(&mut state, Action::Help);
    common::draw(&mut state, 120, 40);
    common::draw(&mut state, 40, 14);
});
