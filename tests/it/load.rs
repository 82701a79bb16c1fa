//! Many hands on one file (README: "Load test"). Sixteen worker processes — this
//! test binary started again, each with its own connection as a real user's kam
//! has — work on one demo database at once for `KAM_LOAD_SECONDS` (3 s by
//! default, so CI runs it; 60 s for the figures in the README): twelve account
//! managers record visits, write log entries, file complaints and edit their own
//! dossiers and a customer each shares with a colleague; two supervisors and the
//! customer administrator move complaints and edit those shared customers too;
//! a leader only reads, and everyone searches and browses between writes.
//!
//! Every worker logs each operation (what, which record, the value written, the
//! version it started from, latency, outcome). Afterwards the file must show
//! exactly the successful writes: no "database is locked", no lost or phantom
//! row, every field holding the last successful write, every refused edit a
//! `Conflict` that another save justifies and no save that silently overwrote
//! one it had not seen; and `kam check` must find nothing.

use crate::support;
use crate::support_load;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use kam::db::customers;
use kam::db::{Actor, Store, reference};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::tier::TierPreset;
use support_load::{Rec, Worker, quantile, self_command};

const WORKER: &str = "load::load_worker";
const READY: &str = "KAM_LOAD_READY";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// One worker process: opens the file, says it is ready, waits for "go", works, writes its log.
#[test]
#[ignore = "a worker process of many_hands_on_one_file, which starts it"]
fn load_worker() {
    let Ok(db) = std::env::var("KAM_LOAD_DB") else { return };
    let index: usize = env_or("KAM_LOAD_WORKER", 0);
    let seconds: f64 = env_or("KAM_LOAD_SECONDS", 3.0);
    let hot: Vec<String> = std::env::var("KAM_LOAD_HOT").unwrap().split(',').map(String::from).collect();
    let log = PathBuf::from(std::env::var("KAM_LOAD_LOG").unwrap());
    let mut worker = Worker::open(index, Path::new(&db), &hot);
    println!("{READY}");
    std::io::stdout().flush().unwrap();
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).unwrap();
    worker.run(Instant::now() + Duration::from_secs_f64(seconds));
    let text: String = worker.recs.iter().map(|r| r.line() + "\n").collect();
    std::fs::write(log, text).unwrap();
}

/// Six customers, each owned by two account managers, that supervisors edit too.
fn share_hot_customers(db: &Path) -> Vec<String> {
    let mut store = Store::open(db).unwrap();
    let staff = |store: &Store, login: String| reference::staff_by_login(store.conn(), &login).unwrap().unwrap();
    let admin = Actor { staff: staff(&store, "guanli".into()), at: support::now() };
    let mut hot = Vec::new();
    for k in 0..6 {
        let (a, b) =
            (staff(&store, format!("jingli{:02}", 2 * k + 1)), staff(&store, format!("jingli{:02}", 2 * k + 2)));
        let id: CustomerId = store
            .conn()
            .query_row("SELECT id FROM customer WHERE owner_a = ?1 AND archived = 0 ORDER BY id LIMIT 1", [a.id], |r| {
                r.get(0)
            })
            .unwrap();
        let base = customers::load(store.conn(), &id).unwrap();
        let share = [("owner_b", FieldValue::Int(b.id))];
        customers::update(&mut store, &admin, &base, &share, TierPreset::GuangdongScore).unwrap();
        hot.push(id.to_string());
    }
    hot
}

struct Running {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

fn start(index: usize, db: &Path, hot: &[String], seconds: f64, log: &Path) -> Running {
    let mut child = self_command(WORKER)
        .env("KAM_LOAD_DB", db)
        .env("KAM_LOAD_WORKER", index.to_string())
        .env("KAM_LOAD_SECONDS", seconds.to_string())
        .env("KAM_LOAD_HOT", hot.join(","))
        .env("KAM_LOAD_LOG", log)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the worker starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    Running { child, stdout }
}

fn wait_ready(r: &mut Running, index: usize) {
    let mut line = String::new();
    loop {
        line.clear();
        let n = r.stdout.read_line(&mut line).unwrap();
        assert!(n > 0, "worker {index} ended before it was ready");
        if line.trim() == READY {
            return;
        }
    }
}

fn column_set(conn: &Connection, sql: &str) -> BTreeSet<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

fn ok_values(recs: &[Rec], op: &str) -> BTreeSet<String> {
    recs.iter().filter(|r| r.op == op && r.ok()).map(|r| r.value.clone()).collect()
}

/// Every operation ended as it may: no busy file, no other error, and a conflict
/// only where two people edit the same record.
fn check_outcomes(recs: &[Rec]) {
    let busy = recs.iter().filter(|r| r.outcome == "busy").count();
    assert_eq!(busy, 0, "writes failed with 'database is locked'");
    let failed: Vec<String> = recs.iter().filter(|r| r.outcome.starts_with("error")).map(Rec::line).take(5).collect();
    assert!(failed.is_empty(), "writes failed:\n{}", failed.join("\n"));
    for r in recs.iter().filter(|r| r.outcome == "conflict") {
        assert!(matches!(r.op.as_str(), "hot_edit" | "complaint_step"), "a conflict where nobody else writes: {r:?}");
    }
}

/// Visits, log entries and complaints: exactly the successful ones are stored.
fn check_rows(conn: &Connection, recs: &[Rec]) {
    let planned = column_set(conn, "SELECT purpose FROM visit WHERE purpose LIKE 'load-%'");
    assert_eq!(planned, ok_values(recs, "visit_plan"), "planned visits");
    let done = column_set(conn, "SELECT purpose FROM visit WHERE purpose LIKE 'load-%' AND state = 'done'");
    assert_eq!(done, ok_values(recs, "visit_done"), "visits recorded as done");
    let logged = column_set(conn, "SELECT content FROM marketing_log WHERE content LIKE 'load-%'");
    assert_eq!(logged, ok_values(recs, "log"), "marketing log entries");
    let filed = column_set(conn, "SELECT description FROM complaint WHERE description LIKE 'load-%'");
    assert_eq!(filed, ok_values(recs, "complaint_file"), "complaints filed");
    for w in recs.iter().map(|r| r.worker).collect::<BTreeSet<_>>() {
        let mine = format!("load-{w:02}-%");
        let count: usize = conn
            .query_row(
                "SELECT (SELECT count(*) FROM visit WHERE purpose LIKE ?1) + \
                 (SELECT count(*) FROM marketing_log WHERE content LIKE ?1) + \
                 (SELECT count(*) FROM complaint WHERE description LIKE ?1)",
                [&mine],
                |r| r.get(0),
            )
            .unwrap();
        let ok = recs.iter().filter(|r| r.worker == w && r.ok());
        let expected = ok.filter(|r| matches!(r.op.as_str(), "visit_plan" | "log" | "complaint_file")).count();
        assert_eq!(count, expected, "rows of worker {w}");
    }
}

/// Complaint steps: each successful one is on the timeline with its new state, a
/// refused one is not, and each complaint is in the state of its last step.
fn check_complaint_steps(conn: &Connection, recs: &[Rec]) {
    let mut stmt = conn
        .prepare(
            "SELECT note, complaint_id, kind, to_state FROM complaint_event \
             WHERE note LIKE 'load-%' AND kind <> 'received'",
        )
        .unwrap();
    let stored: BTreeMap<String, (String, String)> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                (r.get::<_, i64>(1)?.to_string(), format!("{}>{}", r.get::<_, String>(2)?, r.get::<_, String>(3)?)),
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let steps: Vec<&Rec> = recs.iter().filter(|r| r.op == "complaint_step" && r.ok()).collect();
    let expected: BTreeMap<String, (String, String)> =
        steps.iter().map(|r| (r.value.clone(), (r.key.clone(), r.field.clone()))).collect();
    assert_eq!(stored, expected, "complaint timeline");
    let mut last: BTreeMap<&str, &Rec> = BTreeMap::new();
    let mut bases = BTreeSet::new();
    for r in &steps {
        assert!(bases.insert((&r.key, r.base)), "two steps taken from one version: {r:?}");
        if last.get(r.key.as_str()).is_none_or(|l| l.base < r.base) {
            last.insert(&r.key, r);
        }
    }
    for (id, r) in last {
        let (state, version): (String, i64) = conn
            .query_row("SELECT state, version FROM complaint WHERE id = ?1", [id], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        assert_eq!(Some(state.as_str()), r.field.split('>').nth(1), "state of complaint {id}");
        assert_eq!(version, r.base + 1, "version of complaint {id}");
    }
}

/// Dossier edits, per customer and field: the stored value is the last successful
/// write, the history holds every successful write and nothing else, no save
/// overwrote a colleague's save it had not seen, and every refusal is justified.
/// Returns (edits merged from a stale form, conflicts).
fn check_edits(conn: &Connection, recs: &[Rec]) -> (usize, usize) {
    let store_conn = kam::db::Conn::Sqlite(Connection::open(conn.path().expect("a file")).expect("open"));
    let mut by_key: BTreeMap<(&str, &str), Vec<&Rec>> = BTreeMap::new();
    for r in recs.iter().filter(|r| matches!(r.op.as_str(), "own_edit" | "hot_edit")) {
        by_key.entry((&r.key, &r.field)).or_default().push(r);
    }
    let (mut merged, mut conflicts) = (0, 0);
    for ((customer, field), edits) in by_key {
        let mut oks: Vec<&Rec> = edits.iter().copied().filter(|r| r.ok()).collect();
        oks.sort_by_key(|r| r.result);
        let d = customers::load(&store_conn, &CustomerId::parse(customer).unwrap()).unwrap();
        if let Some(last) = oks.last() {
            assert_eq!(d.text(field), last.value, "{customer}.{field} holds the last successful write");
        }
        let mut stmt = conn
            .prepare(
                "SELECT new_value FROM history WHERE entity = 'customer' AND entity_id = ?1 AND field = ?2 \
                 AND new_value LIKE 'load-%'",
            )
            .unwrap();
        let history: BTreeSet<String> =
            stmt.query_map([customer, field], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        let written: BTreeSet<String> = oks.iter().map(|r| r.value.clone()).collect();
        assert_eq!(history, written, "history of {customer}.{field}");
        for w in &oks {
            assert!(w.result > w.base, "{w:?}");
            merged += usize::from(w.result > w.base + 1);
            let unseen = oks.iter().find(|o| o.worker != w.worker && w.base < o.result && o.result < w.result);
            assert!(unseen.is_none(), "a save overwrote one it had not seen:\n{w:?}\n{unseen:?}");
        }
        for c in edits.iter().filter(|r| r.outcome == "conflict") {
            conflicts += 1;
            assert!(c.result > c.base, "{c:?}");
            let cause = oks.iter().any(|o| o.worker != c.worker && o.result > c.base && o.result <= c.result);
            assert!(cause, "a conflict without a colleague's save of {field} since its form opened: {c:?}");
        }
    }
    (merged, conflicts)
}

fn millis(us: u64) -> f64 {
    us as f64 / 1000.0
}

#[test]
fn many_hands_on_one_file() {
    let seconds: f64 = env_or("KAM_LOAD_SECONDS", 3.0);
    let workers: usize = env_or("KAM_LOAD_WORKERS", 16);
    let (dir, db) = support::demo_db(300);
    let hot = share_hot_customers(&db);

    let logs: Vec<PathBuf> = (0..workers).map(|i| dir.path().join(format!("worker-{i:02}.log"))).collect();
    let mut running: Vec<Running> = (0..workers).map(|i| start(i, &db, &hot, seconds, &logs[i])).collect();
    for (i, r) in running.iter_mut().enumerate() {
        wait_ready(r, i);
    }
    let started = Instant::now();
    for r in &mut running {
        r.child.stdin.take().unwrap().write_all(b"go\n").unwrap();
    }
    for (i, mut r) in running.into_iter().enumerate() {
        let mut rest = String::new();
        r.stdout.read_to_string(&mut rest).unwrap();
        let status = r.child.wait().unwrap();
        assert!(status.success(), "worker {i} failed ({status}):\n{rest}");
    }
    let elapsed = started.elapsed().as_secs_f64();

    let recs: Vec<Rec> = logs
        .iter()
        .flat_map(|l| std::fs::read_to_string(l).unwrap().lines().map(Rec::parse).collect::<Vec<_>>())
        .collect();
    let conn = Connection::open(&db).unwrap();
    check_outcomes(&recs);
    check_rows(&conn, &recs);
    check_complaint_steps(&conn, &recs);
    let (merged, conflicts) = check_edits(&conn, &recs);
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let report = kam::db::check::check(&kam::db::Conn::Sqlite(Connection::open(&db).unwrap())).unwrap();
    assert!(report.ok(), "{report:?}");

    let writes: Vec<&Rec> = recs.iter().filter(|r| r.is_write()).collect();
    let committed = writes.iter().filter(|r| r.ok()).count();
    let mut write_us: Vec<u64> = writes.iter().map(|r| r.micros).collect();
    let mut read_us: Vec<u64> = recs.iter().filter(|r| !r.is_write()).map(|r| r.micros).collect();
    write_us.sort_unstable();
    read_us.sort_unstable();
    let mut per_op: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in &writes {
        let e = per_op.entry(&r.op).or_default();
        e.0 += usize::from(r.ok());
        e.1 += usize::from(!r.ok());
    }
    println!("{workers} worker processes, {elapsed:.1} s on one file");
    println!(
        "writes: {committed} committed ({:.0}/s), {conflicts} dossier edits refused as changed by someone else, \
         {merged} merged from a stale form",
        committed as f64 / elapsed
    );
    for (op, (ok, refused)) in &per_op {
        println!("  {op:<15} {ok:>7} ok {refused:>6} refused");
    }
    println!(
        "write latency: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        millis(quantile(&write_us, 500)),
        millis(quantile(&write_us, 950)),
        millis(quantile(&write_us, 1000))
    );
    println!(
        "reads: {} ({:.0}/s), p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        read_us.len(),
        read_us.len() as f64 / elapsed,
        millis(quantile(&read_us, 500)),
        millis(quantile(&read_us, 950)),
        millis(quantile(&read_us, 1000))
    );
    println!("busy: 0, lost updates: 0, integrity: ok");
    assert!(committed > 0 && !read_us.is_empty(), "the workers did work");
    assert!(merged + conflicts > 0, "no two edits of one customer ever overlapped: the test proved nothing");
}
