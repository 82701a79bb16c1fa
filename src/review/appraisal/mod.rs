//! The month-end appraisal (SPEC §10): each account manager's score sheet and
//! pay for a month, computed from the records kam keeps (visits, log
//! entries, dossiers, revenue, receivables) and what the unit entered, with
//! the records behind every deduction. A closed month is read back as it was
//! frozen; an open one is computed as it stands.

mod assemble;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use assemble::{assemble, judged_on};

use crate::db::appraisal_counts::{self, LineRevenue, ManagedCustomer, StaleDossier};
use crate::db::{Conn, DbError};
use crate::domain::appraisal::entries::{Entered, Post, Terms};
use crate::domain::appraisal::late_money::UnpaidRevenue;
use crate::domain::appraisal::leader::{TeamLeaderPay, TeamMonth};
use crate::domain::appraisal::pay::{Appraisal, PayInputs, ProbationPay};
use crate::domain::appraisal::planner::{PlannerPay, PlannerSheet, PlannerSheetInputs};
use crate::domain::appraisal::score::ScoreInputs;
use crate::domain::appraisal::settings::AppraisalSettings;
use crate::domain::money::Money;
use crate::domain::revenue::Month;
use crate::domain::staff::Staff;
use crate::domain::visit::VisitKind;
use crate::domain::visit_standard::{Compliance, StandardPreset};

/// A record behind a deduction, for the sheet's detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "kebab-case")]
pub enum Evidence {
    /// A customer short of a visit line whose period ends in the month.
    Visits { customer: String, name: String, kind: VisitKind, done: u32, required: u32 },
    /// A customer short of its monthly log entries.
    Logs { customer: String, name: String, written: u32, required: u32 },
    /// A dossier past its update cadence on the day judged.
    StaleDossier { customer: String, name: String, due: NaiveDate },
    /// A customer whose marketing plan period ends in the month without a
    /// plan handed in by its last day (SPEC §13.2, −2 each).
    Plan { customer: String, name: String, first: NaiveDate, last: NaiveDate },
}

/// Who closed the month, when (a frozen sheet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frozen {
    pub by: String,
    pub at: NaiveDateTime,
}

/// One account manager's month, scored and paid, with what it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagerMonth {
    pub staff_id: i64,
    pub login: Option<String>,
    pub name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(with = "crate::domain::appraisal::month_text")]
    pub month: Month,
    /// The day the counts were judged on (the month's last day once it is over).
    pub judged_on: NaiveDate,
    /// The version of the bureau's rules applied.
    #[serde(with = "crate::domain::appraisal::month_text")]
    pub rules_from: Month,
    /// False when the unit has not set the manager's terms (base, task, standard).
    pub terms_set: bool,
    pub terms: Terms,
    /// A rank (behaviour, leader tasks) not entered yet: scored full until it is.
    pub unranked: bool,
    pub score_inputs: ScoreInputs,
    pub pay_inputs: PayInputs,
    pub appraisal: Appraisal,
    pub probation: Option<ProbationPay>,
    /// Reasons of confirmed serious breaches (违纪), if any.
    pub discipline: Vec<String>,
    /// The share of the month's pay a breach withholds (the rules').
    pub discipline_share: rust_decimal::Decimal,
    /// Withheld from the performance pay for a breach.
    pub withheld: Money,
    /// What is paid as performance pay: after probation's guarantee and the withholding.
    pub performance_pay: Money,
    pub evidence: Vec<Evidence>,
    pub entries: Vec<Entered>,
    /// The post paid (an account manager's sheet and pay above; a team
    /// leader's or a planner's pay below).
    #[serde(default)]
    pub post: Post,
    /// A team leader's team and pay.
    #[serde(default)]
    pub team: Option<TeamOutcome>,
    /// A planner's sheet and pay.
    #[serde(default)]
    pub planner: Option<PlannerOutcome>,
    /// Set when read back from a closed month.
    #[serde(skip)]
    pub frozen: Option<Frozen>,
}

/// A team leader's month: the team as counted, and the pay (SPEC §10.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamOutcome {
    pub team: TeamMonth,
    pub pay: TeamLeaderPay,
}

/// A planner's month: the planner sheet and the pay (SPEC §10.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannerOutcome {
    /// The maxima of the written plan, the results and the five conduct items together.
    pub maxima: [rust_decimal::Decimal; 3],
    pub inputs: PlannerSheetInputs,
    pub sheet: PlannerSheet,
    pub pay: PlannerPay,
}

impl ManagerMonth {
    /// The sheet without the rows per customer behind its figures (the
    /// records of the deductions, the commission lines): what a table of
    /// every manager needs, bounded whatever the size of the book. The
    /// figures are the same.
    pub fn trimmed(mut self) -> ManagerMonth {
        self.evidence = Vec::new();
        self.pay_inputs.lines = Vec::new();
        self.appraisal.pay.achievement.lines = Vec::new();
        self
    }

    pub fn score(&self) -> crate::domain::appraisal::Points {
        self.planner.as_ref().map_or(self.appraisal.sheet.total, |p| p.sheet.total)
    }
    pub fn fixed(&self) -> Money {
        let fixed = match (&self.team, &self.planner) {
            (Some(t), _) => t.pay.fixed.amount,
            (_, Some(p)) => p.pay.fixed.amount,
            _ => self.appraisal.pay.fixed.amount,
        };
        crate::domain::appraisal::round_pay(fixed)
    }
    /// Commission on the manager's own customers, or a planner's project pay.
    pub fn achievement_pay(&self) -> Money {
        let pay = match &self.planner {
            Some(p) => p.pay.projects.iter().map(|x| x.pay).sum(),
            None => self.appraisal.pay.achievement.total,
        };
        crate::domain::appraisal::round_pay(pay)
    }
    /// The rules' performance pay before probation and discipline.
    pub fn computed_pay(&self) -> Money {
        match (&self.team, &self.planner) {
            (Some(t), _) => t.pay.amount,
            (_, Some(p)) => p.pay.amount,
            _ => self.appraisal.pay.amount,
        }
    }
    pub fn late_money(&self) -> Money {
        crate::domain::appraisal::round_pay(self.appraisal.pay.late_money.deduction)
    }
    pub fn completion(&self) -> rust_decimal::Decimal {
        self.appraisal.pay.completion.rate
    }
}

/// Everything one manager's month is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthRecords {
    pub staff_id: i64,
    pub login: Option<String>,
    pub name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub month: Month,
    pub judged_on: NaiveDate,
    pub settings: AppraisalSettings,
    pub terms: Option<Terms>,
    pub started: Option<NaiveDate>,
    pub customers: Vec<ManagedCustomer>,
    /// Each ranked customer's visit lines on the day judged.
    pub compliance: Vec<(ManagedCustomer, Vec<Compliance>)>,
    /// The manager's own log entries (customer, date) in the month.
    pub logs: Vec<(crate::domain::id::CustomerId, NaiveDate)>,
    pub lines: Vec<LineRevenue>,
    pub stale: Vec<StaleDossier>,
    /// The plans handed in for the manager's customers (A) whose period ends
    /// in the month: (customer, the period's first day, submitted on).
    pub plans: Vec<(crate::domain::id::CustomerId, NaiveDate, NaiveDate)>,
    pub debts: Vec<UnpaidRevenue>,
    pub carry_in: Money,
    pub entries: Vec<Entered>,
    /// A team leader's team (the account managers of their unit and below).
    pub team: Option<TeamMonth>,
}

/// A manager to appraise: who, in which unit.
pub type Appraised = crate::db::appraisal_counts::ManagerRow;

/// Reads one manager's records for `month` as they stand on `today`, as
/// `viewer` may read them.
pub fn records(
    conn: &Conn,
    viewer: &Staff,
    who: &Appraised,
    month: Month,
    today: NaiveDate,
    standard: StandardPreset,
    settings: &AppraisalSettings,
) -> Result<MonthRecords, DbError> {
    let on = judged_on(month.last_day(), today);
    let customers = appraisal_counts::managed_customers(conn, who.staff_id)?;
    let done =
        crate::db::visits::done_for_customers(conn, Some(who.staff_id), None, on.with_ordinal(1).unwrap_or(on), on)?;
    let compliance = customers
        .iter()
        .filter(|c| !crate::domain::visit_standard::requirements(standard, c.tier).is_empty())
        .map(|c| {
            let mine = done.get(&c.id).map(Vec::as_slice).unwrap_or(&[]);
            (c.clone(), crate::domain::visit_standard::compliance(standard, c.tier, on, mine))
        })
        .collect();
    let logs = crate::db::marketing::counts_by_customer(conn, who.staff_id, month.first_day(), month.last_day())?;
    let carry_in = previous_carry(conn, viewer, who.staff_id, month)?;
    let terms = crate::db::appraisal::terms_for(conn, who.staff_id, month)?;
    Ok(MonthRecords {
        staff_id: who.staff_id,
        login: who.login.clone(),
        name: who.name.clone(),
        unit_id: who.unit_id,
        unit_code: who.unit_code.clone(),
        unit_name: who.unit_name.clone(),
        month,
        judged_on: on,
        settings: settings.clone(),
        started: appraisal_counts::started_on(conn, who.staff_id)?,
        compliance,
        logs,
        lines: appraisal_counts::line_revenue(conn, who.staff_id, month)?,
        stale: appraisal_counts::stale_dossiers(conn, who.staff_id, on)?,
        plans: crate::db::plans::submitted_of_manager(conn, who.staff_id, month.first_day(), month.last_day())?,
        debts: crate::db::appraisal::debts_of_manager(conn, who.staff_id, month)?,
        carry_in,
        entries: crate::db::appraisal::entries(conn, viewer, who.staff_id, month)?.into_iter().map(entered).collect(),
        team: match terms {
            Some(t) if t.post == Post::TeamLeader => Some(team_month(conn, who, month, t.accrual_ratio)?),
            _ => None,
        },
        terms,
        customers,
    })
}

/// A team leader's team: the other account managers of their unit and the
/// units below it, their revenue and the sum of their tasks as the target.
fn team_month(
    conn: &Conn,
    leader: &Appraised,
    month: Month,
    accrual_ratio: rust_decimal::Decimal,
) -> Result<TeamMonth, DbError> {
    let members: Vec<i64> = crate::db::appraisal_counts::managers_under(conn, Some(leader.unit_id))?
        .into_iter()
        .map(|m| m.staff_id)
        .filter(|id| *id != leader.staff_id)
        .collect();
    let mut target = rust_decimal::Decimal::ZERO;
    for id in &members {
        target +=
            crate::db::appraisal::terms_for(conn, *id, month)?.map_or(rust_decimal::Decimal::ZERO, |t| t.task.yuan());
    }
    Ok(TeamMonth {
        members_achievement: crate::db::appraisal_counts::revenue_of_managers(conn, &members, month)?,
        members: u32::try_from(members.len()).unwrap_or(u32::MAX),
        target: Money(target),
        accrual_ratio,
    })
}

/// An entry as the sheet reads it.
fn entered(e: crate::db::appraisal::Entry) -> Entered {
    Entered {
        id: e.id,
        kind: e.kind,
        count: e.count,
        points: e.points,
        amount: e.amount,
        reason: e.reason,
        entered_by: e.entered_by,
        entered_at: e.entered_at,
    }
}

/// What last month's late money left to take: from last month's frozen
/// sheet; nothing when it was never closed.
fn previous_carry(conn: &Conn, viewer: &Staff, staff: i64, month: Month) -> Result<Money, DbError> {
    let carry = crate::db::appraisal::frozen_carry_out(conn, viewer, staff, month.prev())?;
    Ok(carry.and_then(|c| c.parse::<rust_decimal::Decimal>().ok()).map_or(Money::ZERO, Money))
}

/// The rules in force in `month`: the bureau's dated version, else the reference values.
pub fn rules_for(conn: &Conn, month: Month) -> Result<AppraisalSettings, DbError> {
    crate::db::appraisal::rules_in_force(conn, month)
}

/// One manager's month: frozen when their unit closed it, else computed now.
pub fn manager_month(
    conn: &Conn,
    viewer: &Staff,
    who: &Appraised,
    month: Month,
    today: NaiveDate,
    standard: StandardPreset,
) -> Result<ManagerMonth, DbError> {
    if let Some(frozen) = frozen(conn, viewer, who, month)? {
        return Ok(frozen);
    }
    let settings = rules_for(conn, month)?;
    Ok(assemble(&records(conn, viewer, who, month, today, standard, &settings)?))
}

/// The manager's sheet as frozen at the close, if the month is closed for the
/// unit that froze it (their unit then: a manager moved since keeps it).
pub fn frozen(conn: &Conn, viewer: &Staff, who: &Appraised, month: Month) -> Result<Option<ManagerMonth>, DbError> {
    let Some(unit) = crate::db::appraisal::frozen_sheet_unit(conn, who.staff_id, month)? else { return Ok(None) };
    let Some(closure) = crate::db::appraisal::closure(conn, unit, month)? else { return Ok(None) };
    if closure.status != crate::db::appraisal::CloseStatus::Closed {
        return Ok(None);
    }
    let Some(json) = crate::db::appraisal::frozen_sheet(conn, viewer, who.staff_id, month)? else { return Ok(None) };
    let mut sheet: ManagerMonth = serde_json::from_str(&json)
        .map_err(|e| DbError::Invalid(crate::db::Invalid::Constraint(format!("frozen sheet: {e}"))))?;
    sheet.frozen = Some(Frozen { by: closure.by, at: closure.at });
    Ok(Some(sheet))
}
