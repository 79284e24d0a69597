//! Whether the screen may use colour: `NO_COLOR` asks for none, and then everything colour
//! alone told apart must be told apart by attributes and characters instead.

use super::state::State;

impl State {
    /// Whether the view may draw in colour; off, it draws with attributes (reverse, bold)
    /// and characters only.
    pub fn colour(&self) -> bool {
        !self.monochrome
    }

    /// Turns colour on or off for every frame drawn from now on (`NO_COLOR` turns it off).
    pub fn set_colour(&mut self, on: bool) {
        self.monochrome = !on;
    }
}
