//! Issue 19, the cold start: what Today's first frame reads comes from
//! indexes (migration 24 / PostgreSQL 19) with the same results as before.
//! Runs on both engines (`both_engines::STORAGE`).

use crate::common::*;
use kam::db::customers;
use kam::db::plans::{self, PlanScope};
use kam::db::sql::{Dialect, Sql, args};
use kam::domain::tier::TierPreset;

/// A book of the seeded unit with pending, approved and archived customers.
fn book() -> Seeded {
    let mut s = Seeded::new();
    let (m, m2) = (s.org.manager.clone(), s.org.manager2.clone());
    for i in 0..14 {
        let owner = if i % 3 == 0 { &m2 } else { &m };
        let nc = new_customer(&format!("客户{i}"), &format!("汕头客户{i}有限公司"), s.org.unit, owner.id);
        let id =
            customers::create(&mut s.db.store, &actor(&s.org.supervisor), &nc, TierPreset::GuangdongScore).unwrap();
        if i % 4 == 1 {
            customers::decide_registration(&mut s.db.store, &actor(&s.org.supervisor), &id, true, "同意").unwrap();
        }
        if i == 6 {
            s.conn().exec("UPDATE customer SET archived = 1 WHERE id = ?1", args![id]).unwrap();
        }
    }
    s
}

/// A pending registration: customer, name, owner, unit, reason.
type Pending = (String, String, i64, i64, String);

/// The pending registrations as read before migration 24: every pending
/// customer and its registration read, sorted, the first taken.
fn pending_before(s: &Seeded, limit: u64) -> (Vec<Pending>, u64) {
    let from = "FROM customer c JOIN registration r ON r.customer_id = c.id AND r.decision = 'pending' \
         WHERE c.registration = 'pending' AND c.archived = 0 AND c.unit_id IN (WITH RECURSIVE tree(id) AS \
         (SELECT CAST(?1 AS bigint) UNION ALL SELECT o.id FROM org_unit o JOIN tree t ON o.parent_id = t.id) \
         SELECT id FROM tree)";
    let total: u64 = s.conn().row(&format!("SELECT count(*) {from}"), args![s.org.unit], |r| r.get(0)).unwrap();
    let rows = s
        .conn()
        .rows(
            &format!(
                "SELECT c.id, c.short_name, r.owner_id, c.unit_id, r.reason {from} ORDER BY r.filed_at, r.id LIMIT ?2"
            ),
            args![s.org.unit, limit],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    (rows, total)
}

#[test]
fn pending_registrations_are_the_same_as_before_the_indexes() {
    let s = book();
    for limit in [1, 3, 5, 50] {
        let (before, total_before) = pending_before(&s, limit);
        let (now, total) = customers::pending_registrations(s.conn(), s.org.unit, limit).unwrap();
        let now: Vec<_> = now
            .into_iter()
            .map(|p| (p.customer_id.as_str().to_string(), p.short_name, p.owner_id, p.unit_id, p.reason))
            .collect();
        assert_eq!(now, before, "limit {limit}");
        assert_eq!(total, total_before);
        assert_eq!(total, 9, "14 filed, 4 approved, 1 archived");
    }
}

#[test]
fn todays_plans_and_registrations_read_index_pages_only_on_sqlite() {
    let s = book();
    if s.conn().dialect() != Dialect::Sqlite {
        return;
    }
    let plan = |sql: &str, arg: i64| -> String {
        s.conn()
            .rows(&format!("EXPLAIN QUERY PLAN {sql}"), args![arg, 2000], |r| r.get::<String>(3))
            .unwrap()
            .join("\n")
    };
    let plans_sql = "SELECT c.id, c.short_name, c.tier FROM customer c WHERE c.archived = 0 AND \
         c.registration = 'approved' AND c.owner_a = ?1 ORDER BY c.id LIMIT ?2";
    let p = plan(plans_sql, s.org.manager.id);
    assert!(p.contains("COVERING INDEX customer_plan"), "{p}");
    assert!(!p.contains("TEMP B-TREE"), "{p}");
    let all = plans_sql.replace("c.owner_a = ?1", "?1 = ?1");
    let p = plan(&all, 0);
    assert!(p.contains("COVERING INDEX customer_plan_all"), "{p}");
    // The same customers and tiers as the owner's full rows give.
    let (customers, _) = plans::standing_inputs(
        s.conn(),
        PlanScope::Manager(s.org.manager.id),
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        2000,
    )
    .unwrap();
    let full: Vec<String> = s
        .conn()
        .rows(
            "SELECT c.id FROM customer c NOT INDEXED WHERE c.archived = 0 AND c.registration = 'approved' \
             AND c.owner_a = ?1 ORDER BY c.id",
            args![s.org.manager.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(customers.iter().map(|c| c.0.as_str().to_string()).collect::<Vec<_>>(), full);
    assert!(!full.is_empty());
}

#[test]
fn an_account_managers_stale_dossiers_are_the_same_as_the_lists() {
    use kam::db::customers::{CustomerFilter, CustomerQuery, SortColumn};
    let s = book();
    let (m, m2) = (s.org.manager.clone(), s.org.manager2.clone());
    let ids: Vec<String> = s.conn().rows("SELECT id FROM customer ORDER BY id", args![], |r| r.get(0)).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for (i, id) in ids.iter().enumerate() {
        // Due dates either side of the day; a few with the other manager as B,
        // one with the same manager as A and B; tiers mixed.
        let due = day + chrono::Days::new(1) - chrono::Days::new((i as u64 * 7) % 20);
        s.conn().exec("UPDATE customer SET update_due_on = ?1 WHERE id = ?2", args![due, id]).unwrap();
        let b = match i % 5 {
            0 => Some(m.id),
            1 => Some(m2.id),
            _ => None,
        };
        s.conn().exec("UPDATE customer SET owner_b = ?1 WHERE id = ?2", args![b, id]).unwrap();
        s.conn()
            .exec("UPDATE customer SET tier_rank = ?1 WHERE id = ?2", args![i64::try_from(i % 3).unwrap(), id])
            .unwrap();
    }
    for who in [&m, &m2] {
        let q = CustomerQuery {
            filter: CustomerFilter { mine_of: Some(who.id), stale_on: Some(day), ..Default::default() },
            sort: SortColumn::Tier,
            ..Default::default()
        };
        for limit in [1, 2, 4, 50] {
            let (rows, total) = customers::stale_of_owner(s.conn(), who.id, day, limit).unwrap();
            assert_eq!(rows, customers::page(s.conn(), &q, 0, limit).unwrap(), "{} limit {limit}", who.id);
            assert_eq!(total, customers::count(s.conn(), &q).unwrap());
            assert!(total > 0);
        }
    }
}

/// The day's people as read before the kept customer: every person of the
/// day read, then their customer's (SQLite, a demo book).
fn person_dates_before(
    conn: &kam::db::Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    day: &str,
) -> Vec<(String, String, i64, String)> {
    let (whose, arg) = match (owner, unit) {
        (Some(o), _) => ("(c.owner_a = ?2 OR c.owner_b = ?2)", o),
        (None, Some(u)) => ("c.unit_id = ?2", u),
        (None, None) => ("?2 = ?2", 0),
    };
    conn.rows(
        &format!(
            "SELECT c.id, c.short_name, c.owner_a, p.name FROM person_occasion o JOIN key_person p ON p.id = o.person_id \
             JOIN customer c ON c.id = p.customer_id WHERE o.month_day = ?1 AND p.archived = 0 AND c.archived = 0 \
             AND {whose} ORDER BY c.id, p.name"
        ),
        args![day, arg],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

#[test]
fn the_days_people_are_the_same_as_before_the_kept_customer() {
    let (_dir, path) = crate::support::demo_db(300);
    let store = kam::db::Store::open(&path).unwrap();
    let conn = store.conn();
    let kept: i64 = conn
        .row("SELECT count(*) FROM person_occasion o JOIN key_person p ON p.id = o.person_id AND p.customer_id = o.customer_id", args![], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, count(conn, "person_occasion"), "every day kept with its person's customer");
    let mut seen = 0;
    for login in ["jingli01", "zhuguan2", "guanli"] {
        let me = kam::db::reference::staff_by_login(conn, login).unwrap().unwrap();
        let (owner, unit) = kam::review::responsibility(&me);
        for day in 1..=28u32 {
            let now: Vec<_> = kam::db::records::person_dates(conn, owner, unit, (12, day))
                .unwrap()
                .into_iter()
                .map(|p| (p.customer_id.as_str().to_string(), p.customer_name, p.owner_a, p.person))
                .collect();
            let mut now = now;
            now.sort();
            let mut before = person_dates_before(conn, owner, unit, &format!("12-{day:02}"));
            before.sort();
            assert_eq!(now, before, "{login} 12-{day:02}");
            seen += now.len();
        }
    }
    assert!(seen > 0);
}
