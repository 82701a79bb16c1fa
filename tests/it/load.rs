//! Many hands on one database (README: "Load test"). Worker processes — this
//! test binary started again, each with its own connection as a real user's
//! kam has — work on one demo database at once for `KAM_LOAD_SECONDS` (3 s by
//! default, so CI runs it; 60 s for the figures in the README): on a file,
//! sixteen of them (`KAM_LOAD_WORKERS`); on PostgreSQL, sixty-four. In each
//! sixteen, twelve account managers record visits, write log entries, file
//! complaints and edit their own dossiers and a customer each shares with a
//! colleague; two supervisors and the customer administrator move complaints
//! and edit those shared customers too; a leader only reads, and everyone
//! searches and browses between writes. Beyond sixteen, each worker is a new
//! colleague of one of the first sixteen (see `cast`).
//!
//! Every worker logs each operation (what, which record, the value written, the
//! version it started from, latency, outcome). Afterwards the database must show
//! exactly the successful writes: no "database is locked" (no lock timeout on a
//! server), no lost or phantom row, every field holding the last successful
//! write, every refused edit a `Conflict` that another save justifies and no
//! save that silently overwrote one it had not seen; and `kam check` must find
//! nothing. The checks read through a `Store`, the same on both engines.

use crate::support;
use crate::support_load;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kam::db::customers;
use kam::db::reference::{self, NewStaff};
use kam::db::sql::{Dialect, Sql, args};
use kam::db::{Actor, Conn, Location, Store};
use kam::demo::{DemoOptions, generate};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;
use support_load::{CAST, PAIRS, Rec, Worker, login_of, quantile, self_command};

const WORKER: &str = "load::load_worker";
const READY: &str = "KAM_LOAD_READY";

/// The load tests run one after the other: each is timed, and on a small
/// machine the two side by side would measure each other.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// One worker process: opens the database, says it is ready, waits for "go", works, writes its log.
#[test]
#[ignore = "a worker process of the load tests, which start it"]
fn load_worker() {
    let Some(db) = std::env::var_os("KAM_LOAD_DB") else { return };
    let index: usize = env_or("KAM_LOAD_WORKER", 0);
    let seconds: f64 = env_or("KAM_LOAD_SECONDS", 3.0);
    let hot: Vec<String> = std::env::var("KAM_LOAD_HOT").unwrap().split(',').map(String::from).collect();
    let log = PathBuf::from(std::env::var("KAM_LOAD_LOG").unwrap());
    let mut worker = Worker::open(index, &Location::parse(&db), &hot);
    println!("{READY}");
    std::io::stdout().flush().unwrap();
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).unwrap();
    worker.run(Instant::now() + Duration::from_secs_f64(seconds));
    let text: String = worker.recs.iter().map(|r| r.line() + "\n").collect();
    std::fs::write(log, text).unwrap();
}

fn staff(store: &Store, login: &str) -> Staff {
    reference::staff_by_login(store.conn(), login).unwrap().unwrap_or_else(|| panic!("no staff {login}"))
}

/// The live customers account manager `owner` is owner A of, by ID.
fn owned_by(store: &Store, owner: i64) -> Vec<CustomerId> {
    let sql = "SELECT id FROM customer WHERE owner_a = ?1 AND archived = 0 ORDER BY id";
    let ids: Vec<String> = store.conn().rows(sql, args![owner], |r| r.get(0)).unwrap();
    ids.iter().map(|id| CustomerId::parse(id).unwrap()).collect()
}

/// The administrator gives customer `id` new owners.
fn reassign(store: &mut Store, admin: &Actor, id: &CustomerId, owners: &[(&'static str, FieldValue)]) {
    let base = customers::load(store.conn(), id).unwrap();
    customers::update(store, admin, &base, owners, TierPreset::GuangdongScore).unwrap();
}

/// The people the workers work as, on a demo, and the hot customers they
/// share; returns those customers in [`support_load::hot_share`]'s order.
///
/// The demo has sixteen people, one generation. More workers bring more
/// generations: each of the demo's people gets a twin per generation, in the
/// same unit and role (see [`login_of`]), and each manager's twins take
/// turns with them at their customers (owner A by turns), so that every
/// worker is a person of their own with customers of their own.
///
/// In every generation, six customers are each owned by two of its account
/// managers, and every supervisor and administrator edits them too.
fn cast(store: &mut Store, workers: usize) -> Vec<String> {
    let generations = workers.div_ceil(CAST).max(1);
    let admin = Actor { staff: staff(store, "guanli"), at: support::now() };
    for generation in 1..generations {
        let demo: Vec<Staff> = (0..CAST).map(|slot| staff(store, &login_of(slot))).collect();
        store
            .write(|tx| {
                for (slot, person) in demo.iter().enumerate() {
                    let login = login_of(generation * CAST + slot);
                    let name = format!("{}{}", person.name, generation + 1);
                    let new = NewStaff {
                        login: Some(&login),
                        name: &name,
                        unit_id: person.unit_id,
                        role: person.role,
                        phone: None,
                    };
                    reference::insert_staff(tx, &new)?;
                }
                Ok(())
            })
            .unwrap();
    }
    let mut hot = Vec::new();
    for generation in 0..generations {
        for k in 0..PAIRS {
            let first = staff(store, &login_of(2 * k));
            let (a, b) = (login_of(generation * CAST + 2 * k), login_of(generation * CAST + 2 * k + 1));
            let id = owned_by(store, first.id)[generation].clone();
            let owners =
                [("owner_a", FieldValue::Int(staff(store, &a).id)), ("owner_b", FieldValue::Int(staff(store, &b).id))];
            reassign(store, &admin, &id, &owners);
            hot.push(id.to_string());
        }
    }
    for slot in (0..2 * PAIRS).filter(|_| generations > 1) {
        let first = staff(store, &login_of(slot));
        let twins: Vec<Staff> = (1..generations).map(|g| staff(store, &login_of(g * CAST + slot))).collect();
        let theirs = owned_by(store, first.id).into_iter().filter(|id| !hot.contains(&id.to_string()));
        for (n, id) in theirs.enumerate() {
            if let Some(twin) = (n % generations).checked_sub(1).map(|g| &twins[g]) {
                reassign(store, &admin, &id, &[("owner_a", FieldValue::Int(twin.id))]);
            }
        }
    }
    hot
}

struct Running {
    child: Child,
    stdout: BufReader<ChildStdout>,
}

fn start(index: usize, db: &OsStr, hot: &[String], seconds: f64, log: &Path) -> Running {
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

fn column_set(conn: &Conn, sql: &str) -> BTreeSet<String> {
    conn.rows(sql, args![], |r| r.get(0)).unwrap().into_iter().collect()
}

fn ok_values(recs: &[Rec], op: &str) -> BTreeSet<String> {
    recs.iter().filter(|r| r.op == op && r.ok()).map(|r| r.value.clone()).collect()
}

/// Every operation ended as it may: no busy database, no other error, and a
/// conflict only where two people edit the same record.
fn check_outcomes(recs: &[Rec]) {
    let busy = recs.iter().filter(|r| r.outcome == "busy").count();
    assert_eq!(busy, 0, "writes failed as busy ('database is locked', or a lock timeout on a server)");
    let failed: Vec<String> = recs.iter().filter(|r| r.outcome.starts_with("error")).map(Rec::line).take(5).collect();
    assert!(failed.is_empty(), "writes failed:\n{}", failed.join("\n"));
    for r in recs.iter().filter(|r| r.outcome == "conflict") {
        assert!(matches!(r.op.as_str(), "hot_edit" | "complaint_step"), "a conflict where nobody else writes: {r:?}");
    }
}

/// Visits, log entries and complaints: exactly the successful ones are stored.
fn check_rows(conn: &Conn, recs: &[Rec]) {
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
            .row(
                "SELECT (SELECT count(*) FROM visit WHERE purpose LIKE ?1) + \
                 (SELECT count(*) FROM marketing_log WHERE content LIKE ?1) + \
                 (SELECT count(*) FROM complaint WHERE description LIKE ?1)",
                args![mine],
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
fn check_complaint_steps(conn: &Conn, recs: &[Rec]) {
    let stored: BTreeMap<String, (String, String)> = conn
        .rows(
            "SELECT note, complaint_id, kind, to_state FROM complaint_event \
             WHERE note LIKE 'load-%' AND kind <> 'received'",
            args![],
            |r| {
                Ok((
                    r.get(0)?,
                    (r.get::<i64>(1)?.to_string(), format!("{}>{}", r.get::<String>(2)?, r.get::<String>(3)?)),
                ))
            },
        )
        .unwrap()
        .into_iter()
        .collect();
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
        let id: i64 = id.parse().expect("a complaint's number");
        let (state, version): (String, i64) = conn
            .row("SELECT state, version FROM complaint WHERE id = ?1", args![id], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        assert_eq!(Some(state.as_str()), r.field.split('>').nth(1), "state of complaint {id}");
        assert_eq!(version, r.base + 1, "version of complaint {id}");
    }
}

/// Dossier edits, per customer and field: the stored value is the last successful
/// write, the history holds every successful write and nothing else, no save
/// overwrote a colleague's save it had not seen, and every refusal is justified.
fn check_edits(conn: &Conn, recs: &[Rec]) {
    let mut by_key: BTreeMap<(&str, &str), Vec<&Rec>> = BTreeMap::new();
    for r in recs.iter().filter(|r| matches!(r.op.as_str(), "own_edit" | "hot_edit")) {
        by_key.entry((&r.key, &r.field)).or_default().push(r);
    }
    for ((customer, field), edits) in by_key {
        let mut oks: Vec<&Rec> = edits.iter().copied().filter(|r| r.ok()).collect();
        oks.sort_by_key(|r| r.result);
        let d = customers::load(conn, &CustomerId::parse(customer).unwrap()).unwrap();
        if let Some(last) = oks.last() {
            assert_eq!(d.text(field), last.value, "{customer}.{field} holds the last successful write");
        }
        let history: BTreeSet<String> = conn
            .rows(
                "SELECT new_value FROM history WHERE entity = 'customer' AND entity_id = ?1 AND field = ?2 \
                 AND new_value LIKE 'load-%'",
                args![customer, field],
                |r| r.get(0),
            )
            .unwrap()
            .into_iter()
            .collect();
        let written: BTreeSet<String> = oks.iter().map(|r| r.value.clone()).collect();
        assert_eq!(history, written, "history of {customer}.{field}");
        for w in &oks {
            assert!(w.result > w.base, "{w:?}");
            let unseen = oks.iter().find(|o| o.worker != w.worker && w.base < o.result && o.result < w.result);
            assert!(unseen.is_none(), "a save overwrote one it had not seen:\n{w:?}\n{unseen:?}");
        }
        for c in edits.iter().filter(|r| r.outcome == "conflict") {
            assert!(c.result > c.base, "{c:?}");
            let cause = oks.iter().any(|o| o.worker != c.worker && o.result > c.base && o.result <= c.result);
            assert!(cause, "a conflict without a colleague's save of {field} since its form opened: {c:?}");
        }
    }
}

fn millis(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// `workers` worker processes on the demo at `db` (a file or a server's
/// database) for `seconds`; then the checks, and the figures printed.
fn many_hands(db: &OsStr, logs_in: &Path, workers: usize, seconds: f64, on: &str) {
    let location = Location::parse(db);
    let hot = cast(&mut Store::open_existing_at(&location).unwrap(), workers);

    let logs: Vec<PathBuf> = (0..workers).map(|i| logs_in.join(format!("worker-{i:02}.log"))).collect();
    let mut running: Vec<Running> = (0..workers).map(|i| start(i, db, &hot, seconds, &logs[i])).collect();
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
    let edits = || recs.iter().filter(|r| matches!(r.op.as_str(), "own_edit" | "hot_edit"));
    let conflicts = edits().filter(|r| r.outcome == "conflict").count();
    let merged = edits().filter(|r| r.ok() && r.result > r.base + 1).count();
    let busy = recs.iter().filter(|r| r.outcome == "busy").count();
    // The figures first, so that a run the checks fail still shows how it went.
    println!("{workers} worker processes, {elapsed:.1} s on {on}");
    println!(
        "writes: {committed} committed ({:.0}/s), {conflicts} dossier edits refused as changed by someone else, \
         {merged} merged from a stale form",
        committed as f64 / elapsed
    );
    for (op, (ok, refused)) in &per_op {
        println!("  {op:<15} {ok:>7} ok {refused:>6} refused");
    }
    println!(
        "write latency: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        millis(quantile(&write_us, 500)),
        millis(quantile(&write_us, 950)),
        millis(quantile(&write_us, 990)),
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
    println!("writes refused as busy: {busy}");
    let store = Store::open_existing_at(&location).unwrap();
    let conn = store.conn();
    check_outcomes(&recs);
    check_rows(conn, &recs);
    check_complaint_steps(conn, &recs);
    check_edits(conn, &recs);
    if conn.dialect() == Dialect::Sqlite {
        let integrity: String = conn.row("PRAGMA integrity_check", args![], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok");
    }
    let report = kam::db::check::check(conn).unwrap();
    assert!(report.ok(), "{report:?}");
    println!("lost updates: 0, integrity: ok");
    assert!(committed > 0 && !read_us.is_empty(), "the workers did work");
    assert!(merged + conflicts > 0, "no two edits of one customer ever overlapped: the test proved nothing");
}

#[test]
fn many_hands_on_one_file() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let seconds: f64 = env_or("KAM_LOAD_SECONDS", 3.0);
    let workers: usize = env_or("KAM_LOAD_WORKERS", 16);
    let (dir, db) = support::demo_db(300);
    many_hands(db.as_os_str(), dir.path(), workers, seconds, "one file");
}

/// The same on PostgreSQL: the demo on a database of its own on the run's
/// throwaway cluster, 64 workers by default (the issue's "64 concurrent
/// clients"), each its own session as the cluster's superuser, working as its
/// person as anyone may on a demo. Writers take turns under the history
/// chain's lock, as they do on a file under SQLite's.
#[test]
fn many_hands_on_one_postgresql_database() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let seconds: f64 = env_or("KAM_LOAD_SECONDS", 3.0);
    let workers: usize = env_or("KAM_LOAD_WORKERS", 64);
    let cluster = crate::pg_cluster::cluster();
    let database = cluster.fresh_database("load");
    let url = cluster.url(&database, crate::pg_cluster::SUPERUSER);
    {
        let mut store = Store::open_or_create_at(&Location::Server(url.clone()), kam::db::DbKind::Real).unwrap();
        let options = DemoOptions {
            customers: 300,
            seed: support::SEED,
            today: support::now().date(),
            os_login: None,
            preset: TierPreset::GuangdongScore,
            visits: None,
            activity: false,
        };
        generate(&mut store, &options).unwrap();
    }
    let logs = tempfile::tempdir().unwrap();
    many_hands(OsString::from(&url).as_os_str(), logs.path(), workers, seconds, "one PostgreSQL database");
    // Only what the checks left open has gone: the database's room on a small disk back.
    cluster.connect("postgres").batch(&format!("DROP DATABASE {database}")).unwrap();
}
