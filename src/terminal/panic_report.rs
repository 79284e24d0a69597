//! What a panic in the session tells the analyst besides Rust's own message: where their
//! saved decisions are, so a crash never leaves them wondering whether work was lost.

/// Chains a panic hook that, after the hooks already installed (Rust's message), names the
/// label store and says that every decision shown as saved is in it. `ratatui::run`
/// installs its terminal-restoring hook on top, so the note lands on the normal screen.
pub fn name_store_on_panic(store: &str) {
    let store = crate::escape::escape(store).into_owned();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        eprintln!(
            "stance: the session stopped on an internal error; every decision shown as saved \
             is in the label store {store}"
        );
    }));
}
