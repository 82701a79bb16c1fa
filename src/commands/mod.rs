//! Subcommands that print or write files instead of opening the screen.
//!
//! **Everything they print goes through [`out!`], [`outln!`] and [`errln!`]**
//! (never `print!`/`println!`/`eprintln!`): the text is cleaned line by line
//! as the screens clean it ([`crate::ui::widgets::text::clean_lines`]), so a
//! name or a file's cell carrying escape sequences or control characters
//! cannot drive the terminal of whoever prints it (issue 14).
//! `tests/it/cli_output.rs` keeps the raw macros out of the command code.

/// `print!` for the subcommands, cleaned line by line (see the module).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        ::std::print!("{}", $crate::ui::widgets::text::clean_lines(&::std::format!($($arg)*)))
    };
}

/// `println!` for the subcommands, cleaned line by line (see the module).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        ::std::println!("{}", $crate::ui::widgets::text::clean_lines(&::std::format!($($arg)*)))
    };
}

/// `eprintln!` for the subcommands, cleaned line by line (see the module).
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        ::std::eprintln!("{}", $crate::ui::widgets::text::clean_lines(&::std::format!($($arg)*)))
    };
}

pub mod agenda;
pub mod analysis_report;
pub mod appraisal;
pub mod backup;
pub mod complaints;
pub mod contracts;
pub mod export_customers;
pub mod goals;
pub mod history;
pub mod import;
pub mod init;
pub mod migrate;
pub mod pipeline;
pub mod receivable;
pub mod report;
pub mod report_period;
pub mod requests;
pub mod retier;
pub mod setup;
pub mod setup_shared;
pub mod staff;
pub mod tier;
pub mod unit_revenue;
pub mod whoami;

use crate::db::reference::Reference;
use crate::db::{Actor, Store};
use crate::domain::revenue::StatusRules;
use crate::domain::tier::TierPreset;
use crate::i18n::Lang;

/// What a subcommand working on the database gets: the open store, who is
/// working (and when), and the settings in force.
pub struct CommandEnv {
    pub store: Store,
    pub actor: Actor,
    pub reference: Reference,
    pub lang: Lang,
    pub preset: TierPreset,
    pub rules: StatusRules,
}
