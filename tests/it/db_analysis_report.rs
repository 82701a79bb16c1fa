//! The monthly analysis report (SPEC §13.4) in storage: drafts and their
//! history, the figures live in a draft and frozen on submission, who may
//! write, submit and reopen, and the rules the schema keeps itself.
//! Runs on both engines (listed in `both_engines::STORAGE`).

use crate::common;

use common::*;
use kam::db::DbError;
use kam::db::analysis::{AnalysisScope, monthly};
use kam::db::analysis_report::{self as report, ReportKey, WrittenTexts};
use kam::db::revenue::{RevenueEntry, write_entries_in};
use kam::db::sql::{Sql, args};
use kam::db::{Invalid, customers};
use kam::domain::analysis_report::{ReportKind, ReportStatus, WrittenPart};
use kam::domain::id::CustomerId;
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::Refusal;
use kam::domain::tier::TierPreset;

fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

fn key(s: &Seeded, month: Month) -> ReportKey {
    ReportKey { unit_id: s.org.unit, kind: ReportKind::Monthly, month }
}

fn texts(competition: &str) -> WrittenTexts {
    let mut t = WrittenTexts::default();
    t.set(WrittenPart::Competition, competition);
    t.set(WrittenPart::Plan, "走访前十名客户,落实续约");
    t
}

/// A customer of the seeded unit with `amount` yuan of letters revenue in each month.
fn customer_with_revenue(s: &mut Seeded, name: &str, months: &[(Month, &str)]) -> CustomerId {
    let manager = s.org.manager.clone();
    let nc = new_customer(name, &format!("广州{name}有限公司"), s.org.unit, manager.id);
    let id = customers::create(&mut s.db.store, &actor(&manager), &nc, TierPreset::GuangdongScore).unwrap();
    add_revenue(s, &id, months);
    id
}

fn add_revenue(s: &mut Seeded, id: &CustomerId, months: &[(Month, &str)]) {
    let line: i64 = s.conn().row("SELECT id FROM service_line WHERE code = 'letters'", args![], |r| r.get(0)).unwrap();
    let entries: Vec<RevenueEntry> = months
        .iter()
        .map(|(month, amount)| RevenueEntry {
            customer_id: id.clone(),
            month: *month,
            service_line_id: line,
            amount: yuan(amount),
        })
        .collect();
    let sup = actor(&s.org.supervisor);
    s.db.store.write(|tx| write_entries_in(tx, &sup, &entries)).unwrap();
}

fn history(s: &Seeded, field: &str) -> Vec<(Option<String>, Option<String>, i64)> {
    s.conn()
        .rows(
            "SELECT old_value, new_value, changed_by FROM history WHERE entity = 'analysis_report' AND field = ?1 \
             ORDER BY id",
            args![field],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

#[test]
fn a_draft_is_saved_with_its_history_and_keeps_no_figures() {
    let mut s = Seeded::new();
    let sup = s.org.supervisor.clone();
    let k = key(&s, m(2026, 11));
    assert_eq!(report::load(s.conn(), k).unwrap(), None);

    let v1 = report::save_draft(s.store(), &actor(&sup), k, &texts("顺丰在天河区降价一成"), None).unwrap();
    assert_eq!(v1, 1);
    let stored = report::load(s.conn(), k).unwrap().expect("stored");
    assert_eq!(stored.status, ReportStatus::Draft);
    assert_eq!(stored.texts.get(WrittenPart::Competition), "顺丰在天河区降价一成");
    assert_eq!(stored.figures, None, "a draft stores no figures");
    assert_eq!(stored.created_by, sup.name);

    let v2 = report::save_draft(s.store(), &actor(&sup), k, &texts("顺丰降价两成"), Some(v1)).unwrap();
    assert_eq!(v2, 2);
    assert_eq!(
        history(&s, "competition"),
        vec![
            (None, Some("顺丰在天河区降价一成".to_string()), sup.id),
            (Some("顺丰在天河区降价一成".to_string()), Some("顺丰降价两成".to_string()), sup.id),
        ]
    );
    assert_eq!(history(&s, "status"), vec![(None, Some("draft".to_string()), sup.id)]);
}

#[test]
fn a_draft_reads_the_ledger_as_it_stands_and_a_submitted_report_reads_the_same_later() {
    let mut s = Seeded::new();
    let sup = s.org.supervisor.clone();
    let id = customer_with_revenue(&mut s, "天河电信", &[(m(2026, 10), "10000"), (m(2026, 11), "12000")]);
    let k = key(&s, m(2026, 11));
    let rules = StatusRules::default();

    // The draft's figures are the monthly analysis of the unit, not a second computation.
    let draft = report::open(s.conn(), k, &rules).unwrap();
    let analysis = monthly(s.conn(), k.month, AnalysisScope::Unit(s.org.unit), &rules).unwrap();
    assert_eq!(draft.figures.headline.headline(), analysis.headline);
    assert_eq!(draft.figures.headline.month, yuan("12000"));
    assert_eq!(draft.figures.key_table.len(), analysis.key_table.len());
    assert_eq!(draft.figures.key_table[0].manager, s.org.manager.name);

    report::submit(s.store(), &actor(&sup), k, &texts("无新竞争者"), None, &rules).unwrap();
    let submitted = report::open(s.conn(), k, &rules).unwrap();
    assert_eq!(submitted.status(), ReportStatus::Submitted);
    assert!(submitted.frozen());
    let stored = submitted.stored.as_ref().unwrap();
    assert_eq!(stored.submitted_by.as_deref(), Some(sup.name.as_str()));
    assert!(stored.submitted_at.is_some());
    assert!(stored.figures.as_deref().is_some_and(|f| f.contains("12000")), "the snapshot is stored");

    // November corrected later: the submitted report still reads 12,000 …
    add_revenue(&mut s, &id, &[(m(2026, 11), "15000")]);
    let later = report::open(s.conn(), k, &rules).unwrap();
    assert_eq!(later.figures, submitted.figures);
    assert_eq!(later.figures.headline.month, yuan("12000"));
    // … while the ledger, and a draft of it, read the new total.
    assert_eq!(report::live_figures(s.conn(), k, &rules).unwrap().headline.month, yuan("15000"));
    // Submitting wrote the figures to the history, by the submitter.
    let figures = history(&s, "figures");
    assert_eq!(figures.len(), 1);
    assert_eq!(figures[0].2, sup.id);
}

#[test]
fn only_supervisors_of_the_unit_or_above_write_and_reopen_and_a_submitted_report_stays() {
    let mut s = Seeded::new();
    let (sup, manager, leader) = (s.org.supervisor.clone(), s.org.manager.clone(), s.org.leader.clone());
    let k = key(&s, m(2026, 11));
    let rules = StatusRules::default();

    for who in [&manager, &leader] {
        let refused = report::save_draft(s.store(), &actor(who), k, &texts("x"), None);
        assert!(matches!(refused, Err(DbError::Refused(Refusal::DecidedBy { .. }))), "{who:?}: {refused:?}");
    }
    assert_eq!(count(s.conn(), "analysis_report"), 0, "a refused write leaves nothing");

    // A supervisor of another unit decides nothing here.
    let other_unit = add_unit(s.store(), "440111", "440111");
    let stranger = kam::domain::staff::Staff { unit_id: other_unit, ..sup.clone() };
    let refused = report::save_draft(s.store(), &actor(&stranger), k, &texts("x"), None);
    assert!(matches!(refused, Err(DbError::Refused(_))), "{refused:?}");

    report::submit(s.store(), &actor(&sup), k, &texts("初稿"), None, &rules).unwrap();
    let version = report::load(s.conn(), k).unwrap().unwrap().version;

    // Submitted: no more edits, until reopened.
    let refused = report::save_draft(s.store(), &actor(&sup), k, &texts("改"), Some(version));
    assert!(matches!(refused, Err(DbError::Invalid(Invalid::ReportSubmitted))), "{refused:?}");
    // An account manager does not reopen it.
    let refused = report::reopen(s.store(), &actor(&manager), k, Some(version));
    assert!(matches!(refused, Err(DbError::Refused(_))), "{refused:?}");
    // A stale reopen (from an older version) is refused too.
    let refused = report::reopen(s.store(), &actor(&sup), k, Some(version - 1));
    assert!(matches!(refused, Err(DbError::Invalid(Invalid::ReportChanged))), "{refused:?}");

    report::reopen(s.store(), &actor(&sup), k, Some(version)).unwrap();
    let reopened = report::load(s.conn(), k).unwrap().unwrap();
    assert_eq!(reopened.status, ReportStatus::Draft);
    assert_eq!(
        history(&s, "status"),
        vec![
            (None, Some("draft".to_string()), sup.id),
            (Some("draft".to_string()), Some("submitted".to_string()), sup.id),
            (Some("submitted".to_string()), Some("draft".to_string()), sup.id),
        ],
        "created, submitted, reopened: each recorded with who"
    );
    // Reopened, it reads the ledger again and may be edited.
    report::save_draft(s.store(), &actor(&sup), k, &texts("改"), Some(reopened.version)).unwrap();
}

#[test]
fn a_save_from_a_stale_version_is_refused_and_changes_nothing() {
    let mut s = Seeded::new();
    let sup = s.org.supervisor.clone();
    let k = key(&s, m(2026, 10));
    report::save_draft(s.store(), &actor(&sup), k, &texts("第一人"), None).unwrap();
    // A second editor who opened the report before it existed.
    let refused = report::save_draft(s.store(), &actor(&sup), k, &texts("第二人"), None);
    assert!(matches!(refused, Err(DbError::Invalid(Invalid::ReportChanged))), "{refused:?}");
    let stored = report::load(s.conn(), k).unwrap().unwrap();
    assert_eq!(stored.texts.get(WrittenPart::Competition), "第一人");
    assert_eq!(stored.version, 1);
}

#[test]
fn the_schema_keeps_a_submitted_report_and_never_deletes_one() {
    let mut s = Seeded::new();
    let sup = s.org.supervisor.clone();
    let k = key(&s, m(2026, 9));
    report::submit(s.store(), &actor(&sup), k, &texts("定稿"), None, &StatusRules::default()).unwrap();
    for sql in [
        "UPDATE analysis_report SET competition = 'changed behind kam'",
        "UPDATE analysis_report SET figures = '{}'",
        "UPDATE analysis_report SET month = 202608",
        "DELETE FROM analysis_report",
    ] {
        let result = s.store().write(|tx| tx.exec(sql, args![]).map(|_| ()));
        assert!(result.is_err(), "{sql} must be refused");
    }
    let stored = report::load(s.conn(), k).unwrap().unwrap();
    assert_eq!(stored.texts.get(WrittenPart::Competition), "定稿");
    assert_eq!(stored.status, ReportStatus::Submitted);
}

#[test]
fn submitted_reports_are_listed_for_the_due_list() {
    let mut s = Seeded::new();
    let sup = s.org.supervisor.clone();
    let rules = StatusRules::default();
    let (october, november) = (key(&s, m(2026, 10)), key(&s, m(2026, 11)));
    report::submit(s.store(), &actor(&sup), october, &texts("a"), None, &rules).unwrap();
    report::save_draft(s.store(), &actor(&sup), november, &texts("b"), None).unwrap();
    let listed = report::submitted_since(s.conn(), &[s.org.unit], m(2026, 9)).unwrap();
    assert_eq!(listed, vec![key(&s, m(2026, 10))]);
    assert!(report::submitted_since(s.conn(), &[s.org.unit], m(2026, 11)).unwrap().is_empty());
}

fn set_tier(s: &mut Seeded, id: &CustomerId, tier: &str) {
    s.store()
        .write(|tx| tx.exec("UPDATE customer SET tier = ?1 WHERE id = ?2", args![tier, id.as_str()]).map(|_| ()))
        .unwrap();
}

#[test]
fn a_quarterly_report_covers_the_quarter_against_the_same_quarter_last_year() {
    use kam::db::period;
    use kam::domain::period::Period;
    let mut s = Seeded::new();
    let sup = s.org.supervisor.clone();
    let rules = StatusRules::default();
    let diamond = customer_with_revenue(
        &mut s,
        "天河电信",
        &[
            (m(2025, 7), "8000"),
            (m(2025, 9), "9000"),
            (m(2026, 6), "5000"),
            (m(2026, 7), "10000"),
            (m(2026, 8), "11000"),
            (m(2026, 9), "12000"),
        ],
    );
    let gold = customer_with_revenue(&mut s, "越秀银行", &[(m(2026, 8), "3000")]);
    let silver = customer_with_revenue(&mut s, "白云物流", &[(m(2025, 8), "700"), (m(2026, 9), "900")]);
    set_tier(&mut s, &diamond, "diamond");
    set_tier(&mut s, &gold, "gold");
    set_tier(&mut s, &silver, "silver");
    let k = ReportKey { unit_id: s.org.unit, kind: ReportKind::Quarterly, month: m(2026, 9) };
    let q3 = Period::new(m(2026, 7), m(2026, 9)).unwrap();
    assert_eq!(report::quarter_of(m(2026, 8)), q3);

    let draft = report::open(s.conn(), k, &rules).unwrap();
    let sum = period::summary(s.conn(), q3, AnalysisScope::Unit(s.org.unit)).unwrap();
    let h = draft.figures.headline;
    // The quarter's period sum, not September's monthly figure.
    assert_eq!(h.month, sum.all.current);
    assert_eq!(h.month, yuan("36900"));
    assert_ne!(h.month, monthly(s.conn(), m(2026, 9), AnalysisScope::Unit(s.org.unit), &rules).unwrap().headline.month);
    assert_eq!(h.same_month_last_year, sum.all.last_year);
    assert_eq!(h.same_month_last_year, yuan("17700"));
    assert_eq!(h.previous_month, yuan("5000"), "the quarter before");
    let q = draft.figures.quarter.as_ref().expect("a quarterly report has its quarter");
    assert_eq!((q.compared_customers, q.compared_current, q.compared_last_year), (2, yuan("33900"), yuan("17700")));
    assert_eq!(q.compared_customers, sum.compared_customers);
    let names: Vec<(&str, Option<_>, Option<_>)> =
        q.diamond_gold.iter().map(|r| (r.short_name.as_str(), r.current, r.last_year)).collect();
    assert_eq!(
        names,
        vec![("天河电信", Some(yuan("33000")), Some(yuan("17000"))), ("越秀银行", Some(yuan("3000")), Some(yuan("0")))],
        "diamond and gold only, largest first"
    );
    assert_eq!(q.diamond_gold[0].manager, s.org.manager.name);

    // A monthly report on September is September's.
    let monthly_report = report::open(s.conn(), key(&s, m(2026, 9)), &rules).unwrap();
    assert_eq!(monthly_report.figures.headline.month, yuan("12900"));
    assert_eq!(monthly_report.figures.quarter, None);

    // Submitted, the quarter is frozen with the report.
    report::submit(s.store(), &actor(&sup), k, &texts("钻石客户稳定"), None, &rules).unwrap();
    add_revenue(&mut s, &diamond, &[(m(2026, 8), "20000")]);
    let later = report::open(s.conn(), k, &rules).unwrap();
    assert!(later.frozen());
    assert_eq!(later.figures, draft.figures);
    assert_eq!(report::live_figures(s.conn(), k, &rules).unwrap().headline.month, yuan("45900"));
}
