//! Reading a whole-screen render without a terminal: draw into a `TestBackend`, find text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use stance::app::State;

/// The session drawn once at this size.
pub fn draw(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(state, frame.area()))
        .unwrap();
    terminal
}

/// The cell (column, row) where `text` first starts; panics with the screen if it is absent.
pub fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for y in 0..buf.area.height {
        let row = row_text(buf, y);
        if let Some(at) = row.find(text) {
            return (row[..at].chars().count() as u16, y);
        }
    }
    panic!("{text:?} not on screen:\n{buf:?}");
}

/// Row `y` of the screen as text.
pub fn row_text(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
}
