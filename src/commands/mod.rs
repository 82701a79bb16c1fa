//! Subcommands that print or write files instead of opening the screen.

pub mod agenda;
pub mod backup;
pub mod complaints;
pub mod export_customers;
pub mod history;
pub mod import;
pub mod init;
pub mod report;
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
