use crate::domain::complaint::WorkflowError;
use crate::domain::id::IdError;
use crate::domain::staff::Refusal;
use crate::domain::visit::VisitState;

/// What went wrong in storage, in terms the UI can translate.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Below the seam: the PostgreSQL engine's failure, or a value the
    /// store could not read as the type it expected.
    #[error("database error: {0}")]
    Engine(#[from] super::engine::EngineError),
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
    /// A server's TLS refused (the connection string redacted in `path`).
    #[error("cannot open {path}: {failure}")]
    Tls { path: String, failure: super::engine::TlsFailure },
    #[error("not found")]
    NotFound,
    /// No database at this path, and this command does not create one.
    #[error("no kam database at {path}")]
    Missing { path: String },
    /// A file that is not kam's (see `file_kind`): refused and left as it was.
    #[error("{path} is not a kam database: {why}")]
    NotKam { path: String, why: NotKam },
    #[error("someone else changed this record")]
    Conflict(Box<Conflict>),
    // Not `#[from]`: that would make the refusal the error's source too, and a
    // printed chain would say the reason twice.
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("invalid data: {0}")]
    Invalid(Invalid),
    /// A complaint step its state does not allow.
    #[error("{0}")]
    Workflow(#[from] WorkflowError),
    /// No customer ID could be given (a division or headquarters full, a bad code).
    #[error("{0}")]
    Id(#[from] IdError),
    #[error(
        "the database's schema is not the one kam made (a trigger or table was changed outside kam): nothing is written; run `kam check`"
    )]
    SchemaAltered,
}

/// Why a file is not a kam database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotKam {
    /// An empty file: `kam init` (or `kam demo`) makes a database of it.
    Empty,
    Foreign(super::file_kind::Foreign),
}

impl std::fmt::Display for NotKam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotKam::Empty => write!(f, "the file is empty (`kam init` makes a database of it)"),
            NotKam::Foreign(why) => write!(f, "{why}; kam leaves it as it is"),
        }
    }
}

/// Data a write refused, in terms the UI translates (`ui::describe`); the
/// English text is for logs and the command line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    /// A field (by storage key) that must not be empty.
    #[error("{0} is required")]
    Required(&'static str),
    /// A field key no form offers: a bug in the caller.
    #[error("unknown field {0}")]
    UnknownField(String),
    #[error("the visit is {}, not planned", .0.code())]
    VisitNotPlanned(VisitState),
    /// SQLite refused the row (a reference that vanished, a value out of range);
    /// its own message, for logs.
    #[error("{0}")]
    Constraint(String),
    /// A submitted analysis report changes only after it is reopened.
    #[error("the report is submitted; reopen it first")]
    ReportSubmitted,
    /// Someone else saved the report since it was opened.
    #[error("someone else saved this report meanwhile")]
    ReportChanged,
    /// A written part of a report (by column) is longer than a report part may be.
    #[error("{0} is too long")]
    PartTooLong(&'static str),
    /// The demo generator cannot run here.
    #[error("{0}")]
    Demo(&'static str),
    /// A period total must cover two to twelve months of one calendar year.
    #[error("a period total covers two to twelve months of one year, not {0}")]
    PeriodShape(crate::domain::period::Period),
    /// Revenue for a month inside a period total of the same customer (or the
    /// other way round): it would be counted twice.
    #[error("customer {customer}: {month} lies inside the period total {period}; it would be counted twice")]
    DoubleCount {
        customer: crate::domain::id::CustomerId,
        month: crate::domain::revenue::Month,
        period: crate::domain::period::Period,
    },
    /// A unit's own revenue for a month inside one of its period totals (or
    /// the other way round): counted twice. `unit` is the unit's code.
    #[error("unit {unit}: {month} lies inside the period total {period}; it would be counted twice")]
    UnitDoubleCount { unit: String, month: crate::domain::revenue::Month, period: crate::domain::period::Period },
    /// Two period totals of one unit share months.
    #[error("unit {unit}: the period total {period} shares months with {other}")]
    UnitPeriodOverlap { unit: String, period: crate::domain::period::Period, other: crate::domain::period::Period },
    /// An appraisal write the appraisal's rules refuse (a closed month, an
    /// entry without its reason…).
    #[error("{0}")]
    Appraisal(super::appraisal::AppraisalProblem),
    /// A goal indicator's target out of its range (a rate above 100%, a
    /// count with a fraction, a plan of zero).
    #[error("{0}")]
    GoalTarget(crate::domain::appraisal::targets::TargetError),
    /// A service request's step its status or facts refuse, or a bad
    /// proactive-service setting (SPEC §9).
    #[error("{0}")]
    Request(super::requests::RequestProblem),
    /// A contract write the contract rules refuse (SPEC §12: only a draft
    /// changes, a refusal needs its reason, filing is for platinum and above…).
    #[error("{0}")]
    Contract(crate::domain::contract::ContractError),
    /// A marketing plan write its rules refuse (no goals, handed in already…).
    #[error("{0}")]
    Plan(super::plans::PlanProblem),
    /// A pipeline write its rules refuse (not registered, last step…).
    #[error("{0}")]
    Pipeline(super::pipeline::PipelineProblem),
    /// Two period totals of one customer share months.
    #[error("customer {customer}: the period total {period} shares months with {other}")]
    PeriodOverlap {
        customer: crate::domain::id::CustomerId,
        period: crate::domain::period::Period,
        other: crate::domain::period::Period,
    },
}

impl From<Refusal> for DbError {
    fn from(r: Refusal) -> DbError {
        DbError::Refused(r)
    }
}

/// A stale edit: the record moved on since the form was opened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conflict {
    /// The version now stored.
    pub current_version: i64,
    /// Who saved it last, and when.
    pub changed_by: String,
    pub changed_at: String,
    /// Fields that differ between the version the user started from and now.
    pub changes: Vec<ConflictChange>,
}

/// One field someone else changed under a stale edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictChange {
    pub field: String,
    /// The value when the editor opened the form, and the value now stored, as
    /// the form edits them (a code or an id for a pick list).
    pub then: String,
    pub now: String,
    /// Who changed it, and when (empty when the history does not say).
    pub by: String,
    pub at: String,
}

impl DbError {
    /// The engine's failure, when the engine failed (not a rule or a conflict).
    pub fn fault(&self) -> Option<StorageFault> {
        match self {
            DbError::Sqlite(e) => Some(StorageFault::of(e)),
            DbError::Engine(e) => Some(StorageFault::of_engine(e)),
            _ => None,
        }
    }

    /// SQLITE_BUSY / SQLITE_LOCKED after the busy timeout ran out.
    pub fn is_busy(&self) -> bool {
        matches!(self, DbError::Busy)
            || matches!(self, DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
            // PostgreSQL: a serialization failure, a deadlock, a lock not
            // available: another writer won; the work may be tried again.
            || matches!(self, DbError::Engine(e) if matches!(e.sql_state(), Some("40001" | "40P01" | "55P03")))
    }
}

/// A failure of the storage engine itself, sorted by what the user can do
/// about it: the interface and the command line word each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFault {
    DiskFull,
    /// The file or its folder cannot be written, or not opened at all.
    ReadOnly,
    /// The file is damaged, or not a database.
    Damaged,
    /// Reading or writing the disk failed.
    Io,
    Constraint,
    /// Another engine failure, by its (extended) code.
    Code(i32),
    /// Not the engine's failure: a value kam could not read, say.
    Internal,
}

impl StorageFault {
    /// The fault behind one engine error.
    fn of(e: &rusqlite::Error) -> StorageFault {
        use rusqlite::ErrorCode::*;
        match (e.sqlite_error_code(), e) {
            (Some(DiskFull), _) => StorageFault::DiskFull,
            (Some(ReadOnly | PermissionDenied | CannotOpen), _) => StorageFault::ReadOnly,
            (Some(DatabaseCorrupt | NotADatabase), _) => StorageFault::Damaged,
            (Some(SystemIoFailure), _) => StorageFault::Io,
            (Some(ConstraintViolation), _) => StorageFault::Constraint,
            (_, rusqlite::Error::SqliteFailure(f, _)) => StorageFault::Code(f.extended_code),
            _ => StorageFault::Internal,
        }
    }

    /// The fault behind a PostgreSQL error, by its SQLSTATE class.
    fn of_engine(e: &super::engine::EngineError) -> StorageFault {
        let Some(state) = e.sql_state() else { return StorageFault::Internal };
        match state {
            "53100" => StorageFault::DiskFull,
            "42501" | "25006" => StorageFault::ReadOnly,
            "XX001" | "XX002" => StorageFault::Damaged,
            s if s.starts_with("58") || s.starts_with("08") => StorageFault::Io,
            s if s.starts_with("23") => StorageFault::Constraint,
            _ => StorageFault::Internal,
        }
    }

    /// The fault behind one cause in an error chain, if it is the engine's.
    pub fn of_cause(cause: &(dyn std::error::Error + 'static)) -> Option<StorageFault> {
        cause.downcast_ref::<rusqlite::Error>().map(StorageFault::of)
    }

    /// True for the engine's low-level cause under its own error, which only
    /// repeats it: a printed chain leaves it out.
    pub fn is_repeat(cause: &(dyn std::error::Error + 'static)) -> bool {
        cause.is::<rusqlite::ffi::Error>()
    }
}

/// A constraint the form could not check (a reference that vanished, an empty
/// name written by another program) is bad input, not a storage failure.
pub(super) fn constraint_as_invalid(e: impl Into<DbError>) -> DbError {
    match e.into() {
        DbError::Sqlite(e) => sqlite_constraint_as_invalid(e),
        DbError::Engine(e) if e.sql_state().is_some_and(|s| s.starts_with("23")) => {
            DbError::Invalid(Invalid::Constraint(e.to_string()))
        }
        other => other,
    }
}

fn sqlite_constraint_as_invalid(e: rusqlite::Error) -> DbError {
    match e {
        rusqlite::Error::SqliteFailure(f, msg) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            DbError::Invalid(Invalid::Constraint(msg.unwrap_or_else(|| "constraint".into())))
        }
        other => DbError::Sqlite(other),
    }
}
