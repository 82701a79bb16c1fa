//! Pure domain rules: no I/O, no SQL, no UI.
pub mod cadence;
pub mod dossier;
pub mod id;
pub mod money;
pub mod staff;
pub mod tier;
pub mod validate;
pub mod visit;
pub mod visit_standard;
pub mod recurrence;
pub mod holidays;
pub mod month_plan;
