//! A closed month is frozen (issue 17, SPEC §10): after the supervisor closes
//! October, changing the records behind it (a revenue cell of October, a
//! visit done in October, a log entry of October, the terms from October)
//! leaves the manager's sheet and `kam appraisal --format json` exactly as
//! they were, and a new entered item is refused; reopened, the sheet is
//! computed from the records again and shows every change; closed again, the
//! history holds both frozen versions. On both engines (`both_engines`).

use crate::common;

use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use common::*;
use kam::commands::CommandEnv;
use kam::commands::appraisal::{AppraisalFormat, Ask};
use kam::db::appraisal::{self as store_appraisal, AppraisalProblem, CloseStatus, EntryKind, NewEntry, Terms};
use kam::db::appraisal_counts::managers_under;
use kam::db::marketing::{self, NewLogEntry};
use kam::db::revenue::{RevenueEntry, write_entries_in};
use kam::db::sql::{Sql, args};
use kam::db::visits::{self, NewVisit, Outcome};
use kam::db::{DbError, Invalid, customers, reference};
use kam::domain::id::CustomerId;
use kam::domain::marketing_log::{DealStage, Method};
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;
use kam::domain::visit::{ParticipantRole, VisitKind};
use kam::domain::visit_standard::StandardPreset;
use kam::i18n::Lang;
use kam::review::appraisal::{ManagerMonth, manager_month};

fn october() -> Month {
    Month::new(2026, 10).unwrap()
}

fn today() -> NaiveDate {
    fixed_now().date()
}

fn line_id(s: &Seeded, code: &str) -> i64 {
    s.conn().row("SELECT id FROM service_line WHERE code = ?1", args![code], |r| r.get(0)).unwrap()
}

/// A customer of the manager, its registration approved by the supervisor,
/// with an estimate that ranks it (so it has visit lines to answer for).
fn customer(s: &mut Seeded, name: &str) -> CustomerId {
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let unit = s.org.unit;
    s.set_unit_revenue(unit, "400000000");
    let nc = new_customer(name, &format!("广州{name}有限公司"), s.org.unit, m.id).revenue("3000000");
    let id = customers::create(s.store(), &actor(&m), &nc, TierPreset::GuangdongScore).unwrap();
    customers::decide_registration(s.store(), &actor(&sup), &id, true, "同意").unwrap();
    id
}

fn revenue(s: &mut Seeded, id: &CustomerId, month: Month, line: i64, amount: &str) {
    let sup = actor(&s.org.supervisor);
    let entry = RevenueEntry { customer_id: id.clone(), month, service_line_id: line, amount: yuan(amount) };
    s.store().write(|tx| write_entries_in(tx, &sup, &[entry]).map(|_| ())).unwrap();
}

fn log_entry(s: &mut Seeded, id: &CustomerId, on: NaiveDate, content: &str) {
    let m = s.org.manager.clone();
    let e = NewLogEntry {
        customer_id: id.clone(),
        logged_on: on,
        method: Method::Visit,
        stage: DealStage::InitialContact,
        content: content.into(),
        needs: "希望降低帐单寄递资费".into(),
        cooperation: String::new(),
        satisfaction: None,
        next_step: "提交报价".into(),
        next_due: None,
        our_people: String::new(),
        their_people: String::new(),
        visit_id: None,
    };
    marketing::write(s.store(), &actor(&m), &e).unwrap();
}

/// An in-person visit of the manager, planned and done on `day`.
fn visit_done(s: &mut Seeded, id: &CustomerId, day: NaiveDate) {
    let m = s.org.manager.clone();
    let at = day.and_hms_opt(10, 0, 0).unwrap();
    let v = NewVisit {
        customer_id: id.clone(),
        kind: VisitKind::InPerson,
        planned_at: at,
        duration_min: 60,
        owner_id: m.id,
        purpose: "了解年度函件量".to_string(),
        staff: vec![(m.id, ParticipantRole::AccountManager)],
        persons: Vec::new(),
        follows_id: None,
    };
    let visit = visits::plan(s.store(), &actor(&m), &v).unwrap();
    let base = visits::load(s.conn(), visit).unwrap();
    let outcome = Outcome { done_at: Some(at), staff: base.staff.clone(), ..Outcome::default() };
    visits::record_done(s.store(), &actor(&m), &base, &outcome).unwrap();
}

fn entry(staff: &Staff, kind: EntryKind, count: u32, reason: &str) -> NewEntry {
    NewEntry {
        staff_id: staff.id,
        month: october(),
        kind,
        count,
        points: None,
        amount: None,
        reason: reason.to_string(),
    }
}

fn terms(base: &str, task: &str, standard: &str) -> Terms {
    Terms { fixed_base: yuan(base), task: yuan(task), monthly_standard: yuan(standard), ..Default::default() }
}

/// The manager's October as the supervisor reads it.
fn sheet(s: &Seeded) -> ManagerMonth {
    sheet_as(s, &s.org.supervisor)
}

fn sheet_as(s: &Seeded, viewer: &Staff) -> ManagerMonth {
    let who = managers_under(s.conn(), Some(s.org.unit))
        .unwrap()
        .into_iter()
        .find(|m| m.staff_id == s.org.manager.id)
        .expect("the manager");
    manager_month(s.conn(), viewer, &who, october(), today(), StandardPreset::default()).unwrap()
}

/// Closes October for the unit as the screen does: every manager's sheet as it stands.
fn close(s: &mut Seeded) {
    let sup = s.org.supervisor.clone();
    let mut sheets = Vec::new();
    for who in managers_under(s.conn(), Some(s.org.unit)).unwrap() {
        let m = manager_month(s.conn(), &sup, &who, october(), today(), StandardPreset::default()).unwrap();
        sheets.push((who.staff_id, serde_json::to_string(&m).unwrap()));
    }
    let unit = s.org.unit;
    store_appraisal::close_month(s.store(), &actor(&sup), unit, october(), &sheets).unwrap();
}

/// `kam appraisal --month 2026-10 --format json -o FILE` as the supervisor,
/// on a connection of its own; the file without its `generated_at` line
/// (the moment it was written, the one field that is not the month's).
fn payroll_json(s: &Seeded, dir: &Path, name: &str) -> String {
    let store = s.db.reopen();
    let env = CommandEnv {
        reference: reference::load(store.conn()).unwrap(),
        store,
        actor: actor(&s.org.supervisor),
        lang: Lang::Zh,
        preset: TierPreset::GuangdongScore,
        rules: StatusRules::default(),
    };
    let ask = Ask { month: "2026-10", unit: None, login: None };
    let path = dir.join(name);
    kam::commands::appraisal::run(&env, &ask, AppraisalFormat::Json, Some(&path), today(), StandardPreset::default())
        .unwrap();
    let json = std::fs::read_to_string(&path).unwrap();
    let generated = json.lines().filter(|l| l.trim_start().starts_with("\"generated_at\"")).count();
    assert_eq!(generated, 1, "{json}");
    json.lines().filter(|l| !l.trim_start().starts_with("\"generated_at\"")).collect::<Vec<_>>().join("\n")
}

fn is_month_closed(e: &DbError) -> bool {
    matches!(e, DbError::Invalid(Invalid::Appraisal(AppraisalProblem::MonthClosed { .. })))
}

/// A manager with one ranked customer, its September and October revenue,
/// terms from September and October's entered items (both ranks).
fn october_book() -> (Seeded, CustomerId) {
    let mut s = Seeded::new();
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let a = customer(&mut s, "甲");
    let tier: String =
        s.conn().row("SELECT tier FROM customer WHERE id = ?1", args![a.as_str()], |r| r.get(0)).unwrap();
    let tier = kam::domain::tier::Tier::from_code(&tier).unwrap();
    assert!(
        !kam::domain::visit_standard::requirements(StandardPreset::default(), tier).is_empty(),
        "the customer ({tier:?}) has visit lines to answer for"
    );
    let letters = line_id(&s, "letters");
    revenue(&mut s, &a, Month::new(2026, 9).unwrap(), letters, "40000");
    revenue(&mut s, &a, october(), letters, "50000");
    let september = Month::new(2026, 9).unwrap();
    store_appraisal::set_terms(s.store(), &actor(&sup), m.id, september, &terms("3000", "60000", "50000")).unwrap();
    for e in [
        entry(&m, EntryKind::BehaviourRank, 1, "评议第一"),
        entry(&m, EntryKind::LeaderTasksRank, 2, "交办任务完成较好"),
        entry(&m, EntryKind::MeetingLate, 1, "10月9日晨会迟到"),
    ] {
        store_appraisal::add_entry(s.store(), &actor(&sup), &e).unwrap();
    }
    (s, a)
}

/// What changes behind a closed October: its revenue (a cell changed, a line
/// added), a visit done and a log entry written in it, the terms from it; a
/// new entered item and withdrawing one are refused.
fn change_october(s: &mut Seeded, a: &CustomerId, letters: i64, express: i64) {
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    revenue(s, a, october(), letters, "80000");
    revenue(s, a, october(), express, "1000");
    visit_done(s, a, NaiveDate::from_ymd_opt(2026, 10, 15).unwrap());
    log_entry(s, a, NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(), "补记:十月拜访");
    store_appraisal::set_terms(s.store(), &actor(&sup), m.id, october(), &terms("5000", "90000", "70000")).unwrap();
    let refused =
        store_appraisal::add_entry(s.store(), &actor(&sup), &entry(&m, EntryKind::FailedExam, 1, "考试不合格"));
    assert!(refused.as_ref().is_err_and(is_month_closed), "{refused:?}");
    let live_entries = store_appraisal::entries(s.conn(), &sup, m.id, october()).unwrap();
    let refused = store_appraisal::archive_entry(s.store(), &actor(&sup), live_entries[2].id);
    assert!(refused.as_ref().is_err_and(is_month_closed), "{refused:?}");
}

/// The history of the manager's frozen October: the first close's sheet,
/// then the second's replacing it; and the month end's decisions with the
/// reopening's reason.
fn assert_history(s: &Seeded, first: &str, second: &str) {
    let m = &s.org.manager;
    let entity = format!("{}/{}", october().key(), m.id);
    let versions: Vec<(String, Option<String>, Option<String>)> = s
        .conn()
        .rows(
            "SELECT action, old_value, new_value FROM history \
             WHERE entity = 'appraisal_sheet' AND entity_id = ?1 AND field = 'result' ORDER BY id",
            args![entity],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let as_sheet = |json: &Option<String>| serde_json::from_str::<ManagerMonth>(json.as_deref().unwrap()).unwrap();
    let again = |json: &Option<String>| serde_json::to_string(&as_sheet(json)).unwrap();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert_eq!(versions[0].0, "create");
    assert_eq!(versions[1].0, "update");
    assert_eq!(again(&versions[0].2), first, "the first close");
    assert_eq!(again(&versions[1].1), first, "replaced by the second");
    assert_eq!(again(&versions[1].2), second, "the second close");
    let decisions: Vec<(String, Option<String>)> = s
        .conn()
        .rows(
            "SELECT field, new_value FROM history WHERE entity = 'appraisal_close' AND entity_id = ?1 ORDER BY id",
            args![format!("{}/{}", s.org.unit, october().key())],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let said = |f: &str, v: Option<&str>| decisions.iter().any(|(field, new)| field == f && new.as_deref() == v);
    assert!(said("status", Some("closed")) && said("status", Some("open")), "{decisions:?}");
    assert!(said("reason", Some("补录十月的收入和拜访")), "the reopening's reason is recorded: {decisions:?}");
}

#[test]
fn a_closed_month_stays_as_frozen_whatever_changes_and_a_reopened_one_is_computed_again() {
    let (mut s, a) = october_book();
    let dir = tempfile::tempdir().unwrap();
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let (letters, express) = (line_id(&s, "letters"), line_id(&s, "express"));

    let live = sheet(&s);
    assert!(live.frozen.is_none(), "an open month is computed");
    assert_eq!(live.score_inputs.achievement.to_fen(), 5_000_000);
    assert_eq!(live.terms.fixed_base.to_fen(), 300_000);
    let visits_before = live.score_inputs.visits;
    let logs_before = live.score_inputs.logs;
    assert!(visits_before.done < visits_before.required, "{visits_before:?}");
    assert_eq!(logs_before.done, 0, "{logs_before:?}");

    close(&mut s);
    let frozen = sheet(&s);
    let fz = frozen.frozen.clone().expect("the closed month is read as frozen");
    assert_eq!(fz.by, sup.name);
    let frozen_json = serde_json::to_string(&frozen).unwrap();
    assert_eq!(frozen_json, serde_json::to_string(&live).unwrap(), "frozen as it stood at the close");
    let payroll = payroll_json(&s, dir.path(), "closed.json");
    assert!(payroll.contains("\"status\": \"closed\""), "{payroll}");

    // The records behind October change while it is closed.
    change_october(&mut s, &a, letters, express);

    let still = sheet(&s);
    assert_eq!(still, frozen, "the frozen sheet, frozen stamp and all");
    assert_eq!(sheet_as(&s, &m), frozen, "the manager reads the same frozen sheet");
    assert_eq!(sheet_as(&s, &s.org.leader), frozen, "and so does a leader");
    assert_eq!(serde_json::to_string(&still).unwrap(), frozen_json, "byte for byte");
    assert_eq!(payroll_json(&s, dir.path(), "closed-again.json"), payroll, "kam appraisal's JSON, byte for byte");

    // Reopened with a reason: computed from the records again.
    let unit = s.org.unit;
    let empty = store_appraisal::reopen_month(s.store(), &actor(&sup), unit, october(), "  ");
    assert!(matches!(empty, Err(DbError::Invalid(Invalid::Appraisal(AppraisalProblem::ReasonRequired)))), "{empty:?}");
    store_appraisal::reopen_month(s.store(), &actor(&sup), unit, october(), "补录十月的收入和拜访").unwrap();
    let closure = store_appraisal::closure(s.conn(), s.org.unit, october()).unwrap().unwrap();
    assert_eq!(closure.status, CloseStatus::Open);
    assert_eq!(closure.reason.as_deref(), Some("补录十月的收入和拜访"));
    let reopened = sheet(&s);
    assert!(reopened.frozen.is_none());
    assert_eq!(reopened.score_inputs.achievement.to_fen(), 8_100_000, "both lines of October");
    assert_eq!(reopened.pay_inputs.lines.len(), 2);
    assert_eq!(reopened.score_inputs.visits.done, visits_before.done + 1, "the visit of 15 October");
    assert_eq!(reopened.score_inputs.logs.done, 1, "the entry of 20 October");
    assert_eq!(reopened.terms, terms("5000", "90000", "70000"));
    assert_ne!(reopened.performance_pay, frozen.performance_pay);
    let open_payroll = payroll_json(&s, dir.path(), "reopened.json");
    assert!(open_payroll.contains("\"status\": \"open\""), "{open_payroll}");
    assert!(open_payroll.contains("\"achievement\": \"81000.00\""), "{open_payroll}");
    store_appraisal::add_entry(s.store(), &actor(&sup), &entry(&m, EntryKind::FailedExam, 1, "10月22日考试不合格"))
        .unwrap();
    let with_exam = sheet(&s);
    assert_eq!(with_exam.score(), reopened.score() - Decimal::from(2), "a failed exam costs 2 points");

    // Closed again: the new sheet is frozen, and the history holds both.
    close(&mut s);
    let second = sheet(&s);
    assert!(second.frozen.is_some());
    assert_eq!(serde_json::to_string(&second).unwrap(), serde_json::to_string(&with_exam).unwrap());
    assert_history(&s, &frozen_json, &serde_json::to_string(&with_exam).unwrap());
}

#[test]
fn a_manager_moved_to_another_unit_after_the_close_keeps_the_month_frozen() {
    let (mut s, _) = october_book();
    close(&mut s);
    let frozen = sheet(&s);
    assert!(frozen.frozen.is_some());
    // The administrator moves the manager to a unit that has not closed October.
    let other = add_unit(s.store(), "440107", "440104");
    let admin = s
        .store()
        .write(|tx| {
            let unit = s_unit(tx)?;
            let id = reference::insert_staff(
                tx,
                &reference::NewStaff {
                    login: Some("guanli"),
                    name: "梁宏",
                    unit_id: unit,
                    role: kam::domain::staff::Role::Admin,
                    phone: None,
                },
            )?;
            Ok(Staff {
                id,
                login: Some("guanli".into()),
                name: "梁宏".into(),
                unit_id: unit,
                role: kam::domain::staff::Role::Admin,
            })
        })
        .unwrap();
    let change = reference::StaffChange { unit_id: Some(other), ..Default::default() };
    reference::update_staff(s.store(), &actor(&admin), "zhangwei", &change).unwrap();
    let m = s.org.manager.clone();
    let who = managers_under(s.conn(), None).unwrap().into_iter().find(|w| w.staff_id == m.id).unwrap();
    assert_eq!(who.unit_id, other, "moved");
    for viewer in [&s.org.leader, &admin, &m] {
        let read = manager_month(s.conn(), viewer, &who, october(), today(), StandardPreset::default()).unwrap();
        assert_eq!(read, frozen, "October stays as the old unit froze it, read by {}", viewer.name);
    }
    // And it still refuses changes until the unit that froze it reopens.
    let refused =
        store_appraisal::add_entry(s.store(), &actor(&admin), &entry(&m, EntryKind::FailedExam, 1, "考试不合格"));
    assert!(refused.as_ref().is_err_and(is_month_closed), "{refused:?}");
}

/// The seeded unit's id, inside a transaction.
fn s_unit(tx: &kam::db::Tx<'_>) -> Result<i64, DbError> {
    tx.row("SELECT id FROM org_unit WHERE code = '440106'", args![], |r| r.get(0))
}
