//! Issue 17, the appraisal in storage: dated rules and terms, entries with a
//! reason each (a rank replacing the live one, archiving kept in the
//! history), who writes and who reads them (on PostgreSQL the database
//! itself refuses), a unit's month end that freezes entries and sheets and
//! is reopened by a supervisor with a reason, the debts late money reads,
//! and `kam import receivables`. Runs on both engines (listed in
//! `both_engines::STORAGE`).

use rust_decimal::Decimal;

use crate::common;
use crate::ledger_status::as_own_login;

use common::*;
use kam::cli::ImportKind;
use kam::commands::CommandEnv;
use kam::commands::import::{bad_row_text, import_bytes};
use kam::db::appraisal::{self as appraisal, AppraisalProblem, CloseStatus, EntryKind, NewEntry, NewReceivable, Terms};
use kam::db::reference::{self, NewStaff};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Invalid, customers};
use kam::domain::appraisal::settings::AppraisalSettings;
use kam::domain::id::CustomerId;
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::{Refusal, Role, Staff};
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;

fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

/// The seeded organisation with an administrator (login `guanli`) in its unit.
fn office() -> (Seeded, Staff) {
    let mut s = Seeded::new();
    let unit = s.org.unit;
    let new = NewStaff { login: Some("guanli"), name: "管理员", unit_id: unit, role: Role::Admin, phone: None };
    let id = s.store().write(|tx| reference::insert_staff(tx, &new)).unwrap();
    let admin = Staff { id, login: Some("guanli".into()), name: "管理员".into(), unit_id: unit, role: Role::Admin };
    (s, admin)
}

fn problem<T: std::fmt::Debug>(r: Result<T, DbError>) -> AppraisalProblem {
    match r {
        Err(DbError::Invalid(Invalid::Appraisal(p))) => p,
        other => panic!("expected an appraisal problem, got {other:?}"),
    }
}

fn refused<T: std::fmt::Debug>(r: Result<T, DbError>) -> Refusal {
    match r {
        Err(DbError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn entry(staff: &Staff, month: Month, kind: EntryKind, count: u32, reason: &str) -> NewEntry {
    NewEntry { staff_id: staff.id, month, kind, count, points: None, amount: None, reason: reason.into() }
}

fn history(s: &Seeded, entity: &str, field: &str) -> Vec<(Option<String>, Option<String>, i64)> {
    s.conn()
        .rows(
            "SELECT old_value, new_value, changed_by FROM history WHERE entity = ?1 AND field = ?2 ORDER BY id",
            args![entity, field],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn some(text: &str) -> Option<String> {
    Some(text.to_string())
}

#[test]
fn rules_are_dated_versions_the_administrator_sets_once() {
    let (mut s, admin) = office();
    assert_eq!(appraisal::rules_in_force(s.conn(), m(2026, 10)).unwrap(), AppraisalSettings::default());

    let mut raised = AppraisalSettings { effective_from: m(2026, 7), ..AppraisalSettings::default() };
    raised.commission.rates.insert("letters".into(), Decimal::new(3, 2));
    let sup = actor(&s.org.supervisor);
    assert_eq!(refused(appraisal::set_rules(s.store(), &sup, &raised)), Refusal::AdministratorOnly);
    appraisal::set_rules(s.store(), &actor(&admin), &raised).unwrap();

    assert_eq!(appraisal::rules_versions(s.conn()).unwrap(), vec![raised.clone()]);
    assert_eq!(appraisal::rules_in_force(s.conn(), m(2026, 6)).unwrap(), AppraisalSettings::default());
    assert_eq!(appraisal::rules_in_force(s.conn(), m(2026, 9)).unwrap(), raised);

    // A version is never changed: another of the same month is refused, and
    // rules that do not hold together are refused before anything is written.
    assert_eq!(
        problem(appraisal::set_rules(s.store(), &actor(&admin), &raised)),
        AppraisalProblem::RulesExist(m(2026, 7))
    );
    let mut broken = AppraisalSettings { effective_from: m(2026, 8), ..AppraisalSettings::default() };
    broken.sheet.plans.max = Decimal::from(6);
    assert!(matches!(problem(appraisal::set_rules(s.store(), &actor(&admin), &broken)), AppraisalProblem::Rules(_)));
    assert_eq!(count(s.conn(), "appraisal_rules"), 1);
    let update = s.store().write(|tx| tx.exec("UPDATE appraisal_rules SET rules = '{}'", args![]));
    assert!(update.is_err(), "the schema keeps a version as it was written");

    let stored = history(&s, "appraisal_rules", "effective_from");
    assert_eq!(stored, vec![(None, some("202607"), admin.id)]);
}

#[test]
fn terms_are_dated_per_manager_and_changed_with_history() {
    let (mut s, admin) = office();
    let (manager, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let terms = Terms {
        fixed_base: yuan("1500"),
        task: yuan("200000"),
        monthly_standard: yuan("150000"),
        ..Default::default()
    };
    appraisal::set_terms(s.store(), &actor(&sup), manager.id, m(2026, 7), &terms).unwrap();
    assert_eq!(appraisal::terms_for(s.conn(), manager.id, m(2026, 6)).unwrap(), None);
    assert_eq!(appraisal::terms_for(s.conn(), manager.id, m(2026, 9)).unwrap(), Some(terms));

    // The same month again: changed in place, old and new in the history.
    let corrected = Terms { fixed_base: yuan("1600"), ..terms };
    appraisal::set_terms(s.store(), &actor(&admin), manager.id, m(2026, 7), &corrected).unwrap();
    assert_eq!(
        history(&s, "appraisal_terms", "fixed_base"),
        vec![(None, some("150000"), sup.id), (some("150000"), some("160000"), admin.id)]
    );
    assert_eq!(count(s.conn(), "history WHERE entity = 'appraisal_terms' AND field = 'task'"), 1, "only what changed");

    // A later version governs from its month on.
    let october = Terms { task: yuan("250000"), ..corrected };
    appraisal::set_terms(s.store(), &actor(&sup), manager.id, m(2026, 10), &october).unwrap();
    assert_eq!(appraisal::terms_for(s.conn(), manager.id, m(2026, 9)).unwrap(), Some(corrected));
    assert_eq!(appraisal::terms_for(s.conn(), manager.id, m(2026, 11)).unwrap(), Some(october));
    assert_eq!(appraisal::terms_versions(s.conn(), manager.id).unwrap().len(), 2);

    // Terms are for account managers, set by those who decide for their unit.
    for who in [&manager, &s.org.manager2, &s.org.leader] {
        let r = appraisal::set_terms(&mut s.db.store, &actor(who), manager.id, m(2026, 12), &terms);
        assert!(matches!(refused(r), Refusal::DecidedBy { .. }));
    }
    let r = appraisal::set_terms(s.store(), &actor(&sup), sup.id, m(2026, 12), &terms);
    assert_eq!(problem(r), AppraisalProblem::NotAManager(sup.name.clone()));
}

#[test]
fn entries_are_read_by_the_manager_the_units_supervisors_and_leaders_only() {
    let (mut s, admin) = office();
    let (manager, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let e = entry(&manager, m(2026, 10), EntryKind::MeetingAbsence, 2, "  10月8日、10月15日晨会无故缺席 ");
    let id = appraisal::add_entry(s.store(), &actor(&sup), &e).unwrap();

    for viewer in [&manager, &sup, &s.org.leader, &admin] {
        let got = appraisal::entries(s.conn(), viewer, manager.id, m(2026, 10)).unwrap();
        assert_eq!(got.len(), 1, "{} reads the entry", viewer.name);
        let got = &got[0];
        assert_eq!((got.id, got.kind, got.count, got.points), (id, EntryKind::MeetingAbsence, 2, None));
        assert_eq!(got.reason, "10月8日、10月15日晨会无故缺席", "stored trimmed");
        assert_eq!((got.entered_by.as_str(), got.entered_by_id), (sup.name.as_str(), sup.id));
        assert_eq!(got.entered_at, fixed_now());
    }
    assert!(appraisal::entries(s.conn(), &s.org.manager2, manager.id, m(2026, 10)).unwrap().is_empty());
    assert!(!appraisal::may_read(s.conn(), &s.org.manager2, manager.id).unwrap());
    assert!(appraisal::entries(s.conn(), &sup, manager.id, m(2026, 11)).unwrap().is_empty(), "another month");
    let kinds: Vec<String> = s.conn().rows("SELECT kind FROM appraisal_entry", args![], |r| r.get(0)).unwrap();
    assert_eq!(kinds, ["meeting-absence"], "stored by its code");
    assert_eq!(EntryKind::from_code("meeting-absence"), Some(EntryKind::MeetingAbsence));
    // Every kind reads in both languages, each its own words.
    let labels: std::collections::BTreeSet<(&str, &str)> =
        EntryKind::ALL.iter().map(|k| kam::i18n::entry_kind_label(*k)).collect();
    assert_eq!(labels.len(), EntryKind::ALL.len());
    assert!(labels.iter().all(|(zh, en)| !zh.is_ascii() && en.is_ascii()));
}

#[test]
fn a_rank_entry_replaces_the_live_rank_and_points_follow_the_rules() {
    let (mut s, _) = office();
    let (manager, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let oct = m(2026, 10);
    let a = actor(&sup);
    appraisal::add_entry(s.store(), &a, &entry(&manager, oct, EntryKind::BehaviourRank, 2, "主任与同事评议第二"))
        .unwrap();
    appraisal::add_entry(s.store(), &a, &entry(&manager, oct, EntryKind::LeaderTasksRank, 1, "交办任务按时完成"))
        .unwrap();
    let lower =
        NewEntry { points: Some(Decimal::from(5)), ..entry(&manager, oct, EntryKind::BehaviourRank, 3, "复议后") };
    appraisal::add_entry(s.store(), &a, &lower).unwrap();

    let live = appraisal::entries(s.conn(), &sup, manager.id, oct).unwrap();
    let ranks: Vec<(EntryKind, u32, Option<Decimal>)> = live.iter().map(|e| (e.kind, e.count, e.points)).collect();
    assert_eq!(
        ranks,
        [(EntryKind::LeaderTasksRank, 1, None), (EntryKind::BehaviourRank, 3, Some(Decimal::from(5)))],
        "one live rank per item: the second behaviour rank archived the first"
    );
    assert_eq!(count(s.conn(), "appraisal_entry WHERE kind = 'behaviour-rank' AND archived_by IS NOT NULL"), 1);

    // The rules of the month set what a rank and its points may be.
    let bad = |count: u32, points: Option<i64>, kind: EntryKind| NewEntry {
        points: points.map(Decimal::from),
        ..entry(&manager, oct, kind, count, "评议")
    };
    let cases = [
        (bad(3, None, EntryKind::BehaviourRank), AppraisalProblem::PointsRequired),
        (bad(3, Some(7), EntryKind::LeaderTasksRank), AppraisalProblem::PointsOverCap(Decimal::from(6))),
        (bad(4, None, EntryKind::BehaviourRank), AppraisalProblem::RankOutOfRange),
        (bad(0, None, EntryKind::BehaviourRank), AppraisalProblem::RankOutOfRange),
        (bad(1, Some(10), EntryKind::BehaviourRank), AppraisalProblem::PointsNotAllowed),
        (bad(1, Some(2), EntryKind::MeetingLate), AppraisalProblem::PointsNotAllowed),
        (bad(1, None, EntryKind::BonusOther), AppraisalProblem::PointsRequired),
        (bad(1, Some(-2), EntryKind::BonusOther), AppraisalProblem::PointsNegative),
    ];
    for (e, want) in cases {
        assert_eq!(problem(appraisal::add_entry(s.store(), &a, &e)), want, "{e:?}");
    }
    let bonus = NewEntry {
        points: Some(Decimal::new(15, 1)),
        ..entry(&manager, oct, EntryKind::BonusOther, 1, "协助破获买件")
    };
    appraisal::add_entry(s.store(), &a, &bonus).unwrap();
    assert_eq!(count(s.conn(), "appraisal_entry WHERE archived_at IS NULL"), 3);
    assert_eq!(count(s.conn(), "appraisal_entry WHERE points = '1.5'"), 1);
}

#[test]
fn archiving_an_entry_keeps_it_in_the_history() {
    let (mut s, _) = office();
    let (manager, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let id = appraisal::add_entry(
        s.store(),
        &actor(&sup),
        &entry(&manager, m(2026, 10), EntryKind::ViolationBuyingPieces, 1, "10月12日买件冲量"),
    )
    .unwrap();
    let later = actor_at(&sup, at(2026, 11, 24, 10, 0));
    appraisal::archive_entry(s.store(), &later, id).unwrap();
    assert!(appraisal::entries(s.conn(), &sup, manager.id, m(2026, 10)).unwrap().is_empty());
    assert_eq!(count(s.conn(), "appraisal_entry"), 1, "archived, not deleted");
    assert_eq!(history(&s, "appraisal_entry", "reason"), vec![(None, some("10月12日买件冲量"), sup.id)]);
    assert_eq!(history(&s, "appraisal_entry", "kind"), vec![(None, some("violation-buying-pieces"), sup.id)]);
    assert_eq!(history(&s, "appraisal_entry", "archived"), vec![(some("0"), some("1"), sup.id)]);

    assert_eq!(problem(appraisal::archive_entry(s.store(), &later, id)), AppraisalProblem::EntryArchived);
    assert!(matches!(appraisal::archive_entry(s.store(), &later, id + 100), Err(DbError::NotFound)));
    let manager_tries = appraisal::archive_entry(s.store(), &actor(&manager), id);
    assert!(matches!(refused(manager_tries), Refusal::DecidedBy { .. }));
    // The schema keeps it: never deleted, never rewritten.
    assert!(s.store().write(|tx| tx.exec("DELETE FROM appraisal_entry", args![])).is_err());
    assert!(s.store().write(|tx| tx.exec("UPDATE appraisal_entry SET reason = '改写'", args![])).is_err());
}

#[test]
fn an_entry_without_a_reason_is_refused_and_nothing_is_written() {
    let (mut s, _) = office();
    let (manager, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    for reason in ["", "   ", "\u{200b}"] {
        let e = entry(&manager, m(2026, 10), EntryKind::TrainingAbsence, 1, reason);
        assert_eq!(problem(appraisal::add_entry(s.store(), &actor(&sup), &e)), AppraisalProblem::ReasonRequired);
    }
    assert_eq!(count(s.conn(), "appraisal_entry"), 0);
    assert_eq!(count(s.conn(), "history WHERE entity = 'appraisal_entry'"), 0);
    let raw = s.store().write(|tx| {
        tx.exec(
            "INSERT INTO appraisal_entry (staff_id, month, kind, count, reason, entered_by, entered_at) \
             VALUES (?1, 202610, 'failed-exam', 1, '  ', ?2, '2026-11-23 09:00:00')",
            args![manager.id, sup.id],
        )
    });
    assert!(raw.is_err(), "the schema refuses a blank reason too");
}

#[test]
fn managers_and_leaders_write_no_entries_or_terms_and_on_a_server_the_database_refuses_them() {
    let (mut s, admin) = office();
    let (manager, manager2, sup, leader) =
        (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone(), s.org.leader.clone());
    let e = entry(&manager, m(2026, 10), EntryKind::MeetingLate, 1, "10月9日迟到");
    let unit = s.org.unit;
    for who in [&manager, &manager2, &leader] {
        assert!(matches!(refused(appraisal::add_entry(s.store(), &actor(who), &e)), Refusal::DecidedBy { .. }));
        let sheets = appraisal::close_month(s.store(), &actor(who), unit, m(2026, 10), &[]);
        assert!(matches!(refused(sheets), Refusal::DecidedBy { .. }));
    }
    assert_eq!(count(s.conn(), "appraisal_entry"), 0);

    // The supervisor's own session writes it (the server's rules let them).
    // The supervisor's own session writes it all (the server's rules let them),
    // and the manager's own session their customer's receivable.
    let mut own = as_own_login(&s.db, &sup);
    let a = actor(&sup);
    appraisal::add_entry(&mut own, &a, &e).unwrap();
    let terms =
        Terms { fixed_base: yuan("1500"), task: yuan("0"), monthly_standard: yuan("100000"), ..Default::default() };
    appraisal::set_terms(&mut own, &a, manager.id, m(2026, 9), &terms).unwrap();
    appraisal::close_month(&mut own, &a, unit, m(2026, 9), &[(manager.id, "{}".into())]).unwrap();
    appraisal::reopen_month(&mut own, &a, unit, m(2026, 9), "重新核对").unwrap();
    appraisal::close_month(&mut own, &a, unit, m(2026, 9), &[(manager.id, "{\"v\":2}".into())]).unwrap();
    let customer = customer_of(&mut s, &manager, "甲");
    let line = letters(&s);
    let mut mine = as_own_login(&s.db, &manager);
    let owed = receivable(&customer, m(2026, 9), line, "100", None);
    appraisal::set_receivable(&mut mine, &actor(&manager), &owed).unwrap();
    appraisal::mark_paid(&mut mine, &actor(&manager), &customer, m(2026, 9), line, date(2026, 11, 2)).unwrap();
    if !on_postgres() {
        return;
    }
    // Plain SQL as the account manager's own login: the database refuses.
    let raw_entry = mine.conn().exec(
        "INSERT INTO appraisal_entry (staff_id, month, kind, count, reason, entered_by, entered_at) \
         VALUES (?1, 202610, 'bonus-city-case', 1, '自己加分', ?1, now())",
        args![manager.id],
    );
    let raw_terms = mine.conn().exec(
        "INSERT INTO appraisal_terms (staff_id, effective_from, fixed_base, task, monthly_standard, set_by, set_at) \
         VALUES (?1, 202610, 99999900, 0, 0, ?1, now())",
        args![manager.id],
    );
    let raw_sheet = mine.conn().exec(
        "INSERT INTO appraisal_sheet (month, staff_id, unit_id, result, frozen_by, frozen_at) \
         VALUES (202608, ?1, ?2, '{}', ?1, now())",
        args![manager.id, unit],
    );
    for (what, r) in [("entry", raw_entry), ("terms", raw_terms), ("sheet", raw_sheet)] {
        assert!(
            matches!(&r, Err(DbError::Engine(e)) if e.sql_state() == Some("42501")),
            "the manager's own {what}: {r:?}"
        );
    }
    // Reading: the manager sees their own entries, a colleague none of them.
    let seen = |store: &kam::db::Store| count(store.conn(), "appraisal_entry");
    assert_eq!(seen(&mine), 1);
    assert_eq!(seen(&as_own_login(&s.db, &manager2)), 0);
    assert_eq!(seen(&as_own_login(&s.db, &leader)), 1);
    assert_eq!(seen(&as_own_login(&s.db, &admin)), 1);
}

#[test]
fn a_closed_month_refuses_entries_and_sheet_edits_and_nothing_is_half_written() {
    let (mut s, admin) = office();
    let (manager, manager2, sup) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone());
    let (unit, oct) = (s.org.unit, m(2026, 10));
    let id = appraisal::add_entry(
        s.store(),
        &actor(&sup),
        &entry(&manager, oct, EntryKind::FailedExam, 1, "10月考试不及格"),
    )
    .unwrap();
    assert_eq!(appraisal::closure(s.conn(), unit, oct).unwrap(), None);
    let sheets = vec![(manager.id, r#"{"score":"92"}"#.to_string()), (manager2.id, r#"{"score":"78.5"}"#.to_string())];
    appraisal::close_month(s.store(), &actor(&sup), unit, oct, &sheets).unwrap();
    let closed = appraisal::closure(s.conn(), unit, oct).unwrap().expect("closed");
    assert_eq!(
        (closed.status, closed.by.as_str(), closed.reason, closed.version),
        (CloseStatus::Closed, sup.name.as_str(), None, 1)
    );
    assert_eq!(appraisal::frozen_sheets(s.conn(), &sup, unit, oct).unwrap(), sheets);
    assert_eq!(
        appraisal::frozen_sheets(s.conn(), &manager, unit, oct).unwrap(),
        sheets[..1].to_vec(),
        "one's own only"
    );
    assert_eq!(appraisal::frozen_sheet(s.conn(), &manager2, manager.id, oct).unwrap(), None);
    assert_eq!(appraisal::frozen_sheet(s.conn(), &admin, manager2.id, oct).unwrap(), Some(sheets[1].1.clone()));

    // Entries of the closed month are refused, by kam and by the schema.
    let closed_problem = AppraisalProblem::MonthClosed { unit: "天河区分公司大客户中心".into(), month: oct };
    let late = entry(&manager, oct, EntryKind::MeetingLate, 1, "补录");
    assert_eq!(problem(appraisal::add_entry(s.store(), &actor(&sup), &late)), closed_problem);
    assert_eq!(problem(appraisal::archive_entry(s.store(), &actor(&admin), id)), closed_problem);
    let raw = s.store().write(|tx| {
        tx.exec(
            "INSERT INTO appraisal_entry (staff_id, month, kind, count, reason, entered_by, entered_at) \
             VALUES (?1, 202610, 'meeting-late', 1, '补录', ?2, '2026-11-23 09:00:00')",
            args![manager.id, sup.id],
        )
    });
    assert!(raw.is_err(), "the schema refuses an entry of a closed month");
    let raw = s.store().write(|tx| {
        tx.exec("UPDATE appraisal_entry SET archived_by = ?1, archived_at = '2026-11-23 09:00:00'", args![sup.id])
    });
    assert!(raw.is_err(), "the schema refuses archiving in a closed month");
    let raw = s
        .store()
        .write(|tx| tx.exec("UPDATE appraisal_sheet SET result = '{}' WHERE staff_id = ?1", args![manager.id]));
    assert!(raw.is_err(), "the schema keeps a frozen sheet");
    assert_eq!(count(s.conn(), "appraisal_entry"), 1);
    assert_eq!(appraisal::frozen_sheet(s.conn(), &sup, manager.id, oct).unwrap(), Some(sheets[0].1.clone()));
    // Other months are open.
    appraisal::add_entry(
        s.store(),
        &actor(&sup),
        &entry(&manager, m(2026, 11), EntryKind::MeetingLate, 1, "11月2日迟到"),
    )
    .unwrap();

    // A close that fails part-way (a sheet naming no one) leaves nothing behind.
    let dec = m(2026, 12);
    let broken = vec![(manager.id, "{}".to_string()), (manager.id + 1_000, "{}".to_string())];
    let r = appraisal::close_month(s.store(), &actor(&sup), unit, dec, &broken);
    assert!(matches!(r, Err(DbError::Invalid(Invalid::Constraint(_)))), "{r:?}");
    assert_eq!(count(s.conn(), "appraisal_sheet WHERE month = 202612"), 0);
    assert_eq!(appraisal::closure(s.conn(), unit, dec).unwrap(), None);
}

#[test]
fn closing_twice_is_refused_and_changes_nothing() {
    let (mut s, admin) = office();
    let (manager, sup, unit, oct) = (s.org.manager.clone(), s.org.supervisor.clone(), s.org.unit, m(2026, 10));
    appraisal::close_month(s.store(), &actor(&admin), unit, oct, &[(manager.id, "first".into())]).unwrap();
    let again = appraisal::close_month(s.store(), &actor(&sup), unit, oct, &[(manager.id, "second".into())]);
    assert!(matches!(problem(again), AppraisalProblem::MonthClosed { .. }));
    assert_eq!(appraisal::frozen_sheet(s.conn(), &sup, manager.id, oct).unwrap().as_deref(), Some("first"));
    assert_eq!(appraisal::closure(s.conn(), unit, oct).unwrap().unwrap().by, admin.name);
}

/// The next month's carry is read from a frozen sheet inside the database
/// (issue 19: the sheet, with its records, is not brought over), as the
/// sheet's readers may read it.
#[test]
fn the_carry_out_of_a_frozen_sheet_is_read_without_the_sheet() {
    let (mut s, admin) = office();
    let (manager, sup, unit, oct) = (s.org.manager.clone(), s.org.supervisor.clone(), s.org.unit, m(2026, 10));
    assert_eq!(appraisal::frozen_carry_out(s.conn(), &sup, manager.id, oct).unwrap(), None, "nothing frozen");
    let sheet = r#"{"evidence":[{"record":"logs"}],"appraisal":{"sheet":{},"pay":{"late_money":{"carry_in":"0","carry_out":"1234.5"}}}}"#;
    appraisal::close_month(s.store(), &actor(&admin), unit, oct, &[(manager.id, sheet.into())]).unwrap();
    for who in [&sup, &manager] {
        assert_eq!(appraisal::frozen_carry_out(s.conn(), who, manager.id, oct).unwrap().as_deref(), Some("1234.5"));
    }
    assert_eq!(appraisal::frozen_carry_out(s.conn(), &sup, manager.id, m(2026, 9)).unwrap(), None, "another month");
}

#[test]
fn reopening_is_a_supervisors_recorded_decision_not_the_administrators() {
    let (mut s, admin) = office();
    let (manager, sup, unit, oct) = (s.org.manager.clone(), s.org.supervisor.clone(), s.org.unit, m(2026, 10));
    assert!(matches!(
        problem(appraisal::reopen_month(s.store(), &actor(&sup), unit, oct, "未结账")),
        AppraisalProblem::MonthNotClosed { .. }
    ));
    appraisal::close_month(s.store(), &actor(&sup), unit, oct, &[(manager.id, "v1".into())]).unwrap();

    for who in [&admin, &manager, &s.org.leader] {
        let r = appraisal::reopen_month(&mut s.db.store, &actor(who), unit, oct, "更正");
        assert!(matches!(refused(r), Refusal::DecidedBy { .. }), "{} may not reopen", who.name);
    }
    assert_eq!(
        problem(appraisal::reopen_month(s.store(), &actor(&sup), unit, oct, "  ")),
        AppraisalProblem::ReasonRequired
    );
    assert_eq!(appraisal::closure(s.conn(), unit, oct).unwrap().unwrap().status, CloseStatus::Closed);
    if on_postgres() {
        // The administrator's own login cannot reopen it with plain SQL either.
        let own = as_own_login(&s.db, &admin);
        let r = own.conn().exec(
            "UPDATE appraisal_close SET status = 'open', reason = '更正', decided_by = ?1, decided_at = now(), \
             version = version + 1 WHERE unit_id = ?2 AND month = 202610",
            args![admin.id, unit],
        );
        assert!(matches!(&r, Err(DbError::Engine(e)) if e.sql_state() == Some("42501")), "{r:?}");
    }

    let later = actor_at(&sup, at(2026, 11, 25, 16, 0));
    appraisal::reopen_month(s.store(), &later, unit, oct, "晨会缺勤记错了人").unwrap();
    let open = appraisal::closure(s.conn(), unit, oct).unwrap().unwrap();
    assert_eq!((open.status, open.reason.as_deref(), open.version), (CloseStatus::Open, Some("晨会缺勤记错了人"), 2));
    assert_eq!(open.at, at(2026, 11, 25, 16, 0));
    assert_eq!(
        history(&s, "appraisal_close", "status"),
        vec![(None, some("closed"), sup.id), (some("closed"), some("open"), sup.id)]
    );
    assert_eq!(history(&s, "appraisal_close", "reason"), vec![(None, some("晨会缺勤记错了人"), sup.id)]);

    // Open again: entries may change, and closing again replaces the sheet
    // (the history keeps the first).
    appraisal::add_entry(s.store(), &actor(&sup), &entry(&manager, oct, EntryKind::MeetingAbsence, 1, "10月8日缺席"))
        .unwrap();
    appraisal::close_month(s.store(), &actor(&admin), unit, oct, &[(manager.id, "v2".into())]).unwrap();
    assert_eq!(appraisal::frozen_sheet(s.conn(), &sup, manager.id, oct).unwrap().as_deref(), Some("v2"));
    assert_eq!(
        history(&s, "appraisal_sheet", "result"),
        vec![(None, some("v1"), sup.id), (some("v1"), some("v2"), admin.id)]
    );
    let closed = appraisal::closure(s.conn(), unit, oct).unwrap().unwrap();
    assert_eq!((closed.status, closed.reason, closed.version), (CloseStatus::Closed, None, 3));
}

/// A customer of `owner` with letters as its line.
fn customer_of(s: &mut Seeded, owner: &Staff, name: &str) -> CustomerId {
    let nc = new_customer(name, &format!("广州{name}有限公司"), s.org.unit, owner.id);
    customers::create(&mut s.db.store, &actor(owner), &nc, TierPreset::GuangdongScore).unwrap()
}

fn letters(s: &Seeded) -> i64 {
    s.conn().row("SELECT id FROM service_line WHERE code = 'letters'", args![], |r| r.get(0)).unwrap()
}

fn receivable(
    customer: &CustomerId,
    month: Month,
    line: i64,
    unpaid: &str,
    paid_on: Option<(i32, u32, u32)>,
) -> NewReceivable {
    NewReceivable {
        customer_id: customer.clone(),
        month,
        service_line_id: line,
        unpaid: yuan(unpaid),
        paid_on: paid_on.map(|(y, mo, d)| date(y, mo, d)),
    }
}

#[test]
fn a_managers_debts_are_unpaid_money_not_paid_by_the_months_last_day() {
    let (mut s, _) = office();
    let (manager, manager2) = (s.org.manager.clone(), s.org.manager2.clone());
    let mine = customer_of(&mut s, &manager, "甲");
    let theirs = customer_of(&mut s, &manager2, "乙");
    let line = letters(&s);
    let a = actor(&manager);
    for r in [
        receivable(&mine, m(2026, 6), line, "1000", Some((2026, 10, 31))),
        receivable(&mine, m(2026, 7), line, "500", Some((2026, 11, 1))),
        receivable(&mine, m(2026, 8), line, "0", None),
        receivable(&mine, m(2026, 9), line, "300", None),
        receivable(&mine, m(2026, 11), line, "200", None),
    ] {
        appraisal::set_receivable(s.store(), &a, &r).unwrap();
    }
    appraisal::set_receivable(s.store(), &actor(&manager2), &receivable(&theirs, m(2026, 5), line, "900", None))
        .unwrap();

    let owed = |s: &Seeded, month: Month| -> Vec<(Month, i64)> {
        appraisal::debts_of_manager(s.conn(), manager.id, month)
            .unwrap()
            .iter()
            .map(|d| {
                assert_eq!((d.customer.as_str(), d.line.as_str()), (mine.as_str(), "letters"));
                (d.revenue_month, d.unpaid.to_fen())
            })
            .collect()
    };
    // Paid on October's last day: no debt in October; paid the day after: one.
    assert_eq!(owed(&s, m(2026, 10)), [(m(2026, 7), 50_000), (m(2026, 9), 30_000)]);
    assert_eq!(owed(&s, m(2026, 11)), [(m(2026, 9), 30_000), (m(2026, 11), 20_000)]);

    // A payment recorded later, in the history; a colleague may not record it.
    let r = appraisal::mark_paid(s.store(), &actor(&manager2), &mine, m(2026, 9), line, date(2026, 10, 20));
    assert_eq!(refused(r), Refusal::NotYourCustomer);
    appraisal::mark_paid(s.store(), &a, &mine, m(2026, 9), line, date(2026, 10, 20)).unwrap();
    assert_eq!(owed(&s, m(2026, 10)), [(m(2026, 7), 50_000)]);
    assert_eq!(
        history(&s, "receivable", "paid_on"),
        vec![
            (None, some("2026-10-31"), manager.id),
            (None, some("2026-11-01"), manager.id),
            (None, some("2026-10-20"), manager.id),
        ]
    );
    assert!(matches!(
        appraisal::mark_paid(s.store(), &a, &mine, m(2026, 3), line, date(2026, 10, 20)),
        Err(DbError::NotFound)
    ));
    let future = receivable(&mine, m(2026, 10), line, "10", Some((2026, 11, 24)));
    assert_eq!(problem(appraisal::set_receivable(s.store(), &a, &future)), AppraisalProblem::PaidInFuture);
    assert_eq!(appraisal::receivables_of(s.conn(), &mine).unwrap().len(), 5);
    assert!(s.store().write(|tx| tx.exec("DELETE FROM receivable", args![])).is_err(), "never deleted");
}

fn env_as(s: &Seeded, staff: &Staff) -> CommandEnv {
    let store = s.db.reopen();
    let reference = reference::load(store.conn()).unwrap();
    CommandEnv {
        store,
        actor: actor(staff),
        reference,
        lang: Lang::Zh,
        preset: TierPreset::GuangdongScore,
        rules: StatusRules::default(),
    }
}

#[test]
fn the_receivables_import_is_all_or_nothing_idempotent_and_a_dry_run_writes_nothing() {
    let (mut s, _) = office();
    let manager = s.org.manager.clone();
    let (a, b) = (customer_of(&mut s, &manager, "甲"), customer_of(&mut s, &manager, "乙"));
    let sup = s.org.supervisor.clone();
    let file = format!(
        "客户编号,客户名称,月份,业务,未收金额(元),收款日期\n{a},甲,2026-06,函件,\"1,200.50\",\n\
         {b},乙,2026年7月,函件,300,2026/11/2\n"
    );
    let import = |s: &Seeded, bytes: &str, dry: bool| {
        import_bytes(&mut env_as(s, &sup), ImportKind::Receivables, bytes.as_bytes(), dry).unwrap()
    };
    let dry = import(&s, &file, true);
    assert!(dry.bad.is_empty(), "{:?}", dry.bad);
    assert_eq!(dry.report.counts.inserted, 2);
    assert_eq!(count(s.conn(), "receivable"), 0, "a dry run writes nothing");

    let done = import(&s, &file, false);
    assert_eq!((done.report.counts.inserted, done.report.counts.updated), (2, 0));
    assert_eq!(appraisal::debts_of_manager(s.conn(), manager.id, m(2026, 10)).unwrap().len(), 2);
    let again = import(&s, &file, false);
    assert_eq!((again.report.counts.inserted, again.report.counts.unchanged), (0, 2), "a re-import changes nothing");
    let history_rows = count(s.conn(), "history WHERE entity = 'receivable'");

    // One good change and every bad line: nothing written, each line named.
    let bad = format!(
        "客户编号,月份,业务,未收金额,收款日期\n{a},2026-06,函件,0,2026-11-20\n44010600099999,2026-06,函件,5,\n\
         {a},2026-06,包裹,5,\n{b},2026-07,函件,1.234,\n"
    );
    let refused = import(&s, &bad, false);
    let lines: Vec<usize> = refused.bad.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4, 5], "{:?}", refused.bad);
    let said: Vec<String> = refused.bad.iter().map(|r| bad_row_text(Lang::Zh, r)).collect();
    assert!(said[0].contains("44010600099999"), "{said:?}");
    assert!(said[1].contains("包裹"), "{said:?}");
    assert_eq!(count(s.conn(), "history WHERE entity = 'receivable'"), history_rows, "nothing written");
    let unpaid: i64 =
        s.conn().row("SELECT unpaid FROM receivable WHERE customer_id = ?1", args![a.as_str()], |r| r.get(0)).unwrap();
    assert_eq!(unpaid, 120_050);

    // The good change alone goes in; account managers do not import.
    let paid = format!("客户编号,月份,业务,未收金额,收款日期\n{a},2026-06,函件,1200.50,2026-11-20\n");
    assert_eq!(import(&s, &paid, false).report.counts.updated, 1);
    // Both paid in November: debts in October, none in November.
    assert_eq!(appraisal::debts_of_manager(s.conn(), manager.id, m(2026, 10)).unwrap().len(), 2);
    assert!(appraisal::debts_of_manager(s.conn(), manager.id, m(2026, 11)).unwrap().is_empty());
    let err = import_bytes(&mut env_as(&s, &manager), ImportKind::Receivables, paid.as_bytes(), false).unwrap_err();
    assert!(err.to_string().contains("主管"), "{err}");
}

#[test]
fn the_account_managers_of_a_unit_and_the_units_below_with_managers() {
    let (mut s, _) = office();
    let unit = s.org.unit;
    let below =
        s.store().write(|tx| reference::insert_unit(tx, "TH01", "石牌支局", "branch", Some(unit), DIVISION)).unwrap();
    let empty =
        s.store().write(|tx| reference::insert_unit(tx, "TH02", "龙口支局", "branch", Some(unit), DIVISION)).unwrap();
    let new = NewStaff { login: Some("chenjing"), name: "陈静", unit_id: below, role: Role::Manager, phone: None };
    s.store().write(|tx| reference::insert_staff(tx, &new)).unwrap();
    let names: Vec<String> = appraisal::managers_of_unit(s.conn(), unit).unwrap().into_iter().map(|m| m.name).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"张伟".to_string()) && names.contains(&"李娜".to_string()), "{names:?}");
    let units = appraisal::units_with_managers_under(s.conn(), unit).unwrap();
    assert_eq!(units.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [unit, below]);
    assert!(!units.iter().any(|(id, _)| *id == empty));
}

#[test]
fn a_post_and_a_planned_projects_revenue_are_stored_with_their_history() {
    use kam::db::appraisal::Post;
    let (mut s, _admin) = office();
    let (manager, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let oct = m(2026, 10);
    let leader = Terms {
        fixed_base: yuan("2000"),
        task: yuan("0"),
        monthly_standard: yuan("0"),
        post: Post::TeamLeader,
        accrual_ratio: Decimal::new(25, 3),
    };
    appraisal::set_terms(s.store(), &actor(&sup), manager.id, oct, &leader).unwrap();
    assert_eq!(appraisal::terms_for(s.conn(), manager.id, oct).unwrap(), Some(leader));
    let over = Terms { accrual_ratio: Decimal::new(15, 1), ..leader };
    assert_eq!(
        problem(appraisal::set_terms(s.store(), &actor(&sup), manager.id, oct, &over)),
        AppraisalProblem::AccrualRatio
    );
    let planner = Terms { post: Post::Planner, accrual_ratio: Decimal::ZERO, ..leader };
    appraisal::set_terms(s.store(), &actor(&sup), manager.id, oct, &planner).unwrap();
    assert_eq!(
        history(&s, "appraisal_terms", "post"),
        vec![(None, some("team-leader"), sup.id), (some("team-leader"), some("planner"), sup.id)]
    );

    // A planned project carries the revenue collected; nothing else does.
    let project = NewEntry { amount: None, ..entry(&manager, oct, EntryKind::PlannedProject, 1, "全市贺卡项目") };
    assert_eq!(problem(appraisal::add_entry(s.store(), &actor(&sup), &project)), AppraisalProblem::AmountRequired);
    let late = NewEntry { amount: Some(yuan("10")), ..entry(&manager, oct, EntryKind::MeetingLate, 1, "迟到") };
    assert_eq!(problem(appraisal::add_entry(s.store(), &actor(&sup), &late)), AppraisalProblem::AmountNotAllowed);
    let project = NewEntry { amount: Some(yuan("180000")), ..project };
    appraisal::add_entry(s.store(), &actor(&sup), &project).unwrap();
    let stored = appraisal::entries(s.conn(), &sup, manager.id, oct).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].amount, Some(yuan("180000")));
    assert_eq!(count(s.conn(), "history WHERE entity = 'appraisal_entry' AND field = 'amount'"), 1);
    // A planner item's points stay within its maximum (10 for a conduct item).
    let too_many =
        NewEntry { points: Some(Decimal::from(12)), ..entry(&manager, oct, EntryKind::PlannerTeamwork, 1, "评议") };
    assert_eq!(
        problem(appraisal::add_entry(s.store(), &actor(&sup), &too_many)),
        AppraisalProblem::PointsOverCap(Decimal::from(10))
    );
}
