//! Timings on a large database, for the README and closing notes. Ignored by
//! default: build one with `kam demo --customers 100000 --visits 1000000 --db /tmp/big.db`, then
//! `KAM_BENCH_DB=/tmp/big.db cargo test --release --test it perf:: -- --ignored --nocapture`.

use crate::support;

use std::time::{Duration, Instant};

use chrono::{Datelike, Days};

use crossterm::event::KeyCode;
use kam::i18n::Lang;
use support::*;

/// The database to measure; a harness with nothing to measure fails, it never passes quietly.
fn bench_db() -> std::path::PathBuf {
    let path: std::path::PathBuf = std::env::var_os("KAM_BENCH_DB")
        .filter(|p| !p.is_empty())
        .map(Into::into)
        .unwrap_or_else(|| panic!("nothing to measure: set KAM_BENCH_DB to a large kam database (see the module doc)"));
    assert!(path.is_file(), "nothing to measure: KAM_BENCH_DB={} is not a file", path.display());
    path
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    // Nearest rank at `per_mille` of the samples.
    let p = |per_mille: usize| samples[((samples.len() - 1) * per_mille + 500) / 1000].as_secs_f64() * 1000.0;
    println!(
        "{what:<36} n={:<4} p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms",
        samples.len(),
        p(500),
        p(950),
        p(1000)
    );
}

#[test]
#[ignore = "needs KAM_BENCH_DB"]
fn key_to_frame_on_a_large_database() {
    let path = bench_db();
    let t0 = Instant::now();
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    render(&mut app, 120, 40);
    println!("open + first frame (TestBackend)        {:.1} ms", t0.elapsed().as_secs_f64() * 1000.0);

    let timed = |app: &mut kam::app::App, msgs: &[kam::msg::Msg]| {
        let t = Instant::now();
        for m in msgs {
            app.handle(m);
        }
        render(app, 120, 40);
        t.elapsed()
    };
    let scroll: Vec<_> = (0..200).map(|_| timed(&mut app, &[key(KeyCode::Down)])).collect();
    report("scroll one row", scroll);
    let pages: Vec<_> = (0..100).map(|_| timed(&mut app, &[key(KeyCode::PageDown)])).collect();
    report("page down", pages);

    let mut search = Vec::new();
    for word in ["dxzw", "huaxin", "电信", "wuliu", "4401", "gz", "tianhe", "ysbh"] {
        timed(&mut app, &[key(KeyCode::Char('/'))]);
        for c in word.chars() {
            let d = timed(&mut app, &[key(KeyCode::Char(c))]);
            if std::env::var_os("KAM_BENCH_VERBOSE").is_some() {
                println!("  {word} +{c}: {:.1} ms", d.as_secs_f64() * 1000.0);
            }
            search.push(d);
        }
        timed(&mut app, &[key(KeyCode::Esc)]);
    }
    report("search (inline; the search thread does this)", search);

    let mut sorts = Vec::new();
    for _ in 0..16 {
        sorts.push(timed(&mut app, &[key(KeyCode::Char('s'))]));
    }
    report("sort by next column", sorts);
    let mut filters = Vec::new();
    for k in ['t', 't', 'm', 'm', 'x', 'x', 'p', 'p'] {
        filters.push(timed(&mut app, &[key(KeyCode::Char(k))]));
    }
    report("filter toggle", filters);
    let mut open = Vec::new();
    for _ in 0..20 {
        open.push(timed(&mut app, &[key(KeyCode::Enter)]));
        timed(&mut app, &[key(KeyCode::Esc), key(KeyCode::Down)]);
    }
    report("open dossier", open);

    let mut today = Vec::new();
    for _ in 0..10 {
        today.push(timed(&mut app, &[key(KeyCode::Char('1'))]));
    }
    report("Today review (manager)", today);
    let mut boss = today_on(&path, Lang::Zh, "zhuguan");
    let mut unit = Vec::new();
    for _ in 0..5 {
        unit.push(timed(&mut boss, &[key(KeyCode::Char('1'))]));
    }
    report("Today review (supervisor, unit)", unit);
    timed(&mut app, &[key(KeyCode::Char('3'))]);
    let mut months = Vec::new();
    for _ in 0..12 {
        months.push(timed(&mut app, &[key(KeyCode::PageDown)]));
    }
    report("calendar month move (forward)", months);
    let mut back = Vec::new();
    for _ in 0..24 {
        back.push(timed(&mut app, &[key(KeyCode::PageUp)]));
    }
    report("calendar month move (back, full months)", back);
    let mut days = Vec::new();
    for _ in 0..30 {
        days.push(timed(&mut app, &[key(KeyCode::Right)]));
    }
    report("calendar day move", days);
}

#[test]
#[ignore = "needs KAM_BENCH_DB"]
fn today_review_parts() {
    use kam::db::{complaints, customers, records, visits};
    let path = bench_db();
    let store = kam::db::Store::open(&path).unwrap();
    let conn = store.conn();
    for login in ["jingli01", "zhuguan", "guanli"] {
        let me = kam::db::reference::staff_by_login(conn, login).unwrap().unwrap();
        let (owner, unit) = kam::review::responsibility(&me);
        let today = now().date();
        let midnight = today.and_hms_opt(0, 0, 0).unwrap();
        let scope =
            if owner.is_some() { visits::VisitScope::Staff(me.id) } else { visits::VisitScope::Unit(me.unit_id) };
        // Each part three times; the last (warm) time is printed.
        let time = |what: &str, f: &dyn Fn() -> usize| {
            let mut last = (0, Duration::ZERO);
            for _ in 0..3 {
                let t = Instant::now();
                let n = f();
                last = (n, t.elapsed());
            }
            println!("{login:<9} {what:<28} n={:<6} {:>7.1} ms", last.0, last.1.as_secs_f64() * 1000.0);
        };
        time("standards_table", &|| kam::review::standards_table(conn, &me, today, Default::default()).unwrap().len());
        time("behind (walk)", &|| {
            let limit = kam::review::SECTION_LIMIT;
            kam::review::behind_walk(conn, &me, today, Default::default(), 200, limit, kam::review::BEHIND_CAP)
                .unwrap()
                .1
        });
        let first_day = (today.month(), today.day());
        time("person_dates (one day)", &|| records::person_dates(conn, owner, unit, first_day).unwrap().len());
        time("visits today", &|| visits::between(conn, &scope, midnight, midnight + Days::new(1)).unwrap().len());
        time("overdue", &|| visits::overdue(conn, &scope, today, 50).unwrap().len());
        let stale = customers::CustomerQuery {
            filter: customers::CustomerFilter { mine_of: owner, unit, stale_on: Some(today), ..Default::default() },
            sort: customers::SortColumn::Tier,
            ..Default::default()
        };
        time("stale count", &|| usize::try_from(customers::count(conn, &stale).unwrap()).unwrap());
        time("stale page", &|| customers::page(conn, &stale, 0, 50).unwrap().len());
        let open = complaints::ComplaintFilter { open_only: true, mine: owner, unit, ..Default::default() };
        time("complaints", &|| complaints::list(conn, &open, now(), 50).unwrap().len());
        time("unseen comments", &|| kam::db::marketing::unseen_comments(conn, me.id).unwrap().len());
        time("day_review", &|| kam::review::day_review(conn, &me, now(), Default::default()).unwrap().behind_total);
    }
}

#[test]
#[ignore = "needs KAM_BENCH_DB"]
fn monthly_analysis_on_a_large_database() {
    let path = bench_db();
    let store = kam::db::Store::open(&path).unwrap();
    let month = kam::db::revenue::ledger_month(store.conn()).unwrap().expect("a ledger");
    let rules = kam::domain::revenue::StatusRules::default();
    for (label, scope) in [
        ("analysis, all units", kam::db::analysis::AnalysisScope::All),
        ("analysis, city and below (unit 1)", kam::db::analysis::AnalysisScope::Unit(1)),
        ("analysis, one district (unit 2)", kam::db::analysis::AnalysisScope::Unit(2)),
    ] {
        let samples: Vec<_> = (0..5)
            .map(|_| {
                let t = Instant::now();
                let a = kam::db::analysis::monthly(store.conn(), month, scope, &rules).unwrap();
                assert!(a.customers > 0);
                t.elapsed()
            })
            .collect();
        report(label, samples);
        let samples: Vec<_> = (0..5)
            .map(|_| {
                let t = Instant::now();
                let a = kam::db::analysis::monthly_shown(store.conn(), month, scope, &rules).unwrap();
                assert!(a.customers > 0);
                t.elapsed()
            })
            .collect();
        report(&format!("{label}, as shown"), samples);
    }
    // The screen: open it as a supervisor and draw (what pressing 7 costs).
    let mut app = today_on(&path, Lang::Zh, "zhuguan2");
    let t = Instant::now();
    app.handle(&key(KeyCode::Char('7')));
    render(&mut app, 120, 40);
    println!("open analysis screen + frame            {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
}

/// The plan kam's own SQLite (bundled, newer than the system's `sqlite3`,
/// and planning differently) makes for the statement in `KAM_EXPLAIN`.
#[test]
#[ignore = "needs KAM_BENCH_DB"]
fn explain_on_a_large_database() {
    use kam::db::sql::Sql;
    let store = kam::db::Store::open(&bench_db()).unwrap();
    let sql = std::env::var("KAM_EXPLAIN").unwrap();
    let rows = store.conn().rows(&format!("EXPLAIN QUERY PLAN {sql}"), &[], |r| r.get::<String>(3)).unwrap();
    for r in rows {
        println!("PLAN {r}");
    }
}

/// What each statement of a start (Today reviewed and drawn) reads from the
/// file: each run again on a fresh connection (an empty page cache), the
/// bytes read counted by the process's `rchar`; the largest first, with
/// their plans. `KAM_LOGIN` picks the user (jingli01 by default).
#[test]
#[ignore = "needs KAM_BENCH_DB"]
fn start_reads_by_statement() {
    use kam::db::sql::Sql;
    let path = bench_db();
    let login = std::env::var("KAM_LOGIN").unwrap_or_else(|_| "jingli01".into());
    let rchar = || {
        let io = std::fs::read_to_string("/proc/self/io").unwrap();
        io.lines().find_map(|l| l.strip_prefix("rchar: ")).unwrap().trim().parse::<u64>().unwrap()
    };
    let before = rchar();
    let opened = kam::db::Store::open(&path).unwrap();
    println!("open: {} KB", (rchar() - before) / 1024);
    drop(opened);
    let (_, statements) = kam::db::recording_statements(|| {
        let mut app = app_with_clock(&path, Lang::Zh, &login, kam::ctx::Clock::System);
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| app.draw(f)).unwrap();
    });
    let mut costs = Vec::new();
    for (sql, args) in &statements {
        let store = kam::db::Store::open(&path).unwrap();
        let refs: Vec<&dyn kam::db::sql::ToValue> = args.iter().map(|a| a as &dyn kam::db::sql::ToValue).collect();
        let before = rchar();
        let rows = store.conn().rows(sql, &refs, |_| Ok(())).unwrap().len();
        costs.push(((rchar() - before) / 1024, rows, sql.clone(), store, args.clone()));
    }
    println!("{} statements, {} KB in all", costs.len(), costs.iter().map(|c| c.0).sum::<u64>());
    costs.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (kb, rows, sql, store, args) in costs.iter().take(12) {
        let short: String = sql.chars().take(160).collect();
        println!("{kb:>7} KB {rows:>6} rows  {short}");
        let refs: Vec<&dyn kam::db::sql::ToValue> = args.iter().map(|a| a as &dyn kam::db::sql::ToValue).collect();
        let plan = store.conn().rows(&format!("EXPLAIN QUERY PLAN {sql}"), &refs, |r| r.get::<String>(3));
        if let Ok(plan) = plan {
            for p in plan {
                println!("            {p}");
            }
        }
    }
}

/// The peak and current memory of the process after each of three
/// computations of the administrator's Today on one connection.
#[test]
#[ignore = "needs KAM_BENCH_DB"]
fn today_memory_on_a_large_database() {
    let status = |key: &str| {
        let s = std::fs::read_to_string("/proc/self/status").unwrap();
        s.lines().find(|l| l.starts_with(key)).map(|l| l.split_whitespace().nth(1).unwrap().to_string()).unwrap()
    };
    let store = kam::db::Store::open(&bench_db()).unwrap();
    let login = std::env::var("KAM_LOGIN").unwrap_or_else(|_| "guanli".into());
    let me = kam::db::reference::staff_by_login(store.conn(), &login).unwrap().unwrap();
    println!("opened: HWM {} kB, RSS {} kB", status("VmHWM"), status("VmRSS"));
    for n in 1..=3 {
        let review = kam::review::day_review(store.conn(), &me, now(), Default::default()).unwrap();
        println!("review {n}: HWM {} kB, RSS {} kB", status("VmHWM"), status("VmRSS"));
        drop(review);
    }
}
