//! `kam import`: reading the spreadsheets the offices keep (CSV as Excel saves
//! it) into checked rows. Pure: bytes in, rows and problems out. Whether a
//! customer exists, and what a row would insert or update, is `db::import`'s
//! business; the command turns problems into text.

pub mod columns;
pub mod csv_file;
pub mod customers;
pub mod log;
pub mod persons;
pub mod receivables;
pub mod returns;
pub mod revenue;
pub mod unit_revenue;
mod values;
pub mod visits;
pub mod volume;

use crate::domain::id::{CustomerId, IdError};
use crate::domain::money::to_halfwidth;
use crate::domain::revenue::{Month, MonthError};
use crate::domain::validate::FieldError;

/// What is wrong with one cell or one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Field(FieldError),
    Id(IdError),
    /// Excel saved a long number as `4.40106E+13`: the digits are gone.
    IdScientific,
    /// Not exactly one month: the cell as written, and why.
    Month {
        text: String,
        why: MonthError,
    },
    FutureMonth(Month),
    UnknownCustomer(CustomerId),
    UnknownServiceLine(String),
    UnknownUnit(String),
    /// Several units have this name: their codes tell them apart.
    AmbiguousUnit(String),
    UnknownStaff(String),
    /// Several staff have this name: the login tells them apart.
    AmbiguousStaff(String),
    UnknownIndustry(String),
    /// A unit or industry the administrator archived: not for new records.
    Archived(String),
    /// Not one of a choice field's values; the field key says which list.
    UnknownChoice {
        value: String,
        field: &'static str,
    },
    /// The same key as an earlier row of the file.
    DuplicateInFile {
        first_line: usize,
    },
    /// More non-empty cells than headers: usually an unquoted comma in a name.
    ExtraCells,
    /// A field a new customer cannot do without (field key).
    MissingForNew(&'static str),
    /// A customer row with neither an ID nor a full name to find it by.
    NoIdOrName,
    /// Several live customers have this exact full name (their IDs).
    AmbiguousName(Vec<CustomerId>),
    /// Not the same name, but the same once legal-form words are dropped (SPEC
    /// §2.3, 多头营销): (ID, full name) of the customer already on file.
    SimilarName {
        id: CustomerId,
        full_name: String,
    },
    /// Several active key persons of this customer have this name.
    AmbiguousPerson,
    /// A period total must be two to twelve months of one calendar year.
    PeriodShape(crate::domain::period::Period),
    /// The same customer's revenue for a month comes once by itself and once
    /// inside a period total (not split by month): counted twice. `month` is
    /// the month concerned; `other_line` the clashing line of the file, or
    /// None when the clash is with what the database already holds.
    DoubleCount {
        month: Option<Month>,
        period: crate::domain::period::Period,
        other_line: Option<usize>,
    },
    /// Two period totals of the same customer share months: `other` is the
    /// other period, on `other_line` of the file or (None) in the database.
    PeriodOverlap {
        other: crate::domain::period::Period,
        other_line: Option<usize>,
    },
    /// Returned-mail figures that cannot be right (more returned than posted…).
    Returns(crate::domain::volume::ReturnsError),
    /// The importer may not decide for this unit (its code): its own revenue is its supervisors'.
    UnitNotAllowed {
        unit: String,
        why: crate::domain::staff::Refusal,
    },
    /// Not a visit time (the cell as written).
    VisitTime(String),
    /// A visit later than now: only visits made are imported.
    FutureVisit(chrono::NaiveDateTime),
    /// Not one of the visit kinds (the cell as written).
    UnknownVisitKind(String),
    /// The importer may not record visits of this customer.
    CustomerNotAllowed(crate::domain::staff::Refusal),
    /// A log entry dated after today: only entries written are imported.
    FutureDay(chrono::NaiveDate),
    /// Not one of the deal stages (the cell as written).
    UnknownStage(String),
    /// Not one of the log's ways of contact (the cell as written).
    UnknownMethod(String),
    /// Not one of the satisfaction levels (the cell as written).
    UnknownSatisfaction(String),
    /// The importer may not write log entries about this customer.
    LogNotAllowed(crate::domain::staff::Refusal),
    /// The importer may not enter an entry in its author's name: only those
    /// who decide for the customer's unit enter others' entries.
    AuthorNotAllowed(crate::domain::staff::Refusal),
}

/// One problem of one row, where the spreadsheet shows it (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: usize,
    /// The column header as written in the file, when one cell is at fault.
    pub column: Option<String>,
    pub problem: Problem,
}

impl BadRow {
    pub fn new(line: usize, column: Option<&str>, problem: Problem) -> BadRow {
        BadRow { line, column: column.map(str::to_string), problem }
    }
}

/// Why a file cannot be read row by row at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Neither UTF-8 (with or without BOM), UTF-16 with BOM, nor GBK.
    Encoding,
    /// No header row.
    Empty,
    Unreadable(String),
    /// A required column is absent: the header names it may have.
    MissingColumn(&'static str),
    /// Two columns mean the same field.
    DuplicateColumn(String),
    /// Columns of a wide revenue table that name no service line.
    UnknownColumns(Vec<String>),
    /// Revenue with neither service line and amount columns nor one column per line.
    NoRevenueColumns,
    /// Columns of a returned-mail table that name no return reason.
    UnknownReasonColumns(Vec<String>),
}

/// The rows of a file that passed the checks, and the problems of the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub items: Vec<T>,
    pub bad: Vec<BadRow>,
    /// Data rows read (blank rows are not counted).
    pub rows: usize,
    /// Headers of columns the import does not use, as written.
    pub ignored: Vec<String>,
}

impl<T> Parsed<T> {
    fn new(rows: usize, ignored: Vec<String>) -> Parsed<T> {
        Parsed { items: Vec::new(), bad: Vec::new(), rows, ignored }
    }
}

/// A customer ID cell: required, 14 digits (full-width ones accepted).
pub(crate) fn customer_id(cell: &str) -> Result<CustomerId, Problem> {
    let digits: String = cell.chars().map(to_halfwidth).collect();
    if digits.trim().is_empty() {
        return Err(Problem::Field(FieldError::Required));
    }
    if digits.contains("E+") || digits.contains("e+") {
        return Err(Problem::IdScientific);
    }
    CustomerId::parse(&digits).map_err(Problem::Id)
}

/// A month cell: required, exactly one month as `Month::parse` reads it (a
/// period or a day is refused, never guessed), not after `today`.
pub(crate) fn month(cell: &str, today: chrono::NaiveDate) -> Result<Month, Problem> {
    let month = Month::parse(cell).map_err(|why| match why {
        MonthError::Empty => Problem::Field(FieldError::Required),
        why => Problem::Month { text: cell.trim().to_string(), why },
    })?;
    if month > Month::of(today) {
        return Err(Problem::FutureMonth(month));
    }
    Ok(month)
}

/// More non-empty cells than headers.
pub(crate) fn has_extra_cells(row: &csv_file::Row, headers: usize) -> bool {
    row.cells.iter().skip(headers).any(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_months_as_spreadsheets_hold_them() {
        assert_eq!(customer_id("４４０１０６００００１０００").map(|id| id.to_string()), Ok("44010600001000".into()));
        assert_eq!(customer_id("4.40106E+13"), Err(Problem::IdScientific));
        assert_eq!(customer_id(""), Err(Problem::Field(FieldError::Required)));
        assert!(matches!(customer_id("4401060000100"), Err(Problem::Id(_))));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(month("2026年11月", today), Ok(Month::new(2026, 11).unwrap()));
        assert_eq!(month("２０２６-１０", today), Ok(Month::new(2026, 10).unwrap()));
        assert_eq!(month("2026-12", today), Err(Problem::FutureMonth(Month::new(2026, 12).unwrap())));
        assert_eq!(
            month("2026-13", today),
            Err(Problem::Month { text: "2026-13".into(), why: MonthError::NoSuchMonth })
        );
        assert_eq!(month(" ", today), Err(Problem::Field(FieldError::Required)));
    }
}
