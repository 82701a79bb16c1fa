//! Which files are kam's. SQLite opens any SQLite file, and an earlier kam
//! made itself at home in whatever it was given: it migrated another
//! application's database in place (tables added, `user_version` set, the
//! journal switched to WAL) and turned a mistyped `--db` into a new database.
//!
//! Now a kam database says so in its header: `PRAGMA application_id` is
//! [`APPLICATION_ID`] ("KAM1") for a real office and [`DEMO_APPLICATION_ID`]
//! ("KAMD") for a demo, set by `kam init` and `kam demo` (and `--demo`) only,
//! before anything else is written. A file is looked at before SQLite opens
//! it for writing: its first hundred bytes are read with plain file I/O and,
//! when they carry no application id, its schema is read through a connection
//! opened `immutable` (no locks, no journal, no `-shm`). A file that is not
//! kam's is refused in one line and left byte for byte as it was.
//!
//! A file from a kam before application ids (schema version 1 to this
//! build's, kam's tables and no others) is kam's: it gets the id on its
//! first open, and the command says so.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::DbError;

/// `PRAGMA application_id` of a kam database: the bytes "KAM1".
pub const APPLICATION_ID: i32 = i32::from_be_bytes(*b"KAM1");
/// `PRAGMA application_id` of a demo database: the bytes "KAMD".
pub const DEMO_APPLICATION_ID: i32 = i32::from_be_bytes(*b"KAMD");

/// What a kam database holds: a real office's work, or generated demo data.
/// On a demo anyone may work as anyone (`--user`); on a real one the login is
/// the system account (see `crate::identity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Real,
    Demo,
}

impl DbKind {
    pub fn application_id(self) -> i32 {
        match self {
            DbKind::Real => APPLICATION_ID,
            DbKind::Demo => DEMO_APPLICATION_ID,
        }
    }

    pub fn from_application_id(id: i32) -> Option<DbKind> {
        match id {
            APPLICATION_ID => Some(DbKind::Real),
            DEMO_APPLICATION_ID => Some(DbKind::Demo),
            _ => None,
        }
    }
}

/// What is at a path, as far as kam is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Nothing: only `kam init` and `kam demo` make a database there.
    Missing,
    /// A file of no bytes, or a SQLite database with nothing in it: `kam
    /// init` and `kam demo` may make it kam's; nothing else touches it.
    Empty,
    /// A kam database of this kind.
    Kam(DbKind),
    /// A kam database from before application ids: kam's tables only, at a
    /// schema version this kam knows.
    Unmarked,
    /// Not kam's: never opened for writing.
    Foreign(Foreign),
}

/// Why a file is not kam's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foreign {
    /// Not an SQLite database at all (a spreadsheet, a text file, an encrypted file).
    NotSqlite,
    /// Another application's SQLite database: it carries that application's id.
    OtherApplication(i32),
    /// An SQLite database with tables kam did not make (these, the first few).
    OtherTables(Vec<String>),
    /// An SQLite database without kam's tables, or at a schema version kam never had.
    OtherSchema,
}

impl std::fmt::Display for Foreign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Foreign::NotSqlite => write!(f, "not an SQLite database"),
            Foreign::OtherApplication(id) => {
                let bytes = id.to_be_bytes();
                if bytes.iter().all(|b| b.is_ascii_alphanumeric()) {
                    write!(f, "another application's SQLite database (application id \"{}\")", bytes.escape_ascii())
                } else {
                    write!(f, "another application's SQLite database (application id {id:#010x})")
                }
            }
            Foreign::OtherTables(names) => {
                write!(f, "an SQLite database with tables kam did not make ({})", names.join(", "))
            }
            Foreign::OtherSchema => write!(f, "an SQLite database without kam's tables"),
        }
    }
}

/// The bytes every SQLite database begins with.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Looks at `path` without changing it: the header with plain file reads,
/// then, when the header carries no application id, the schema through an
/// `immutable` connection.
pub fn classify(path: &Path) -> Result<Found, DbError> {
    let open_err = |reason: String| DbError::Open { path: path.display().to_string(), reason };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(e) => return Err(open_err(e.to_string())),
    };
    let mut header = Vec::with_capacity(100);
    file.by_ref().take(100).read_to_end(&mut header).map_err(|e| open_err(e.to_string()))?;
    drop(file);
    if header.is_empty() {
        return Ok(Found::Empty);
    }
    if header.len() < 100 || &header[..16] != MAGIC {
        return Ok(Found::Foreign(Foreign::NotSqlite));
    }
    let word = |at: usize| i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let application_id = word(68);
    if let Some(kind) = DbKind::from_application_id(application_id) {
        return Ok(Found::Kam(kind));
    }
    if application_id != 0 {
        return Ok(Found::Foreign(Foreign::OtherApplication(application_id)));
    }
    let (user_version, tables) = schema_of(path).map_err(|e| open_err(e.to_string()))?;
    if user_version == 0 && tables.is_empty() {
        return Ok(Found::Empty);
    }
    if !(1..=super::schema_version()).contains(&user_version) {
        return Ok(Found::Foreign(Foreign::OtherSchema));
    }
    let kams = kam_tables()?;
    let others: Vec<String> = tables.iter().filter(|t| !kams.contains(*t)).take(5).cloned().collect();
    if !others.is_empty() {
        return Ok(Found::Foreign(Foreign::OtherTables(others)));
    }
    // Every kam schema since the first has had these.
    if ["staff", "customer", "history"].iter().any(|t| !tables.contains(*t)) {
        return Ok(Found::Foreign(Foreign::OtherSchema));
    }
    Ok(Found::Unmarked)
}

/// The schema version and the table names of the file as its main file holds
/// them, read without taking a lock or creating a side file.
fn schema_of(path: &Path) -> rusqlite::Result<(i64, BTreeSet<String>)> {
    let uri = format!("file:{}?immutable=1", uri_path(path));
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri, flags)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok((version, tables))
}

/// A path as the path part of an SQLite URI: `%`, `?` and `#` escaped (and
/// bytes that are not printable ASCII, so that any file name survives).
fn uri_path(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().replace('\\', "/").into_bytes();
    let mut out = String::new();
    for b in bytes {
        if b.is_ascii_graphic() && !matches!(b, b'%' | b'?' | b'#') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The tables kam's migrations make (none was ever dropped, so the newest
/// schema's tables include every older one's).
fn kam_tables() -> Result<BTreeSet<String>, DbError> {
    Ok(super::store::expected_schema()?.into_iter().filter(|o| o.kind == "table").map(|o| o.name).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ids_spell_their_names() {
        assert_eq!(APPLICATION_ID, 0x4B41_4D31);
        assert_eq!(DEMO_APPLICATION_ID.to_be_bytes(), *b"KAMD");
        assert_eq!(DbKind::from_application_id(APPLICATION_ID), Some(DbKind::Real));
        assert_eq!(DbKind::from_application_id(0), None);
        assert!(Foreign::OtherApplication(i32::from_be_bytes(*b"Fsl1")).to_string().contains("\"Fsl1\""));
    }

    #[test]
    fn uri_paths_keep_every_name() {
        assert_eq!(uri_path(Path::new("/tmp/a b?#%.db")), "/tmp/a%20b%3F%23%25.db");
        assert_eq!(uri_path(Path::new("/srv/客户.db")), "/srv/%E5%AE%A2%E6%88%B7.db");
    }
}
