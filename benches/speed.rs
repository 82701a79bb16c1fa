//! What each screen asks of the database, timed on a large one (issue "Speed,
//! measured"). Key to frame has a 16 ms budget, Today 50 ms, the monthly
//! analysis 1 s; these are the database's share of them.
//!
//! Build the database once (a few minutes):
//!   kam demo --customers 100000 --visits 1000000 --db /tmp/big.db
//! then `KAM_BENCH_DB=/tmp/big.db cargo bench --bench speed`.
//! Without `KAM_BENCH_DB` it has nothing to measure and fails, saying so.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime};
use divan::{Bencher, black_box};
use kam::db::Store;
use kam::db::analysis::AnalysisScope;
use kam::db::customers::{self, CustomerQuery};
use kam::db::records::{self, RecordKind};
use kam::db::visits::{self, VisitScope};
use kam::db::{complaints, history, marketing, reference, revenue};
use kam::domain::revenue::StatusRules;
use kam::domain::visit_standard::StandardPreset;
use kam::search::normalize_query;

/// Rows the customer list fetches per query (`WINDOW` in its screen).
const LIST_WINDOW: u64 = 120;
/// Rows the dossier lists per tab (`VISITS_SHOWN`, `HISTORY_PAGE` there).
const DOSSIER_ROWS: u64 = 200;
/// Months of revenue the dossier's revenue tab shows.
const REVENUE_MONTHS: i64 = 24;

fn main() {
    let Some(path) = bench_db() else {
        eprintln!(
            "speed: nothing to measure: set KAM_BENCH_DB to a large kam database to measure; build one with\n  \
             kam demo --customers 100000 --visits 1000000 --db /tmp/big.db\n\
             then: KAM_BENCH_DB=/tmp/big.db cargo bench --bench speed"
        );
        std::process::exit(2);
    };
    assert!(path.is_file(), "KAM_BENCH_DB={} is not a file", path.display());
    divan::main();
}

fn bench_db() -> Option<PathBuf> {
    std::env::var_os("KAM_BENCH_DB").filter(|p| !p.is_empty()).map(Into::into)
}

/// One connection for every benchmark, as the app keeps one. A rusqlite
/// connection is not `Sync`, hence the mutex; it is locked outside the timed code.
fn store() -> MutexGuard<'static, Store> {
    static STORE: OnceLock<Mutex<Store>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let path = bench_db().expect("KAM_BENCH_DB is checked in main");
            Mutex::new(Store::open(&path).expect("open KAM_BENCH_DB"))
        })
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The clock the app runs on: the demo plants its visits around the day it was built.
fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn staff(store: &Store, login: &str) -> kam::domain::staff::Staff {
    reference::staff_by_login(store.conn(), login).expect("staff query").unwrap_or_else(|| panic!("no staff {login}"))
}

/// Opening the customer list: the count for the title and the first window of rows.
#[divan::bench]
fn customer_list_first_page(bencher: Bencher) {
    let store = store();
    let query = CustomerQuery::default();
    bencher.bench_local(|| {
        let total = customers::count(store.conn(), &query).unwrap();
        let rows = customers::page(store.conn(), &query, 0, LIST_WINDOW).unwrap();
        assert!(total > 0 && !rows.is_empty());
        black_box(rows)
    });
}

/// The keystroke that completes `word` in the search box. The list caches one
/// search, so before each run (untimed) the word less its last character is
/// searched, as the keystroke before it would have; one run per sample keeps that
/// order.
#[divan::bench(args = ["dxzw", "电信", "huaxin", "gz"], sample_size = 1, sample_count = 50)]
fn search_keystroke(bencher: Bencher, word: &str) {
    let store = store();
    let query = |text: &str| CustomerQuery { search: normalize_query(text), ..Default::default() };
    let mut prefix = word.chars();
    prefix.next_back();
    let before = query(prefix.as_str());
    let typed = query(word);
    bencher.with_inputs(|| customers::count_listed(store.conn(), &before).unwrap()).bench_local_values(|_| {
        let total = customers::count_listed(store.conn(), &typed).unwrap();
        let rows = customers::page(store.conn(), &typed, 0, LIST_WINDOW).unwrap();
        black_box((total, rows))
    });
}

/// A one- or two-character search's results, as the list asks for them (its
/// capped count and first window): answered from `customer_prefix`, one
/// range of its key, however many customers match (issue 19: 30 ms p95 at
/// any size). Each run asserts it found customers.
#[divan::bench(args = ["z", "g", "x", "中", "广", "zg", "gz", "dx", "sh", "中国", "广州"], sample_size = 1, sample_count = 50)]
fn short_search(bencher: Bencher, word: &str) {
    let store = store();
    let typed = CustomerQuery { search: normalize_query(word), ..Default::default() };
    bencher.bench_local(|| {
        let total = customers::count_listed(store.conn(), &typed).unwrap();
        let rows = customers::page(store.conn(), &typed, 0, LIST_WINDOW).unwrap();
        assert!(total > 0 && !rows.is_empty(), "{word}: nothing found");
        black_box((total, rows))
    });
}

/// Today as an account manager sees it (own customers) and as a supervisor (the unit's).
#[divan::bench(args = ["jingli01", "zhuguan"], sample_count = 30)]
fn today_review(bencher: Bencher, login: &str) {
    let store = store();
    let user = staff(&store, login);
    let now = now();
    bencher.bench_local(|| kam::review::day_review(store.conn(), &user, now, StandardPreset::default()).unwrap());
}

/// A month move in the calendar (own diary): the day counts of the six-week
/// grid and the visits of the cursor's day. Last month is full of the demo's
/// visits; next month has only the few planned ahead.
#[divan::bench(args = [-1, 1])]
fn calendar_month_move(bencher: Bencher, months_from_now: i32) {
    let store = store();
    let scope = VisitScope::Staff(staff(&store, "jingli01").id);
    let today = now().date();
    let shift = Months::new(months_from_now.unsigned_abs());
    let cursor =
        if months_from_now < 0 { today.checked_sub_months(shift) } else { today.checked_add_months(shift) }.unwrap();
    let (grid_from, grid_to) = month_grid(cursor);
    let midnight = cursor.and_time(NaiveTime::MIN);
    bencher.bench_local(|| {
        let counts = visits::day_counts(store.conn(), &scope, grid_from, grid_to, today).unwrap();
        let day = visits::between(store.conn(), &scope, midnight, midnight + Days::new(1)).unwrap();
        black_box((counts, day))
    });
}

/// The first and last day of the six-week grid the calendar draws around `day`'s month.
fn month_grid(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let start = first - Days::new(first.weekday().num_days_from_monday() as u64);
    (start, start + Days::new(41))
}

/// Opening a dossier: everything its tabs show, read as the screen reads it.
#[divan::bench]
fn open_dossier(bencher: Bencher) {
    let store = store();
    let conn = store.conn();
    let first = customers::page(conn, &CustomerQuery::default(), 0, 1).unwrap();
    let id = first[0].id.clone();
    let now = now();
    let today = now.date();
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    bencher.bench_local(|| {
        let dossier = customers::load(conn, &id).unwrap();
        let persons = records::list(conn, RecordKind::KeyPerson, &id, false).unwrap();
        let competitors = records::list(conn, RecordKind::Competitor, &id, false).unwrap();
        let family = customers::family(conn, &id).unwrap();
        let history_total = history::count_for_customer(conn, &id).unwrap();
        let history = history::for_customer(conn, &id, 0, DOSSIER_ROWS).unwrap();
        let visits = visits::for_customer(conn, &id, DOSSIER_ROWS).unwrap();
        let theirs = complaints::ComplaintFilter { customer: Some(id.clone()), ..Default::default() };
        let complaints = complaints::list(conn, &theirs, now, DOSSIER_ROWS).unwrap();
        let own_log = marketing::LogFilter { customer: Some(id.clone()), ..Default::default() };
        let log = marketing::list(conn, &own_log, DOSSIER_ROWS).unwrap();
        let done = visits::done_with_roles(conn, &id, year_start, today).unwrap();
        let last =
            revenue::ledger_month(conn).unwrap().unwrap_or_else(|| kam::domain::revenue::Month::of(today).prev());
        let first = last.plus(1 - REVENUE_MONTHS);
        let totals = revenue::customer_totals(conn, &id, first, last).unwrap();
        let cells = revenue::customer_cells(conn, &id, first, last).unwrap();
        black_box((dossier, persons, competitors, family, history_total, history));
        black_box((visits, complaints, log, done, totals, cells))
    });
}

/// The monthly analysis as the screen reads it (no key customers' table).
#[divan::bench(args = [AnalysisScope::All, AnalysisScope::Unit(2)], sample_count = 10)]
fn monthly_analysis_shown(bencher: Bencher, scope: AnalysisScope) {
    let store = store();
    let month = revenue::ledger_month(store.conn()).unwrap().expect("a revenue ledger in KAM_BENCH_DB");
    let rules = StatusRules::default();
    bencher.bench_local(|| {
        let analysis = kam::db::analysis::monthly_shown(store.conn(), month, scope, &rules).unwrap();
        assert!(analysis.customers > 0);
        analysis
    });
}

/// The monthly analysis of the ledger's latest month: every unit, and one district.
#[divan::bench(args = [AnalysisScope::All, AnalysisScope::Unit(2)], sample_count = 10)]
fn monthly_analysis(bencher: Bencher, scope: AnalysisScope) {
    let store = store();
    let month = revenue::ledger_month(store.conn()).unwrap().expect("a revenue ledger in KAM_BENCH_DB");
    let rules = StatusRules::default();
    bencher.bench_local(|| {
        let analysis = kam::db::analysis::monthly(store.conn(), month, scope, &rules).unwrap();
        assert!(analysis.customers > 0);
        analysis
    });
}
