//! Opening the database file: permissions, pragmas, migrations, transactions.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, ErrorCode, MAIN_DB, OpenFlags};
use rusqlite_migration::{M, Migrations};

use super::error::NotKam;
use super::file_kind::{DbKind, Found, classify};
use super::{Conn, DbError, Location, Tx};

/// How long a writer waits for another writer before giving up. Generous: a
/// dozen account managers share one file, and a wait beats a lost save.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(8);

/// [`BUSY_TIMEOUT`], unless `KAM_BUSY_TIMEOUT_MS` says otherwise (tests of a
/// file locked by another program should not wait eight seconds).
pub fn busy_timeout() -> Duration {
    std::env::var("KAM_BUSY_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(BUSY_TIMEOUT)
}

/// One schema step: its SQL, and work in Rust that follows it in the same
/// transaction (filling derived rows).
struct Step {
    sql: &'static str,
    then: Option<FillAfter>,
}

type FillAfter = fn(&rusqlite::Transaction) -> Result<(), rusqlite_migration::HookError>;

/// Every schema step in order; the schema version is the length of this list.
/// A new step is one line here and one folder in `migrations/`.
const STEPS: &[Step] = &[
    Step { sql: include_str!("../../migrations/01-init/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/02-visits/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/03-log-complaints/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/04-revenue/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/05-speed/up.sql"), then: Some(fill_occasions) },
    Step { sql: include_str!("../../migrations/06-data-integrity/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/07-setup/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/08-name-order/up.sql"), then: Some(fill_name_keys) },
    Step { sql: include_str!("../../migrations/09-tamper-evidence/up.sql"), then: Some(link_history) },
    Step { sql: include_str!("../../migrations/10-acting/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/11-utc-fallback-times/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/12-period-totals/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/13-analysis-report/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/14-volume/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/15-appraisal/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/16-goal-targets/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/17-requests/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/18-contracts/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/19-plans/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/20-pipeline/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/21-search-prefixes/up.sql"), then: Some(fill_prefixes) },
    Step { sql: include_str!("../../migrations/22-analysis-sums/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/23-pipeline-overdue/up.sql"), then: None },
    Step { sql: include_str!("../../migrations/24-cold-start/up.sql"), then: None },
];

fn fill_occasions(tx: &rusqlite::Transaction) -> Result<(), rusqlite_migration::HookError> {
    super::records::fill_occasions_before_customer(&**tx).map_err(|e| match e {
        DbError::Sqlite(e) => e.into(),
        other => rusqlite_migration::HookError::Hook(other.to_string()),
    })
}

fn fill_name_keys(tx: &rusqlite::Transaction) -> Result<(), rusqlite_migration::HookError> {
    // The engine's own error stays one, so a full disk is still told as such.
    super::customers::fill_name_keys(&**tx).map_err(|e| match e {
        DbError::Sqlite(e) => rusqlite_migration::HookError::RusqliteError(e),
        other => rusqlite_migration::HookError::Hook(other.to_string()),
    })
}

fn fill_prefixes(tx: &rusqlite::Transaction) -> Result<(), rusqlite_migration::HookError> {
    super::customers::fill_prefixes(&**tx).map_err(|e| match e {
        DbError::Sqlite(e) => rusqlite_migration::HookError::RusqliteError(e),
        other => rusqlite_migration::HookError::Hook(other.to_string()),
    })
}

fn link_history(tx: &rusqlite::Transaction) -> Result<(), rusqlite_migration::HookError> {
    Ok(super::chain::link_unlinked(tx)?)
}

fn migrations() -> Migrations<'static> {
    migrations_of(STEPS)
}

fn migrations_of(steps: &'static [Step]) -> Migrations<'static> {
    Migrations::new(
        steps
            .iter()
            .map(|step| match step.then {
                None => M::up(step.sql),
                Some(hook) => M::up_with_hook(step.sql, hook),
            })
            .collect(),
    )
}

/// Brings a bare connection to schema `version` exactly, as a kam of that
/// version left it: the upgrade tests build their older files with it.
#[doc(hidden)]
pub fn migrate_to_version(conn: &mut Connection, version: usize) -> Result<(), DbError> {
    super::chain::register(conn)?;
    Ok(migrations().to_version(conn, version)?)
}

/// The schema objects kam's migrations make, from an empty database in
/// memory: what `kam check` compares a file with, object by object.
pub fn expected_schema() -> Result<Vec<super::chain::SchemaObject>, DbError> {
    let mut conn = Connection::open_in_memory()?;
    super::chain::register(&conn)?;
    migrations().to_latest(&mut conn)?;
    super::chain::schema_objects(&conn)
}

/// The fingerprint of the schema this build makes ([`expected_schema`]),
/// written down so that a start need not rebuild the schema to compare; a
/// test keeps it true.
pub const SCHEMA_FINGERPRINT: &str = "0a5a138f4aab8f016608a7f1ac8438772f92c608bea2d61ed3f322ef4e98c6cc";

/// The number of the newest schema this build knows.
pub fn schema_version() -> i64 {
    // A few dozen steps at most: the fallback is never taken.
    i64::try_from(STEPS.len()).unwrap_or(i64::MAX)
}

/// An open kam database. Dropping it closes the connection the way a clean
/// exit should: see [`Store::drop`].
pub struct Store {
    pub(super) conn: Conn,
    pub(super) location: Location,
    /// A connection of [`Store::open`], not [`Store::open_reader`]: it can
    /// copy the write-ahead log into the main file when it closes.
    pub(super) writes: bool,
    /// Set when the schema is not the one kam made (a trigger dropped or
    /// planted): the file is read, but nothing is written until checked.
    pub(super) schema_altered: bool,
    pub(super) kind: DbKind,
    /// This open gave an older kam file its application id.
    pub(super) marked: bool,
    pub(super) owner: Option<u32>,
    pub(super) acting: Option<String>,
}

/// On closing, copy whatever the write-ahead log holds into the main file and
/// truncate the log (issue 12: after every kam had quit, recent work lived
/// only in `kam.db-wal`, so a plain copy of `kam.db` lost it). SQLite does the
/// same when the last connection closes, but only if that connection can
/// write (the reader thread's cannot) and nothing else has the file open; the
/// checkpoint here also empties the log while other kams sit idle, so the
/// main file is complete whenever the last writer has left. It never waits:
/// with another kam mid-transaction it does what it can and the last one out
/// finishes the job.
impl Drop for Store {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.sqlite().filter(|c| self.writes && c.is_autocommit()) {
            let _ = conn.busy_timeout(Duration::ZERO);
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }
}

impl Store {
    /// Opens a kam database that is already there and brings its schema up to
    /// date. It creates nothing (only `kam init` and the demo make a database,
    /// see [`Store::open_or_create`]), so a mistyped path or a first start leaves
    /// no file behind; and it refuses, untouched, a file that is not kam's
    /// (see `file_kind`).
    pub fn open_existing(path: &Path) -> Result<Store, DbError> {
        match classify(path)? {
            Found::Missing => Err(DbError::Missing { path: path.display().to_string() }),
            Found::Empty => Err(DbError::NotKam { path: path.display().to_string(), why: NotKam::Empty }),
            Found::Foreign(why) => Err(DbError::NotKam { path: path.display().to_string(), why: NotKam::Foreign(why) }),
            Found::Kam(_) => Store::open_file(path, None),
            Found::Unmarked => Store::open_file(path, Some(DbKind::Real)),
        }
    }

    /// Opens the kam database at `location` that is already there (a file,
    /// see [`Store::open_existing`], or a server's, see `server::open`).
    pub fn open_existing_at(location: &Location) -> Result<Store, DbError> {
        match location {
            Location::File(path) => Store::open_existing(path),
            Location::Server(target) => super::server::open(target),
        }
    }

    /// [`Store::open_or_create`] at `location`: a server's database is made
    /// by its administrator (`createdb`); kam makes the schema in it.
    pub fn open_or_create_at(location: &Location, kind: DbKind) -> Result<Store, DbError> {
        match location {
            Location::File(path) => Store::open_or_create(path, kind),
            Location::Server(target) => super::server::open(target),
        }
    }

    /// [`Store::open_reader`] at `location`.
    pub fn open_reader_at(location: &Location) -> Result<Store, DbError> {
        match location {
            Location::File(path) => Store::open_reader(path),
            Location::Server(target) => super::server::open_reader(target),
        }
    }

    /// Opens the kam database at `path`, making a new real one when there is
    /// none: `kam init`, and tests. See [`Store::open_or_create`].
    pub fn open(path: &Path) -> Result<Store, DbError> {
        Store::open_or_create(path, DbKind::Real)
    }

    /// Opens the kam database at `path`; where there is none (no file, or an
    /// empty one) makes a new database of `kind`, with its folders. An unmarked
    /// kam file from before application ids becomes `kind` too. A file that is
    /// not kam's is refused, untouched. For `kam init` and the demo only.
    pub fn open_or_create(path: &Path, kind: DbKind) -> Result<Store, DbError> {
        let open_err = |reason: String| DbError::Open { path: path.display().to_string(), reason };
        match classify(path)? {
            Found::Missing => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| open_err(e.to_string()))?;
                }
                create_private_file(path).map_err(|e| open_err(e.to_string()))?;
                Store::open_new(path, kind)
            }
            Found::Empty => Store::open_new(path, kind),
            Found::Kam(_) => Store::open_file(path, None),
            Found::Unmarked => Store::open_file(path, Some(kind)),
            Found::Foreign(why) => Err(DbError::NotKam { path: path.display().to_string(), why: NotKam::Foreign(why) }),
        }
    }

    /// A new database: the application id goes into the header first, while
    /// the file is still in rollback-journal mode, so that the main file says
    /// "kam" from its first byte on disk (a WAL would keep it in `-wal` until
    /// a checkpoint).
    fn open_new(path: &Path, kind: DbKind) -> Result<Store, DbError> {
        {
            let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
                .map_err(|e| DbError::Open { path: path.display().to_string(), reason: e.to_string() })?;
            conn.pragma_update(None, "application_id", kind.application_id())?;
        }
        Store::open_file(path, None)
    }

    /// Opens a file [`classify`] found to be kam's and brings its schema up to
    /// date; `mark` is the kind an unmarked (older) kam file is marked as.
    fn open_file(path: &Path, mark: Option<DbKind>) -> Result<Store, DbError> {
        let open_err = |reason: String| DbError::Open { path: path.display().to_string(), reason };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| open_err(e.to_string()))?;
        // SQLite falls back to reading when the file is write-protected; kam would
        // then fail at the first save, so say it now.
        if conn.is_readonly(MAIN_DB)? {
            return Err(open_err(READ_ONLY_FILE.into()));
        }
        let not_a_db = || DbError::NotADatabase { path: path.display().to_string() };
        let classify = |e: DbError| match e {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if matches!(f.code, ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) =>
            {
                not_a_db()
            }
            DbError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) if f.code == ErrorCode::ReadOnly => {
                open_err(read_only_reason(&f).into())
            }
            other => other,
        };
        conn.busy_handler(Some(short_waits))?;
        // Read the schema version first: it is the first real touch of the file (a
        // non-SQLite file is found out here), and a file from a newer kam is left
        // exactly as it is, journal mode included.
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| classify(e.into()))?;
        if found > schema_version() {
            return Err(DbError::SchemaTooNew { found, supported: schema_version() });
        }
        configure(&conn).map_err(classify)?;
        super::chain::register(&conn)?;
        migrations().to_latest(&mut conn)?;
        let schema = super::chain::schema_objects(&conn)?;
        let schema_altered = super::chain::fingerprint(&schema) != SCHEMA_FINGERPRINT;
        // Keep the query planner's statistics fresh (SQLite's advice for long-lived
        // connections): nothing happens unless a table grew a lot since the last
        // analysis; then a full one (under a second at 100,000 customers — sampled
        // statistics misled the planner into scans). Without statistics, "my
        // customers" filters can pick a full scan.
        // Not on a file created just now: statistics of empty tables would make a
        // bulk load that follows (the demo, an import) scan instead of seek.
        // Only a courtesy, so it neither waits for another writer (ANALYZE writes:
        // a read-only command would stall for the busy timeout, then fail) nor stops
        // the start; whatever stopped it (a writer, a damaged page) is met again,
        // and reported, by the work that follows (`kam check` included).
        if found > 0 {
            conn.busy_timeout(Duration::ZERO)?;
            let _courtesy = conn.execute_batch("PRAGMA analysis_limit = 0; PRAGMA optimize = 0x10002;");
            conn.busy_handler(Some(short_waits))?;
        }
        // An older kam's file becomes kam's by name: it gets its application id now.
        let marked = match mark {
            Some(kind) => {
                conn.pragma_update(None, "application_id", kind.application_id())?;
                Some(kind)
            }
            None => None,
        };
        let found_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let kind = DbKind::from_application_id(found_id).unwrap_or(DbKind::Real);
        Ok(Store {
            conn: Conn::Sqlite(conn),
            location: Location::File(path.to_path_buf()),
            writes: true,
            schema_altered,
            kind,
            marked: marked.is_some(),
            owner: owner_of(path),
            acting: None,
        })
    }

    /// What the file holds: a real office's work or a demo.
    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// True when this open gave an older kam file its application id.
    pub fn marked_now(&self) -> bool {
        self.marked
    }

    /// The user id owning the file when it was opened (who may act for others
    /// on a real database, with root; see `crate::identity`).
    pub fn owner(&self) -> Option<u32> {
        self.owner
    }

    /// Makes an empty database a demo (the demo generator does, before writing).
    pub fn mark_demo(&mut self) -> Result<(), DbError> {
        match self.conn.sqlite() {
            Some(conn) => conn.pragma_update(None, "application_id", DbKind::Demo.application_id())?,
            None => super::server::mark_demo(&self.conn)?,
        }
        self.kind = DbKind::Demo;
        Ok(())
    }

    /// Records, from now on, in every history row this connection writes, that
    /// the system account `login` acted for the staff member the rows name
    /// (root or the file's owner working as someone else). `None` stops it.
    pub fn set_acting(&mut self, login: Option<&str>) -> Result<(), DbError> {
        match self.conn.sqlite() {
            Some(conn) => super::chain::set_acting(conn, login.map(str::to_string))?,
            None => super::server::set_acting(&self.conn, login)?,
        }
        self.acting = login.map(str::to_string);
        Ok(())
    }

    /// The system account acting for the staff member at work, if any.
    pub fn acting(&self) -> Option<&str> {
        self.acting.as_deref()
    }

    /// True when the file's schema differs from the one kam made: it is not
    /// written until `kam check` has named the difference and it is restored.
    pub fn schema_altered(&self) -> bool {
        self.schema_altered
    }

    /// A second, read-only connection to a database [`Store::open`] has already
    /// brought up to date: for work kept off the interface thread (search as you
    /// type). Its page cache is bounded as the main connection's is.
    pub fn open_reader(path: &Path) -> Result<Store, DbError> {
        let open_err = |reason: String| DbError::Open { path: path.display().to_string(), reason };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_err(e.to_string()))?;
        conn.busy_handler(Some(short_waits))?;
        // Opened read-only, it cannot change the file; search still writes its
        // scratch rows to TEMP tables (so no `query_only`, which refuses those too).
        conn.execute_batch(&format!("PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{PAGE_CACHE_KIB};"))?;
        // One read now opens the `-wal` and `-shm` files (SQLite opens them at
        // the first read, and keeps them open): a guarded kam opens its reader
        // while it holds the group's privilege, and gives that up for good
        // right after (`crate::privilege`).
        let kind: i32 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
            .and_then(|_| conn.query_row("PRAGMA application_id", [], |r| r.get(0)))
            .map_err(|e| open_err(e.to_string()))?;
        Ok(Store {
            conn: Conn::Sqlite(conn),
            location: Location::File(path.to_path_buf()),
            writes: false,
            schema_altered: false,
            kind: DbKind::from_application_id(kind).unwrap_or(DbKind::Real),
            marked: false,
            owner: owner_of(path),
            acting: None,
        })
    }

    /// Gathers planner statistics now (after a bulk load such as the demo).
    pub fn analyze(&self) -> Result<(), DbError> {
        use super::sql::Sql;
        match self.conn.dialect() {
            super::sql::Dialect::Sqlite => self.conn.exec_batch("PRAGMA analysis_limit = 0; ANALYZE;"),
            // Autovacuum gathers statistics on the server; a bulk load asks
            // for them now, where the role may (the tables' owner).
            super::sql::Dialect::Postgres => super::server::analyze(&self.conn),
        }
    }

    /// A handle another thread can use to stop the read running on this
    /// connection (quitting should not wait for a big analysis).
    pub fn interrupter(&self) -> Interrupter {
        match &self.conn {
            Conn::Sqlite(c) => Interrupter::Sqlite(c.get_interrupt_handle()),
            Conn::Postgres(c) => Interrupter::Postgres(c.cancel_token(), self.location.to_string_raw()),
        }
    }

    /// On a server, who this session is: the database's login (the role the
    /// server authenticated: peer, password or certificate), and whether it
    /// is a superuser (who may act for others, as root may on a file).
    /// `None` for a file, where the system account says who.
    pub fn server_account(&self) -> Result<Option<crate::identity::Account>, DbError> {
        if self.conn.sqlite().is_some() {
            return Ok(None);
        }
        super::server::account(&self.conn).map(Some)
    }

    /// Where the database is: its file, or its server.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// For reads. Never hold a transaction open across a key press.
    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction: it takes the write lock at
    /// the start (waiting up to the busy timeout) so it can never fail half-way with
    /// SQLITE_BUSY, and commits only if `work` succeeds.
    pub fn write<T>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, DbError>) -> Result<T, DbError> {
        self.write_as(work)
    }

    /// [`Store::write`] for work with an error type of its own that can carry a
    /// storage error (a refused business rule, say).
    pub fn write_as<T, E: From<DbError>>(&mut self, work: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E> {
        if self.schema_altered {
            return Err(DbError::SchemaAltered.into());
        }
        let tx = Tx::begin(&self.conn, busy_timeout()).map_err(busy_or)?;
        let out = work(&tx)?;
        tx.commit().map_err(busy_or)?;
        Ok(out)
    }
}

/// Stops whatever a [`Store`]'s connection is running, from another thread.
pub enum Interrupter {
    Sqlite(rusqlite::InterruptHandle),
    Postgres(postgres::CancelToken, String),
}

impl Interrupter {
    pub fn interrupt(&self) {
        match self {
            Interrupter::Sqlite(handle) => handle.interrupt(),
            // A cancel request is a connection of its own to the server; a
            // failed one leaves the statement to finish.
            Interrupter::Postgres(token, target) => super::server::cancel(token, target),
        }
    }
}

fn busy_or(err: DbError) -> DbError {
    if err.is_busy() { DbError::Busy } else { err }
}

const READ_ONLY_FILE: &str = "the file is read-only for you (kam needs to write to it)";

/// Why SQLite could not write: the file, or the folder that must hold its
/// `-wal` and `-shm` companions.
fn read_only_reason(f: &rusqlite::ffi::Error) -> &'static str {
    if f.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY {
        "its folder is read-only for you (kam needs to create the -wal and -shm files next to it)"
    } else {
        READ_ONLY_FILE
    }
}

/// SQLite's page cache of each connection, in KiB. Reads are index ranges
/// and the OS keeps the file's pages anyway; each connection's cache fills to
/// this in a long session whatever the size of the book, so it is part of
/// kam's memory budget (issue 19: under 64 MB through every screen; it was
/// 32 MB for the main connection).
pub const PAGE_CACHE_KIB: i64 = 8000;

fn configure(conn: &Connection) -> Result<(), DbError> {
    // journal_mode answers with the mode now in force.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = FULL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -{PAGE_CACHE_KIB};"
    ))?;
    Ok(())
}

/// The user id owning the file.
fn owner_of(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Creates the file with owner-only permissions if it does not exist: the dossier
/// is confidential, and a umask of 022 would leave it world-readable. In a
/// set-group-id folder (a shared server's, see README: Deployment) the group
/// the folder hands on may read and write it too: that is what the folder is for.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    let shared = {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        options.mode(0o600);
        std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o2000 != 0)
    };
    match options.open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(e),
    }
    // Not through the creation mode: a umask of 077 would take the group's bits away.
    #[cfg(unix)]
    if shared {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))?;
    }
    Ok(())
}

/// The timestamp format stored in `*_at` columns.
/// `at`, the bureau's wall-clock time, as a time of record: with its UTC
/// offset (`crate::time::stamp`).
pub fn now_stamp(at: NaiveDateTime) -> String {
    crate::time::stamp(at)
}

thread_local! {
    /// When the current wait for the write lock began (the handler is told only a count).
    static WAIT_START: std::cell::Cell<Option<std::time::Instant>> = const { std::cell::Cell::new(None) };
}

/// SQLite's busy handler: wait for the write lock in short, jittered sleeps (0.5–2 ms)
/// until [`busy_timeout`] has passed. The default handler backs off to 100 ms
/// sleeps, so a waiting writer keeps losing the lock to newer ones: under 16
/// writers its worst wait came to 4–6 s, close to the timeout; with short
/// sleeps it stayed under 0.4 s (tests/load.rs).
fn short_waits(count: i32) -> bool {
    let now = std::time::Instant::now();
    let start = WAIT_START.with(|w| {
        if count == 0 {
            w.set(Some(now));
        }
        w.get().unwrap_or(now)
    });
    if now.duration_since(start) >= busy_timeout() {
        return false;
    }
    let jitter = (u64::from(std::process::id()) * 7919 + u64::from(count.unsigned_abs()) * 104729) % 1500;
    std::thread::sleep(Duration::from_micros(500 + jitter));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_name_the_schema_version() {
        assert_eq!(migrations().validate(), Ok(()));
        let mut conn = Connection::open_in_memory().expect("memory database");
        crate::db::chain::register(&conn).expect("the chain function");
        migrations().to_latest(&mut conn).expect("every step applies from empty");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, schema_version());
        assert_eq!(usize::try_from(schema_version()), Ok(STEPS.len()));
    }

    /// Migration 06 on a file of version 5: a complaint confirmed unsatisfied,
    /// reopened, then confirmed satisfied and closed. The last round's words
    /// land on its steps; the earlier round stays unknown; the timeline is
    /// append-only again afterwards.
    #[test]
    fn migration_06_fills_the_last_round_of_older_timelines() {
        let mut conn = Connection::open_in_memory().expect("memory database");
        migrations_of(&STEPS[..5]).to_latest(&mut conn).expect("version 5");
        conn.execute_batch(
            "INSERT INTO org_unit (id, code, name, kind, division_code) VALUES (1, 'GZ', '广州', 'city', '440100');
             INSERT INTO staff (id, name, unit_id, role) VALUES (1, '张伟', 1, 'manager');
             INSERT INTO customer (id, short_name, full_name, name_norm, unit_id, owner_a, dossier_updated_on,
                 update_due_on, created_by, created_at, updated_by, updated_at)
             VALUES ('44010000001000', '甲', '甲公司', '甲', 1, 1, '2026-01-01', '2026-07-01', 1, 't', 1, 't');
             INSERT INTO complaint (id, number, received_at, channel, received_by, customer_id, complainant, category,
                 description, deadline, state, result, satisfaction, closed_at, created_by, created_at, updated_by,
                 updated_at)
             VALUES (1, 'TS2026-000001', 't', 'phone', 1, '44010000001000', '陈', 'delay', '延误', 't', 'closed',
                 '已补发', 'satisfied', 't', 1, 't', 1, 't');
             INSERT INTO complaint_event (complaint_id, kind, by_id, at) VALUES
                 (1, 'received', 1, 't'), (1, 'resolve', 1, 't'), (1, 'confirm', 1, 't'), (1, 'reopen', 1, 't'),
                 (1, 'resolve', 1, 't'), (1, 'confirm', 1, 't'), (1, 'close', 1, 't');",
        )
        .expect("a version-5 timeline");
        migrations().to_latest(&mut conn).expect("up to date");
        let rows: Vec<(String, Option<String>, Option<String>)> = conn
            .prepare("SELECT kind, satisfaction, result FROM complaint_event ORDER BY id")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
            .expect("the timeline");
        let row =
            |kind: &str, s: Option<&str>, r: Option<&str>| (kind.to_string(), s.map(Into::into), r.map(Into::into));
        assert_eq!(
            rows,
            [
                row("received", None, None),
                row("resolve", None, None),
                row("confirm", None, None),
                row("reopen", None, None),
                row("resolve", None, Some("已补发")),
                row("confirm", Some("satisfied"), None),
                row("close", Some("satisfied"), None),
            ]
        );
        assert!(conn.execute("UPDATE complaint_event SET note = 'x'", []).is_err(), "append-only again");
    }

    /// Both connections' page caches are bounded (issue 19: memory).
    #[test]
    fn the_page_caches_are_bounded() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("kam.db");
        let main = Store::open(&path).expect("open");
        let reader = Store::open_reader(&path).expect("reader");
        for store in [&main, &reader] {
            let Conn::Sqlite(conn) = &store.conn else { panic!("a file") };
            let size: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0)).expect("cache_size");
            assert_eq!(size, -PAGE_CACHE_KIB);
        }
    }

    #[test]
    fn the_written_down_fingerprint_is_the_schema_kam_makes() {
        let found = crate::db::chain::fingerprint(&expected_schema().expect("schema"));
        assert_eq!(found, SCHEMA_FINGERPRINT, "a schema step changed the schema: write its fingerprint down");
    }
}
