use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::*;
use crate::db::appraisal_counts::{LineRevenue, ManagedCustomer, StaleDossier};
use crate::domain::appraisal::entries::Terms;
use crate::domain::appraisal::late_money::UnpaidRevenue;
use crate::domain::appraisal::score::{Cause, SheetItem};
use crate::domain::appraisal::settings::AppraisalSettings;
use crate::domain::id::{CustomerId, DivisionCode};
use crate::domain::revenue::Month;
use crate::domain::tier::Tier;
use crate::domain::visit::{ParticipantRole, VisitKind};
use crate::domain::visit_standard::{DoneVisit, StandardPreset, compliance};
use crate::review::appraisal::MonthRecords;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}
fn yuan(s: &str) -> Money {
    Money(d(s))
}
fn date(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn month(y: i32, m: u32) -> Month {
    Month::new(y, m).unwrap()
}
fn customer(n: u32, tier: Tier) -> ManagedCustomer {
    ManagedCustomer {
        id: CustomerId::new(&DivisionCode::parse("440100").unwrap(), n, 2).unwrap(),
        short_name: format!("客户{n}"),
        tier,
    }
}
fn visit(kind: VisitKind, on: NaiveDate) -> DoneVisit {
    DoneVisit { kind, date: on, roles: vec![ParticipantRole::AccountManager] }
}
fn entry(kind: EntryKind, count: u32, points: Option<&str>, reason: &str) -> Entered {
    Entered {
        id: 0,
        kind,
        count,
        points: points.map(d),
        amount: None,
        reason: reason.into(),
        entered_by: "主管".into(),
        entered_at: NaiveDateTime::default(),
    }
}

/// October 2026 for a manager with a gold and a VIP customer under the
/// Guangdong standard, judged on the month's last day.
fn october(done: &[DoneVisit], entries: Vec<Entered>) -> MonthRecords {
    let gold = customer(1, Tier::Gold);
    let vip = customer(2, Tier::Vip);
    let on = date(2026, 10, 31);
    // The visits are the gold customer's.
    let compliance = vec![
        (gold.clone(), compliance(StandardPreset::GuangdongLetters, gold.tier, on, done)),
        (vip.clone(), compliance(StandardPreset::GuangdongLetters, vip.tier, on, &[])),
    ];
    MonthRecords {
        staff_id: 7,
        login: Some("jingli01".into()),
        name: "王经理".into(),
        unit_id: 3,
        unit_code: "440104".into(),
        unit_name: "越秀区局".into(),
        month: month(2026, 10),
        judged_on: on,
        settings: AppraisalSettings::default(),
        terms: Some(Terms {
            fixed_base: yuan("2000"),
            task: yuan("50000"),
            monthly_standard: yuan("40000"),
            ..Terms::default()
        }),
        started: Some(date(2020, 3, 1)),
        customers: vec![gold.clone(), vip],
        compliance,
        logs: vec![(gold.id.clone(), date(2026, 10, 3)), (gold.id.clone(), date(2026, 10, 20))],
        lines: vec![LineRevenue {
            customer: gold.id.clone(),
            short_name: gold.short_name.clone(),
            line: "express".into(),
            amount: yuan("50000"),
            since: month(2026, 1),
        }],
        stale: vec![],
        plans: vec![],
        debts: vec![],
        carry_in: Money::ZERO,
        entries,
        team: None,
    }
}

fn ranks() -> Vec<Entered> {
    vec![entry(EntryKind::BehaviourRank, 1, None, "第一"), entry(EntryKind::LeaderTasksRank, 2, None, "第二")]
}

#[test]
fn visits_count_the_managers_lines_that_end_in_the_month() {
    // Gold and VIP: in person 1/month and phone 1/month each. The
    // supervisor's visit (monthly for gold, quarterly for VIP), the leader's
    // and the yearly exchange or survey are not the manager's October lines.
    let done = [visit(VisitKind::InPerson, date(2026, 10, 9))];
    let sheet = assemble(&october(&done, ranks()));
    assert_eq!(sheet.score_inputs.visits.required, 4);
    assert_eq!(sheet.score_inputs.visits.done, 1);
    let visits = sheet.appraisal.sheet.item(SheetItem::Visits).unwrap();
    assert_eq!(visits.points, d("17"), "−1 per missing visit");
    let behind: Vec<_> = sheet.evidence.iter().filter(|e| matches!(e, Evidence::Visits { .. })).collect();
    assert_eq!(behind.len(), 3, "{behind:?}");
}

#[test]
fn a_yearly_line_is_judged_in_december() {
    let mut december = october(&[], ranks());
    december.month = month(2026, 12);
    let on = date(2026, 12, 31);
    december.judged_on = on;
    for (c, lines) in &mut december.compliance {
        *lines = compliance(StandardPreset::GuangdongLetters, c.tier, on, &[]);
    }
    let sheet = assemble(&december);
    // The four monthly lines, and gold's exchange and VIP's survey of the year.
    assert_eq!(sheet.score_inputs.visits.required, 6);
}

#[test]
fn log_entries_for_one_customer_do_not_make_up_for_another() {
    // Gold (level 3) needs 1 and got 2; VIP (level 2) needs 1 and got none.
    let sheet = assemble(&october(&[], ranks()));
    assert_eq!(sheet.score_inputs.logs.required, 2);
    assert_eq!(sheet.score_inputs.logs.done, 1);
    assert_eq!(sheet.appraisal.sheet.item(SheetItem::Logs).unwrap().points, d("9"));
    assert!(sheet.evidence.iter().any(|e| matches!(e, Evidence::Logs { written: 0, required: 1, .. })));
}

#[test]
fn stale_dossiers_cost_half_a_point_each() {
    let mut records = october(&[], ranks());
    records.stale = vec![
        StaleDossier { id: records.customers[0].id.clone(), short_name: "客户1".into(), due: date(2026, 9, 1) },
        StaleDossier { id: records.customers[1].id.clone(), short_name: "客户2".into(), due: date(2026, 10, 30) },
    ];
    let sheet = assemble(&records);
    assert_eq!(sheet.appraisal.sheet.item(SheetItem::Dossier).unwrap().points, d("9"));
}

#[test]
fn entered_items_reach_the_sheet_with_their_reasons() {
    let mut entries = ranks();
    entries.push(entry(EntryKind::MeetingAbsence, 1, None, "10月8日 无故缺勤"));
    entries.push(entry(EntryKind::MeetingLate, 2, None, "10月9日、10日 迟到"));
    entries.push(entry(EntryKind::ViolationJustifiedComplaint, 1, None, "TS2026-0012"));
    entries.push(entry(EntryKind::BonusCityCase, 1, None, "市局通报案例"));
    let sheet = assemble(&october(&[], entries)).appraisal.sheet;
    assert_eq!(sheet.item(SheetItem::MorningMeeting).unwrap().points, d("3"), "10 − 5 − 2×1");
    assert_eq!(sheet.item(SheetItem::LeaderTasks).unwrap().points, d("8"), "second rank");
    let complaint = sheet.adjustments.iter().find(|a| matches!(a.cause, Cause::Violation(_))).unwrap();
    assert_eq!((complaint.points, complaint.reason.as_str()), (d("-10"), "TS2026-0012"));
    assert!(sheet.adjustments.iter().any(|a| a.cause == Cause::Bonus && a.points == d("3")));
}

#[test]
fn a_month_without_ranks_is_flagged_and_scored_full_until_ranked() {
    let sheet = assemble(&october(&[], vec![]));
    assert!(sheet.unranked);
    assert_eq!(sheet.appraisal.sheet.item(SheetItem::Behaviour).unwrap().points, d("10"));
    let lower = vec![entry(EntryKind::BehaviourRank, 3, Some("5"), "第五名"), ranks().remove(1)];
    let sheet = assemble(&october(&[], lower));
    assert!(!sheet.unranked);
    assert_eq!(sheet.appraisal.sheet.item(SheetItem::Behaviour).unwrap().points, d("5"));
}

#[test]
fn pay_follows_from_the_score_terms_and_revenue() {
    // Achievement 50,000 of task 50,000 (completion 100%), express at 10% in
    // its tenth month (factor 1.0): 5,000. Missing: 3 visits and a log, and
    // ranked second on leader tasks (−6) → 94 points, fixed paid in full: 2,000.
    let sheet = assemble(&october(&[visit(VisitKind::InPerson, date(2026, 10, 9))], ranks()));
    assert_eq!(sheet.score(), d("94"));
    assert_eq!(sheet.fixed(), yuan("2000.00"));
    assert_eq!(sheet.achievement_pay(), yuan("5000.00"));
    assert_eq!(sheet.completion(), d("1"));
    assert_eq!(sheet.performance_pay, yuan("7000.00"));
}

#[test]
fn late_money_and_discipline_come_off_the_pay() {
    let mut records = october(&[visit(VisitKind::InPerson, date(2026, 10, 9))], ranks());
    records.debts = vec![UnpaidRevenue {
        customer: records.customers[0].id.to_string(),
        line: "express".into(),
        revenue_month: month(2026, 6),
        unpaid: yuan("3000"),
    }];
    records.entries.push(entry(EntryKind::Discipline, 1, None, "抢夺同局他单位客户，已确认"));
    let sheet = assemble(&records);
    // Four months unpaid: the 3–6 month band, −10 basic points and 30% of
    // the achievement pay (1,500); 84 points, so the fixed part stays whole.
    assert_eq!(sheet.score(), d("84"));
    assert_eq!(sheet.late_money(), yuan("1500.00"));
    // (2000 + 5000 − 1500) × 100% = 5,500; 60% withheld = 3,300.
    assert_eq!(sheet.withheld, yuan("3300.00"));
    assert_eq!(sheet.performance_pay, yuan("2200.00"));
}

#[test]
fn a_new_hire_in_the_first_three_months_is_on_probation() {
    let mut records = october(&[], ranks());
    records.started = Some(date(2026, 8, 15));
    let sheet = assemble(&records);
    let probation = sheet.probation.expect("August to October is the period");
    assert!(probation.period_ends);
    records.started = Some(date(2026, 7, 1));
    assert!(assemble(&records).probation.is_none());
}

#[test]
fn a_team_leader_is_paid_on_the_team_without_the_task_rate() {
    use crate::domain::appraisal::entries::Post;
    use crate::domain::appraisal::leader::TeamMonth;
    let mut records = october(&[visit(VisitKind::InPerson, date(2026, 10, 9))], ranks());
    let terms = records.terms.as_mut().unwrap();
    terms.post = Post::TeamLeader;
    terms.accrual_ratio = d("0.02");
    // Two members with 150,000 together against a target of 250,000; the
    // leader's own 50,000 counts in the team and in the per head (3 heads).
    records.team = Some(TeamMonth {
        members_achievement: yuan("150000"),
        members: 2,
        target: yuan("250000"),
        accrual_ratio: d("0.02"),
    });
    let sheet = assemble(&records);
    let team = sheet.team.as_ref().expect("a team leader's team");
    // per head 200,000 / 3; × 2% × 0.8 = 1,066.67 (rounded once, at the end)
    assert_eq!(team.pay.heads, 3);
    assert_eq!(team.pay.target_completion, d("0.8"));
    // 2,000 fixed (94 points) + 5,000 own commission + 1,066.666… = 8,066.67
    assert_eq!(sheet.computed_pay(), yuan("8066.67"));
    assert_eq!(sheet.performance_pay, yuan("8066.67"));
}

#[test]
fn a_planner_is_scored_on_the_planner_sheet_and_paid_on_collected_projects() {
    use crate::domain::appraisal::entries::Post;
    let mut records = october(&[], vec![]);
    records.terms.as_mut().unwrap().post = Post::Planner;
    let mut project = entry(EntryKind::PlannedProject, 1, None, "全市贺卡");
    project.amount = Some(yuan("300000"));
    records.entries = vec![
        entry(EntryKind::PlannerWrittenPlan, 1, None, "方案一份"),
        entry(EntryKind::PlannerResults, 1, Some("30"), "采纳一项"),
        entry(EntryKind::PlannerAttendance, 1, Some("10"), "全勤"),
        entry(EntryKind::PlannerResponsibility, 1, Some("8"), "评议"),
        entry(EntryKind::PlannerTeamwork, 1, Some("8"), "评议"),
        entry(EntryKind::PlannerInnovation, 1, Some("7"), "评议"),
        entry(EntryKind::PlannerCase, 1, None, "市局通报"),
        project,
    ];
    let sheet = assemble(&records);
    // Initiative not entered yet: scored full (10) and flagged.
    assert!(sheet.unranked);
    // 10 + 30 + (10 + 8 + 8 + 7 + 10) + 5 = 88
    assert_eq!(sheet.score(), d("88"));
    // Fixed 2,000 (88 ≥ 80) + 300,000 × 1% = 5,000; no task rate for a planner.
    assert_eq!(sheet.computed_pay(), yuan("5000.00"));
    assert_eq!(sheet.achievement_pay(), yuan("3000.00"));
}

/// December 2026: the gold and VIP customers' second half-year ends, and a
/// diamond customer's month; the gold's plan was handed in on time, the
/// diamond's a day late, the VIP's never.
fn december_plans(entries: Vec<Entered>) -> MonthRecords {
    let mut december = october(&[], entries);
    december.month = month(2026, 12);
    let on = date(2026, 12, 31);
    december.judged_on = on;
    december.compliance.clear();
    let diamond = customer(3, Tier::Diamond);
    december.customers.push(diamond.clone());
    let gold = december.customers[0].id.clone();
    december.plans =
        vec![(gold, date(2026, 7, 1), date(2026, 12, 31)), (diamond.id, date(2026, 12, 1), date(2027, 1, 1))];
    december
}

#[test]
fn plans_whose_period_ends_in_the_month_are_counted_from_the_stored_plans() {
    let sheet = assemble(&december_plans(ranks()));
    assert_eq!((sheet.score_inputs.plans.required, sheet.score_inputs.plans.done), (3, 1));
    assert_eq!(sheet.appraisal.sheet.item(SheetItem::Plans).unwrap().points, d("1"), "5 − 2 × 2");
    let missing: Vec<_> = sheet
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Plan { name, first, last, .. } => Some((name.clone(), *first, *last)),
            _ => None,
        })
        .collect();
    assert_eq!(
        missing,
        vec![
            ("客户2".to_string(), date(2026, 7, 1), date(2026, 12, 31)),
            ("客户3".to_string(), date(2026, 12, 1), date(2026, 12, 31))
        ]
    );
    // October ends no half-year: nothing required.
    assert_eq!(assemble(&october(&[], ranks())).score_inputs.plans.required, 0);
}

#[test]
fn an_entered_missing_plan_still_counts_on_top_of_the_stored_plans() {
    let mut entries = ranks();
    entries.push(entry(EntryKind::MissingPlan, 1, None, "计划内容空白"));
    let sheet = assemble(&december_plans(entries));
    assert_eq!((sheet.score_inputs.plans.required, sheet.score_inputs.plans.done), (4, 1));
    assert_eq!(sheet.appraisal.sheet.item(SheetItem::Plans).unwrap().points, d("0"), "no item goes below zero");
}
