//! The engines under the store: SQLite (the embedded default: demo, one
//! branch, one laptop) and PostgreSQL (a province, issue 15). So far: where a
//! database is ([`conninfo`]). Nothing above `db` uses it yet.

pub mod conninfo;

pub use conninfo::{ConnInfo, is_postgres};

/// What went wrong below the seam, in the engine's own words.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("connection string: {0}")]
    Config(String),
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
}

impl EngineError {
    /// The server's SQLSTATE code (`23505` unique violation, `40001`
    /// serialization failure, …), when the server refused.
    pub fn sql_state(&self) -> Option<&str> {
        match self {
            EngineError::Postgres(e) => e.code().map(|c| c.code()),
            _ => None,
        }
    }
}
