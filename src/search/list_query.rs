//! Search as you type without making keys wait: the customer list hands each
//! new query to the reader thread ([`crate::background`]), draws the typed
//! text at once, and takes the rows when they come back as a message.

use rusqlite::Connection;

use crate::background::Job;
use crate::db::DbError;
use crate::db::customers::{self, CustomerQuery, CustomerRow};
use crate::msg::Msg;

/// What a search found: the number of matches and the first rows, or `None`
/// when it could not be run there (the list then runs it itself and reports
/// any error the usual way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchAnswer {
    /// Tells answers to an older query apart from the one now wanted.
    pub generation: u64,
    pub found: Option<(u64, Vec<CustomerRow>)>,
}

/// The job that counts a query's matches and fetches its first `rows`.
pub fn search_job(generation: u64, query: CustomerQuery, rows: u64) -> Job {
    Box::new(move |conn| {
        let found = conn.and_then(|c| run(c, &query, rows).ok());
        Msg::Searched(SearchAnswer { generation, found })
    })
}

/// Counts and fetches one query's first rows.
pub fn run(conn: &Connection, query: &CustomerQuery, rows: u64) -> Result<(u64, Vec<CustomerRow>), DbError> {
    let total = customers::count(conn, query)?;
    let first = if total == 0 { Vec::new() } else { customers::page(conn, query, 0, rows)? };
    Ok((total, first))
}

/// What a form's customer pick list found: its first rows and whether more
/// match, or `None` when it could not be run there (the form then searches
/// itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickAnswer {
    pub generation: u64,
    pub found: Option<(Vec<CustomerRow>, bool)>,
}

/// The job that fetches a pick list's first `rows` for a query.
pub fn pick_job(generation: u64, query: CustomerQuery, rows: u64) -> Job {
    Box::new(move |conn| {
        let found = conn.and_then(|c| customers::pick(c, &query, rows).ok());
        Msg::Picked(PickAnswer { generation, found })
    })
}
