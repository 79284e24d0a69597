//! Drawing the session: article pane, label pane, status bar, help.
