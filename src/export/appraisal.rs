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
    /// `(fixed + achievement pay − late money) × completion rate`.
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
fn num(d: Decimal) -> String {
    d.normalize().to_string()
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
        each: num(d.each),
        points: num(d.points),
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
            score: ScoreOut {
                items: sheet
                    .items
                    .iter()
                    .map(|i| ItemOut {
                        item: i.item.into(),
                        max: num(i.max),
                        points: num(i.points),
                        deductions: i.deductions.iter().map(deduction).collect(),
                    })
                    .collect(),
                items_total: num(sheet.items_total),
                adjustments: sheet.adjustments.iter().map(deduction).collect(),
                total: num(sheet.total),
                unranked: m.unranked,
            },
            fixed_performance: fen(pay.fixed.amount),
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
            achievement_pay: fen(pay.achievement.total),
            late_money: LateMoneyOut {
                oldest_age_months: late.hit.as_ref().map(|h| h.oldest_age_months),
                basic_points: num(late.hit.as_ref().map_or(Decimal::ZERO, |h| h.band.basic_score)),
                achievement_share: num(late.hit.as_ref().map_or(Decimal::ZERO, |h| h.band.achievement_share)),
                whole_debt: fen(late.whole_debt),
                carry_in: fen(late.carry_in),
                deduction: fen(late.deduction),
                carry_out: yuan(late.carry_out),
            },
            completion_rate: num(pay.completion.rate),
            computed_pay: yuan(pay.amount),
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
