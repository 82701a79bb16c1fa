//! The month's appraisal as payroll reads it: `kam appraisal --format json`
//! (schema `kam-appraisal/1`, documented in README: English field names,
//! amounts as decimal strings in yuan with two decimals, points and rates as
//! decimal strings). This shape is a promise to other programs: add fields,
//! never rename or remove one without a new schema name.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::appraisal::round_pay;
use crate::domain::appraisal::score::{Cause, Deduction};
use crate::domain::money::Money;
use crate::review::appraisal::{Evidence, ManagerMonth};

pub const SCHEMA: &str = "kam-appraisal/1";

#[derive(Debug, Serialize)]
pub struct Document {
    pub schema: &'static str,
    pub month: String,
    /// When kam wrote the file: the bureau's time with its UTC offset (RFC 3339).
    pub generated_at: String,
    pub managers: Vec<Manager>,
}

#[derive(Debug, Serialize)]
pub struct Manager {
    pub login: Option<String>,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    /// `account-manager`, `team-leader` or `planner`: which sheet and pay.
    pub post: &'static str,
    /// `closed` (frozen by the unit's month end) or `open` (as it stands).
    pub status: &'static str,
    pub closed_by: Option<String>,
    pub closed_at: Option<String>,
    /// The day the records were counted on.
    pub judged_on: String,
    /// The month from which the rules applied are in force.
    pub rules_from: String,
    pub terms: TermsOut,
    pub score: ScoreOut,
    pub fixed_performance: String,
    /// The month's revenue of the manager's customers (A).
    pub achievement: String,
    pub commission_lines: Vec<CommissionOut>,
    pub achievement_pay: String,
    pub late_money: LateMoneyOut,
    pub completion_rate: String,
    /// A team leader's team part (absent for other posts).
    pub team: Option<TeamOut>,
    /// A planner's projects (absent for other posts); `score` is then the planner sheet.
    pub projects: Option<Vec<ProjectOut>>,
    /// By the post's formula: an account manager's `(fixed + achievement pay −
    /// late money) × completion rate`; a team leader's `fixed + achievement pay
    /// − late money + team part`; a planner's `fixed + project pay`.
    pub computed_pay: String,
    pub probation: Option<ProbationOut>,
    pub discipline: DisciplineOut,
    /// What is paid as performance pay.
    pub performance_pay: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Serialize)]
pub struct TermsOut {
    /// False: the unit has not set them; the figures below use zero.
    pub set: bool,
    pub fixed_base: String,
    pub task: String,
    pub monthly_standard: String,
}

#[derive(Debug, Serialize)]
pub struct ScoreOut {
    pub items: Vec<ItemOut>,
    pub items_total: String,
    pub adjustments: Vec<DeductionOut>,
    pub total: String,
    /// A rank not entered yet (scored full until it is).
    pub unranked: bool,
}

#[derive(Debug, Serialize)]
pub struct ItemOut {
    pub item: &'static str,
    pub max: String,
    pub points: String,
    pub deductions: Vec<DeductionOut>,
}

#[derive(Debug, Serialize)]
pub struct DeductionOut {
    pub cause: String,
    pub count: u32,
    /// Points each time (negative for a deduction among the adjustments).
    pub each: String,
    pub points: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct CommissionOut {
    pub customer: String,
    pub line: String,
    pub achievement: String,
    pub share: String,
    pub rate: String,
    pub cooperation_month: Option<u32>,
    pub factor: String,
    pub pay: String,
}

#[derive(Debug, Serialize)]
pub struct LateMoneyOut {
    /// Months the oldest unpaid revenue has been owed, when a band applies.
    pub oldest_age_months: Option<u32>,
    pub basic_points: String,
    pub achievement_share: String,
    pub whole_debt: String,
    pub carry_in: String,
    pub deduction: String,
    pub carry_out: String,
}

#[derive(Debug, Serialize)]
pub struct TeamOut {
    pub members: u32,
    pub team_achievement: String,
    pub target: String,
    pub heads: u32,
    pub per_head: String,
    pub accrual_ratio: String,
    pub target_completion: String,
    pub team_part: String,
}

#[derive(Debug, Serialize)]
pub struct ProjectOut {
    pub name: String,
    pub collected: String,
    pub rate: String,
    pub pay: String,
}

#[derive(Debug, Serialize)]
pub struct ProbationOut {
    pub period_ends: bool,
    pub guaranteed: bool,
    pub computed: String,
    pub paid: String,
}

#[derive(Debug, Serialize)]
pub struct DisciplineOut {
    pub confirmed: bool,
    pub reasons: Vec<String>,
    pub withheld_share: String,
    pub withheld: String,
}

fn yuan(m: Money) -> String {
    format!("{:.2}", m.yuan())
}
fn fen(d: Decimal) -> String {
    yuan(round_pay(d))
}
/// Rates and ratios: at most four decimals, no trailing zeros.
fn num(d: Decimal) -> String {
    d.round_dp(4).normalize().to_string()
}

/// Points: at most two decimals (as the sheet shows them), no trailing zeros.
fn pts(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

fn cause(c: Cause) -> String {
    match c {
        Cause::Violation(kind) => format!("violation-{}", <&str>::from(kind)),
        other => <&str>::from(other).to_string(),
    }
}

fn deduction(d: &Deduction) -> DeductionOut {
    DeductionOut {
        cause: cause(d.cause),
        count: d.count,
        each: pts(d.each),
        points: pts(d.points),
        reason: d.reason.clone(),
    }
}

impl Manager {
    pub fn of(m: &ManagerMonth, withheld_share: Decimal) -> Manager {
        let sheet = &m.appraisal.sheet;
        let pay = &m.appraisal.pay;
        let late = &pay.late_money;
        Manager {
            login: m.login.clone(),
            name: m.name.clone(),
            unit_code: m.unit_code.clone(),
            unit_name: m.unit_name.clone(),
            post: m.post.code(),
            status: if m.frozen.is_some() { "closed" } else { "open" },
            closed_by: m.frozen.as_ref().map(|f| f.by.clone()),
            closed_at: m.frozen.as_ref().map(|f| f.at.format("%Y-%m-%dT%H:%M:%S").to_string()),
            judged_on: m.judged_on.to_string(),
            rules_from: m.rules_from.to_string(),
            terms: TermsOut {
                set: m.terms_set,
                fixed_base: yuan(m.terms.fixed_base),
                task: yuan(m.terms.task),
                monthly_standard: yuan(m.terms.monthly_standard),
            },
            score: match &m.planner {
                Some(p) => planner_score(p, m.unranked),
                None => ScoreOut {
                    items: sheet
                        .items
                        .iter()
                        .map(|i| ItemOut {
                            item: i.item.into(),
                            max: pts(i.max),
                            points: pts(i.points),
                            deductions: i.deductions.iter().map(deduction).collect(),
                        })
                        .collect(),
                    items_total: pts(sheet.items_total),
                    adjustments: sheet.adjustments.iter().map(deduction).collect(),
                    total: pts(sheet.total),
                    unranked: m.unranked,
                },
            },
            fixed_performance: yuan(m.fixed()),
            achievement: fen(pay.achievement.achievement),
            commission_lines: pay
                .achievement
                .lines
                .iter()
                .map(|l| CommissionOut {
                    customer: l.source.customer.clone(),
                    line: l.source.line.clone(),
                    achievement: yuan(l.source.achievement),
                    share: num(l.source.share),
                    rate: num(l.rate),
                    cooperation_month: l.cooperation_month,
                    factor: num(l.factor),
                    pay: fen(l.pay),
                })
                .collect(),
            achievement_pay: yuan(m.achievement_pay()),
            late_money: late_out(late),
            completion_rate: num(pay.completion.rate),
            team: m.team.as_ref().map(team_out),
            projects: m.planner.as_ref().map(projects_out),
            computed_pay: yuan(m.computed_pay()),
            probation: m.probation.map(|p| ProbationOut {
                period_ends: p.period_ends,
                guaranteed: p.guaranteed,
                computed: yuan(p.computed),
                paid: yuan(p.paid),
            }),
            discipline: DisciplineOut {
                confirmed: !m.discipline.is_empty(),
                reasons: m.discipline.clone(),
                withheld_share: num(withheld_share),
                withheld: yuan(m.withheld),
            },
            performance_pay: yuan(m.performance_pay),
            evidence: m.evidence.clone(),
        }
    }
}

/// A planner's sheet in the shape of the score sheet: its four parts as items.
fn planner_score(p: &crate::review::appraisal::PlannerOutcome, unranked: bool) -> ScoreOut {
    let item = |name: &'static str, max: Decimal, points: Decimal| ItemOut {
        item: name,
        max: pts(max),
        points: pts(points),
        deductions: Vec::new(),
    };
    let [written, results, conduct] = p.maxima;
    ScoreOut {
        items: vec![
            item("planner-written-plan", written, p.sheet.written_plan),
            item("planner-results", results, p.sheet.results),
            item("planner-behaviour", conduct, p.sheet.behaviour),
        ],
        items_total: pts(p.sheet.total - p.sheet.bonus),
        adjustments: vec![DeductionOut {
            cause: "bonus".into(),
            count: p.inputs.circulated_cases,
            each: String::new(),
            points: pts(p.sheet.bonus),
            reason: String::new(),
        }],
        total: pts(p.sheet.total),
        unranked,
    }
}

fn late_out(late: &crate::domain::appraisal::late_money::LateMoneyOutcome) -> LateMoneyOut {
    LateMoneyOut {
        oldest_age_months: late.hit.as_ref().map(|h| h.oldest_age_months),
        basic_points: pts(late.hit.as_ref().map_or(Decimal::ZERO, |h| h.band.basic_score)),
        achievement_share: num(late.hit.as_ref().map_or(Decimal::ZERO, |h| h.band.achievement_share)),
        whole_debt: fen(late.whole_debt),
        carry_in: fen(late.carry_in),
        deduction: fen(late.deduction),
        carry_out: yuan(late.carry_out),
    }
}

fn team_out(t: &crate::review::appraisal::TeamOutcome) -> TeamOut {
    TeamOut {
        members: t.team.members,
        team_achievement: fen(t.pay.team_achievement),
        target: yuan(t.team.target),
        heads: t.pay.heads,
        per_head: fen(t.pay.per_head),
        accrual_ratio: num(t.team.accrual_ratio),
        target_completion: num(t.pay.target_completion),
        team_part: fen(t.pay.team_part),
    }
}

fn projects_out(p: &crate::review::appraisal::PlannerOutcome) -> Vec<ProjectOut> {
    p.pay
        .projects
        .iter()
        .map(|x| ProjectOut {
            name: x.project.name.clone(),
            collected: yuan(x.project.collected),
            rate: num(x.rate),
            pay: fen(x.pay),
        })
        .collect()
}
