//! Pure domain rules: no I/O, no SQL, no UI.

/// `code()` and `from_code()` for an enum whose stored codes strum derives
/// (`IntoStaticStr` + `EnumString`, the codes written once in its
/// `#[strum(...)]` attributes). Thin names kept so call sites read as before;
/// `db::codes` tests every code against the schema's CHECK lists.
macro_rules! stored_code {
    ($($ty:ty),+ $(,)?) => {$(
        impl $ty {
            /// The stable code stored in the database (and config).
            pub fn code(self) -> &'static str {
                self.into()
            }

            /// The value a stored code names; `None` for any other text.
            pub fn from_code(code: &str) -> Option<Self> {
                code.parse().ok()
            }
        }
    )+};
}

pub mod analysis_report;
pub mod appraisal;
pub mod cadence;
pub mod complaint;
pub mod contract;
pub mod dossier;
pub mod holidays;
pub mod id;
pub mod marketing_log;
pub mod money;
pub mod month_plan;
pub mod org;
pub mod period;
pub mod pipeline;
pub mod plan;
#[cfg(test)]
mod properties;
pub mod recurrence;
pub mod request;
pub mod revenue;
pub mod staff;
pub mod tier;
pub mod validate;
pub mod visit;
pub mod visit_standard;
pub mod volume;
