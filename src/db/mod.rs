//! The only place that speaks SQL. Reads take `&Connection`; writes go through
//! [`Store::write`], which opens a `BEGIN IMMEDIATE` transaction.

mod error;
mod scope;
mod sql_types;
mod store;
#[cfg(test)]
mod stored_codes;

pub mod access;
pub mod analysis;
pub mod chain;
pub mod check;
pub mod complaints;
pub mod customers;
pub mod file_access;
pub mod file_kind;
pub mod history;
pub mod import;
pub mod marketing;
pub mod records;
pub mod reference;
pub mod revenue;
pub mod setup;
pub mod visits;

pub use error::{Conflict, ConflictChange, DbError, Invalid, NotKam};
pub use file_kind::DbKind;
pub use store::{Store, migrate_to_version, now_stamp, schema_version};

use chrono::NaiveDateTime;

use crate::domain::staff::Staff;

/// Who is writing, and when: every record and history row carries both.
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff: Staff,
    pub at: NaiveDateTime,
}

impl Actor {
    pub fn stamp(&self) -> String {
        now_stamp(self.at)
    }
    pub fn today(&self) -> chrono::NaiveDate {
        self.at.date()
    }
}
