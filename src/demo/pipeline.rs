//! Demo development pipeline (SPEC §13.5–13.6): every unit with a
//! supervisor gets an industry ranking table, and each account manager's
//! last approved, not yet signed customers stand at each of the six steps —
//! moved there by the manager (steps 1, 2, 5, 6) and the unit's supervisor
//! (steps 3, 4) — some of them past their step's due day.

use chrono::{Days, NaiveDate};

use super::appraisal::staff_with;
use crate::db::appraisal_counts::{managed_customers, managers_under};
use crate::db::pipeline::{self, IndustryText};
use crate::db::sql::{Sql, args};
use crate::db::{Actor, DbError, Store};
use crate::domain::money::Money;
use crate::domain::pipeline::Step;
use crate::domain::staff::{Role, Staff};

/// Prospects per manager: one at each step.
const PER_MANAGER: usize = 6;

/// The ranking table: industry, weight, notes (rank is the order).
const INDUSTRIES: [(&str, i64, &str); 6] = [
    ("银行", 25, "对账单、信用卡账单寄递量大,网点多"),
    ("保险", 20, "保单、理赔资料寄递,季度集中"),
    ("电信运营商", 18, "话费账单和营业厅物料配送"),
    ("有线电视", 15, "账单寄递为切入点,用户遍布城乡"),
    ("电子商务", 12, "退换货与仓配,增长快、价格敏感"),
    ("医药流通", 10, "药品冷链与票据寄递,服务要求高"),
];

/// How long ago each prospect's current step started: the later ones are
/// past due (7 days for steps 1–2, 14 for 3–6).
const STARTED_AGO: [u64; 6] = [3, 9, 4, 18, 6, 20];

fn at9(day: NaiveDate) -> chrono::NaiveDateTime {
    day.and_hms_opt(9, 0, 0).unwrap_or_default()
}

/// The unit's ranking table, written by its supervisor two months ago.
fn ranking_table(store: &mut Store, sup: &Staff, unit: i64, today: NaiveDate) -> Result<(), DbError> {
    let by = Actor { staff: sup.clone(), at: at9(today.checked_sub_days(Days::new(60)).unwrap_or(today)) };
    for (i, (industry, weight, notes)) in INDUSTRIES.iter().enumerate() {
        let line = IndustryText {
            industry: (*industry).into(),
            rank: i64::try_from(i + 1).unwrap_or(1),
            weight: *weight,
            notes: (*notes).into(),
            archived: false,
        };
        pipeline::save_industry(store, &by, unit, &line, None)?;
    }
    Ok(())
}

/// Writes the demo's ranking tables and prospects as of `today`; returns
/// how many prospects.
pub fn generate(store: &mut Store, today: NaiveDate) -> Result<usize, DbError> {
    let supervisors = staff_with(store, "supervisor")?;
    let mut written = 0;
    for (mi, m) in managers_under(store.conn(), None)?.into_iter().enumerate() {
        let manager = Staff { id: m.staff_id, login: m.login, name: m.name, unit_id: m.unit_id, role: Role::Manager };
        // The supervisor nearest above the manager's unit decides for it.
        let above = crate::db::access::deciding_unit(store.conn(), m.unit_id)?.unit_and_above;
        let Some(sup) = above.iter().find_map(|u| supervisors.iter().find(|s| s.unit_id == *u)) else { continue };
        if pipeline::industries(store.conn(), m.unit_id, true)?.is_empty() {
            ranking_table(store, sup, m.unit_id, today)?;
        }
        let industries = pipeline::industries(store.conn(), m.unit_id, false)?;
        let mut open = Vec::new();
        for c in managed_customers(store.conn(), manager.id)?.into_iter().rev() {
            let stage: String =
                store.conn().row("SELECT stage FROM customer WHERE id = ?1", args![c.id], |r| r.get(0))?;
            if matches!(stage.as_str(), "target" | "developing") && pipeline::load(store.conn(), &c.id)?.is_none() {
                open.push(c);
            }
            if open.len() == PER_MANAGER {
                break;
            }
        }
        for (k, c) in open.iter().enumerate() {
            // Managers with few prospects still fill different steps.
            let target = Step::ALL[(k + mi) % Step::ALL.len()];
            let last_start = today.checked_sub_days(Days::new(STARTED_AGO[k % STARTED_AGO.len()])).unwrap_or(today);
            let steps_before = u64::from(target.number() - 1);
            let mut on = last_start.checked_sub_days(Days::new(steps_before * 6)).unwrap_or(last_start);
            let industry = industries.get(k % industries.len().max(1)).map(|i| i.id);
            let expected = Money::from_fen(i64::try_from(80_000 + k * 45_000).unwrap_or(0) * 100);
            let by = Actor { staff: manager.clone(), at: at9(on) };
            pipeline::start(store, &by, &c.id, on, industry, Some(expected))?;
            let mut step = Step::Survey;
            let mut version = 1;
            while step < target {
                on = on.checked_add_days(Days::new(6)).unwrap_or(on);
                let mover = match step {
                    Step::Prioritisation | Step::Positioning => sup.clone(),
                    _ => manager.clone(),
                };
                step = pipeline::advance(store, &Actor { staff: mover, at: at9(on) }, &c.id, version, on)?;
                version += 1;
            }
            written += 1;
        }
    }
    Ok(written)
}
