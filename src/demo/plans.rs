//! Demo marketing plans (SPEC §13.2) and a yearly service plan (§13.3): each
//! account manager's first customers get plans on their level's cadence —
//! most handed in and reviewed, some waiting for the supervisor, some still
//! drafts, some periods missing, and one plan sent back with a reason.

use chrono::{Days, NaiveDate};

use super::appraisal::staff_with;
use crate::db::appraisal_counts::{managed_customers, managers_under};
use crate::db::plans::{self, PlanText};
use crate::db::{Actor, DbError, Store};
use crate::domain::marketing_log::marketing_plan_period;
use crate::domain::money::Money;
use crate::domain::plan::PlanPeriod;
use crate::domain::staff::{Role, Staff};

/// Customers of each manager given plans.
const PER_MANAGER: usize = 8;

const GOALS: [&str; 6] = [
    "巩固月结帐单寄递,争取全年寄递量增长一成",
    "推广国际小包业务,首批试寄不少于500件",
    "拓展电商退换货协议,覆盖其华南仓",
    "续签年度寄递协议,保持现有份额并增加同城快递",
    "争取其分支机构统一由我局收寄,新增收入约20万元",
    "提升服务满意度,解决上季度的延误投诉",
];

const MEASURES: [&str; 4] = [
    "每月上门走访一次,每周电话跟进;由主管陪同拜访决策人",
    "提供专属揽收时段和上门收件,报价按协议价下浮5%",
    "联合支局开展帐单寄递方案宣讲,月底前提交报价",
    "建立投诉快速响应机制,48小时内回复处理结果",
];

fn at9(day: NaiveDate) -> chrono::NaiveDateTime {
    day.and_hms_opt(9, 0, 0).unwrap_or_default()
}

fn reviewer_for(store: &Store, supervisors: &[Staff], admin: &Staff, unit: i64) -> Result<Staff, DbError> {
    let above = crate::db::access::deciding_unit(store.conn(), unit)?.unit_and_above;
    Ok(above
        .iter()
        .find_map(|u| supervisors.iter().find(|s| s.unit_id == *u))
        .cloned()
        .unwrap_or_else(|| admin.clone()))
}

/// Writes the demo's plans as of `today`; returns how many.
pub fn generate(store: &mut Store, today: NaiveDate) -> Result<usize, DbError> {
    let Some(admin) = staff_with(store, "admin")?.into_iter().next() else { return Ok(0) };
    let supervisors = staff_with(store, "supervisor")?;
    let mut written = 0;
    let mut sent_back = false;
    for (mi, m) in managers_under(store.conn(), None)?.iter().enumerate() {
        let manager = Staff {
            id: m.staff_id,
            login: m.login.clone(),
            name: m.name.clone(),
            unit_id: m.unit_id,
            role: Role::Manager,
        };
        let reviewer = reviewer_for(store, &supervisors, &admin, m.unit_id)?;
        for (ci, c) in managed_customers(store.conn(), m.staff_id)?.iter().take(PER_MANAGER).enumerate() {
            let cadence = marketing_plan_period(c.tier);
            let current = PlanPeriod::of(c.tier, today);
            let previous = current.previous(cadence);
            let n = mi + ci;
            let text = |k: usize| PlanText {
                goals: GOALS[k % GOALS.len()].into(),
                measures: MEASURES[k % MEASURES.len()].into(),
                expected_revenue: Some(Money::from_fen(i64::try_from(50_000 + (k % 7) * 30_000).unwrap_or(0) * 100)),
                notes: String::new(),
            };
            // The previous period: handed in a few days before its end and
            // reviewed, except every fifth customer's (missing).
            if n % 5 != 2 {
                let on = previous.last.checked_sub_days(Days::new(3 + (n % 4) as u64)).unwrap_or(previous.last);
                let by = Actor { staff: manager.clone(), at: at9(on.max(previous.first)) };
                let id = plans::save(store, &by, &c.id, previous, &text(n), None, true)?;
                let review = Actor { staff: reviewer.clone(), at: at9(previous.last) };
                if n % 5 != 4 {
                    plans::review(store, &review, id, 1, false, "同意,按计划推进")?;
                }
                written += 1;
            }
            // The current period: waiting for review, a draft, or not yet written.
            let start = (current.first + Days::new(2)).min(today);
            let by = Actor { staff: manager.clone(), at: at9(start) };
            match n % 3 {
                0 => {
                    let id = plans::save(store, &by, &c.id, current, &text(n + 1), None, true)?;
                    if !sent_back {
                        // One plan sent back with a reason, for the author to rewrite.
                        let review = Actor { staff: reviewer.clone(), at: at9(start) };
                        plans::review(store, &review, id, 1, true, "措施不够具体:请写明每月走访安排和报价时间")?;
                        sent_back = true;
                    }
                    written += 1;
                }
                1 => {
                    plans::save(store, &by, &c.id, current, &text(n + 2), None, false)?;
                    written += 1;
                }
                _ => {}
            }
        }
    }
    // The first unit's yearly service plan, by its supervisor.
    if let Some(sup) = supervisors.first() {
        let year = chrono::Datelike::year(&today);
        let by = Actor { staff: sup.clone(), at: at9(today) };
        plans::set_service_plan(
            store,
            &by,
            sup.unit_id,
            year,
            "前三名客户按白金标准服务:每月主管走访、季度高层拜访;第四至十名按黄金标准服务。\
             年中检查执行情况,年底总结。",
            None,
        )?;
    }
    Ok(written)
}
