//! Deterministic demo data: a Guangzhou city bureau (广州市邮政局) with its
//! key-account centres, staff, industries and as many customers as asked for,
//! each with a dossier, key persons, competitors and sometimes branches.
//!
//! The same options give byte-identical data: every value comes from a seeded
//! [`rng::SplitMix64`] and from `options.today`, never from the wall clock. Screen
//! tests and snapshots rely on that, and `kam --demo` opens a familiar world.
//!
//! Everything is written through the `db` functions the application uses
//! (`insert_customer`, `records::insert_in`, …), in a few large transactions, so
//! the demo exercises the real write path, history triggers included. On a
//! PostgreSQL server the demo is built so into a file first, then moved onto
//! the server as `kam migrate` moves a bureau's file (see `on_server`).

mod activity;
mod appraisal;
mod contracts;
mod customers;
mod names;
mod org;
mod people;
mod pipeline;
mod plans;
mod reports;
mod requests;
mod revenue;
mod rng;
mod visits;
mod volume;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::db::reference::staff_count;
use crate::db::{DbError, Store};
use crate::domain::tier::TierPreset;

/// The seed `kam demo` and `kam --demo` use unless told otherwise.
pub const DEFAULT_SEED: u64 = 20_261_123;
/// How many customers the demo database has unless told otherwise.
pub const DEFAULT_CUSTOMERS: usize = 300;
/// Customers written per transaction: large enough to be fast, small enough
/// that a reader is never locked out for long.
const BATCH: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Customers to write, branches included.
    pub customers: usize,
    pub seed: u64,
    /// The day the data is "as of": dossier dates, birthdays and ages count from it.
    pub today: NaiveDate,
    /// The OS login to map to the first account manager, so the demo opens as
    /// an account manager; None keeps that manager's login `jingli01`.
    pub os_login: Option<String>,
    /// The tier preset the stored tiers are computed under.
    pub preset: TierPreset,
    /// Visits in all, at least: when more than the usual six weeks of visits,
    /// the rest are done visits spread over the last two years (for
    /// measuring at the scale of a city bureau's records).
    pub visits: Option<usize>,
    /// The daily work on top (marketing log, comments, complaints, explained
    /// fluctuations). On in every demo a user opens; off for tests that count
    /// from an empty log or complaint book.
    pub activity: bool,
}

impl DemoOptions {
    /// The default demo as of `today`.
    pub fn new(today: NaiveDate) -> DemoOptions {
        DemoOptions {
            customers: DEFAULT_CUSTOMERS,
            seed: DEFAULT_SEED,
            today,
            os_login: None,
            preset: TierPreset::default(),
            visits: None,
            activity: true,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Customer rows, headquarters and branches.
    pub customers: usize,
    pub key_persons: usize,
    pub competitors: usize,
    /// How many of the customers are branches (branch number ≠ 000).
    pub branches: usize,
    pub staff: usize,
    /// Organisation units (centres, bureaus, branch offices).
    pub units: usize,
    /// Visits done, planned and overdue.
    pub visits: usize,
    /// Revenue ledger cells (customer × month × service line).
    pub revenue_cells: usize,
    /// Marketing-log entries, supervisors' comments (and read marks) on them,
    /// complaints, and explanations of last month's fluctuations.
    pub log_entries: usize,
    pub log_comments: usize,
    pub complaints: usize,
    pub explanations: usize,
}

/// Fills an empty database with demo data. Refuses a database that already has
/// staff, rather than mixing the demo into real data.
pub fn generate(store: &mut Store, options: &DemoOptions) -> Result<DemoSummary, DbError> {
    if staff_count(store.conn())? > 0 {
        return Err(DbError::Invalid(crate::db::Invalid::Demo("the demo generator needs an empty database")));
    }
    if store.conn().sqlite().is_none() {
        return on_server(store, options);
    }
    // Generated data: anyone may work as anyone on it (see `crate::identity`).
    store.mark_demo()?;
    let os_login = options.os_login.as_deref().map(str::trim).filter(|login| !login.is_empty());
    let mut rng = rng::SplitMix64::new(options.seed);
    let org = store.write(|tx| {
        let stamp = crate::db::now_stamp(options.today.and_hms_opt(7, 0, 0).unwrap_or_default());
        let org = org::create(tx, &mut rng, os_login, &stamp)?;
        // Before the customers, so that their tiers see the units' revenue.
        revenue::write_unit_revenue(tx, &org, options.today)?;
        Ok(org)
    })?;
    let mut summary = DemoSummary { staff: org.staff_count, units: org.units.len(), ..DemoSummary::default() };
    // Customers draw from their own stream, derived from the seed.
    let mut writer = customers::CustomerWriter::new(rng::SplitMix64::new(rng.next_u64()), &org, options);
    while summary.customers < options.customers {
        let end = (summary.customers + BATCH).min(options.customers);
        store.write(|tx| {
            while summary.customers < end {
                let room = options.customers - summary.customers;
                let written = writer.write_family(tx, room, &mut summary)?;
                summary.customers += written;
            }
            Ok(())
        })?;
    }
    summary.visits = visits::generate(store, &mut rng, options.today, org.first_manager.id)?;
    if let Some(more) = options.visits.and_then(|want| want.checked_sub(summary.visits)).filter(|n| *n > 0) {
        summary.visits += visits::history(store, &mut rng, options.today, more)?;
    }
    summary.revenue_cells = revenue::generate(store, options.seed, options.today, options.preset)?;
    if options.activity {
        let done = activity::generate(store, options.seed, options.today, org.first_manager.id)?;
        summary.log_entries = done.log_entries;
        summary.log_comments = done.log_comments;
        summary.complaints = done.complaints;
        summary.explanations = done.explanations;
        reports::generate(store, options.today)?;
        // Before the month end: its frozen sheets count the plans.
        plans::generate(store, options.today)?;
        appraisal::generate(store, options.today)?;
        requests::generate(store, options.seed, options.today, org.first_manager.id)?;
        let (_, entries) = contracts::generate(store, options.today, org.first_manager.id)?;
        summary.log_entries += entries;
        // After the contracts: their signed customers are no prospects.
        pipeline::generate(store, options.today)?;
    }
    store.analyze()?;
    Ok(summary)
}

/// The demo on a PostgreSQL server: built into a SQLite file of its own in
/// the temporary directory (`TMPDIR`), exactly as on a file, then moved onto
/// the server by `kam migrate`'s machinery in one transaction: the rows by
/// COPY, the history as the generator wrote it (its own dates, not the
/// moment of the build) linked onto the server's chain, a login role for
/// every member of staff, the database marked a demo. One statement per
/// table and batch instead of one per row: a round trip each to the server
/// would make the province-size demo take hours. Needs a superuser session
/// (as `kam migrate` and the schema's first step do).
fn on_server(store: &mut Store, options: &DemoOptions) -> Result<DemoSummary, DbError> {
    use crate::db::migrate::{self, MigrateError, Refusal};
    let dir = tempfile::Builder::new().prefix("kam-demo-").tempdir().map_err(|e| DbError::Open {
        path: std::env::temp_dir().display().to_string(),
        reason: format!("a folder for the demo's file: {e}"),
    })?;
    let mut file = Store::open_or_create(&dir.path().join("demo.db"), crate::db::DbKind::Demo)?;
    let summary = generate(&mut file, options)?;
    let moved = migrate::Options {
        demo: true,
        source_name: Some(format!(
            "kam demo: {} customers, {} visits, seed {}, as of {}",
            summary.customers, summary.visits, options.seed, options.today
        )),
        ..migrate::Options::default()
    };
    migrate::migrate(&file, store, &moved).map_err(|e| match e {
        MigrateError::Db(e) => e,
        MigrateError::Refused(Refusal::NotSuperuser(_)) => {
            DbError::Invalid(crate::db::Invalid::Demo("a demo on a server is built by a superuser session"))
        }
        other => DbError::Invalid(crate::db::Invalid::Constraint(format!("moving the demo onto the server: {other}"))),
    })?;
    // The record in kam_meta is written; the store learns it too.
    store.mark_demo()?;
    store.analyze()?;
    Ok(summary)
}

/// Where the demo database lives: `demo.db` in the data directory, apart from
/// the real `kam.db`.
pub fn demo_db_path(data_dir: &Path) -> PathBuf {
    data_dir.join("demo.db")
}

/// Opens the demo database, generating its data on first use (when it has no
/// staff yet). If generating a new file fails, the file is removed so the next
/// start tries again instead of opening half a demo. Only a demo is opened: a
/// real kam database (or a file that is not kam's) is refused untouched; a
/// kam file from before application ids is taken for the demo only in the
/// demo's own place (`own_place`: no `--db` named it).
pub fn ensure_demo(path: &Path, options: &DemoOptions, own_place: bool) -> Result<Store, DbError> {
    use crate::db::file_kind::{DbKind, Found, classify};
    let not_a_demo = || DbError::Invalid(crate::db::Invalid::Demo("not a demo database"));
    match classify(path)? {
        Found::Kam(DbKind::Real) => return Err(not_a_demo()),
        Found::Unmarked if !own_place => return Err(not_a_demo()),
        _ => {}
    }
    let existed = path.exists();
    let mut store = Store::open_or_create(path, DbKind::Demo)?;
    if staff_count(store.conn())? > 0 {
        return Ok(store);
    }
    match generate(&mut store, options) {
        Ok(_) => Ok(store),
        Err(e) => {
            if !existed {
                drop(store);
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.as_os_str().to_owned();
                    file.push(suffix);
                    // Best effort: the error that matters is the one returned.
                    let _ = std::fs::remove_file(PathBuf::from(file));
                }
            }
            Err(e)
        }
    }
}
