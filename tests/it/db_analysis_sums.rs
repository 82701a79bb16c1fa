//! What the monthly analysis reads instead of every customer (issue 19;
//! SQLite 22-analysis-sums, PostgreSQL 17): the live customers' counts per
//! unit, tier and status, their revenue per unit, month and tier, and one
//! linked row per customer and month with revenue. These follow every write
//! (revenue inserted and changed, set to zero and back, statuses, a tier
//! override, a move to another unit, the one-off flag, archiving and
//! restoring) and always equal a recount from the ledger; the analysis read
//! from them equals one worked out customer by customer; and on SQLite the
//! whole province's analysis reads no table in full.

use std::collections::BTreeMap;

use crate::common;

use common::*;
use kam::db::analysis::{AnalysisScope, monthly};
use kam::db::customers;
use kam::db::revenue::{RevenueEntry, refresh_statuses_in, set_one_off, write_entries_in};
use kam::db::sql::{Sql, ToValue, args};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::money::Money;
use kam::domain::revenue::{CustomerStatus, FLUCTUATION_LIMIT, Month, StatusRules, fluctuation};
use kam::domain::tier::{Tier, TierPreset};

const GD: TierPreset = TierPreset::GuangdongScore;

fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

fn line_id(s: &Seeded, code: &str) -> i64 {
    s.conn().row("SELECT id FROM service_line WHERE code = ?1", args![code], |r| r.get(0)).unwrap()
}

fn entry(id: &CustomerId, month: Month, line: i64, amount: &str) -> RevenueEntry {
    RevenueEntry { customer_id: id.clone(), month, service_line_id: line, amount: yuan(amount) }
}

/// Writes entries as the supervisor, statuses refreshed, in one transaction.
fn write(s: &mut Seeded, entries: &[RevenueEntry]) {
    let sup = actor(&s.org.supervisor);
    s.db.store
        .write(|tx| {
            write_entries_in(tx, &sup, entries)?;
            refresh_statuses_in(tx, &sup, &StatusRules::default(), None)?;
            Ok(())
        })
        .unwrap();
}

fn customer(s: &mut Seeded, name: &str) -> CustomerId {
    let m = s.org.manager.clone();
    let nc = new_customer(name, &format!("广州{name}有限公司"), s.org.unit, m.id);
    customers::create(&mut s.db.store, &actor(&m), &nc, GD).unwrap()
}

type Rows = Vec<Vec<String>>;

/// Every row of a statement, each column as text (money through [`Money`],
/// so that SQLite's integers and PostgreSQL's numerics read alike).
fn rows(s: &Seeded, sql: &str, money: &[usize]) -> Rows {
    s.conn()
        .rows(sql, args![], |r| {
            let n = sql[..sql.find(" FROM ").unwrap()].matches(',').count() + 1;
            (0..n)
                .map(|i| {
                    if money.contains(&i) {
                        Ok(r.get::<Money>(i)?.to_fen().to_string())
                    } else {
                        Ok(r.get::<Option<String>>(i)
                            .or_else(|_| r.get::<Option<i64>>(i).map(|v| v.map(|v| v.to_string())))?
                            .unwrap_or_default())
                    }
                })
                .collect()
        })
        .unwrap()
}

/// The kept tables against a recount from the ledger and the customers.
fn assert_recounted(s: &Seeded, after: &str) {
    let kept = rows(
        s,
        "SELECT CAST(unit_id AS text), tier, status, CAST(customers AS text) FROM customer_tally \
         WHERE customers <> 0 ORDER BY 1, 2, 3",
        &[],
    );
    let fresh = rows(
        s,
        "SELECT CAST(unit_id AS text), tier, status, CAST(count(*) AS text) FROM customer WHERE archived = 0 \
         GROUP BY unit_id, tier, status ORDER BY 1, 2, 3",
        &[],
    );
    assert_eq!(kept, fresh, "customer counts after {after}");

    let kept = rows(
        s,
        "SELECT CAST(unit_id AS text), CAST(month AS text), tier, amount FROM revenue_unit_tier WHERE amount <> 0 \
         ORDER BY 1, 2, 3",
        &[3],
    );
    let fresh = rows(
        s,
        "SELECT CAST(c.unit_id AS text), CAST(r.month AS text), c.tier, sum(r.amount) FROM revenue_month r \
         JOIN customer c ON c.id = r.customer_id WHERE c.archived = 0 GROUP BY c.unit_id, r.month, c.tier \
         HAVING sum(r.amount) <> 0 ORDER BY 1, 2, 3",
        &[3],
    );
    assert_eq!(kept, fresh, "tier totals after {after}");

    // The runs: linked as the ledger says, flagged as the fluctuation rule says.
    let kept = rows(
        s,
        "SELECT customer_id, CAST(month AS text), CAST(unit_id AS text), tier, CAST(one_off AS text), amount, \
         CAST(prev_month AS text), CAST(next_month AS text), next_amount, CAST(moved AS text) FROM revenue_run \
         ORDER BY customer_id, month",
        &[5, 8],
    );
    let ledger = rows(
        s,
        "SELECT r.customer_id, CAST(r.month AS text), CAST(c.unit_id AS text), c.tier, CAST(c.one_off AS text), \
         r.amount FROM revenue_month r JOIN customer c ON c.id = r.customer_id \
         WHERE c.archived = 0 AND r.amount > 0 ORDER BY r.customer_id, r.month",
        &[5],
    );
    let mut fresh = Vec::new();
    for (i, row) in ledger.iter().enumerate() {
        let same = |j: Option<usize>| j.and_then(|j| ledger.get(j)).filter(|other| other[0] == row[0]);
        let prev = same(i.checked_sub(1)).map(|p| p[1].clone()).unwrap_or_default();
        let next = same(Some(i + 1));
        let month = Month::from_key(row[1].parse().unwrap()).unwrap();
        let amount = Money::from_fen(row[5].parse().unwrap());
        let moved = match next {
            Some(n) if n[1] == month.next().key().to_string() => {
                fluctuation(Money::from_fen(n[5].parse().unwrap()), amount, FLUCTUATION_LIMIT).is_some()
            }
            _ => true,
        };
        let mut out = row.clone();
        out.extend([
            prev,
            next.map_or("999999".into(), |n| n[1].clone()),
            next.map_or("0".into(), |n| n[5].clone()),
            u8::from(moved).to_string(),
        ]);
        fresh.push(out);
    }
    assert_eq!(kept, fresh, "revenue runs after {after}");
}

/// The lists of the analysis worked out customer by customer from the ledger,
/// as the status rules and the fluctuation rule say: (new, became churned,
/// fluctuations, top ten) as IDs.
fn by_hand(s: &Seeded, month: Month) -> [Vec<String>; 4] {
    let live = rows(s, "SELECT id, CAST(one_off AS text) FROM customer WHERE archived = 0 ORDER BY id", &[]);
    let ledger: BTreeMap<(String, i64), i64> =
        rows(s, "SELECT customer_id, CAST(month AS text), amount FROM revenue_month", &[2])
            .into_iter()
            .map(|r| ((r[0].clone(), r[1].parse().unwrap()), r[2].parse().unwrap()))
            .collect();
    let at = |id: &str, m: Month| Money::from_fen(*ledger.get(&(id.to_string(), m.key())).unwrap_or(&0));
    let rules = StatusRules::default();
    let window: Vec<Month> = Month::range(month.plus(-12), month).collect();
    let (mut new, mut churned, mut moved, mut top) = (vec![], vec![], vec![], vec![]);
    for c in &live {
        let id = c[0].as_str();
        let months: Vec<Money> = window.iter().map(|m| at(id, *m)).collect();
        let earlier = ledger.iter().any(|((who, key), a)| who == id && *key < window[0].key() && *a > 0);
        let had_before = earlier || months[..months.len() - 1].iter().any(|a| a.to_fen() > 0);
        if at(id, month).to_fen() > 0 && !had_before {
            new.push(id.to_string());
        }
        let now = rules.status(&months[1..], earlier || months[0].to_fen() > 0);
        let then = rules.status(&months[..months.len() - 1], earlier);
        if now == CustomerStatus::Churned && then != CustomerStatus::Churned {
            churned.push(id.to_string());
        }
        if c[1] == "0" && fluctuation(at(id, month), at(id, month.prev()), FLUCTUATION_LIMIT).is_some() {
            moved.push(id.to_string());
        }
        if at(id, month).to_fen() > 0 {
            top.push((std::cmp::Reverse(at(id, month)), id.to_string()));
        }
    }
    top.sort();
    moved.sort();
    [new, churned, moved, top.into_iter().take(10).map(|(_, id)| id).collect()]
}

fn assert_analysis_by_hand(s: &Seeded, month: Month) {
    let a = monthly(s.conn(), month, AnalysisScope::All, &StatusRules::default()).unwrap();
    let ids = |list: &[kam::db::analysis::CustomerFigures]| list.iter().map(|c| c.id.to_string()).collect::<Vec<_>>();
    let mut moved: Vec<String> = a.fluctuations.iter().map(|f| f.customer.id.to_string()).collect();
    moved.sort();
    assert_eq!(
        [ids(&a.new_customers), ids(&a.churned), moved, ids(&a.top)],
        by_hand(s, month),
        "the analysis of {month:?} against the ledger"
    );
    let live = usize::try_from(s.db.count("customer WHERE archived = 0")).unwrap();
    assert_eq!(a.customers, live);
    assert_eq!(a.by_tier.iter().map(|t| t.customers).sum::<usize>(), live);
}

#[test]
fn the_kept_sums_equal_a_recount_after_every_kind_of_write() {
    let mut s = Seeded::new();
    let (letters, express) = (line_id(&s, "letters"), line_id(&s, "express"));
    let other = add_unit(&mut s.db.store, "440104", "440104");
    let names = ["甲", "乙", "丙", "丁", "戊", "己"];
    let ids: Vec<CustomerId> = names.iter().map(|n| customer(&mut s, n)).collect();
    assert_recounted(&s, "creating customers");

    // Inserts: six months, some with gaps, a year-end crossing for one.
    let mut entries = Vec::new();
    for (i, month) in (0i64..).zip(Month::range(m(2025, 11), m(2026, 10))) {
        entries.push(entry(&ids[0], month, letters, &(1000 + i * 10).to_string()));
        entries.push(entry(&ids[0], month, express, "200"));
        if i % 3 != 1 {
            entries.push(entry(&ids[1], month, letters, &(500 + i * 100).to_string()));
        }
        if i < 8 {
            entries.push(entry(&ids[2], month, letters, "300"));
        }
        if i >= 9 {
            entries.push(entry(&ids[3], month, express, &(100 * (i - 8)).to_string()));
        }
        entries.push(entry(&ids[4], month, letters, if i == 10 { "10" } else { "700" }));
    }
    write(&mut s, &entries);
    assert_recounted(&s, "inserts");
    // Every list has someone in it: 丙 stops after June (churned in September),
    // 丁 starts in August (and doubles in September), 戊 falls to 10 yuan and
    // 乙 to nothing in September.
    let [new, churned, moved, _] = by_hand(&s, m(2026, 9));
    assert_eq!([new.len(), churned.len(), moved.len()], [0, 1, 3]);
    assert_eq!(by_hand(&s, m(2026, 8))[0], [ids[3].to_string()]);
    assert_analysis_by_hand(&s, m(2026, 10));
    assert_analysis_by_hand(&s, m(2026, 9));
    assert_analysis_by_hand(&s, m(2026, 8));

    // Updates: a change, a month set to zero (its neighbours relinked), and back.
    write(&mut s, &[entry(&ids[0], m(2026, 9), letters, "5000")]);
    assert_recounted(&s, "an update");
    write(&mut s, &[entry(&ids[1], m(2026, 6), letters, "0")]);
    write(&mut s, &[entry(&ids[4], m(2026, 8), letters, "0")]);
    assert_recounted(&s, "months set to zero");
    assert_analysis_by_hand(&s, m(2026, 10));
    write(&mut s, &[entry(&ids[1], m(2026, 6), letters, "650")]);
    write(&mut s, &[entry(&ids[5], m(2026, 10), letters, "90")]);
    assert_recounted(&s, "a month given revenue again, a first month");

    // Reclassified, moved, flagged, archived, restored.
    let sup = actor(&s.org.supervisor);
    customers::override_tier(&mut s.db.store, &sup, &ids[1], Some(Tier::Gold), "战略客户", GD).unwrap();
    assert_recounted(&s, "a tier override");
    let base = customers::load(s.conn(), &ids[2]).unwrap();
    customers::update(&mut s.db.store, &sup, &base, &[("unit_id", FieldValue::Int(other))], GD).unwrap();
    assert_recounted(&s, "a move to another unit");
    set_one_off(&mut s.db.store, &actor(&s.org.manager), &ids[4], true).unwrap();
    assert_recounted(&s, "the one-off flag");
    customers::set_archived(&mut s.db.store, &sup, &ids[0], true).unwrap();
    customers::set_archived(&mut s.db.store, &sup, &ids[3], true).unwrap();
    assert_recounted(&s, "archiving");
    assert_analysis_by_hand(&s, m(2026, 10));
    write(&mut s, &[entry(&ids[3], m(2026, 10), letters, "4000")]);
    customers::set_archived(&mut s.db.store, &sup, &ids[3], false).unwrap();
    assert_recounted(&s, "revenue while archived, then restoring");
    for month in [m(2026, 10), m(2026, 9), m(2026, 1), m(2025, 12)] {
        assert_analysis_by_hand(&s, month);
    }

    // A unit's analysis sees only its own rows.
    let a = monthly(s.conn(), m(2026, 10), AnalysisScope::Unit(other), &StatusRules::default()).unwrap();
    assert_eq!(a.customers, 1);
    assert!(a.top.iter().chain(&a.churned).chain(&a.new_customers).all(|c| c.unit_id == other));
}

#[test]
fn the_whole_provinces_analysis_reads_no_table_in_full() {
    if on_postgres() {
        return; // SQLite's plans; PostgreSQL plans tiny tables as scans whatever the indexes.
    }
    let mut s = Seeded::new();
    let letters = line_id(&s, "letters");
    let ids: Vec<CustomerId> = ["甲", "乙", "丙"].iter().map(|n| customer(&mut s, n)).collect();
    let mut entries = Vec::new();
    for month in Month::range(m(2025, 10), m(2026, 10)) {
        for (i, id) in ids.iter().enumerate() {
            entries.push(entry(id, month, letters, &(100 * (i + 1)).to_string()));
        }
    }
    write(&mut s, &entries);
    for scope in [AnalysisScope::All, AnalysisScope::Unit(s.org.unit)] {
        let (analysis, statements) =
            kam::db::recording_statements(|| monthly(s.conn(), m(2026, 10), scope, &StatusRules::default()).unwrap());
        assert_eq!(analysis.customers, 3);
        assert!(statements.len() > 5, "{statements:?}");
        for (sql, values) in &statements {
            let bound: Vec<&dyn ToValue> = values.iter().map(|v| v as &dyn ToValue).collect::<Vec<_>>();
            let plan: Vec<String> =
                s.conn().rows(&format!("EXPLAIN QUERY PLAN {sql}"), &bound, |r| r.get::<String>(3)).unwrap();
            // A scan of a ledger table or of the customers, by name or alias
            // (a scan of a few hundred kept totals, or of the units, is fine).
            let full = |step: &String| {
                ["revenue", "revenue_month", "revenue_run", "customer", "r", "c", "v"]
                    .iter()
                    .any(|t| *step == format!("SCAN {t}") || step.starts_with(&format!("SCAN {t} ")))
            };
            assert!(!plan.iter().any(full), "{sql}\n{plan:?}");
        }
    }
}
