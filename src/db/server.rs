//! The store on a PostgreSQL server: opening a session, the schema steps of
//! `migrations-pg/`, and the few store operations that differ from SQLite's
//! (see `store.rs` for the file). What a server keeps that a file keeps in
//! its header (schema version, demo or real) lives in `kam_meta`.

use super::engine::{ConnInfo, PgSession};
use super::sql::{Optional, Sql, args};
use super::{Conn, DbError, DbKind, Location, Store};

/// Every PostgreSQL schema step in order, numbered apart from SQLite's (one
/// PostgreSQL step holds SQLite's first eleven).
const STEPS: &[&str] = &[
    include_str!("../../migrations-pg/01-init/up.sql"),
    include_str!("../../migrations-pg/02-access/up.sql"),
    include_str!("../../migrations-pg/03-ledger-statuses/up.sql"),
    include_str!("../../migrations-pg/04-migration-record/up.sql"),
    include_str!("../../migrations-pg/05-period-totals/up.sql"),
    include_str!("../../migrations-pg/06-analysis-report/up.sql"),
    include_str!("../../migrations-pg/07-volume/up.sql"),
    include_str!("../../migrations-pg/08-login-race/up.sql"),
    include_str!("../../migrations-pg/09-appraisal/up.sql"),
    include_str!("../../migrations-pg/10-log-import/up.sql"),
    include_str!("../../migrations-pg/11-goal-targets/up.sql"),
    include_str!("../../migrations-pg/12-requests/up.sql"),
    include_str!("../../migrations-pg/13-contracts/up.sql"),
    include_str!("../../migrations-pg/14-plans/up.sql"),
    include_str!("../../migrations-pg/15-pipeline/up.sql"),
    include_str!("../../migrations-pg/16-search-prefixes/up.sql"),
    include_str!("../../migrations-pg/17-analysis-sums/up.sql"),
    include_str!("../../migrations-pg/18-pipeline-overdue/up.sql"),
    include_str!("../../migrations-pg/19-cold-start/up.sql"),
];

/// The step that makes `customer_prefix`, filled from the names after its
/// SQL, in its transaction.
const PREFIX_STEP: usize = 16;

/// The newest PostgreSQL schema this build knows.
pub fn schema_version() -> i64 {
    i64::try_from(STEPS.len()).unwrap_or(i64::MAX)
}

/// Opens a session on the server `target` names (a libpq URL or key-value
/// string) and brings the schema up to date where this role may; a role
/// that may not gets the step to ask its administrator for.
pub fn open(target: &str) -> Result<Store, DbError> {
    let conn = connect(target)?;
    migrate(&conn, target)?;
    store(conn, target, true)
}

/// A second session (search as you type): no schema work.
pub fn open_reader(target: &str) -> Result<Store, DbError> {
    let conn = connect(target)?;
    let found = version(&conn)?;
    if found != schema_version() {
        return Err(behind(target, found));
    }
    store(conn, target, false)
}

fn connect(target: &str) -> Result<Conn, DbError> {
    let open_err = |e: super::engine::EngineError| match e {
        super::engine::EngineError::Tls(failure) => DbError::Tls { path: Location::redacted(target), failure },
        e => DbError::Open { path: Location::redacted(target), reason: e.to_string() },
    };
    let session = PgSession::connect(target).map_err(open_err)?;
    let conn = Conn::Postgres(Box::new(session));
    // The session's time zone is the bureau's (the config's `zone`), so a
    // stamp's day (`::date`, `date_trunc`) is the bureau's day, as on SQLite.
    let zone = crate::time::zone().name().to_string();
    conn.row("SELECT set_config('TimeZone', ?1, false)", args![zone], |_| Ok(()))?;
    Ok(conn)
}

fn store(conn: Conn, target: &str, writes: bool) -> Result<Store, DbError> {
    let kind = match meta(&conn, "kind")?.as_deref() {
        Some("demo") => DbKind::Demo,
        _ => DbKind::Real,
    };
    Ok(Store {
        conn,
        location: Location::Server(target.to_string()),
        writes,
        schema_altered: false,
        kind,
        marked: false,
        owner: None,
        acting: None,
    })
}

/// The schema version the database is at (0: an empty database).
pub fn version(conn: &Conn) -> Result<i64, DbError> {
    Ok(meta(conn, "schema_version")?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn meta(conn: &Conn, key: &str) -> Result<Option<String>, DbError> {
    let exists: bool = conn.row("SELECT to_regclass('kam_meta') IS NOT NULL", args![], |r| r.get(0))?;
    if !exists {
        return Ok(None);
    }
    conn.row("SELECT value FROM kam_meta WHERE key = ?1", args![key], |r| r.get(0)).optional()
}

fn behind(target: &str, found: i64) -> DbError {
    DbError::Open {
        path: Location::redacted(target),
        reason: format!(
            "its kam schema is at version {found} and this kam needs {}: the database's administrator (a superuser) runs `kam init --db URL` once",
            schema_version()
        ),
    }
}

/// Applies the steps the database lacks, each in one transaction. Only a
/// superuser may (the first step makes the kam roles); anyone else meets
/// an up-to-date schema or is told who must act.
fn migrate(conn: &Conn, target: &str) -> Result<(), DbError> {
    let found = version(conn)?;
    if found > schema_version() {
        return Err(DbError::SchemaTooNew { found, supported: schema_version() });
    }
    if found == schema_version() {
        return Ok(());
    }
    let superuser: bool = conn.row("SELECT rolsuper FROM pg_roles WHERE rolname = session_user", args![], |r| {
        Ok(r.get::<Option<bool>>(0)?.unwrap_or(false))
    })?;
    if !superuser {
        return Err(behind(target, found));
    }
    let start = usize::try_from(found).unwrap_or(0);
    for (i, step) in STEPS.iter().enumerate().skip(start) {
        conn.exec_batch("BEGIN")?;
        let done = conn.exec_batch(step).and_then(|()| {
            if i + 1 == PREFIX_STEP {
                // As the superuser (the owner reads the names through policies only).
                conn.exec_batch("RESET ROLE")?;
                super::customers::fill_prefixes(conn)?;
            }
            conn.exec_batch(
                "RESET ROLE;
                 CREATE TABLE IF NOT EXISTS kam_meta (key text PRIMARY KEY, value text NOT NULL);
                 GRANT SELECT ON kam_meta TO kam_user;",
            )?;
            let version = (i + 1).to_string();
            conn.exec(
                "INSERT INTO kam_meta (key, value) VALUES ('schema_version', ?1) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                args![version],
            )?;
            conn.exec_batch("COMMIT")
        });
        if let Err(e) = done {
            let _ = conn.exec_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}

/// The session's login, and whether it is a superuser (uid 0 in
/// `crate::identity`'s terms: it may act for others).
pub(super) fn account(conn: &Conn) -> Result<crate::identity::Account, DbError> {
    conn.row(
        "SELECT session_user::text, coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)",
        args![],
        |r| {
            let superuser: bool = r.get(1)?;
            Ok(crate::identity::Account { uid: if superuser { 0 } else { u32::MAX }, login: r.get(0)? })
        },
    )
}

/// Marks the database a demo (the demo generator, before writing).
pub(super) fn mark_demo(conn: &Conn) -> Result<(), DbError> {
    conn.exec(
        "INSERT INTO kam_meta (key, value) VALUES ('kind', 'demo') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        args![],
    )?;
    Ok(())
}

/// Who acts for the staff member at work: the session's `kam.acting`,
/// which the history trigger records (migrations-pg `kam_acting`).
pub(super) fn set_acting(conn: &Conn, login: Option<&str>) -> Result<(), DbError> {
    conn.row("SELECT set_config('kam.acting', ?1, false)", args![login.unwrap_or("")], |_| Ok(()))
}

/// Planner statistics now, where this role owns the tables; otherwise
/// autovacuum's own schedule stands.
pub(super) fn analyze(conn: &Conn) -> Result<(), DbError> {
    match conn.exec_batch("ANALYZE") {
        Err(e) if e.fault() == Some(super::StorageFault::ReadOnly) => Ok(()),
        other => other,
    }
}

/// Asks the server to stop the statement a session runs.
pub(super) fn cancel(token: &postgres::CancelToken, target: &str) {
    let Ok(info) = ConnInfo::parse(target) else { return };
    match info.tls() {
        Ok(tls) => {
            let _ = token.cancel_query(tls);
        }
        Err(_) => {
            let _ = token.cancel_query(postgres::NoTls);
        }
    }
}

/// Verifies the server's history chain as `chain::verify` does a file's:
/// each row's link against the link before it and the row's own values,
/// by the trigger's own formula (`kam_history_link`, migrations-pg/01-init).
pub(super) fn verify_chain(conn: &Conn) -> Result<super::chain::ChainReport, DbError> {
    let rows: u64 = conn.row("SELECT count(*) FROM history", args![], |r| r.get(0))?;
    let unlinked: Vec<i64> = conn.rows(
        "SELECT h.id FROM history h LEFT JOIN history_chain c ON c.history_id = h.id \
         WHERE c.history_id IS NULL ORDER BY h.id LIMIT 100",
        args![],
        |r| r.get(0),
    )?;
    let deleted: Vec<i64> = conn.rows(
        "SELECT c.history_id FROM history_chain c LEFT JOIN history h ON h.id = c.history_id \
         WHERE h.id IS NULL ORDER BY 1 LIMIT 100",
        args![],
        |r| r.get(0),
    )?;
    let broken: Vec<i64> = conn.rows(
        "SELECT id FROM (SELECT h.id, c.hash, \
             kam_history_link(lag(c.hash) OVER (ORDER BY h.id), h, a.acted_by) AS due \
             FROM history h JOIN history_chain c ON c.history_id = h.id \
             LEFT JOIN history_acted a ON a.history_id = h.id) x \
         WHERE hash <> due ORDER BY id LIMIT 100",
        args![],
        |r| r.get(0),
    )?;
    let head: Option<Vec<u8>> = conn
        .row("SELECT hash FROM history_chain ORDER BY history_id DESC LIMIT 1", args![], |r| r.get(0))
        .optional()?;
    let head = head.map(|h| h.iter().map(|b| format!("{b:02x}")).collect());
    Ok(super::chain::ChainReport { rows, unlinked, broken, deleted, head })
}
