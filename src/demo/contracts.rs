//! Demo contracts (SPEC §12) of the first account manager's customers, each
//! written through the same functions the screens use, by the people whose
//! work it is: a contract waiting for the city supervisor's approval, one
//! waiting for the leader's, one ending within the month, a diamond contract
//! signed and filed with the province (its province steps recorded by the
//! city on the province's behalf: the demo bureau holds no province), a gold
//! one signed, one the leader refused with the reason, and last year's,
//! ended at its end date; an agreement-stage log entry names the diamond one.

use chrono::{Datelike, Days, NaiveDate};

use crate::db::contracts::{self, NewCopy, Terms};
use crate::db::marketing::NewLogEntry;
use crate::db::sql::{Sql, args};
use crate::db::{Actor, DbError, Store};
use crate::domain::complaint::Satisfaction;
use crate::domain::contract::{ContractKind, CopyKind};
use crate::domain::id::CustomerId;
use crate::domain::marketing_log::{DealStage, Method};
use crate::domain::money::Money;
use crate::domain::staff::{Role, Staff};
use crate::domain::tier::Tier;

/// The first active member of staff the query finds (its parameters: `args`).
fn person(store: &Store, sql: &str, args: &[&dyn crate::db::sql::ToValue]) -> Result<Option<Staff>, DbError> {
    let rows = store.conn().rows(sql, args, |r| {
        Ok(Staff {
            id: r.get(0)?,
            login: r.get(1)?,
            name: r.get(2)?,
            unit_id: r.get(3)?,
            role: Role::from_code(r.text(4)?).unwrap_or(Role::Manager),
        })
    })?;
    Ok(rows.into_iter().next())
}

fn at(staff: &Staff, day: NaiveDate, hour: u32) -> Actor {
    Actor { staff: staff.clone(), at: day.and_hms_opt(hour, 30, 0).unwrap_or_default() }
}

fn yuan(amount: i64) -> Money {
    Money::from_fen(amount * 100)
}

/// A term as the bureau writes it: whole years, else months (both ends counted).
fn term(start: NaiveDate, end: NaiveDate) -> String {
    let months = (end.year() - start.year()) * 12 + i32::try_from(end.month()).unwrap_or(0)
        - i32::try_from(start.month()).unwrap_or(0)
        + 1;
    if months % 12 == 0 { format!("{}年", months / 12) } else { format!("{months}个月") }
}

/// What a demo contract says.
struct Plan {
    tier: Tier,
    kind: ContractKind,
    lines: &'static [&'static str],
    value: i64,
    price: &'static str,
    discount: &'static str,
    start: NaiveDate,
    end: NaiveDate,
}

fn terms(store: &Store, customer: &CustomerId, bureau: i64, year: i32, p: &Plan) -> Result<Terms, DbError> {
    let mut service_lines = Vec::new();
    for code in p.lines {
        let id: i64 = store.conn().row("SELECT id FROM service_line WHERE code = ?1", args![code], |r| r.get(0))?;
        service_lines.push(id);
    }
    Ok(Terms {
        number: contracts::proposed_number(store.conn(), bureau, year)?,
        customer_id: customer.clone(),
        kind: p.kind,
        access_bureau: bureau,
        signing_body: if p.tier == Tier::Diamond { "广东省邮政公司" } else { "广州市邮政局" }.to_string(),
        tier: p.tier,
        service_lines,
        price_terms: p.price.to_string(),
        discount_terms: p.discount.to_string(),
        term_length: term(p.start, p.end),
        renewal: "期满前一个月双方协商续签,未提出异议的自动顺延一年".to_string(),
        payment: "按月结算,次月10日前付清上月邮资".to_string(),
        penalties: "逾期付款按日万分之五计违约金;邮件延误按邮政法规定赔偿".to_string(),
        value: Some(yuan(p.value)),
        start_on: Some(p.start),
        end_on: Some(p.end),
    })
}

/// The people and customers the demo's contracts are written with.
struct Writer {
    manager: Staff,
    supervisor: Staff,
    leader: Staff,
    customers: Vec<CustomerId>,
    bureau: i64,
    written: usize,
}

impl Writer {
    fn draft(&mut self, store: &mut Store, who: usize, plan: &Plan, drafted: NaiveDate) -> Result<i64, DbError> {
        // Fewer customers than contracts: some have two.
        let customer = &self.customers[who % self.customers.len()];
        let t = terms(store, customer, self.bureau, drafted.year(), plan)?;
        self.written += 1;
        contracts::create(store, &at(&self.manager, drafted, 9), &t)
    }

    fn version(store: &Store, id: i64) -> Result<i64, DbError> {
        contracts::load(store.conn(), id).map(|c| c.version)
    }

    fn submit(&self, store: &mut Store, id: i64, on: NaiveDate) -> Result<(), DbError> {
        let v = Self::version(store, id)?;
        contracts::submit(store, &at(&self.manager, on, 10), id, v)
    }

    fn approve(&self, store: &mut Store, who: &Staff, id: i64, on: NaiveDate, opinion: &str) -> Result<(), DbError> {
        let v = Self::version(store, id)?;
        contracts::approve(store, &at(who, on, 15), id, v, opinion)
    }

    /// Submitted, approved by the supervisor and the leader, signed.
    fn through(&self, store: &mut Store, id: i64, submitted: NaiveDate, signed: NaiveDate) -> Result<(), DbError> {
        self.submit(store, id, submitted)?;
        self.approve(store, &self.supervisor, id, submitted + Days::new(2), "同意")?;
        self.approve(store, &self.leader, id, submitted + Days::new(3), "同意签约")?;
        self.sign(store, id, signed)
    }

    fn sign(&self, store: &mut Store, id: i64, on: NaiveDate) -> Result<(), DbError> {
        let v = Self::version(store, id)?;
        contracts::sign(store, &at(&self.manager, on, 16), id, v, on)
    }

    fn file(&self, store: &mut Store, id: i64, on: NaiveDate, note: &str) -> Result<(), DbError> {
        let v = Self::version(store, id)?;
        contracts::file(store, &at(&self.manager, on, 10), id, v, on, "广东省函件集邮局", note)
    }

    fn copy(
        &self,
        store: &mut Store,
        id: i64,
        on: NaiveDate,
        copy: (CopyKind, u32, &str, &str),
    ) -> Result<(), DbError> {
        let (kind, copies, sent_to, note) = copy;
        let new = NewCopy { kind, copies, sent_to: sent_to.to_string(), sent_on: on, note: note.to_string() };
        contracts::add_copy(store, &at(&self.manager, on, 11), id, &new).map(|_| ())
    }
}

/// Writes the demo's contracts as of `today`; how many contracts, and how
/// many log entries name one. None when the first manager has no customer
/// or the access bureau lacks its supervisor or leader.
pub fn generate(store: &mut Store, today: NaiveDate, first_manager: i64) -> Result<(usize, usize), DbError> {
    let by_id = "SELECT id, login, name, unit_id, role FROM staff WHERE id = ?1";
    let Some(manager) = person(store, by_id, args![first_manager])? else { return Ok((0, 0)) };
    let customers: Vec<CustomerId> = store.conn().rows(
        "SELECT id FROM customer WHERE owner_a = ?1 AND archived = 0 AND registration = 'approved' \
         ORDER BY tier_rank, id LIMIT 7",
        args![first_manager],
        |r| r.get(0),
    )?;
    if customers.is_empty() {
        return Ok((0, 0));
    }
    let bureau = contracts::default_access_bureau(store.conn(), &customers[0])?;
    let in_unit = "SELECT id, login, name, unit_id, role FROM staff WHERE unit_id = ?1 AND status = 'active' \
                   AND role = ?2 ORDER BY id";
    let Some(supervisor) = person(store, in_unit, args![bureau, "supervisor"])? else { return Ok((0, 0)) };
    let Some(leader) = person(store, in_unit, args![bureau, "leader"])? else { return Ok((0, 0)) };
    let mut w = Writer { manager, supervisor, leader, customers, bureau, written: 0 };
    diamond_filed(store, &mut w, today)?;
    in_force(store, &mut w, today)?;
    in_approval(store, &mut w, today)?;
    // One agreement-stage log entry, with the diamond contract.
    Ok((w.written, 1))
}

fn first(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default()
}

fn last(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default()
}

/// A diamond contract through SPEC §12's five steps, signed and filed, and
/// the agreement-stage log entry that names it.
fn diamond_filed(store: &mut Store, w: &mut Writer, today: NaiveDate) -> Result<(), DbError> {
    let day = |back: u64| today - Days::new(back);
    let plan = Plan {
        tier: Tier::Diamond,
        kind: ContractKind::Contract,
        lines: &["bill", "letters", "express"],
        value: 6_800_000,
        price: "帐单按函件标准资费执行;特快专递按协议价",
        discount: "制作费(印刷、封装)按8级标准六折,基本资费不打折",
        start: first(today.year()),
        end: last(today.year() + 1),
    };
    let id = w.draft(store, 0, &plan, day(120))?;
    w.submit(store, id, day(118))?;
    w.copy(store, id, day(118), (CopyKind::Original, 4, "广东省函件集邮局", "随局文报送"))?;
    let opinions = [
        "同意报省函件集邮局审批",
        "省函件集邮局业务、计财部门审核通过",
        "省函件集邮局领导同意",
        "省公司市场部会签质监、运维、计财意见:同意,由省公司签约",
        "省局修改定稿后返回市局签署",
    ];
    for (i, opinion) in (0u64..).zip(opinions) {
        w.approve(store, &w.supervisor.clone(), id, day(116 - 6 * i), opinion)?;
    }
    w.sign(store, id, day(85))?;
    w.copy(store, id, day(84), (CopyKind::Counterpart, 2, "客户(双方各执)", ""))?;
    w.file(store, id, day(80), "报省备案,复印件一份")?;
    let entry = NewLogEntry {
        customer_id: w.customers[0].clone(),
        logged_on: day(85),
        method: Method::Meeting,
        stage: DealStage::Agreement,
        content: "与客户财务部、办公室共同确认合同最终文本,双方签署帐单寄递服务合同".to_string(),
        needs: "月度帐单量约30万件,要求次日投递".to_string(),
        cooperation: "签约,进入执行".to_string(),
        satisfaction: Some(Satisfaction::Satisfied),
        next_step: "安排首月帐单交寄与对帐".to_string(),
        next_due: Some(day(70)),
        our_people: w.supervisor.name.clone(),
        their_people: "财务部 陈经理".to_string(),
        visit_id: None,
    };
    contracts::write_log(store, &at(&w.manager, day(85), 18), &entry, Some(id))?;
    Ok(())
}

/// A platinum contract ending within the month (filed), a gold one signed
/// this year, and last year's, ended at its end date.
fn in_force(store: &mut Store, w: &mut Writer, today: NaiveDate) -> Result<(), DbError> {
    let day = |back: u64| today - Days::new(back);
    let year = today.year();
    let ending = Plan {
        tier: Tier::Platinum,
        kind: ContractKind::Agreement,
        lines: &["dm", "letters"],
        value: 2_400_000,
        price: "商函按标准资费,广告印刷另计",
        discount: "制作费七折(7级)",
        start: day(700),
        end: today + Days::new(25),
    };
    let id = w.draft(store, 1, &ending, day(760))?;
    w.through(store, id, day(755), day(745))?;
    w.file(store, id, day(740), "报省备案")?;
    let gold = Plan {
        tier: Tier::Gold,
        kind: ContractKind::Contract,
        lines: &["express", "parcels"],
        value: 850_000,
        price: "特快专递同城件12元起,省内件15元起",
        discount: "月结量超过3000件的部分九折",
        start: first(year),
        end: last(year + 1),
    };
    let id = w.draft(store, 2, &gold, day(60))?;
    w.through(store, id, day(58), day(50))?;
    let old = Plan {
        tier: Tier::Gold,
        kind: ContractKind::Contract,
        lines: &["letters", "dm"],
        value: 300_000,
        price: "函件按标准资费",
        discount: "无",
        start: first(year - 1),
        end: last(year - 1),
    };
    let drafted = first(year - 1) - Days::new(40);
    let id = w.draft(store, 6, &old, drafted)?;
    w.through(store, id, drafted + Days::new(2), drafted + Days::new(10))?;
    let v = Writer::version(store, id)?;
    let ended = first(year);
    contracts::end(store, &at(&w.manager, ended, 9), id, v, ended, "到期终止,客户业务并入集团框架协议")?;
    Ok(())
}

/// One waiting for the city supervisor's approval, one for the leader's,
/// and one the leader refused, back in draft with the reason.
fn in_approval(store: &mut Store, w: &mut Writer, today: NaiveDate) -> Result<(), DbError> {
    let day = |back: u64| today - Days::new(back);
    let ahead = |days: u64| today + Days::new(days);
    let year = today.year();
    let waiting = Plan {
        tier: Tier::Gold,
        kind: ContractKind::Contract,
        lines: &["bill"],
        value: 1_200_000,
        price: "帐单按标准资费",
        discount: "制作费八五折(4级),封装免费",
        start: ahead(10),
        end: last(year + 2),
    };
    let id = w.draft(store, 3, &waiting, day(4))?;
    w.submit(store, id, day(3))?;
    w.copy(store, id, day(3), (CopyKind::Original, 2, "广州市邮政局大客户中心", ""))?;
    let second = Plan {
        tier: Tier::Silver,
        kind: ContractKind::Framework,
        lines: &["logistics", "parcels"],
        value: 560_000,
        price: "仓储配送按件计费,详见附件报价单",
        discount: "集团协议价",
        start: ahead(20),
        end: last(year + 1),
    };
    let id = w.draft(store, 4, &second, day(9))?;
    w.submit(store, id, day(8))?;
    w.approve(store, &w.supervisor.clone(), id, day(2), "资费符合集团协议,同意")?;
    let refused = Plan {
        tier: Tier::Gold,
        kind: ContractKind::Contract,
        lines: &["letters"],
        value: 400_000,
        price: "函件按标准资费",
        discount: "基本资费八折",
        start: ahead(30),
        end: last(year + 1),
    };
    let id = w.draft(store, 5, &refused, day(20))?;
    w.submit(store, id, day(19))?;
    w.approve(store, &w.supervisor.clone(), id, day(17), "请领导审定折扣")?;
    let v = Writer::version(store, id)?;
    let why = "基本资费折扣须报省公司市场部审批,市局无权批准;请改为制作费优惠后重新提交";
    contracts::refuse(store, &at(&w.leader, day(15), 11), id, v, why)?;
    Ok(())
}
