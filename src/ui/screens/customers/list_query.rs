//! Search as you type without making keys wait: the customer list hands each
//! new query to the reader thread ([`crate::background`]), draws the typed
//! text at once, and takes the rows when they come back as a message.

use crate::background::Job;
use crate::db::customers::{self, CustomerQuery, CustomerRow};
use crate::db::{Conn, DbError};
use crate::msg::{Msg, SearchAnswer};

/// The job that counts a query's matches and fetches its first `rows`.
pub fn search_job(generation: u64, query: CustomerQuery, rows: u64) -> Job {
    Box::new(move |conn| {
        let found = conn.and_then(|c| run(c, &query, rows).ok());
        Msg::Searched(SearchAnswer { generation, found })
    })
}

/// Counts and fetches one query's first rows.
pub fn run(conn: &Conn, query: &CustomerQuery, rows: u64) -> Result<(u64, Vec<CustomerRow>), DbError> {
    let total = customers::count_listed(conn, query)?;
    let first = if total == 0 { Vec::new() } else { customers::page(conn, query, 0, rows)? };
    Ok((total, first))
}
