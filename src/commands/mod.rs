//! Subcommands that print instead of opening the screen.

pub mod tier;
