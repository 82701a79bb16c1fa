//! Terminal events as messages. Blocking reads with a timeout so the loop also
//! gets ticks (for the clock in the title and, later, day rollover).

use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};

use crate::msg::Msg;

/// Reads terminal events forever; `None` ends the loop (the terminal went away).
pub struct TerminalEvents {
    pub tick: Duration,
}

impl Iterator for TerminalEvents {
    type Item = Msg;

    fn next(&mut self) -> Option<Msg> {
        loop {
            match event::poll(self.tick) {
                Ok(false) => return Some(Msg::Tick),
                Ok(true) => {}
                Err(_) => return None,
            }
            match event::read() {
                // Windows reports releases too; act on presses (and repeats) only.
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => return Some(Msg::Key(k)),
                Ok(Event::Paste(text)) => return Some(Msg::Paste(text)),
                Ok(Event::Resize(w, h)) => return Some(Msg::Resize(w, h)),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}
