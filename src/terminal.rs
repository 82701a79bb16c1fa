//! Entering and leaving the full-screen terminal, so that every exit — normal,
//! error or panic — gives the user their shell back intact.

use std::io::{self, Stdout};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;

use crate::ansi_backend::AnsiBackend;
use crate::lean_backend::LeanBackend;

pub type Tui = Terminal<LeanBackend<AnsiBackend<Stdout>>>;

/// Restores the terminal when dropped, including while a panic unwinds.
pub struct TerminalGuard {
    pub terminal: Tui,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableBracketedPaste) {
            restore();
            return Err(e);
        }
        let terminal = Terminal::new(LeanBackend::new(AnsiBackend::new(stdout))).inspect_err(|_| restore())?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        let _ = self.terminal.show_cursor();
    }
}

/// Best effort: each step is tried even if an earlier one failed.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), DisableBracketedPaste, LeaveAlternateScreen, crossterm::cursor::Show);
}

/// Restores the terminal before the panic message is printed, so the message is
/// readable and the shell is usable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// On an error exit the guard has already run; this only makes sure.
pub fn restore_if_raw() {
    if crossterm::terminal::is_raw_mode_enabled().unwrap_or(false) {
        restore();
    }
}
