//! A ledger write that opens a new ledger month moves every live customer's
//! status window (SPEC §7, `revenue::refresh_statuses_after`): the statuses
//! after it are the same on a file and on a server, whoever was allowed to
//! make the write. On a server each writer connects with their own login,
//! so row-level security is in force (migrations-pg/02-access, 03-ledger-
//! statuses); on a file the same person works through the same functions.
//!
//! The ledger month is the database's, not a bureau's: a bureau's new month
//! moves the windows of the other bureaus' customers too (see
//! `revenue::ledger_month`).

use crate::common;

use common::*;
use kam::db::revenue::{RevenueEntry, refresh_statuses_in, set_cell, write_entries_in};
use kam::db::sql::{Sql, args};
use kam::db::{Location, Store, customers};
use kam::domain::id::CustomerId;
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;

fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

fn letters(conn: &kam::db::Conn) -> i64 {
    conn.row("SELECT id FROM service_line WHERE code = 'letters'", args![], |r| r.get(0)).unwrap()
}

fn entry(id: &CustomerId, month: Month, line: i64, amount: &str) -> RevenueEntry {
    RevenueEntry { customer_id: id.clone(), month, service_line_id: line, amount: yuan(amount) }
}

fn status(conn: &kam::db::Conn, id: &CustomerId) -> String {
    conn.row("SELECT status FROM customer WHERE id = ?1", args![id.as_str()], |r| r.get(0)).unwrap()
}

/// Who the history says changed the customer's status last, and to what.
fn last_status_change(conn: &kam::db::Conn, id: &CustomerId) -> Option<(i64, String)> {
    conn.rows(
        "SELECT changed_by, new_value FROM history WHERE entity = 'customer' AND entity_id = ?1 \
         AND field = 'status' ORDER BY id DESC LIMIT 1",
        args![id.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
    .pop()
}

/// A store that works as `staff`: on a server, a session of their own login
/// (made as `kam staff add` makes it), so that the server's rules apply to
/// them; on a file, the file (the actor says who works).
pub fn as_own_login(db: &TestDb, staff: &Staff) -> Store {
    match &db.location {
        Location::File(_) => db.reopen(),
        Location::Server(url) => {
            let login = staff.login.as_deref().expect("a login");
            db.conn()
                .row("SELECT 1 FROM kam_create_login(?1, ?2)", args![login, staff.role.code()], |_| Ok(()))
                .expect("the staff member's login");
            let own = url.replacen(&format!("//{}@", crate::pg_cluster::SUPERUSER), &format!("//{login}@"), 1);
            assert_ne!(&own, url, "the test cluster's URL names its superuser");
            Store::open_existing_at(&Location::Server(own)).expect("a session of the staff member's own login")
        }
    }
}

/// Five months of steady revenue (June to October) for each customer, as the supervisor.
fn steady_until_october(s: &mut Seeded, ids: &[&CustomerId]) {
    let line = letters(s.conn());
    let sup = actor(&s.org.supervisor);
    let entries: Vec<RevenueEntry> = ids
        .iter()
        .flat_map(|id| Month::range(m(2026, 6), m(2026, 10)).map(move |month| entry(id, month, line, "100")))
        .collect();
    s.db.store
        .write(|tx| {
            write_entries_in(tx, &sup, &entries)?;
            refresh_statuses_in(tx, &sup, &StatusRules::default(), None)?;
            Ok(())
        })
        .unwrap();
}

fn customer_of(s: &mut Seeded, owner: &Staff, unit: i64, name: &str) -> CustomerId {
    let sup = actor(&s.org.supervisor);
    let nc = new_customer(name, &format!("广州{name}有限公司"), unit, owner.id);
    customers::create(&mut s.db.store, &sup, &nc, TierPreset::GuangdongScore).unwrap()
}

#[test]
fn a_managers_cell_in_a_new_month_rates_every_customer_as_on_a_file() {
    let mut s = Seeded::new();
    let (manager, manager2, unit) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.unit);
    let mine = customer_of(&mut s, &manager, unit, "自有");
    let theirs = customer_of(&mut s, &manager2, unit, "同事");
    steady_until_october(&mut s, &[&mine, &theirs]);
    assert_eq!((status(s.conn(), &mine), status(s.conn(), &theirs)), ("normal".into(), "normal".into()));

    // The manager may type their own customer's cells, and November is a new
    // ledger month: the colleague's customer has nothing in it, so it is to watch.
    let mut own = as_own_login(&s.db, &manager);
    let line = letters(own.conn());
    set_cell(&mut own, &actor(&manager), &StatusRules::default(), &entry(&mine, m(2026, 11), line, "100"))
        .expect("a manager types a cell of their own customer");
    assert_eq!(status(s.conn(), &mine), "normal");
    assert_eq!(status(s.conn(), &theirs), "watch");
    assert_eq!(last_status_change(s.conn(), &theirs), Some((manager.id, "watch".into())));

    // The manager's login still edits nobody else's customer directly.
    if on_postgres() {
        let refused = own.conn().exec(
            "UPDATE customer SET status = 'churned', updated_by = ?1 WHERE id = ?2",
            args![manager.id, theirs.as_str()],
        );
        assert!(refused.is_err(), "a manager set another's customer's status: {refused:?}");
    }
}

#[test]
fn a_supervisors_import_month_rates_every_customer_as_on_a_file() {
    let mut s = Seeded::new();
    let (manager, manager2, unit) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.unit);
    let mine = customer_of(&mut s, &manager, unit, "自有");
    let theirs = customer_of(&mut s, &manager2, unit, "同事");
    steady_until_october(&mut s, &[&mine, &theirs]);
    let supervisor = s.org.supervisor.clone();
    let mut own = as_own_login(&s.db, &supervisor);
    let line = letters(own.conn());
    let rows = [(2, entry(&mine, m(2026, 11), line, "50"))];
    let report = kam::db::import::revenue(&mut own, &actor(&supervisor), &StatusRules::default(), &rows, false)
        .expect("a supervisor imports a month");
    assert!(report.bad.is_empty());
    assert_eq!(report.statuses_changed, 2);
    assert_eq!((status(s.conn(), &mine), status(s.conn(), &theirs)), ("watch".into(), "watch".into()));
    assert_eq!(last_status_change(s.conn(), &theirs), Some((supervisor.id, "watch".into())));
}

/// The decision: one ledger month for the database. A bureau's customers are
/// rated on the same month as every other bureau's, so a month entered by one
/// bureau moves the others' windows too, on both engines alike.
#[test]
fn a_new_month_of_one_bureau_moves_the_windows_of_another() {
    let mut s = Seeded::new();
    let other_bureau = add_unit(s.store(), "440300", "440300");
    let (manager, unit) = (s.org.manager.clone(), s.org.unit);
    let here = customer_of(&mut s, &manager, unit, "本局");
    let there = customer_of(&mut s, &manager, other_bureau, "他局");
    steady_until_october(&mut s, &[&here, &there]);
    let mut own = as_own_login(&s.db, &manager);
    let line = letters(own.conn());
    set_cell(&mut own, &actor(&manager), &StatusRules::default(), &entry(&here, m(2026, 11), line, "100")).unwrap();
    assert_eq!(kam::db::revenue::ledger_month(s.conn()).unwrap(), Some(m(2026, 11)));
    assert_eq!(status(s.conn(), &there), "watch");
}

/// 1,500 cells over thirty customers, some new and some changed, as the
/// supervisor's own login: on a server they go a batch of rows a statement
/// (revenue.rs write_batched), with every history row and monthly total the
/// triggers keep, as on a file.
#[test]
fn a_large_import_keeps_every_history_row_and_total() {
    let mut s = Seeded::new();
    let manager = s.org.manager.clone();
    let unit = s.org.unit;
    let ids: Vec<CustomerId> = (0..30).map(|i| customer_of(&mut s, &manager, unit, &format!("批量{i}"))).collect();
    let refs: Vec<&CustomerId> = ids.iter().collect();
    steady_until_october(&mut s, &refs);
    let line = letters(s.conn());
    let history_before = s.db.count("history WHERE entity = 'revenue'");
    let mut rows = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        // June to October change (updates), then forty-five months from 2022 are new.
        for month in Month::range(m(2026, 6), m(2026, 10)) {
            rows.push((rows.len() + 2, entry(id, month, line, &format!("{}", 200 + i))));
        }
        for month in Month::range(m(2022, 1), m(2025, 9)) {
            rows.push((rows.len() + 2, entry(id, month, line, "7")));
        }
    }
    assert_eq!(rows.len(), 1_500);
    let supervisor = s.org.supervisor.clone();
    let mut own = as_own_login(&s.db, &supervisor);
    let report = kam::db::import::revenue(&mut own, &actor(&supervisor), &StatusRules::default(), &rows, false)
        .expect("the supervisor imports");
    assert_eq!((report.counts.inserted, report.counts.updated, report.counts.unchanged), (1_350, 150, 0));
    // A changed cell's history row has its old and new amount; a new cell is its own record.
    assert_eq!(s.db.count("history WHERE entity = 'revenue'") - history_before, 150);
    assert_eq!(s.db.count("revenue_month WHERE month < 202600"), 30 * 45);
    let october: i64 = s
        .conn()
        .row("SELECT sum(amount) FROM revenue_month WHERE month = 202610", args![], |r| {
            r.get::<kam::domain::money::Money>(0)
        })
        .unwrap()
        .to_fen();
    assert_eq!(october, (0..30).map(|i| (200 + i) * 100).sum::<i64>());
    // The same file again changes nothing.
    let again = kam::db::import::revenue(&mut own, &actor(&supervisor), &StatusRules::default(), &rows, false).unwrap();
    assert_eq!((again.counts.inserted, again.counts.updated, again.counts.unchanged), (0, 0, 1_500));
}

/// A write refused in a later batch leaves nothing of the earlier ones.
#[test]
fn a_batch_refused_late_writes_nothing() {
    let mut s = Seeded::new();
    let manager = s.org.manager.clone();
    let unit = s.org.unit;
    let id = customer_of(&mut s, &manager, unit, "全部或无");
    let line = letters(s.conn());
    let mut entries: Vec<RevenueEntry> =
        Month::range(m(2000, 1), m(2026, 10)).map(|month| entry(&id, month, line, "1")).collect();
    assert!(entries.len() > 300);
    // No such service line: the last statement fails on its foreign key.
    entries.push(entry(&id, m(2026, 11), 9_999, "1"));
    let supervisor = s.org.supervisor.clone();
    let mut own = as_own_login(&s.db, &supervisor);
    let sup = actor(&supervisor);
    let result = own.write(|tx| write_entries_in(tx, &sup, &entries));
    assert!(result.is_err(), "{result:?}");
    assert_eq!(s.db.count("revenue"), 0);
    assert_eq!(s.db.count("history WHERE entity = 'revenue'"), 0);
}

/// A file that names a cell twice: the second row changes what the first
/// wrote, as one row after the other, on both engines.
#[test]
fn a_cell_named_twice_is_written_in_file_order() {
    let mut s = Seeded::new();
    let manager = s.org.manager.clone();
    let unit = s.org.unit;
    let id = customer_of(&mut s, &manager, unit, "两次");
    let line = letters(s.conn());
    let rows = [(2, entry(&id, m(2026, 10), line, "10")), (3, entry(&id, m(2026, 10), line, "20"))];
    let supervisor = s.org.supervisor.clone();
    let mut own = as_own_login(&s.db, &supervisor);
    let report =
        kam::db::import::revenue(&mut own, &actor(&supervisor), &StatusRules::default(), &rows, false).unwrap();
    assert_eq!((report.counts.inserted, report.counts.updated), (1, 1));
    let amount: kam::domain::money::Money = s.conn().row("SELECT amount FROM revenue", args![], |r| r.get(0)).unwrap();
    assert_eq!(amount.to_fen(), 2_000);
}
