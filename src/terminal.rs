//! Terminal set-up and restore, and the event loop: the one impure place.
//!
//! The loop reads terminal events, turns them into actions, runs the pure update, and hands
//! the effects that write to the store worker ([`worker`]); it never waits for a disk. A
//! decision is reported `Saved` to the state only after the store's append returned, that
//! is after the line is synced, and in the order the decisions were made.

pub mod model_worker;
mod panic_report;
pub mod position;
pub mod reattach;
pub mod retrain;
mod retry;
mod signals;
pub mod worker;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};
use ratatui::DefaultTerminal;
use ratatui::layout::Rect;

use crate::app::keymap::SUSPEND;
use crate::app::{Action, Effect, Key, KeyCode, SaveState, State, action_for, update};
use crate::corpus::Article;
use crate::store::{Overrides, Store};
use model_worker::{ModelInput, ModelWorker};
pub use worker::FirstWrite;
use worker::StoreWorker;

/// A session ready to run: the state, the store it writes to, the position file.
pub struct Session {
    /// The model.
    pub state: State,
    /// Where decisions are journaled; it moves to the store worker while the session runs.
    pub store: Box<dyn Store>,
    /// Where the position is kept between sessions.
    pub position_file: PathBuf,
    /// What the session's first write brings with it.
    pub first_write: FirstWrite,
    /// What the model trains from at open; `None` runs the session without a model.
    pub model: Option<ModelInput>,
    /// The annotations whose article id is gone, searched for after the first frame;
    /// `None` when there are none.
    pub reattach: Option<reattach::ReattachInput>,
}

/// Fails unless there is a terminal to draw on and read keys from, naming `command` (the
/// subcommand, `annotate` or `review`). When standard input holds the corpus (`-`), keys are
/// read from the terminal device instead (crossterm opens `/dev/tty` when standard input is
/// not a terminal), so only standard output and that device must be one.
pub fn ensure_terminal(command: &str, stdin_is_corpus: bool) -> anyhow::Result<()> {
    if stdin_is_corpus {
        let tty = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty");
        if !std::io::stdout().is_terminal() || tty.is_err() {
            anyhow::bail!(
                "stance {command} needs a terminal (standard output, and /dev/tty for the keys, \
                 since standard input holds the corpus)"
            );
        }
        return Ok(());
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("stance {command} needs a terminal (standard input and output)");
    }
    Ok(())
}

/// Runs the session in the terminal until the analyst quits.
pub fn run(session: Session) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("stance needs a terminal (standard output)");
    }
    let Session {
        mut state,
        store,
        position_file,
        first_write,
        model,
        reattach,
    } = session;
    let articles = std::sync::Arc::clone(state.articles());
    let boundaries = state.boundaries().clone();
    let (tx, rx) = channel();
    panic_report::name_store_on_panic(&store.location());
    let worker = StoreWorker::spawn_with(
        store,
        position_file,
        state.annotator().to_owned(),
        first_write,
        tx.clone(),
    );
    // Trained aside too: the first frame never waits for the model.
    let model = model.map(|input| ModelWorker::spawn(input, tx.clone()));
    if model.is_some() {
        state.attach_model();
    }
    // The progress total and the article list need every article segmented: done aside so
    // the first frame is immediate.
    let reports = tx.clone();
    let mut after_first_frame = reattach.map(|input| move || reattach::spawn(input, reports));
    std::thread::spawn(move || segment_in_background(&articles, &boundaries, &tx));
    signals::install()?;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = signals::leave_modes();
        previous_hook(info);
    }));
    let result = ratatui::run(|terminal| {
        signals::enter_modes()?;
        let mut first_frame = || {
            if let Some(start) = after_first_frame.take() {
                start();
            }
        };
        let result = event_loop(
            terminal,
            &mut state,
            &worker,
            model.as_ref(),
            &rx,
            &mut first_frame,
        );
        signals::leave_modes()?;
        result
    });
    // Every job sent is carried out before the process ends, a termination signal's too:
    // the state quits only once nothing is in flight, but a position written on the way out
    // (or a save under way when a signal came) is still queued. The store, and its lock, go
    // with the worker.
    worker.finish();
    signals::exit_if_signalled();
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    state: &mut State,
    worker: &StoreWorker,
    model: Option<&ModelWorker>,
    background: &Receiver<Action>,
    drawn: &mut dyn FnMut(),
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut pending = vec![Action::Resize {
        width: size.width,
        height: size.height,
    }];
    let mut last_tick: Option<Instant> = None;
    let mut counted = false;
    let mut last_count_draw = Instant::now();
    // The sentence the model worker was last asked to score.
    let mut asked = None;
    loop {
        if last_tick.is_none_or(|t| t.elapsed() >= TICK) {
            pending.push(Action::Tick(now_ms()));
            last_tick = Some(Instant::now());
        }
        while let Ok(action) = background.try_recv() {
            pending.push(action);
        }
        let changed = !pending.is_empty() || std::mem::take(&mut counted);
        let mut clear = false;
        for action in pending.drain(..) {
            if let (Some(model), Action::Arrived(events)) = (model, &action) {
                model.learn_arrivals(events);
                asked = None;
            }
            match dispatch(state, worker, model, action) {
                Next::Quit => return Ok(()),
                Next::Clear => clear = true,
                Next::Learned => asked = None,
                Next::Go => {}
            }
        }
        if let Some(model) = model
            && let Some((key, text)) = state.wanted_suggestion()
            && asked != Some(key)
        {
            model.score(key, text);
            asked = Some(key);
        }
        if clear {
            // Clears the screen and forgets what ratatui believes is on it, so the draw below
            // writes every cell. Not `Terminal::clear`: it asks the terminal where the cursor
            // is, and a terminal that does not answer would end the session.
            let size = terminal.size()?;
            terminal.resize(Rect::new(0, 0, size.width, size.height))?;
        }
        if changed {
            terminal.draw(|frame| frame.render_widget(&*state, frame.area()))?;
            // Work that must not delay the first frame starts once it is on screen.
            drawn();
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
        // While a save is under way its report is awaited often, so `saved` shows at once.
        // A long article's lines are counted in steps while no key waits.
        let awaiting_model =
            model.is_some() && state.wanted_suggestion().is_some() && state.suggestion().is_none();
        let wait = match state.save_state() {
            _ if state.counting_lines() => Duration::ZERO,
            SaveState::Saving => Duration::from_millis(5),
            // Scores are awaited often too, so they show as soon as the worker has them.
            _ if awaiting_model => Duration::from_millis(5),
            _ => Duration::from_millis(200),
        };
        if event::poll(wait)? {
            let event = event::read()?;
            pending.extend(action_of(state, &event));
        } else if state.counting_lines() {
            state.count_more_lines();
            // The position tag changes with the count: drawn when it is done, and a few
            // times a second until then.
            counted = !state.counting_lines() || last_count_draw.elapsed() >= COUNT_DRAW;
            if counted {
                last_count_draw = Instant::now();
            }
        }
    }
}

/// How often the position tag is drawn again while a long article's lines are counted.
const COUNT_DRAW: Duration = Duration::from_millis(250);

/// How often the session hears the time (for its pace).
const TICK: Duration = Duration::from_secs(1);

/// Text segmented per message from the background.
const BATCH_BYTES: usize = 1 << 20;

/// Sends every article's sentences to the session in batches, in corpus order; stops early
/// when the session has ended.
fn segment_in_background(articles: &[Article], boundaries: &Overrides, tx: &Sender<Action>) {
    let mut first = 0;
    while first < articles.len() {
        let mut spans = Vec::new();
        let mut bytes = 0;
        while let Some(article) = articles.get(first + spans.len()) {
            if bytes >= BATCH_BYTES {
                break;
            }
            bytes += article.text.len();
            spans.push(crate::boundary::sentences(article, boundaries));
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
    /// The model learned a decision: the current sentence is to be scored again.
    Learned,
    /// End the session.
    Quit,
}

/// Runs an action and hands its effects on; says whether the session goes on.
fn dispatch(
    state: &mut State,
    worker: &StoreWorker,
    model: Option<&ModelWorker>,
    action: Action,
) -> Next {
    let mut next = Next::Go;
    let mut learned = false;
    for effect in update(state, action) {
        if let Some(model) = model {
            let decisions: Vec<&crate::store::Decision> = match &effect {
                Effect::Save { decision, .. } => vec![decision],
                Effect::SaveAll(saves) => saves.iter().map(|(_, d)| d).collect(),
                _ => Vec::new(),
            };
            learned |= !decisions.is_empty();
            model.learn(&decisions, now_ms());
        }
        match effect {
            Effect::Save { seq, decision } => worker.save(seq, decision),
            Effect::SaveBoundary { seq, change } => worker.save_boundary(seq, change),
            Effect::SaveRemark { seq, remark } => worker.save_remark(seq, remark),
            Effect::SaveAll(saves) => worker.save_all(saves),
            Effect::SavePosition(position) => worker.save_position(position),
            Effect::RecreateStore => worker.recreate(),
            Effect::Redraw => next = Next::Clear,
            Effect::Quit => return Next::Quit,
        }
    }
    if learned && next == Next::Go {
        next = Next::Learned;
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
    crate::store::now_ms()
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
