//! Instruction counts of the paths behind issue 19's budgets, on a small demo
//! with a fixed clock, counted by callgrind (gungraun). Time on a shared
//! 2-core machine swings by tens of percent from run to run; the number of
//! instructions a path executes does not, so these run in CI, each with a hard
//! limit: a change that makes a path cost more than its limit fails the build.
//!
//! Run: `cargo bench --profile dev --bench instructions` (needs valgrind and
//! `gungraun-runner` of the same version as the `gungraun` dev-dependency:
//! `cargo install gungraun-runner --version 0.20.0`; `.ci/run` installs
//! both). The dev profile is the test build's: our code unoptimised, SQLite
//! and the other dependencies optimised (`[profile.dev.package."*"]`), so CI
//! builds nothing twice. The limits below are set about 30% above the counts
//! measured when they were written; lower them when a path gets cheaper.
//!
//! The database is built once, before the benchmarks run under valgrind, in
//! `target/kam-instructions/` (deterministic: fixed seed and day).

use std::hint::black_box;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gungraun::{Callgrind, EventKind, LibraryBenchmarkConfig, library_benchmark, library_benchmark_group, main};
use kam::app::App;
use kam::ctx::{Clock, Ctx};
use kam::db::analysis::AnalysisScope;
use kam::db::customers::{self, CustomerQuery};
use kam::db::{Store, reference, revenue};
use kam::demo::{DemoOptions, generate};
use kam::domain::revenue::StatusRules;
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;
use kam::domain::visit_standard::StandardPreset;
use kam::i18n::Lang;
use kam::keymap::Keymap;
use kam::msg::Msg;
use kam::search::normalize_query;
use kam::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Customers of the demo measured on: enough that a scan shows against an
/// index range, small enough to build in seconds.
const CUSTOMERS: usize = 3_000;
const VISITS: usize = 30_000;
/// Rows the customer list fetches per query (`WINDOW` in its screen).
const LIST_WINDOW: u64 = 120;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23).and_then(|d| d.and_hms_opt(9, 0, 0)).expect("a valid day")
}

fn demo_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("kam-instructions")
        // A new schema makes a new file, rather than migrating an old one.
        .join(format!("demo-{CUSTOMERS}-{VISITS}-v{}.db", kam::db::schema_version()))
}

/// Builds the demo if it is not there yet: `main!`'s setup, run once before
/// the benchmarks and not under valgrind (where it would take minutes).
fn ensure_demo() {
    let path = demo_path();
    if path.is_file() {
        return;
    }
    let dir = path.parent().expect("a parent directory");
    std::fs::create_dir_all(dir).expect("create target/kam-instructions");
    let building = dir.join("building.db");
    for stale in ["building.db", "building.db-wal", "building.db-shm"] {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    {
        let mut store = Store::open(&building).expect("create the demo file");
        let options = DemoOptions {
            customers: CUSTOMERS,
            seed: 19,
            today: now().date(),
            os_login: None,
            preset: TierPreset::GuangdongScore,
            visits: Some(VISITS),
            activity: true,
        };
        generate(&mut store, &options).expect("build the demo");
    }
    // Closing the store folded the WAL into the file; move any leftover with it.
    for suffix in ["-wal", "-shm", ""] {
        let from = dir.join(format!("building.db{suffix}"));
        if from.is_file() {
            let to = PathBuf::from(format!("{}{suffix}", path.display()));
            std::fs::rename(&from, &to).expect("move the demo into place");
        }
    }
}

fn store() -> Store {
    Store::open(&demo_path()).expect("open the demo (built before the benchmarks)")
}

fn staff(store: &Store, login: &str) -> Staff {
    reference::staff_by_login(store.conn(), login).expect("staff query").unwrap_or_else(|| panic!("no staff {login}"))
}

/// The context the app starts with, as `startup` builds it.
fn ctx(login: &str) -> Ctx {
    let store = store();
    let user = staff(&store, login);
    Ctx {
        reference: reference::load(store.conn()).expect("reference data"),
        store,
        user,
        lang: Lang::Zh,
        theme: Theme::load("dark", None, false).expect("the dark theme"),
        keymap: Keymap::default_map(),
        clock: Clock::Fixed(now()),
        preset: TierPreset::GuangdongScore,
        standard: StandardPreset::default(),
        money_unit: Default::default(),
        status_rules: Default::default(),
        reader: Default::default(),
        notices: Vec::new(),
    }
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(120, 40)).expect("a test terminal")
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A hard limit on the instructions executed (Ir).
fn at_most(instructions: u64) -> LibraryBenchmarkConfig {
    LibraryBenchmarkConfig::default().tool(Callgrind::default().hard_limits([(EventKind::Ir, instructions)])).clone()
}

// Start to first frame: the app made from its context (Today reviewed) and drawn.
#[library_benchmark]
#[bench::manager(args = ("jingli01"), setup = ctx, config = at_most(64_000_000))]
#[bench::supervisor(args = ("zhuguan"), setup = ctx, config = at_most(125_000_000))]
fn first_frame(ctx: Ctx) -> Terminal<TestBackend> {
    let mut app = App::new(ctx);
    let mut terminal = terminal();
    terminal.draw(|f| app.draw(f)).expect("draw");
    black_box(terminal)
}

// Today's review alone, for each role.
#[library_benchmark]
#[bench::manager(args = ("jingli01"), setup = reviewer, config = at_most(56_000_000))]
#[bench::supervisor(args = ("zhuguan"), setup = reviewer, config = at_most(110_000_000))]
#[bench::administrator(args = ("guanli"), setup = reviewer, config = at_most(98_000_000))]
fn today(input: (Store, Staff)) {
    let (store, user) = input;
    black_box(kam::review::day_review(store.conn(), &user, now(), StandardPreset::default()).expect("review"));
}

fn reviewer(login: &str) -> (Store, Staff) {
    let store = store();
    let user = staff(&store, login);
    (store, user)
}

// The customer list's count (as the list counts it: searches stop past
// 1,000) and first window, unfiltered and for searches of one, two and more
// characters (the list caches nothing yet: a fresh store). "zha" is a common
// run of three letters (zhang, zhao, zhan…), "ang" one in most names.
#[library_benchmark]
#[bench::all(args = (""), setup = searcher, config = at_most(12_300_000))]
#[bench::one_letter(args = ("z"), setup = searcher, config = at_most(16_300_000))]
#[bench::two_letters(args = ("zg"), setup = searcher, config = at_most(12_800_000))]
#[bench::pinyin(args = ("dianxin"), setup = searcher, config = at_most(15_000_000))]
#[bench::hanzi(args = ("电信"), setup = searcher, config = at_most(6_400_000))]
#[bench::three_letters(args = ("zha"), setup = searcher, config = at_most(15_700_000))]
#[bench::in_most_names(args = ("ang"), setup = searcher, config = at_most(25_600_000))]
fn list_page(input: (Store, CustomerQuery)) {
    let (store, query) = input;
    let total = customers::count_listed(store.conn(), &query).expect("count");
    let rows = customers::page_in(store.conn(), &query, 0, LIST_WINDOW, total).expect("page");
    black_box((total, rows));
}

fn searcher(text: &str) -> (Store, CustomerQuery) {
    (store(), CustomerQuery { search: normalize_query(text), ..Default::default() })
}

// The monthly analysis of the ledger's last month as its screen reads it
// (without the key customers' table, which only reports print): the whole
// bureau and one district.
#[library_benchmark]
#[bench::everyone(args = (AnalysisScope::All), setup = analyst, config = at_most(32_000_000))]
#[bench::district(args = (AnalysisScope::Unit(2)), setup = analyst, config = at_most(18_000_000))]
fn analysis(input: (Store, AnalysisScope)) {
    let (store, scope) = input;
    let month = revenue::ledger_month(store.conn()).expect("ledger month").expect("a ledger");
    black_box(kam::db::analysis::monthly_shown(store.conn(), month, scope, &StatusRules::default()).expect("analysis"));
}

fn analyst(scope: AnalysisScope) -> (Store, AnalysisScope) {
    (store(), scope)
}

// A cursor move in the customer list: the key handled and the frame drawn.
#[library_benchmark]
#[bench::down(setup = on_the_list, config = at_most(7_400_000))]
fn list_move(input: (App, Terminal<TestBackend>)) {
    let (mut app, mut terminal) = input;
    app.handle(&key(KeyCode::Down));
    terminal.draw(|f| app.draw(f)).expect("draw");
    black_box((app, terminal));
}

fn on_the_list() -> (App, Terminal<TestBackend>) {
    let mut app = App::new(ctx("jingli01"));
    app.handle(&key(KeyCode::Char('2')));
    let mut terminal = terminal();
    terminal.draw(|f| app.draw(f)).expect("draw");
    (app, terminal)
}

library_benchmark_group!(name = start; benchmarks = first_frame, today);
library_benchmark_group!(name = list; benchmarks = list_page, list_move);
library_benchmark_group!(name = revenue_analysis; benchmarks = analysis);

main!(
    setup = ensure_demo();
    library_benchmark_groups = start, list, revenue_analysis
);
