//! The loop's inputs as one stream of messages: terminal events, read on a
//! thread of their own, and answers from background work (search as you type).
//! The loop blocks on the stream with a timeout, so it also gets ticks (for
//! day rollover) without polling.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};

use crate::msg::Msg;

enum Input {
    Msg(Msg),
    /// The terminal went away (e.g. the SSH connection dropped): end the loop.
    Closed,
}

/// Lets background work wake the loop with a message.
#[derive(Clone)]
pub struct Notifier(Sender<Input>);

impl Notifier {
    /// False when the loop has ended and nobody listens any more.
    pub fn send(&self, msg: Msg) -> bool {
        self.0.send(Input::Msg(msg)).is_ok()
    }
}

/// The messages of a running terminal session; `None` ends the loop.
pub struct Events {
    inputs: Receiver<Input>,
    tick: Duration,
}

impl Events {
    /// Starts reading the terminal. The notifier is for background workers.
    pub fn start(tick: Duration) -> std::io::Result<(Events, Notifier)> {
        let (tx, inputs) = mpsc::channel();
        let terminal = tx.clone();
        std::thread::Builder::new().name("kam-input".into()).spawn(move || read_terminal(&terminal))?;
        Ok((Events { inputs, tick }, Notifier(tx)))
    }

    /// The stream without the terminal: only background answers and ticks.
    /// Tests drive keys themselves and take the answers from here, as the loop does.
    pub fn detached(tick: Duration) -> (Events, Notifier) {
        let (tx, inputs) = mpsc::channel();
        (Events { inputs, tick }, Notifier(tx))
    }
}

fn read_terminal(tx: &Sender<Input>) {
    loop {
        let msg = match event::read() {
            // Windows reports releases too; act on presses (and repeats) only.
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
            Ok(Event::Paste(text)) => Msg::Paste(text),
            Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
            Ok(_) => continue,
            Err(_) => {
                let _ = tx.send(Input::Closed);
                return;
            }
        };
        if tx.send(Input::Msg(msg)).is_err() {
            return;
        }
    }
}

impl Iterator for Events {
    type Item = Msg;

    fn next(&mut self) -> Option<Msg> {
        match self.inputs.recv_timeout(self.tick) {
            Ok(Input::Msg(msg)) => Some(msg),
            Ok(Input::Closed) | Err(RecvTimeoutError::Disconnected) => None,
            Err(RecvTimeoutError::Timeout) => Some(Msg::Tick),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_answers_come_through_ticks_come_on_time_and_the_end_ends() {
        let (mut events, notifier) = Events::detached(Duration::from_millis(20));
        assert_eq!(events.next(), Some(Msg::Tick), "nothing to read: a tick");
        assert!(notifier.send(Msg::Resize(80, 24)));
        assert_eq!(events.next(), Some(Msg::Resize(80, 24)));
        notifier.0.send(Input::Closed).unwrap();
        assert_eq!(events.next(), None, "the terminal went away");
        drop(events);
        assert!(!notifier.send(Msg::Tick), "nobody listens once the loop is gone");
    }
}
