//! Search as you type without making keys wait: the customer list hands each
//! new query to a thread with its own read-only connection, draws the typed
//! text at once, and takes the rows when they come back as a message.
//!
//! Queries that arrive while one runs are coalesced: only the newest is
//! answered, so fast typing costs one query, not one per key.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};

use crate::db::customers::{self, CustomerQuery, CustomerRow};
use crate::db::{DbError, Store};
use crate::event::Notifier;
use crate::msg::Msg;

/// One query for the customer list: count the matches and fetch the first rows.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Tells answers to an older query apart from the one now wanted.
    pub generation: u64,
    pub query: CustomerQuery,
    pub rows: u64,
}

/// What a search found: the number of matches and the first rows, or `None`
/// when the worker could not run it (the list then runs it itself and reports
/// any error the usual way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchAnswer {
    pub generation: u64,
    pub found: Option<(u64, Vec<CustomerRow>)>,
}

/// How the customer list runs its searches.
#[derive(Debug, Clone, Default)]
pub enum Searcher {
    /// On the caller's thread (tests, and when no worker could start).
    #[default]
    Inline,
    /// On the search thread; answers come back as [`Msg::Searched`].
    Background(Sender<SearchRequest>),
}

impl Searcher {
    /// Starts the search thread on the database at `path`.
    pub fn start(path: PathBuf, notifier: Notifier) -> Searcher {
        let (tx, rx) = mpsc::channel();
        let spawned = std::thread::Builder::new().name("kam-search".into()).spawn(move || serve(&path, &rx, &notifier));
        match spawned {
            Ok(_) => Searcher::Background(tx),
            Err(_) => Searcher::Inline,
        }
    }
}

/// Counts and fetches one query's first rows.
pub fn run(conn: &rusqlite::Connection, query: &CustomerQuery, rows: u64) -> Result<(u64, Vec<CustomerRow>), DbError> {
    let total = customers::count(conn, query)?;
    let first = if total == 0 { Vec::new() } else { customers::page(conn, query, 0, rows)? };
    Ok((total, first))
}

fn serve(path: &std::path::Path, requests: &Receiver<SearchRequest>, notifier: &Notifier) {
    // Opened here, not at start-up, so the first frame does not wait for it.
    let store = Store::open_reader(path).ok();
    while let Ok(mut request) = requests.recv() {
        while let Ok(newer) = requests.try_recv() {
            request = newer;
        }
        let found = store.as_ref().and_then(|s| run(s.conn(), &request.query, request.rows).ok());
        if !notifier.send(Msg::Searched(SearchAnswer { generation: request.generation, found })) {
            return;
        }
    }
}
