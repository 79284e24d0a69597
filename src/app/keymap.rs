//! Key bindings as data: the compiled-in defaults, patched by the user's config file.

use std::collections::HashMap;
use std::fmt;

use super::action::Action;
use crate::escape::escape;
use crate::schema::Schema;

/// The compiled-in default bindings.
const DEFAULT_KEYMAP: &str = include_str!("../../data/keymap.toml");

/// Ctrl-C: quits (asking first when a decision is not saved), or closes the prompt or panel
/// that is open, whatever the keymap says, so a session can always be left.
pub const INTERRUPT: Key = Key {
    code: KeyCode::Char('c'),
    ctrl: true,
    alt: false,
};

/// Ctrl-Z: gives the terminal back to the shell and stops (the event loop does it), whatever
/// the keymap says.
pub const SUSPEND: Key = Key {
    code: KeyCode::Char('z'),
    ctrl: true,
    alt: false,
};

/// A key press, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// Which key.
    pub code: KeyCode,
    /// Control was held.
    pub ctrl: bool,
    /// Alt (Meta) was held.
    pub alt: bool,
}

/// The keys stance tells apart. Shift is part of the character (`G`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    /// A character, as typed.
    Char(char),
    /// Enter or Return.
    Enter,
    /// Escape.
    Esc,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Tab.
    Tab,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// A function key, F1 to F12.
    F(u8),
}

const NAMED: [(&str, KeyCode, &str); 14] = [
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("backspace", KeyCode::Backspace, "Backspace"),
    ("delete", KeyCode::Delete, "Del"),
    ("tab", KeyCode::Tab, "Tab"),
    ("up", KeyCode::Up, "↑"),
    ("down", KeyCode::Down, "↓"),
    ("left", KeyCode::Left, "←"),
    ("right", KeyCode::Right, "→"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
    ("pageup", KeyCode::PageUp, "PgUp"),
    ("pagedown", KeyCode::PageDown, "PgDn"),
    ("space", KeyCode::Char(' '), "Space"),
];

impl Key {
    /// A plain key with no modifier.
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// A plain character key.
    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// Reads `j`, `G`, `ctrl-r`, `alt-x`, `pagedown`, `f3`, `space`; `None` when it is none of them.
    pub fn parse(text: &str) -> Option<Key> {
        let mut key = Key::plain(KeyCode::Esc);
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(prefix) = ["ctrl-", "ctrl+", "c-"]
                .iter()
                .find(|p| lower.starts_with(**p))
            {
                key.ctrl = true;
                rest = &rest[prefix.len()..];
            } else if let Some(prefix) = ["alt-", "alt+", "m-"]
                .iter()
                .find(|p| lower.starts_with(**p))
            {
                key.alt = true;
                rest = &rest[prefix.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => KeyCode::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if let Some((_, code, _)) = NAMED.iter().find(|(name, _, _)| *name == lower) {
                    *code
                } else {
                    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
                    if !(1..=12).contains(&n) {
                        return None;
                    }
                    KeyCode::F(n)
                }
            }
        };
        if key.ctrl
            && let KeyCode::Char(c) = key.code
        {
            // Terminals send Ctrl with a letter the same whatever the case.
            key.code = KeyCode::Char(c.to_ascii_lowercase());
        }
        Some(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        if let Some((_, _, shown)) = NAMED.iter().find(|(_, code, _)| *code == self.code) {
            return f.write_str(shown);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            _ => Ok(()),
        }
    }
}

/// Which action each key does, the actions in the order of their declaration in `Action`.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<Key>)>,
    by_key: HashMap<Key, Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut keymap = Keymap {
            bindings: Vec::new(),
            by_key: HashMap::new(),
        };
        let problems = keymap.patch(DEFAULT_KEYMAP, "data/keymap.toml");
        debug_assert!(problems.is_empty(), "{problems:?}");
        // TOML tables come back sorted by name; the help lists actions in declaration order.
        keymap
            .bindings
            .sort_by_key(|(action, _)| Action::bindable().position(|a| a == *action));
        keymap
    }
}

impl Keymap {
    /// The action bound to `key`, if any.
    pub fn action(&self, key: &Key) -> Option<&Action> {
        self.by_key.get(key)
    }

    /// The keys bound to each action, in the order the help lists them.
    pub fn bindings(&self) -> &[(Action, Vec<Key>)] {
        &self.bindings
    }

    /// The keys bound to `action`.
    pub fn keys_of(&self, action: &Action) -> &[Key] {
        self.bindings
            .iter()
            .find(|(a, _)| a == action)
            .map_or(&[], |(_, keys)| keys.as_slice())
    }

    /// Applies the `[keys]` table of a TOML file over the current bindings. Each entry that
    /// cannot be used is left out and described in the returned list; the rest apply.
    pub fn patch(&mut self, toml_text: &str, source: &str) -> Vec<String> {
        // The messages quote the file: its path, names and keys are escaped.
        let source = escape(source);
        let mut problems = Vec::new();
        let table: toml::Table = match toml::from_str(toml_text) {
            Ok(table) => table,
            Err(err) => {
                let message = err.to_string().trim_end().replace('\n', " ");
                let message = escape(&message);
                return vec![format!("{source}: {message}; using the default keys")];
            }
        };
        let Some(keys) = table.get("keys") else {
            return problems;
        };
        let Some(keys) = keys.as_table() else {
            return vec![format!(
                "{source}: [keys] must be a table of action = [keys]"
            )];
        };
        let had_keys: Vec<Action> = self
            .bindings
            .iter()
            .filter(|(_, keys)| !keys.is_empty())
            .map(|(action, _)| action.clone())
            .collect();
        for (name, value) in keys {
            let field = format!("{source}: [keys] {}", escape(name));
            let Some(action) = Action::from_name(name) else {
                problems.push(format!("{field}: unknown action"));
                continue;
            };
            let texts: Vec<&toml::Value> = match value {
                toml::Value::String(_) => vec![value],
                toml::Value::Array(items) => items.iter().collect(),
                _ => {
                    problems.push(format!("{field}: give a key or a list of keys"));
                    continue;
                }
            };
            let mut new_keys = Vec::new();
            for text in texts {
                match text.as_str().and_then(Key::parse) {
                    Some(key) if key == SUSPEND => {
                        problems.push(format!("{field}: {key} always suspends; left out"));
                    }
                    Some(key) if key == INTERRUPT && action != Action::Quit => {
                        problems.push(format!("{field}: {key} always quits; left out"));
                    }
                    Some(key) if !new_keys.contains(&key) => new_keys.push(key),
                    Some(_) => {}
                    None => problems.push(format!(
                        "{field}: unknown key {}",
                        escape(&text.to_string())
                    )),
                }
            }
            self.bind(action, new_keys);
        }
        let mut lost: Vec<String> = had_keys
            .iter()
            .filter(|action| self.keys_of(action).is_empty())
            .filter_map(|action| action.name().map(str::to_owned))
            .collect();
        if let Some(i) = lost.iter().position(|name| name == "quit") {
            lost.remove(i);
            let warning = format!("{source}: [keys] quit has no key left; {INTERRUPT} still quits");
            problems.insert(0, warning);
        }
        if !lost.is_empty() {
            lost.sort();
            let names = lost.join(", ");
            problems.push(format!(
                "{source}: [keys] no key left for {names}; they cannot be used"
            ));
        }
        problems
    }

    fn bind(&mut self, action: Action, keys: Vec<Key>) {
        for (_, others) in &mut self.bindings {
            others.retain(|k| !keys.contains(k));
        }
        match self.bindings.iter_mut().find(|(a, _)| *a == action) {
            Some((_, old)) => *old = keys,
            None => self.bindings.push((action, keys)),
        }
        self.by_key = self
            .bindings
            .iter()
            .flat_map(|(action, keys)| keys.iter().map(move |k| (*k, action.clone())))
            .collect();
    }

    /// Label keys of the schema that hide a binding (label keys win), as one message that
    /// names every one, so the status bar never cuts the list to "and n more".
    pub fn conflicts(&self, schema: &Schema) -> Vec<String> {
        let hidden: Vec<String> = schema
            .labels
            .iter()
            .filter_map(|label| {
                let action = self.by_key.get(&Key::char(label.key))?;
                Some(format!(
                    "label key {:?} of {} hides {}",
                    label.key,
                    escape(&label.name),
                    action.name().expect("only named actions are bound")
                ))
            })
            .collect();
        if hidden.is_empty() {
            return hidden;
        }
        vec![hidden.join("; ")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys() {
        assert_eq!(Key::parse("j"), Some(Key::char('j')));
        assert_eq!(Key::parse("G"), Some(Key::char('G')));
        assert_eq!(Key::parse("space"), Some(Key::char(' ')));
        let ctrl_r = Key::parse("Ctrl-R").unwrap();
        assert!(ctrl_r.ctrl && ctrl_r.code == KeyCode::Char('r'));
        assert_eq!(Key::parse("PageDown"), Some(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("f3"), Some(Key::plain(KeyCode::F(3))));
        assert_eq!(Key::parse("f13"), None);
        assert_eq!(Key::parse("hyper-x"), None);
        assert_eq!(Key::parse(""), None);
        assert_eq!(ctrl_r.to_string(), "Ctrl-r");
        assert_eq!(Key::plain(KeyCode::Down).to_string(), "↓");
    }

    #[test]
    fn default_keymap_has_the_design_keys() {
        let keymap = Keymap::default();
        let get = |s: &str| keymap.action(&Key::parse(s).unwrap()).cloned();
        assert_eq!(get("j"), Some(Action::NextSentence));
        assert_eq!(get("down"), Some(Action::NextSentence));
        assert_eq!(get("k"), Some(Action::PreviousSentence));
        assert_eq!(get("n"), Some(Action::NextArticle));
        assert_eq!(get("p"), Some(Action::PreviousArticle));
        assert_eq!(get("g"), Some(Action::FirstSentence));
        assert_eq!(get("G"), Some(Action::LastSentence));
        assert_eq!(get("0"), Some(Action::NoStance));
        assert_eq!(get("x"), Some(Action::Clear));
        assert_eq!(get("space"), Some(Action::NextUnannotated));
        assert_eq!(get("enter"), Some(Action::Confirm));
        assert_eq!(get("u"), Some(Action::Undo));
        assert_eq!(get("ctrl-r"), Some(Action::Redo));
        assert_eq!(get("/"), Some(Action::Search));
        assert_eq!(get("?"), Some(Action::Help));
        assert_eq!(get("q"), Some(Action::Quit));
        assert_eq!(get("ctrl-c"), Some(Action::Quit));
        assert_eq!(get("ctrl-l"), Some(Action::Redraw));
        assert!(keymap.conflicts(&Schema::default()).is_empty());
    }

    #[test]
    fn a_patch_rebinds_and_reports_bad_entries() {
        let mut keymap = Keymap::default();
        let problems = keymap.patch(
            "[keys]\nnext_article = [\"ctrl-j\", \"j\", \"hyper-q\"]\nfrobnicate = \"z\"\n\
             resize = \"r\"\nquit = 3\n",
            "config.toml",
        );
        assert_eq!(
            problems,
            [
                "config.toml: [keys] frobnicate: unknown action",
                "config.toml: [keys] next_article: unknown key \"hyper-q\"",
                "config.toml: [keys] quit: give a key or a list of keys",
                "config.toml: [keys] resize: unknown action",
            ]
        );
        let get = |s: &str| keymap.action(&Key::parse(s).unwrap()).cloned();
        assert_eq!(get("j"), Some(Action::NextArticle));
        assert_eq!(get("ctrl-j"), Some(Action::NextArticle));
        assert_eq!(get("n"), None, "the patch replaces the action's keys");
        assert_eq!(
            get("down"),
            Some(Action::NextSentence),
            "j moved, down stays"
        );
        assert_eq!(get("q"), Some(Action::Quit));
    }

    #[test]
    fn a_patch_that_leaves_actions_without_a_key_says_so_and_keeps_ctrl_c_and_ctrl_z() {
        let mut keymap = Keymap::default();
        let problems = keymap.patch(
            "[keys]\nundo = [\"q\", \"ctrl-c\", \"Ctrl-Z\"]\nquit = []\nreview = []\n\
             articles = \"x\"\nclear = \"F\"\n",
            "config.toml",
        );
        assert_eq!(
            problems,
            [
                "config.toml: [keys] quit has no key left; Ctrl-c still quits",
                "config.toml: [keys] undo: Ctrl-c always quits; left out",
                "config.toml: [keys] undo: Ctrl-z always suspends; left out",
                "config.toml: [keys] no key left for clear_filters, review; they cannot be used",
            ]
        );
        assert_eq!(keymap.action(&INTERRUPT), None);
        assert_eq!(keymap.action(&SUSPEND), None);
        assert_eq!(keymap.action(&Key::char('q')), Some(&Action::Undo));

        let mut keymap = Keymap::default();
        let problems = keymap.patch("[keys]\nquit = [\"ctrl-c\"]\nhelp = \"h\"\n", "c.toml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(keymap.action(&INTERRUPT), Some(&Action::Quit));
    }

    #[test]
    fn broken_toml_keeps_the_defaults() {
        let mut keymap = Keymap::default();
        let problems = keymap.patch("[keys\n", "config.toml");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("config.toml: "), "{}", problems[0]);
        assert_eq!(keymap.action(&Key::char('j')), Some(&Action::NextSentence));
    }

    #[test]
    fn help_follows_the_keymap() {
        let mut keymap = Keymap::default();
        keymap.patch("[keys]\nundo = [\"z\"]\n", "config.toml");
        let help = keymap.help(&Schema::default());
        assert_eq!(help[0], ("1".to_owned(), "toggle diplomatic".to_owned()));
        assert!(help.contains(&("z".to_owned(), "undo".to_owned())));
        assert!(help.contains(&("j ↓".to_owned(), "next sentence".to_owned())));
        assert!(!help.iter().any(|(keys, _)| keys == "u"));
    }
}
