//! Pure domain rules: no I/O, no SQL, no UI.
pub mod cadence;
pub mod complaint;
pub mod dossier;
pub mod holidays;
pub mod id;
pub mod marketing_log;
pub mod money;
pub mod month_plan;
pub mod org;
#[cfg(test)]
mod properties;
pub mod recurrence;
pub mod revenue;
pub mod staff;
pub mod tier;
pub mod validate;
pub mod visit;
pub mod visit_standard;
