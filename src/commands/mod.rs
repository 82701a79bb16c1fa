//! Subcommands that print instead of opening the screen.

pub mod agenda;
pub mod complaints;
pub mod tier;
