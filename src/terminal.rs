//! Terminal set-up and restore, and the event loop: the one impure place.
//!
//! The loop reads terminal events, turns them into actions, runs the pure update, and carries
//! out the effects: a journal write is reported `Saved` to the state only after
//! `LabelStore::append` returned, that is after the line is synced to disk.

mod panic_report;
pub mod position;
mod signals;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossterm::event::{self, Event, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};
use ratatui::DefaultTerminal;
use ratatui::layout::Rect;

use crate::app::keymap::SUSPEND;
use crate::app::{Action, Effect, Key, KeyCode, State, action_for, update};
use crate::corpus::Article;
use crate::store::LabelStore;

/// A session ready to run: the state, the store it writes to, the position file.
pub struct Session {
    /// The model.
    pub state: State,
    /// Where decisions are journaled.
    pub store: LabelStore,
    /// Where the position is kept between sessions.
    pub position_file: PathBuf,
}

/// Fails unless standard input and output are a terminal.
pub fn ensure_terminal() -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("stance annotate needs a terminal (standard input and output)");
    }
    Ok(())
}

/// Runs the session in the terminal until the analyst quits.
pub fn run(mut session: Session) -> anyhow::Result<()> {
    ensure_terminal()?;
    let articles = std::sync::Arc::clone(session.state.articles());
    let (tx, rx) = channel();
    // The progress total and the article list need every article segmented: done aside so
    // the first frame is immediate.
    std::thread::spawn(move || segment_in_background(&articles, &tx));
    signals::install()?;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = signals::leave_modes();
        previous_hook(info);
    }));
    panic_report::name_store_on_panic(session.store.path());
    let result = ratatui::run(|terminal| {
        signals::enter_modes()?;
        let result = event_loop(terminal, &mut session, &rx);
        signals::leave_modes()?;
        result
    });
    // Closed before a termination signal takes the process: the store's lock goes with it.
    drop(session);
    signals::exit_if_signalled();
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    session: &mut Session,
    background: &Receiver<Action>,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut pending = vec![Action::Resize {
        width: size.width,
        height: size.height,
    }];
    let mut last_tick: Option<Instant> = None;
    loop {
        if last_tick.is_none_or(|t| t.elapsed() >= TICK) {
            pending.push(Action::Tick(now_ms()));
            last_tick = Some(Instant::now());
        }
        while let Ok(action) = background.try_recv() {
            pending.push(action);
        }
        let changed = !pending.is_empty();
        let mut clear = false;
        for action in pending.drain(..) {
            match dispatch(session, action) {
                Next::Quit => return Ok(()),
                Next::Clear => clear = true,
                Next::Go => {}
            }
        }
        if clear {
            // Clears the screen and forgets what ratatui believes is on it, so the draw below
            // writes every cell. Not `Terminal::clear`: it asks the terminal where the cursor
            // is, and a terminal that does not answer would end the session.
            let size = terminal.size()?;
            terminal.resize(Rect::new(0, 0, size.width, size.height))?;
        }
        if changed {
            terminal.draw(|frame| frame.render_widget(&session.state, frame.area()))?;
        }
        // Between actions, so a signal never cuts a save short.
        match signals::take() {
            Some(signals::Request::Exit) => return Ok(()),
            Some(request) => {
                pending.extend(signals::carry_out(terminal, request)?);
                continue;
            }
            None => {}
        }
        if event::poll(Duration::from_millis(200))? {
            let event = event::read()?;
            pending.extend(action_of(&session.state, &event));
        }
    }
}

/// How often the session hears the time (for its pace).
const TICK: Duration = Duration::from_secs(1);

/// Text segmented per message from the background.
const BATCH_BYTES: usize = 1 << 20;

/// Sends every article's sentences to the session in batches, in corpus order; stops early
/// when the session has ended.
fn segment_in_background(articles: &[Article], tx: &Sender<Action>) {
    let mut first = 0;
    while first < articles.len() {
        let mut spans = Vec::new();
        let mut bytes = 0;
        while let Some(article) = articles.get(first + spans.len()) {
            if bytes >= BATCH_BYTES {
                break;
            }
            bytes += article.text.len();
            spans.push(article.sentences());
        }
        let count = spans.len();
        if tx.send(Action::Segmented { first, spans }).is_err() {
            return;
        }
        first += count;
    }
}

/// What the loop does once an action's effects are carried out.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    /// Carry on.
    Go,
    /// Clear the terminal before the next frame, which then draws every cell.
    Clear,
    /// End the session.
    Quit,
}

/// Runs an action and carries out its effects; says whether the session goes on.
fn dispatch(session: &mut Session, action: Action) -> Next {
    let mut next = Next::Go;
    let mut queue = vec![action];
    while let Some(action) = queue.pop() {
        for effect in update(&mut session.state, action) {
            match effect {
                Effect::Save { seq, mut event } => {
                    event.ts = now_ms();
                    queue.push(match session.store.append(event) {
                        Ok(()) => Action::Saved(seq),
                        Err(err) => Action::SaveFailed {
                            seq,
                            reason: err.to_string(),
                        },
                    });
                }
                Effect::SavePosition(mut position) => {
                    position.ts = now_ms();
                    let annotator = session.state.annotator().to_owned();
                    if let Err(err) = position::write(&session.position_file, &annotator, position)
                    {
                        queue.push(Action::Notice(format!("{err:#}")));
                    }
                }
                Effect::Redraw => next = Next::Clear,
                Effect::Quit => return Next::Quit,
            }
        }
    }
    next
}

/// The action a terminal event means, if any.
fn action_of(state: &State, event: &Event) -> Option<Action> {
    if let Some(key) = event.as_key_press_event() {
        crate::fault::panic_point("panic-on-key");
        let key = key_of(&key)?;
        if key == SUSPEND {
            // The terminal is raw, so Ctrl-Z arrives as a key rather than as SIGTSTP.
            signals::request_suspend();
            return None;
        }
        return action_for(state, key);
    }
    match event {
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::Paste(text) => Some(Action::Paste(text.clone())),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::Wheel(1)),
            MouseEventKind::ScrollUp => Some(Action::Wheel(-1)),
            _ => None,
        },
        _ => None,
    }
}

/// The terminal-independent key of a crossterm key event.
pub fn key_of(event: &KeyEvent) -> Option<Key> {
    use crossterm::event::KeyCode as K;
    let code = match event.code {
        K::Char(c) => KeyCode::Char(c),
        K::Enter => KeyCode::Enter,
        K::Esc => KeyCode::Esc,
        K::Backspace => KeyCode::Backspace,
        K::Delete => KeyCode::Delete,
        K::Tab | K::BackTab => KeyCode::Tab,
        K::Up => KeyCode::Up,
        K::Down => KeyCode::Down,
        K::Left => KeyCode::Left,
        K::Right => KeyCode::Right,
        K::Home => KeyCode::Home,
        K::End => KeyCode::End,
        K::PageUp => KeyCode::PageUp,
        K::PageDown => KeyCode::PageDown,
        K::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let code = match code {
        KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
        code => code,
    };
    Some(Key {
        code,
        ctrl,
        alt: event.modifiers.contains(KeyModifiers::ALT),
    })
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyCode as K;

    #[test]
    fn crossterm_keys_become_keymap_keys() {
        let shift_g = KeyEvent::new(K::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(key_of(&shift_g), Key::parse("G"));
        let ctrl_r = KeyEvent::new(K::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(key_of(&ctrl_r), Key::parse("ctrl-r"));
        let down = KeyEvent::new(K::Down, KeyModifiers::NONE);
        assert_eq!(key_of(&down), Key::parse("down"));
        let space = KeyEvent::new(K::Char(' '), KeyModifiers::NONE);
        assert_eq!(key_of(&space), Key::parse("space"));
    }
}
