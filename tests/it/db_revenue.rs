//! The revenue ledger on a real database file: entries, history, the per-month
//! and per-unit totals the triggers keep, statuses, tiers from revenue, and the
//! monthly analysis with hand-computed figures.

use crate::common;

use common::*;
use kam::db::analysis::{AnalysisScope, monthly};
use kam::db::revenue::{
    RevenueEntry, explain_fluctuation, ledger_month, refresh_statuses_in, set_cell, set_one_off, write_entries_in,
};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, customers};
use kam::domain::id::CustomerId;
use kam::domain::revenue::{CustomerStatus, Month, StatusRules};
use kam::domain::staff::Refusal;
use kam::domain::tier::{Tier, TierPreset};

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
    customers::create(&mut s.db.store, &actor(&m), &nc, TierPreset::GuangdongScore).unwrap()
}

fn status(s: &Seeded, id: &CustomerId) -> String {
    s.conn().row("SELECT status FROM customer WHERE id = ?1", args![id.as_str()], |r| r.get(0)).unwrap()
}

fn unit_total(s: &Seeded, unit: i64, month: Month) -> i64 {
    s.conn()
        .row(
            "SELECT coalesce(sum(amount), 0) FROM revenue_unit_line WHERE unit_id = ?1 AND month = ?2",
            args![unit, month.key()],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn entries_keep_monthly_and_unit_totals_and_changes_go_to_history() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let (letters, express) = (line_id(&s, "letters"), line_id(&s, "express"));
    write(&mut s, &[entry(&a, m(2026, 9), letters, "1000.50"), entry(&a, m(2026, 9), express, "200")]);
    let month_total: i64 = s
        .conn()
        .row("SELECT amount FROM revenue_month WHERE customer_id = ?1 AND month = 202609", args![a.as_str()], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(month_total, 120_050);
    assert_eq!(unit_total(&s, s.org.unit, m(2026, 9)), 120_050);
    assert_eq!(ledger_month(s.conn()).unwrap(), Some(m(2026, 9)));

    // The same entries again change nothing; a changed amount is an update with history.
    let sup = actor(&s.org.supervisor);
    let counts =
        s.db.store
            .write(|tx| {
                write_entries_in(
                    tx,
                    &sup,
                    &[entry(&a, m(2026, 9), letters, "1000.5"), entry(&a, m(2026, 9), express, "300")],
                )
            })
            .unwrap();
    assert_eq!((counts.inserted, counts.updated, counts.unchanged), (0, 1, 1));
    assert_eq!(unit_total(&s, s.org.unit, m(2026, 9)), 130_050);
    let (field, old, new): (String, String, String) = s
        .conn()
        .row(
            "SELECT field, old_value, new_value FROM history WHERE entity = 'revenue' ORDER BY id DESC LIMIT 1",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((field.as_str(), old.as_str(), new.as_str()), ("revenue:202609:express", "20000", "30000"));

    // Entries are never deleted, and a bad amount rolls the whole batch back.
    assert!(s.conn().exec("DELETE FROM revenue", args![]).is_err());
    let before = s.db.count("revenue");
    let bad = s.db.store.write(|tx| {
        write_entries_in(tx, &sup, &[entry(&a, m(2026, 10), letters, "5")])?;
        tx.exec(
            "INSERT INTO revenue VALUES (?1, 202610, ?2, -1, ?3, '2026-11-23 09:00:00', ?3, '2026-11-23 09:00:00')",
            args![a, express, sup.staff.id],
        )?;
        Ok(())
    });
    assert!(bad.is_err());
    assert_eq!(s.db.count("revenue"), before);
    assert_eq!(ledger_month(s.conn()).unwrap(), Some(m(2026, 9)));
}

#[test]
fn moving_or_archiving_a_customer_moves_its_revenue_between_units() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "乙");
    let letters = line_id(&s, "letters");
    write(&mut s, &[entry(&a, m(2026, 8), letters, "100"), entry(&a, m(2026, 9), letters, "50")]);
    let other = add_unit(&mut s.db.store, "440104", "440104");
    let sup = actor(&s.org.supervisor);
    let base = customers::load(s.conn(), &a).unwrap();
    customers::update(
        &mut s.db.store,
        &sup,
        &base,
        &[("unit_id", kam::domain::dossier::FieldValue::Int(other))],
        TierPreset::GuangdongScore,
    )
    .unwrap();
    assert_eq!(unit_total(&s, s.org.unit, m(2026, 8)), 0);
    assert_eq!(unit_total(&s, other, m(2026, 8)), 10_000);
    assert_eq!(unit_total(&s, other, m(2026, 9)), 5_000);
    customers::set_archived(&mut s.db.store, &sup, &a, true).unwrap();
    assert_eq!(unit_total(&s, other, m(2026, 8)), 0);
    customers::set_archived(&mut s.db.store, &sup, &a, false).unwrap();
    assert_eq!(unit_total(&s, other, m(2026, 9)), 5_000);
}

#[test]
fn statuses_follow_the_ledger_with_history() {
    let mut s = Seeded::new();
    let letters = line_id(&s, "letters");
    let steady = customer(&mut s, "稳定");
    let falling = customer(&mut s, "下滑");
    let dropped = customer(&mut s, "骤降");
    let gone = customer(&mut s, "流失");
    let mut entries = Vec::new();
    for (i, month) in (0i64..).zip(Month::range(m(2026, 6), m(2026, 10))) {
        entries.push(entry(&steady, month, letters, "100"));
        entries.push(entry(&falling, month, letters, &(100 - i * 5).to_string()));
        entries.push(entry(&dropped, month, letters, if i == 4 { "60" } else { "100" }));
        if i < 2 {
            entries.push(entry(&gone, month, letters, "100"));
        }
    }
    write(&mut s, &entries);
    assert_eq!(status(&s, &steady), "normal");
    assert_eq!(status(&s, &falling), "warning");
    assert_eq!(status(&s, &dropped), "watch");
    assert_eq!(status(&s, &gone), "churned");
    let row: (String, String, String) = s
        .conn()
        .row(
            "SELECT old_value, new_value, changed_at FROM history WHERE entity = 'customer' AND entity_id = ?1 \
             AND field = 'status'",
            args![gone.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, common::read_history_time(r.get(2)?))),
        )
        .unwrap();
    assert_eq!(row, ("normal".into(), "churned".into(), common::history_time("2026-11-23 09:00:00+08:00")));
}

#[test]
fn tiers_come_from_twelve_months_of_revenue_and_the_unit_total() {
    let mut s = Seeded::new();
    let letters = line_id(&s, "letters");
    let a = customer(&mut s, "钻石候选");
    s.set_unit_revenue(s.org.unit, "400000000");
    // 12 × 100,000 = 1,200,000 over Nov 2025 – Oct 2026: 60 + 40 points under preset A.
    let entries: Vec<_> = Month::range(m(2025, 11), m(2026, 10)).map(|mo| entry(&a, mo, letters, "100000")).collect();
    write(&mut s, &entries);
    let preview = customers::retier_preview(s.conn(), TierPreset::GuangdongScore).unwrap();
    assert_eq!(preview.len(), 1);
    assert_eq!((preview[0].from, preview[0].to), (Tier::General, Tier::Diamond));
    assert_eq!(preview[0].annual_revenue, yuan("1200000"));
    // A manager may not re-tier; the administrator's run writes it with history.
    let refused = customers::retier(&mut s.db.store, &actor(&s.org.manager), TierPreset::GuangdongScore);
    assert!(matches!(refused, Err(DbError::Refused(Refusal::RecordsKeeperOnly))), "{refused:?}");
    assert_eq!(customers::retier(&mut s.db.store, &actor(&s.org.supervisor), TierPreset::GuangdongScore).unwrap(), 1);
    let d = customers::load(s.conn(), &a).unwrap();
    assert_eq!(d.tier, Tier::Diamond);
    assert_eq!(d.tier_basis.window, Some((m(2025, 11), m(2026, 10))));
    assert!(customers::retier_preview(s.conn(), TierPreset::GuangdongScore).unwrap().is_empty());
    // Under preset B the same revenue is 90 × 0.6 + 100 × 0.4 = 94: diamond too; under C it is gold.
    let c = customers::retier_preview(s.conn(), TierPreset::LetterBands).unwrap();
    assert_eq!(c[0].to, Tier::Gold);
    assert!(customers::retier_preview(s.conn(), TierPreset::Shantou).unwrap().is_empty());
}

#[test]
fn cells_are_typed_by_the_customers_managers_only() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "丙");
    let letters = line_id(&s, "letters");
    let rules = StatusRules::default();
    set_cell(&mut s.db.store, &actor(&s.org.manager), &rules, &entry(&a, m(2026, 10), letters, "88")).unwrap();
    for who in [s.org.manager2.clone(), s.org.leader.clone()] {
        let r = set_cell(&mut s.db.store, &actor(&who), &rules, &entry(&a, m(2026, 10), letters, "99"));
        assert!(matches!(r, Err(DbError::Refused(_))), "{r:?}");
    }
    assert_eq!(s.db.count("revenue WHERE amount = 8800"), 1);
}

#[test]
fn the_monthly_analysis_adds_up() {
    let mut s = Seeded::new();
    s.set_unit_revenue(s.org.unit, "1200000");
    let (letters, express) = (line_id(&s, "letters"), line_id(&s, "express"));
    let big = customer(&mut s, "大户");
    let jumpy = customer(&mut s, "波动");
    let once = customer(&mut s, "一次");
    let newbie = customer(&mut s, "新户");
    let mut entries = Vec::new();
    // Last year: only October 2025 for the big customer.
    entries.push(entry(&big, m(2025, 10), letters, "8000"));
    for month in Month::range(m(2026, 1), m(2026, 10)) {
        entries.push(entry(&big, month, letters, "10000"));
        entries.push(entry(&big, month, express, "2000"));
    }
    entries.push(entry(&jumpy, m(2026, 9), letters, "1000"));
    entries.push(entry(&jumpy, m(2026, 10), letters, "1300.01")); // +30.001%: a fluctuation
    entries.push(entry(&once, m(2026, 9), letters, "1000"));
    entries.push(entry(&once, m(2026, 10), letters, "5000"));
    entries.push(entry(&newbie, m(2026, 10), express, "700"));
    write(&mut s, &entries);
    set_one_off(&mut s.db.store, &actor(&s.org.manager), &once, true).unwrap();

    let a = monthly(s.conn(), m(2026, 10), AnalysisScope::Unit(s.org.unit), &StatusRules::default()).unwrap();
    let h = &a.headline;
    assert_eq!(h.month, yuan("19000.01"));
    assert_eq!(h.previous_month, yuan("14000"));
    assert_eq!(h.same_month_last_year, yuan("8000"));
    // YTD: big 10 × 12,000 + jumpy 2,300.01 + once 6,000 + newbie 700.
    assert_eq!(h.year_to_date, yuan("129000.01"));
    assert_eq!(h.unit_month, Some(yuan("100000")));
    assert_eq!(h.share_of_unit().unwrap(), "0.1900001".parse().unwrap());
    assert_eq!(a.customers, 4);
    assert_eq!(a.by_tier.iter().map(|t| t.customers).sum::<usize>(), 4);
    assert_eq!(a.by_line.iter().find(|l| l.service_line_id == express).unwrap().month, yuan("2700"));
    assert_eq!(a.top[0].id, big);
    assert_eq!(a.new_customers.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), [newbie.as_str()]);
    // The one-off customer is excepted; exactly 30% would not count, 30.001% does.
    let ids: Vec<&str> = a.fluctuations.iter().map(|f| f.customer.id.as_str()).collect();
    assert_eq!(ids, [jumpy.as_str()]);
    assert!(a.fluctuations[0].explanation.is_none());

    explain_fluctuation(&mut s.db.store, &actor(&s.org.manager), &jumpy, m(2026, 10), "新增季度账单").unwrap();
    let a = monthly(s.conn(), m(2026, 10), AnalysisScope::All, &StatusRules::default()).unwrap();
    assert_eq!(a.fluctuations[0].explanation.as_deref(), Some("新增季度账单"));
    assert_eq!(a.fluctuations[0].explained_by.as_deref(), Some("张伟"));
    let refused = explain_fluctuation(&mut s.db.store, &actor(&s.org.leader), &jumpy, m(2026, 10), "x");
    assert!(matches!(refused, Err(DbError::Refused(_))));
    assert_eq!(
        monthly(s.conn(), m(2026, 10), AnalysisScope::All, &StatusRules::default())
            .unwrap()
            .statuses
            .iter()
            .sum::<usize>(),
        4
    );
    assert_eq!(CustomerStatus::from_code(&status(&s, &big)), Some(CustomerStatus::Normal));
}

#[test]
fn a_month_without_last_year_has_no_year_on_year() {
    let mut s = Seeded::new();
    let letters = line_id(&s, "letters");
    let a = customer(&mut s, "丁");
    write(&mut s, &[entry(&a, m(2026, 9), letters, "10"), entry(&a, m(2026, 10), letters, "20")]);
    let x = monthly(s.conn(), m(2026, 10), AnalysisScope::All, &StatusRules::default()).unwrap();
    assert_eq!(x.headline.year_on_year(), None);
    assert_eq!(x.headline.month_on_month(), Some(rust_decimal::Decimal::ONE));
    assert_eq!(x.trend.len(), 24);
}

#[test]
fn check_finds_totals_out_of_step() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "戊");
    let letters = line_id(&s, "letters");
    write(&mut s, &[entry(&a, m(2026, 10), letters, "10")]);
    let report = kam::db::check::check(s.conn()).unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.schema_version, common::schema_version());
    // Another program bypassing kam's writes leaves the kept totals wrong: the check says so.
    s.conn().exec("UPDATE revenue_month SET amount = amount + 1", args![]).unwrap();
    s.conn().exec("UPDATE revenue_unit_line SET amount = amount + 1", args![]).unwrap();
    let report = kam::db::check::check(s.conn()).unwrap();
    assert_eq!((report.month_totals_off, report.unit_totals_off), (1, 1));
    assert!(!report.ok());
}
