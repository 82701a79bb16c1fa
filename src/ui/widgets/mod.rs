//! Reusable drawing pieces.

pub mod customer_pick;
pub mod form;
pub mod help;
pub mod input;
pub mod scroll;
pub mod since;
pub mod status_bar;
pub mod text;
