//! Reusable drawing pieces.

pub mod customer_pick;
pub mod form;
pub mod help;
pub mod input;
pub mod pick_list;
pub mod scroll;
pub mod since;
pub mod status_bar;
pub mod table;
pub mod text;
