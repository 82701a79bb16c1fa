//! The demo generator: deterministic, consistent with the schema's rules, and
//! fast enough for 100,000 customers.

use std::path::Path;
use std::time::Instant;

use chrono::{Datelike, Days, NaiveDate};
use rusqlite::types::ValueRef;

use kam::db::customers::{self, CustomerQuery};
use kam::db::reference::staff_by_login;
use kam::db::sql::{Sql, args};
use kam::db::{Conn, DbError, Store};
use kam::demo::{DemoOptions, DemoSummary, demo_db_path, ensure_demo, generate};
use kam::domain::id::CustomerId;
use kam::domain::staff::Role;
use kam::search::normalize_query;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn options(customers: usize, seed: u64) -> DemoOptions {
    DemoOptions { customers, seed, os_login: Some("root".into()), ..DemoOptions::new(today()) }
}

fn generated(dir: &Path, name: &str, options: &DemoOptions) -> (Store, DemoSummary) {
    let mut store = Store::open(&dir.join(name)).unwrap();
    let summary = generate(&mut store, options).unwrap();
    (store, summary)
}

fn count(conn: &Conn, sql: &str) -> usize {
    conn.row(sql, args![], |r| r.get::<usize>(0)).unwrap()
}

/// Every row of a query, every column rendered exactly (type included):
/// about the SQLite file the demo writes, so read with SQLite itself.
fn dump(conn: &Conn, sql: &str) -> Vec<String> {
    let Conn::Sqlite(conn) = conn else { panic!("the demo is a SQLite file") };
    let mut stmt = conn.prepare(sql).unwrap();
    let columns = stmt.column_count();
    stmt.query_map([], |r| {
        let cells: Vec<String> = (0..columns)
            .map(|i| match r.get_ref(i).unwrap() {
                ValueRef::Null => "NULL".to_string(),
                ValueRef::Integer(n) => format!("i{n}"),
                ValueRef::Real(x) => format!("r{x:?}"),
                ValueRef::Text(t) => format!("t{}", String::from_utf8_lossy(t)),
                ValueRef::Blob(b) => format!("b{b:?}"),
            })
            .collect();
        Ok(cells.join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

const TABLES: &[&str] = &[
    "SELECT * FROM customer ORDER BY id",
    "SELECT * FROM key_person ORDER BY id",
    "SELECT * FROM competitor ORDER BY id",
    "SELECT * FROM registration ORDER BY id",
    "SELECT * FROM staff ORDER BY id",
    "SELECT * FROM org_unit ORDER BY id",
    "SELECT * FROM industry ORDER BY id",
    "SELECT * FROM history ORDER BY id",
];

/// Written by the visit part of the demo; may be empty for a small demo.
const VISIT_TABLES: &[&str] = &[
    "SELECT * FROM visit ORDER BY id",
    "SELECT * FROM visit_staff ORDER BY 1, 2",
    "SELECT * FROM visit_person ORDER BY 1, 2",
];

/// The daily work on top: the marketing log, comments, complaints, explanations.
const ACTIVITY_TABLES: &[&str] = &[
    "SELECT * FROM marketing_log ORDER BY id",
    "SELECT * FROM log_comment ORDER BY id",
    "SELECT * FROM complaint ORDER BY id",
    "SELECT * FROM complaint_event ORDER BY id",
    "SELECT * FROM fluctuation_note ORDER BY customer_id, month",
];

#[test]
fn the_same_seed_gives_identical_data() {
    let dir = tempfile::tempdir().unwrap();
    let (a, summary_a) = generated(dir.path(), "a.db", &options(300, 7));
    let (b, summary_b) = generated(dir.path(), "b.db", &options(300, 7));
    assert_eq!(summary_a, summary_b);
    for sql in TABLES {
        let (rows_a, rows_b) = (dump(a.conn(), sql), dump(b.conn(), sql));
        assert!(!rows_a.is_empty(), "{sql}");
        assert_eq!(rows_a, rows_b, "{sql}");
    }
    for sql in VISIT_TABLES {
        assert_eq!(dump(a.conn(), sql), dump(b.conn(), sql), "{sql}");
    }
    for sql in ACTIVITY_TABLES {
        let (rows_a, rows_b) = (dump(a.conn(), sql), dump(b.conn(), sql));
        assert!(!rows_a.is_empty(), "{sql}");
        assert_eq!(rows_a, rows_b, "{sql}");
    }
    let (c, _) = generated(dir.path(), "c.db", &options(300, 8));
    let customers = TABLES[0];
    assert_ne!(dump(a.conn(), customers), dump(c.conn(), customers));
}

#[test]
fn counts_match_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (store, summary) = generated(dir.path(), "demo.db", &options(300, 1));
    let conn = store.conn();
    assert_eq!(summary.customers, 300);
    assert_eq!(count(conn, "SELECT count(*) FROM customer"), summary.customers);
    assert_eq!(count(conn, "SELECT count(*) FROM key_person"), summary.key_persons);
    assert_eq!(count(conn, "SELECT count(*) FROM competitor"), summary.competitors);
    assert_eq!(count(conn, "SELECT count(*) FROM customer WHERE substr(id, 12) <> '000'"), summary.branches);
    assert_eq!(count(conn, "SELECT count(*) FROM staff"), summary.staff);
    assert_eq!(count(conn, "SELECT count(*) FROM org_unit"), summary.units);
    assert_eq!(count(conn, "SELECT count(*) FROM industry"), 15);
    let headquarters = summary.customers - summary.branches;
    assert!(summary.branches > 0 && summary.branches < headquarters / 4, "{summary:?}");
    assert!(summary.key_persons >= headquarters && summary.key_persons <= 4 * headquarters);
    assert!(summary.competitors > 0);
    assert_eq!(count(conn, "SELECT count(*) FROM staff WHERE role = 'manager'"), 12);
    assert_eq!(count(conn, "SELECT count(*) FROM staff WHERE role = 'supervisor'"), 2);
    assert_eq!(count(conn, "SELECT count(*) FROM staff WHERE role = 'admin'"), 1);
    assert_eq!(count(conn, "SELECT count(*) FROM staff WHERE role = 'leader'"), 1);
    assert_eq!(count(conn, "SELECT count(DISTINCT full_name) FROM customer"), summary.customers);
    assert!(count(conn, "SELECT count(*) FROM customer WHERE kind = 'policy'") >= 5);
    assert_eq!(count(conn, "SELECT count(*) FROM marketing_log"), summary.log_entries);
    assert_eq!(count(conn, "SELECT count(*) FROM log_comment"), summary.log_comments);
    assert_eq!(count(conn, "SELECT count(*) FROM complaint"), summary.complaints);
    assert_eq!(count(conn, "SELECT count(*) FROM fluctuation_note"), summary.explanations);
}

/// Every screen has something to show: deals at every stage and by every
/// means for each account manager, supervisors' comments (some unread),
/// complaints in every state (overdue ones, an unsatisfied customer, a
/// follow-up due), and fluctuations explained and not.
#[test]
fn the_demo_has_the_daily_work_every_screen_shows() {
    use kam::db::analysis::{AnalysisScope, monthly};
    use kam::db::complaints::{self, ComplaintFilter};
    use kam::domain::complaint::{ComplaintState, Satisfaction};
    use kam::domain::marketing_log::{DealStage, Method};
    use kam::domain::revenue::{Month, StatusRules};
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = generated(dir.path(), "demo.db", &options(300, kam::demo::DEFAULT_SEED));
    let conn = store.conn();
    let now = today().and_hms_opt(9, 0, 0).unwrap();

    for stage in DealStage::ALL {
        let n = count(conn, &format!("SELECT count(*) FROM marketing_log WHERE stage = '{}'", stage.code()));
        assert!(n > 0, "{stage:?}");
    }
    for method in Method::ALL {
        let n = count(conn, &format!("SELECT count(*) FROM marketing_log WHERE method = '{}'", method.code()));
        assert!(n > 0, "{method:?}");
    }
    // Each account manager logs their own customers' deals.
    assert_eq!(count(conn, "SELECT count(DISTINCT author_id) FROM marketing_log"), 12);
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM marketing_log m JOIN customer c ON c.id = m.customer_id WHERE c.owner_a <> m.author_id"
        ),
        0
    );
    assert_eq!(
        count(conn, "SELECT count(*) FROM marketing_log WHERE logged_on >= '2026-11-23'"),
        0,
        "nothing in the future"
    );
    let first = staff_by_login(conn, "root").unwrap().unwrap();
    let unread = kam::db::marketing::unseen_comments(conn, first.id).unwrap();
    assert!(unread.len() >= 2, "the first account manager has comments to read: {unread:?}");
    assert!(count(conn, "SELECT count(*) FROM log_comment WHERE seen_at IS NOT NULL") > 0, "older ones were read");
    assert!(count(conn, "SELECT count(*) FROM log_comment WHERE comment IS NULL") > 0, "some only marked read");
    let by_supervisor =
        "SELECT count(*) FROM log_comment k JOIN staff s ON s.id = k.author_id WHERE s.role <> 'supervisor'";
    assert_eq!(count(conn, by_supervisor), 0);

    let all = complaints::list(conn, &ComplaintFilter::default(), now, 1000).unwrap();
    for state in ComplaintState::ALL {
        assert!(all.iter().any(|c| c.state == state), "a complaint {state:?}");
    }
    let overdue = ComplaintFilter { overdue_at: Some(now), ..Default::default() };
    assert!(complaints::list(conn, &overdue, now, 100).unwrap().len() >= 3, "overdue ones");
    assert!(
        all.iter().any(|c| c.state == ComplaintState::Confirmed && c.satisfaction == Some(Satisfaction::Unsatisfied)),
        "one the customer was unsatisfied with"
    );
    let review = kam::review::day_review(conn, &first, now, Default::default()).unwrap();
    assert!(!review.complaints.is_empty() && !review.follow_ups_due.is_empty(), "{review:?}");
    assert!(!review.new_comments.is_empty());
    assert!(
        count(conn, "SELECT count(*) FROM complaint WHERE received_at >= '2026-11-23 09:00'") == 0,
        "nothing received after the demo's morning"
    );

    let october = Month::new(2026, 10).unwrap();
    let analysis = monthly(conn, october, AnalysisScope::All, &StatusRules::default()).unwrap();
    let explained = analysis.fluctuations.iter().filter(|f| f.explanation.is_some()).count();
    assert!(explained > 0 && explained < analysis.fluctuations.len(), "{explained} of {}", analysis.fluctuations.len());
}

#[test]
fn every_id_is_valid_and_every_branch_has_its_headquarters() {
    let dir = tempfile::tempdir().unwrap();
    let (store, summary) = generated(dir.path(), "demo.db", &options(300, 2));
    let ids: Vec<String> = store.conn().rows("SELECT id FROM customer ORDER BY id", args![], |r| r.get(0)).unwrap();
    assert_eq!(ids.len(), summary.customers);
    let parsed: Vec<CustomerId> = ids.iter().map(|id| CustomerId::parse(id).unwrap()).collect();
    let mut branches = 0;
    for (text, id) in ids.iter().zip(&parsed) {
        assert_eq!(text.len(), 14);
        assert_eq!(id.as_str(), text);
        if !id.is_headquarters() {
            branches += 1;
            let hq = id.headquarters();
            assert_eq!(&hq.as_str()[..11], &text[..11]);
            assert!(id.is_branch_of(&hq));
            assert!(parsed.contains(&hq), "{text} has no headquarters");
        }
    }
    assert_eq!(branches, summary.branches);
    // Sequences start at 00001 in every division and have no gaps.
    let mut by_division = std::collections::BTreeMap::<String, Vec<u32>>::new();
    for id in parsed.iter().filter(|id| id.is_headquarters()) {
        by_division.entry(id.division().to_string()).or_default().push(id.sequence());
    }
    for (division, sequences) in by_division {
        assert_eq!(sequences, (1..=u32::try_from(sequences.len()).unwrap()).collect::<Vec<_>>(), "{division}");
    }
}

#[test]
fn the_telecom_billing_centre_is_the_first_customer_and_found_by_pinyin() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = generated(dir.path(), "demo.db", &options(300, 3));
    let (id, full, owner_login): (String, String, String) = store
        .conn()
        .row(
            "SELECT c.id, c.full_name, s.login FROM customer c JOIN staff s ON s.id = c.owner_a \
             WHERE c.short_name = '电信帐务中心'",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(full, "中国电信广州分公司帐务中心");
    assert_eq!(id, "44010600001000");
    assert_eq!(owner_login, "root", "the demo user owns it");
    let query = CustomerQuery { search: normalize_query("dxzw"), ..CustomerQuery::default() };
    let found = customers::page(store.conn(), &query, 0, 10).unwrap();
    assert!(found.iter().any(|row| row.short_name == "电信帐务中心"), "{found:?}");
}

#[test]
fn the_os_login_maps_to_an_account_manager() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = generated(dir.path(), "root.db", &options(30, 4));
    let me = staff_by_login(store.conn(), "root").unwrap().unwrap();
    assert_eq!(me.role, Role::Manager);
    assert!(staff_by_login(store.conn(), "jingli01").unwrap().is_none());
    assert_eq!(staff_by_login(store.conn(), "zhuguan").unwrap().unwrap().role, Role::Supervisor);
    assert_eq!(staff_by_login(store.conn(), "zhuguan2").unwrap().unwrap().role, Role::Supervisor);
    assert_eq!(staff_by_login(store.conn(), "guanli").unwrap().unwrap().role, Role::Admin);
    assert_eq!(staff_by_login(store.conn(), "lingdao").unwrap().unwrap().role, Role::Leader);
    assert_eq!(staff_by_login(store.conn(), "jingli12").unwrap().unwrap().role, Role::Manager);
    assert!(count(store.conn(), &format!("SELECT count(*) FROM customer WHERE owner_a = {}", me.id)) > 0);

    let without = DemoOptions { os_login: None, ..options(30, 4) };
    let (store, _) = generated(dir.path(), "none.db", &without);
    assert_eq!(staff_by_login(store.conn(), "jingli01").unwrap().unwrap().role, Role::Manager);

    // An OS login equal to another default login does not collide with it.
    let clash = DemoOptions { os_login: Some("guanli".into()), ..options(30, 4) };
    let (store, _) = generated(dir.path(), "clash.db", &clash);
    assert_eq!(staff_by_login(store.conn(), "guanli").unwrap().unwrap().role, Role::Manager);
    assert_eq!(staff_by_login(store.conn(), "jingli01").unwrap().unwrap().role, Role::Admin);
}

#[test]
fn foreign_keys_hold_and_history_has_one_create_per_customer() {
    let dir = tempfile::tempdir().unwrap();
    let (store, summary) = generated(dir.path(), "demo.db", &options(300, 5));
    let conn = store.conn();
    assert!(dump(conn, "PRAGMA foreign_key_check").is_empty());
    assert_eq!(
        count(conn, "SELECT count(*) FROM history WHERE entity = 'customer' AND action = 'create'"),
        summary.customers
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM customer c WHERE (SELECT count(*) FROM history h \
             WHERE h.entity = 'customer' AND h.entity_id = c.id AND h.action = 'create') <> 1"
        ),
        0
    );
    assert_eq!(
        count(conn, "SELECT count(*) FROM history WHERE entity = 'key_person' AND action = 'create'"),
        summary.key_persons
    );
    // One-off customers are marked through the same write as the analysis
    // screen's: the history says the administrator did it, that morning, not
    // whoever last touched the customer.
    let one_offs = count(conn, "SELECT count(*) FROM customer WHERE one_off = 1");
    assert!(one_offs > 0, "the demo has one-off customers");
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM history h JOIN staff s ON s.id = h.changed_by \
             WHERE h.field = 'one_off' AND s.login = 'guanli' AND h.changed_at = '2026-11-23 08:00:00+08:00'"
        ),
        one_offs
    );
}

#[test]
fn registrations_freshness_and_birthdays_vary_like_real_data() {
    let dir = tempfile::tempdir().unwrap();
    let (store, summary) = generated(dir.path(), "demo.db", &options(2_000, 6));
    let conn = store.conn();
    let pending = count(conn, "SELECT count(*) FROM customer WHERE registration = 'pending'");
    let rejected = count(conn, "SELECT count(*) FROM customer WHERE registration = 'rejected'");
    assert!(pending > 20 && pending < 120, "{pending}");
    assert!(rejected > 3 && rejected < 60, "{rejected}");
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM registration r JOIN customer c ON c.id = r.customer_id \
                     WHERE r.decision = 'pending' AND c.registration = 'pending'"
        ),
        pending
    );
    assert_eq!(count(conn, "SELECT count(*) FROM registration WHERE decision = 'rejected'"), rejected);

    // Updated 0–250 days ago; created the same day; some stale, most not.
    let today = today();
    let oldest = (today - Days::new(250)).to_string();
    assert_eq!(
        count(
            conn,
            &format!(
                "SELECT count(*) FROM customer WHERE dossier_updated_on BETWEEN '{oldest}' AND '{today}' \
                 AND substr(created_at, 1, 10) = dossier_updated_on"
            )
        ),
        summary.customers
    );
    let stale = count(conn, &format!("SELECT count(*) FROM customer WHERE update_due_on < '{today}'"));
    assert!(stale > summary.customers / 10 && stale < summary.customers * 9 / 10, "{stale}");

    // Tiers vary; revenue is skewed towards small customers.
    assert!(count(conn, "SELECT count(DISTINCT tier) FROM customer") >= 3);
    let small = count(conn, "SELECT count(*) FROM customer WHERE annual_revenue BETWEEN 1000000 AND 30000000");
    let millions = count(conn, "SELECT count(*) FROM customer WHERE annual_revenue >= 100000000");
    assert!(small > summary.customers * 8 / 10 && millions > 10, "{small} {millions}");

    // Some key persons have a birthday in the coming week.
    let birthdays: Vec<NaiveDate> = conn.rows("SELECT birthday FROM key_person", args![], |r| r.get(0)).unwrap();
    let soon = birthdays
        .iter()
        .filter(|b| {
            (0..7).any(|d| {
                let day = today + Days::new(d);
                (b.month(), b.day()) == (day.month(), day.day())
            })
        })
        .count();
    assert!(soon * 20 > birthdays.len(), "{soon} of {}", birthdays.len());
    assert!(birthdays.iter().all(|b| (1960..=1995).contains(&b.year())));
}

#[test]
fn ensure_demo_generates_on_first_use_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = demo_db_path(dir.path());
    assert_eq!(path, dir.path().join("demo.db"));
    let opts = options(50, 9);
    let first = dump(ensure_demo(&path, &opts, true).unwrap().conn(), TABLES[0]);
    assert_eq!(first.len(), 50);
    // A second open keeps the data, even when asked for more customers.
    let again = dump(ensure_demo(&path, &options(80, 10), true).unwrap().conn(), TABLES[0]);
    assert_eq!(first, again);
}

#[test]
fn generate_refuses_a_database_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = generated(dir.path(), "demo.db", &options(10, 1));
    assert!(matches!(generate(&mut store, &options(10, 1)), Err(DbError::Invalid(_))));
    assert_eq!(count(store.conn(), "SELECT count(*) FROM customer"), 10);
}

/// Run with `cargo test --release --test it db_demo:: -- --ignored --nocapture`.
#[test]
#[ignore = "slow: measures generating 100,000 customers"]
fn hundred_thousand_customers_in_well_under_a_minute() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (store, summary) = generated(dir.path(), "big.db", &options(100_000, kam::demo::DEFAULT_SEED));
    let elapsed = started.elapsed();
    println!("generated {summary:?} in {elapsed:.2?}");
    let conn = store.conn();
    assert_eq!(count(conn, "SELECT count(*) FROM customer"), 100_000);
    let distinct = count(conn, "SELECT count(DISTINCT name_norm) FROM customer");
    println!("distinct normalised names: {distinct}");
    assert!(distinct > 99_000);
    assert!(dump(conn, "PRAGMA foreign_key_check").is_empty());
    assert!(elapsed.as_secs() < 60, "{elapsed:?}");
}
