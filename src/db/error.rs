use crate::domain::staff::Refusal;

/// What went wrong in storage, in terms the UI can translate.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("the database was written by a newer kam (schema version {found}, this kam knows {supported})")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("{path} is not a kam database (or it is damaged)")]
    NotADatabase { path: String },
    #[error("the database is busy: another user held it longer than the timeout")]
    Busy,
    #[error("cannot open {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("not found")]
    NotFound,
    #[error("someone else changed this record")]
    Conflict(Box<Conflict>),
    // Not `#[from]`: that would make the refusal the error's source too, and a
    // printed chain would say the reason twice.
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("invalid data: {0}")]
    Invalid(String),
    #[error(
        "the database's schema is not the one kam made (a trigger or table was changed outside kam): nothing is written; run `kam check`"
    )]
    SchemaAltered,
}

impl From<Refusal> for DbError {
    fn from(r: Refusal) -> DbError {
        DbError::Refused(r)
    }
}

/// A stale edit: the record moved on since the form was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The version now stored.
    pub current_version: i64,
    /// Who saved it last, and when.
    pub changed_by: String,
    pub changed_at: String,
    /// Fields that differ between the version the user started from and now:
    /// (field key, value then, value now) as display text.
    pub changes: Vec<(String, String, String)>,
}

impl DbError {
    /// SQLITE_BUSY / SQLITE_LOCKED after the busy timeout ran out.
    pub fn is_busy(&self) -> bool {
        matches!(self, DbError::Busy)
            || matches!(self, DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
    }
}

/// A constraint the form could not check (a reference that vanished, an empty
/// name written by another program) is bad input, not a storage failure.
pub(super) fn constraint_as_invalid(e: rusqlite::Error) -> DbError {
    match e {
        rusqlite::Error::SqliteFailure(f, msg) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            DbError::Invalid(msg.unwrap_or_else(|| "constraint".into()))
        }
        other => DbError::Sqlite(other),
    }
}
