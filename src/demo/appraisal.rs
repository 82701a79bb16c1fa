//! A demo month end (SPEC §10): every account manager has terms (base, task
//! and standard from their book), the month before last is ranked, entered
//! and closed by the unit's supervisor, and last month is ranked and entered
//! in part, with some revenue still unpaid, so the month-end screen has a
//! frozen month to read and an open one to finish and close.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::db::appraisal::{
    NewEntry, NewReceivable, Terms, add_entry, close_month_in, set_terms, write_receivables_in,
};
use crate::db::appraisal_counts::managers_under;
use crate::db::sql::{Optional, Sql, args};
use crate::db::{Actor, DbError, Store};
use crate::domain::appraisal::entries::{EntryKind, Post};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::revenue::Month;
use crate::domain::staff::{Role, Staff};
use crate::domain::visit_standard::StandardPreset;

pub(super) fn staff_with(store: &Store, role: &str) -> Result<Vec<Staff>, DbError> {
    store.conn().rows(
        "SELECT id, login, name, unit_id, role FROM staff WHERE role = ?1 AND status <> 'left' ORDER BY id",
        args![role],
        |r| {
            Ok(Staff {
                id: r.get(0)?,
                login: r.get(1)?,
                name: r.get(2)?,
                unit_id: r.get(3)?,
                role: Role::from_code(r.text(4)?).unwrap_or(Role::Manager),
            })
        },
    )
}

/// Rounds to whole thousands of yuan, at least 10,000.
fn thousands(fen: i64) -> Money {
    Money::from_fen(((fen / 100_000).max(10)) * 100_000)
}

fn entry(staff: i64, month: Month, kind: EntryKind, count: u32, points: Option<i64>, reason: &str) -> NewEntry {
    NewEntry {
        staff_id: staff,
        month,
        kind,
        count,
        points: points.map(Decimal::from),
        amount: None,
        reason: reason.to_string(),
    }
}

/// The demo's planner, by place among the managers (the team leader is the
/// manager of a district with the largest team below the city).
const PLANNER: usize = 6;

/// A planner's month: the sheet's items and two projects' collected revenue.
fn planner_entries(staff: i64, month: Month) -> Vec<NewEntry> {
    let points = |kind, p: i64, reason: &str| entry(staff, month, kind, 1, Some(p), reason);
    let project = |name: &str, fen: i64| {
        let mut e = entry(staff, month, EntryKind::PlannedProject, 1, None, name);
        e.amount = Some(Money::from_fen(fen));
        e
    };
    vec![
        entry(staff, month, EntryKind::PlannerWrittenPlan, 1, None, "全市企业贺卡营销方案"),
        points(EntryKind::PlannerResults, 34, "方案被两个区局采纳,支撑客户经理三次"),
        points(EntryKind::PlannerAttendance, 10, "全勤"),
        points(EntryKind::PlannerResponsibility, 9, "主任评议"),
        points(EntryKind::PlannerTeamwork, 9, "主任评议"),
        points(EntryKind::PlannerInnovation, 8, "主任评议"),
        points(EntryKind::PlannerInitiative, 9, "主任评议"),
        project("全市企业贺卡项目", 18_000_000),
        project("金融行业对账单专项", 6_500_000),
    ]
}

/// The items a supervisor enters for manager number `i` in `month`.
fn entries_for(i: usize, staff: i64, month: Month) -> Vec<NewEntry> {
    let day = |d: u32| format!("{}月{}日", month.month(), d);
    let mut out = vec![
        match i % 4 {
            0 => entry(staff, month, EntryKind::BehaviourRank, 1, None, "主任与同事评议第一"),
            1 => entry(staff, month, EntryKind::BehaviourRank, 2, None, "评议第二"),
            _ => entry(
                staff,
                month,
                EntryKind::BehaviourRank,
                3,
                Some(6 - i64::try_from(i % 3).unwrap_or(0)),
                "评议第三名以后",
            ),
        },
        match i % 3 {
            0 => entry(staff, month, EntryKind::LeaderTasksRank, 1, None, "交办的重点客户走访按时完成"),
            1 => entry(staff, month, EntryKind::LeaderTasksRank, 2, None, "交办任务完成较好"),
            _ => entry(staff, month, EntryKind::LeaderTasksRank, 3, Some(5), "交办的客户对账延误两天"),
        },
    ];
    match i % 5 {
        0 => {
            out.push(entry(staff, month, EntryKind::MeetingLate, 2, None, &format!("{}、{} 晨会迟到", day(8), day(15))))
        }
        1 => out.push(entry(staff, month, EntryKind::MeetingAbsence, 1, None, &format!("{} 晨会无故缺席", day(11)))),
        2 => out.push(entry(staff, month, EntryKind::BonusCityCase, 1, None, "账单客户开发经验被市局通报推广")),
        3 => out.push(entry(
            staff,
            month,
            EntryKind::ViolationJustifiedComplaint,
            1,
            None,
            "客户投诉上门揽收不及时,经核实属实",
        )),
        _ => out.push(entry(staff, month, EntryKind::FailedExam, 1, None, &format!("{} 业务知识考试不合格", day(20)))),
    }
    out
}

/// The manager of a district with the most account managers below it (not
/// the city's own, whose team is everyone), the planner aside.
fn team_leader(store: &Store, managers: &[crate::db::appraisal_counts::ManagerRow]) -> Result<Option<usize>, DbError> {
    let mut leader = None;
    let mut largest = 0;
    for (i, m) in managers.iter().enumerate().filter(|(i, _)| *i != PLANNER) {
        let top: bool =
            store.conn().row("SELECT parent_id IS NULL FROM org_unit WHERE id = ?1", args![m.unit_id], |r| r.get(0))?;
        let team = managers_under(store.conn(), Some(m.unit_id))?.len().saturating_sub(1);
        if !top && team > largest {
            (leader, largest) = (Some(i), team);
        }
    }
    Ok(leader)
}

/// Terms, entries, some unpaid revenue, and a closed month; returns the
/// number of sheets frozen.
pub fn generate(store: &mut Store, today: NaiveDate) -> Result<usize, DbError> {
    let Some(admin) = staff_with(store, "admin")?.into_iter().next() else { return Ok(0) };
    let supervisors = staff_with(store, "supervisor")?;
    let last = Month::of(today).prev();
    let earlier = last.prev();
    let managers = managers_under(store.conn(), None)?;
    let morning = |d: NaiveDate| d.and_hms_opt(9, 0, 0).unwrap_or_default();
    let as_admin = Actor { staff: admin.clone(), at: morning(earlier.first_day()) };
    let team_leader = team_leader(store, &managers)?;
    for (i, m) in managers.iter().enumerate() {
        // The task from the book: last year's same month, as units set it.
        let year_ago: Option<i64> = store
            .conn()
            .row(
                "SELECT sum(r.amount) FROM revenue r JOIN customer c ON c.id = r.customer_id \
                 WHERE c.owner_a = ?1 AND r.month = ?2",
                args![m.staff_id, earlier.year_ago().key()],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let task = thousands(year_ago.unwrap_or(0));
        let terms = Terms {
            fixed_base: Money::from_fen(200_000 + 50_000 * i64::try_from(i % 3).unwrap_or(0)),
            task,
            monthly_standard: Money(task.yuan() * Decimal::new(8, 1)),
            post: match i {
                PLANNER => Post::Planner,
                _ if Some(i) == team_leader => Post::TeamLeader,
                _ => Post::AccountManager,
            },
            // 计提 2% of the team's per-head achievement.
            accrual_ratio: if Some(i) == team_leader { Decimal::new(2, 2) } else { Decimal::ZERO },
        };
        set_terms(store, &as_admin, m.staff_id, earlier.plus(-2), &terms)?;
    }
    // Unpaid revenue: every third manager's largest customer owes part of a
    // month four months back, and every seventh's of eight months back.
    let mut owed = Vec::new();
    for (i, m) in managers.iter().enumerate().filter(|(i, _)| i % 3 == 0 || i % 7 == 0) {
        let back = if i % 7 == 0 { 8 } else { 4 };
        let month = last.plus(-back);
        let row: Option<(CustomerId, i64, i64)> = store
            .conn()
            .row(
                "SELECT r.customer_id, r.service_line_id, r.amount FROM revenue r JOIN customer c ON c.id = r.customer_id \
                 WHERE c.owner_a = ?1 AND r.month = ?2 AND r.amount > 0 ORDER BY r.amount DESC, r.customer_id LIMIT 1",
                args![m.staff_id, month.key()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((customer_id, line, amount)) = row {
            owed.push(NewReceivable {
                customer_id,
                month,
                service_line_id: line,
                unpaid: Money::from_fen(amount / 2),
                paid_on: None,
            });
        }
    }
    store.write(|tx| write_receivables_in(tx, &as_admin, &owed).map(|_| ()))?;
    // The month before last: entered and closed; last month: ranked and entered.
    for (month, when) in [(earlier, last.first_day()), (last, today)] {
        for (i, m) in managers.iter().enumerate() {
            let supervisor = supervisors.iter().find(|s| s.unit_id == m.unit_id).unwrap_or(&admin);
            let by = Actor { staff: supervisor.clone(), at: morning(when) };
            let entries = if i == PLANNER {
                planner_entries(m.staff_id, month)
            } else {
                entries_for(i + usize::from(month == last), m.staff_id, month)
            };
            for e in entries {
                add_entry(store, &by, &e)?;
            }
        }
    }
    let mut frozen = 0;
    let mut units: Vec<i64> = managers.iter().map(|m| m.unit_id).collect();
    units.sort_unstable();
    units.dedup();
    for unit in units {
        let closer = supervisors.iter().find(|s| s.unit_id == unit).unwrap_or(&admin).clone();
        let at = last.first_day().and_hms_opt(17, 0, 0).unwrap_or_default();
        let actor = Actor { staff: closer.clone(), at };
        let mut sheets = Vec::new();
        for m in managers.iter().filter(|m| m.unit_id == unit) {
            let sheet = crate::review::appraisal::manager_month(
                store.conn(),
                &closer,
                m,
                earlier,
                earlier.last_day(),
                StandardPreset::default(),
            )?;
            let json = serde_json::to_string(&sheet)
                .map_err(|e| DbError::Invalid(crate::db::Invalid::Constraint(e.to_string())))?;
            sheets.push((m.staff_id, json));
        }
        frozen += sheets.len();
        store.write(|tx| close_month_in(tx, &actor, unit, earlier, &sheets))?;
    }
    Ok(frozen)
}
