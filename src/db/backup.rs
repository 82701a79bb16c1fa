//! `kam backup FILE`: a consistent copy of the live database through SQLite's
//! online backup, page by page, so that others keep working meanwhile.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::Backup;

use super::{DbError, Store};

/// Pages copied per step; between steps writers may go on (a step restarts
/// the copy of pages they changed, so the copy is consistent when it ends).
const PAGES_PER_STEP: std::os::raw::c_int = 1024;

/// A server database is backed up by the server's own tools.
const SERVER_BACKUP: &str =
    "a PostgreSQL database is backed up with pg_dump or the server's base backups, not kam backup";

/// Copies `store` into the empty file at `target` (the caller creates it, with
/// the permissions it wants), then checks the copy: returns the integrity
/// check's complaints about it, none when the copy is whole.
pub fn copy_to(store: &Store, target: &Path) -> Result<Vec<String>, DbError> {
    let mut copy = Connection::open(target)
        .map_err(|e| DbError::Open { path: target.display().to_string(), reason: e.to_string() })?;
    let Some(live) = store.conn().sqlite() else {
        return Err(DbError::Open { path: store.location().to_string(), reason: SERVER_BACKUP.into() });
    };
    Backup::new(live, &mut copy)?.run_to_completion(PAGES_PER_STEP, Duration::from_millis(10), None)?;
    super::check::integrity_problems(&super::Conn::Sqlite(copy))
}
