//! Turning one manager's records for a month into their scored, paid sheet:
//! pure, so the rules of what counts (which visit lines, whose log entries,
//! which dossiers) are tested without a database.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Evidence, ManagerMonth, MonthRecords, PlannerOutcome, TeamOutcome};
use crate::domain::appraisal::commission::{AchievementLine, Business};
use crate::domain::appraisal::entries::{Entered, EntryKind, Post, Terms};
use crate::domain::appraisal::leader::team_leader_pay;
use crate::domain::appraisal::pay::{Probation, appraise, probation_pay};
use crate::domain::appraisal::planner::{PlannedProject, PlannerSheetInputs, planner_pay, planner_sheet};
use crate::domain::appraisal::round_pay;
use crate::domain::appraisal::score::{
    Bonus, BonusKind, Rank, RankEntry, ScoreInputs, Shortfall, Tally, Violation, ViolationKind,
};
use crate::domain::appraisal::settings::AppraisalSettings;
use crate::domain::marketing_log::monthly_log_quota;
use crate::domain::money::Money;
use crate::domain::visit::ParticipantRole;

/// Reasons of several entries of one kind, one after the other.
fn joined(entries: &[&Entered]) -> String {
    entries.iter().map(|e| e.reason.as_str()).collect::<Vec<_>>().join("; ")
}

fn tally(entries: &[Entered], kind: EntryKind) -> Tally {
    let of: Vec<&Entered> = entries.iter().filter(|e| e.kind == kind).collect();
    Tally { count: of.iter().map(|e| e.count).sum(), reason: joined(&of) }
}

/// The live rank entry of an item; None when the supervisor has not ranked yet.
fn rank(entries: &[Entered], kind: EntryKind) -> Option<RankEntry> {
    let e = entries.iter().rfind(|e| e.kind == kind)?;
    let rank = match e.count {
        1 => Rank::First,
        2 => Rank::Second,
        _ => Rank::Lower(e.points.unwrap_or(Decimal::ZERO)),
    };
    Some(RankEntry { rank, reason: e.reason.clone() })
}

fn violation_kind(kind: EntryKind) -> Option<ViolationKind> {
    Some(match kind {
        EntryKind::ViolationBuyingPieces => ViolationKind::BuyingPieces,
        EntryKind::ViolationProhibitedItems => ViolationKind::ProhibitedItems,
        EntryKind::ViolationLeakingData => ViolationKind::LeakingData,
        EntryKind::ViolationGrabbingCustomer => ViolationKind::GrabbingCustomer,
        EntryKind::ViolationJustifiedComplaint => ViolationKind::JustifiedComplaint,
        _ => return None,
    })
}

fn bonus_kind(e: &Entered) -> Option<BonusKind> {
    Some(match e.kind {
        EntryKind::BonusCityCase => BonusKind::CityCase,
        EntryKind::BonusProvinceCase => BonusKind::ProvinceCase,
        EntryKind::BonusOther => BonusKind::Other(e.points.unwrap_or(Decimal::ZERO)),
        _ => return None,
    })
}

/// The visit lines the manager answers for (those an account manager must
/// attend) whose period ends in the month: a quarter's line is judged in the
/// quarter's last month, not every month.
fn visits(records: &MonthRecords, evidence: &mut Vec<Evidence>) -> Shortfall {
    let (first, last) = (records.month.first_day(), records.month.last_day());
    let mut shortfall = Shortfall::default();
    for (customer, lines) in &records.compliance {
        for line in lines {
            if line.requirement.who != ParticipantRole::AccountManager || !(first..=last).contains(&line.period_end) {
                continue;
            }
            let required = line.requirement.min_count;
            let done = line.done.min(required);
            shortfall.required += required;
            shortfall.done += done;
            if done < required {
                evidence.push(Evidence::Visits {
                    customer: customer.id.to_string(),
                    name: customer.short_name.clone(),
                    kind: line.requirement.kind,
                    done: line.done,
                    required,
                });
            }
        }
    }
    shortfall
}

/// Log entries the manager wrote for their own customers in the month, against
/// each customer's quota; extra entries for one customer do not make up for
/// another's missing ones.
fn logs(records: &MonthRecords, evidence: &mut Vec<Evidence>) -> Shortfall {
    let (first, last) = (records.month.first_day(), records.month.last_day());
    let mut shortfall = Shortfall::default();
    for c in &records.customers {
        let required = monthly_log_quota(c.tier);
        let written = records.logs.iter().filter(|(id, on)| *id == c.id && (first..=last).contains(on)).count();
        let written = u32::try_from(written).unwrap_or(u32::MAX);
        shortfall.required += required;
        shortfall.done += written.min(required);
        if written < required {
            evidence.push(Evidence::Logs { customer: c.id.to_string(), name: c.short_name.clone(), written, required });
        }
    }
    shortfall
}

/// The manager's customers (A) whose plan period (by their level, SPEC
/// §13.2) ends in the month need a plan handed in by the period's last day;
/// each without one costs the item's points. A `MissingPlan` entered by the
/// supervisor still counts, on top, as an adjustment (a plan handed in
/// empty, or one kam does not hold).
fn plans(records: &MonthRecords, evidence: &mut Vec<Evidence>) -> Shortfall {
    let (required, done, missing) = crate::domain::plan::month_plans(
        records.customers.iter().map(|c| (&c.id, c.tier)),
        &records.plans,
        records.month.first_day(),
        records.month.last_day(),
        records.judged_on,
    );
    for (id, period) in missing {
        let name = records.customers.iter().find(|c| c.id == id).map(|c| c.short_name.clone()).unwrap_or_default();
        evidence.push(Evidence::Plan { customer: id.to_string(), name, first: period.first, last: period.last });
    }
    let entered = tally(&records.entries, EntryKind::MissingPlan).count;
    Shortfall { required: required + entered, done }
}

/// Cooperation counts from the business's first month with revenue; a line
/// whose first month is this month is new business (100%).
fn achievement_lines(records: &MonthRecords) -> Vec<AchievementLine> {
    records
        .lines
        .iter()
        .map(|l| AchievementLine {
            customer: l.customer.to_string(),
            line: l.line.clone(),
            achievement: l.amount,
            business: Business::Established { since: l.since },
            share: Decimal::ONE,
            campaign_rewarded: false,
        })
        .collect()
}

/// The sheet's inputs from the counts and the entered items; true when a
/// rank is still missing (scored full until it is entered).
fn score_inputs(
    records: &MonthRecords,
    visits: Shortfall,
    logs: Shortfall,
    plans: Shortfall,
    terms: &Terms,
) -> (ScoreInputs, bool) {
    let entries = &records.entries;
    let achievement = Money(records.lines.iter().map(|l| l.amount.yuan()).sum());
    let behaviour = rank(entries, EntryKind::BehaviourRank);
    let leader_tasks = rank(entries, EntryKind::LeaderTasksRank);
    let unranked = behaviour.is_none() || leader_tasks.is_none();
    let full = |r: Option<RankEntry>| r.unwrap_or(RankEntry { rank: Rank::First, reason: String::new() });
    let inputs = ScoreInputs {
        visits,
        logs,
        plans,
        faulty_dossier_records: u32::try_from(records.stale.len()).unwrap_or(u32::MAX),
        justified_complaints: 0,
        achievement,
        monthly_standard: terms.monthly_standard,
        meeting_absences: tally(entries, EntryKind::MeetingAbsence),
        meeting_lates: tally(entries, EntryKind::MeetingLate),
        training_absences: tally(entries, EntryKind::TrainingAbsence),
        training_lates: tally(entries, EntryKind::TrainingLate),
        failed_exams: tally(entries, EntryKind::FailedExam),
        behaviour: full(behaviour),
        leader_tasks: full(leader_tasks),
        violations: entries
            .iter()
            .filter_map(|e| violation_kind(e.kind).map(|kind| (kind, e)))
            .flat_map(|(kind, e)| (0..e.count.max(1)).map(move |_| Violation { kind, reason: e.reason.clone() }))
            .collect(),
        bonuses: entries
            .iter()
            .filter_map(|e| bonus_kind(e).map(|kind| (kind, e)))
            .flat_map(|(kind, e)| (0..e.count.max(1)).map(move |_| Bonus { kind, reason: e.reason.clone() }))
            .collect(),
        late_money: None,
    };
    (inputs, unranked)
}

/// The day the sheet is judged on: the month's last day, or today while the
/// month runs.
pub fn judged_on(month_last: NaiveDate, today: NaiveDate) -> NaiveDate {
    month_last.min(today)
}

/// Scores and pays one manager's month from their records.
pub fn assemble(records: &MonthRecords) -> ManagerMonth {
    let mut evidence = Vec::new();
    let visits = visits(records, &mut evidence);
    let logs = logs(records, &mut evidence);
    let plans = plans(records, &mut evidence);
    for s in &records.stale {
        evidence.push(Evidence::StaleDossier { customer: s.id.to_string(), name: s.short_name.clone(), due: s.due });
    }
    let entries = &records.entries;
    let terms = records.terms.unwrap_or_default();
    let (score_inputs, unranked) = score_inputs(records, visits, logs, plans, &terms);
    let pay_inputs = crate::domain::appraisal::pay::PayInputs {
        fixed_base: terms.fixed_base,
        lines: achievement_lines(records),
        debts: records.debts.clone(),
        late_carry_in: records.carry_in,
        task: terms.task,
        entered_completion: None,
    };
    let settings = &records.settings;
    let appraisal = appraise(settings, records.month, &score_inputs, &pay_inputs);
    let team = match (terms.post, records.team) {
        (Post::TeamLeader, Some(team)) => Some(TeamOutcome {
            pay: team_leader_pay(settings, records.month, appraisal.sheet.total, &pay_inputs, &team),
            team,
        }),
        _ => None,
    };
    let planner = (terms.post == Post::Planner).then(|| planner_outcome(settings, terms.fixed_base, entries));
    let unranked = match &planner {
        Some(_) => !EntryKind::ALL.iter().filter(|k| k.planner_points()).all(|k| entries.iter().any(|e| e.kind == *k)),
        None => unranked,
    };
    let score = planner.as_ref().map_or(appraisal.sheet.total, |p| p.sheet.total);
    let computed = match (&team, &planner) {
        (Some(t), _) => t.pay.amount,
        (_, Some(p)) => p.pay.amount,
        _ => appraisal.pay.amount,
    };
    let probation =
        records.started.map(|start| Probation { start: crate::domain::revenue::Month::of(start), transferee: None });
    let probation = probation
        .filter(|p| p.covers(settings, records.month))
        .map(|p| probation_pay(settings, &p, records.month, score, computed));
    let discipline: Vec<String> =
        entries.iter().filter(|e| e.kind == EntryKind::Discipline).map(|e| e.reason.clone()).collect();
    let paid = probation.map_or(computed, |p| p.paid);
    let withheld =
        if discipline.is_empty() { Money::ZERO } else { round_pay(paid.yuan() * settings.discipline_withheld) };
    ManagerMonth {
        staff_id: records.staff_id,
        login: records.login.clone(),
        name: records.name.clone(),
        unit_id: records.unit_id,
        unit_code: records.unit_code.clone(),
        unit_name: records.unit_name.clone(),
        month: records.month,
        judged_on: records.judged_on,
        rules_from: settings.effective_from,
        terms_set: records.terms.is_some(),
        terms,
        unranked,
        score_inputs,
        pay_inputs,
        appraisal,
        probation,
        discipline,
        discipline_share: settings.discipline_withheld,
        withheld,
        performance_pay: round_pay(paid.yuan() - withheld.yuan()),
        evidence,
        entries: records.entries.clone(),
        post: terms.post,
        team,
        planner,
        frozen: None,
    }
}

/// A planner's sheet from the items entered (an item not entered yet scores
/// full, as a missing rank does, and the month cannot close until it is),
/// and the pay on the projects' collected revenue.
fn planner_outcome(settings: &AppraisalSettings, base: Money, entries: &[Entered]) -> PlannerOutcome {
    let rules = &settings.planner;
    let given = |kind: EntryKind, full: Decimal| {
        entries.iter().rfind(|e| e.kind == kind).map_or(full, |e| e.points.unwrap_or(Decimal::ZERO))
    };
    let count = |kind: EntryKind| entries.iter().filter(|e| e.kind == kind).map(|e| e.count).sum::<u32>();
    let item = rules.behaviour_item_max;
    let inputs = PlannerSheetInputs {
        written_plans: count(EntryKind::PlannerWrittenPlan),
        results: given(EntryKind::PlannerResults, rules.results_max),
        attendance: given(EntryKind::PlannerAttendance, item),
        responsibility: given(EntryKind::PlannerResponsibility, item),
        teamwork: given(EntryKind::PlannerTeamwork, item),
        innovation: given(EntryKind::PlannerInnovation, item),
        initiative: given(EntryKind::PlannerInitiative, item),
        circulated_cases: count(EntryKind::PlannerCase),
    };
    let sheet = planner_sheet(rules, &inputs);
    let projects: Vec<PlannedProject> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::PlannedProject)
        .map(|e| PlannedProject { name: e.reason.clone(), collected: e.amount.unwrap_or(Money::ZERO), rate: e.points })
        .collect();
    let pay = planner_pay(settings, base, sheet.total, &projects);
    let maxima = [rules.written_plan_max, rules.results_max, item * Decimal::from(5)];
    PlannerOutcome { maxima, inputs, sheet, pay }
}

#[cfg(test)]
mod tests;
