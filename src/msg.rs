//! What can happen (`Msg`) and what screens ask the app to do (`Action`).

use crossterm::event::KeyEvent;

use crate::domain::id::CustomerId;
use crate::ui::screens::form::FormRequest;

/// An input to the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick,
}

/// What a screen asks the app to do; screens never reach into each other.
#[derive(Debug)]
pub enum Action {
    Back,
    Quit,
    OpenDossier(CustomerId),
    OpenForm(Box<FormRequest>),
    /// A form saved: close it and let the screen below reload.
    Saved,
    Info(String),
    Error(String),
}
