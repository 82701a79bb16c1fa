//! The demo's daily work on top of customers, visits and revenue: marketing-log
//! entries through the deal stages for each account manager's leading
//! customers, supervisors' comments on some of them (the recent ones not yet
//! read, so Today shows them), complaints in every state of the workflow (some
//! overdue, one the customer was unsatisfied with, one whose monthly follow-up
//! is due), and explanations for some of last month's revenue fluctuations.
//!
//! Everything goes through the db functions the screens use, as the users
//! named in it, at times before the demo's day; all choices come from a
//! stream derived from the seed, so the same options give the same data. The
//! amount of it grows with the number of account managers, not of customers.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use super::org::{mobile, person_name};
use super::rng::SplitMix64;
use crate::db::analysis::{AnalysisScope, monthly};
use crate::db::complaints::{self, NewComplaint, StepDetails};
use crate::db::customers::{self, CustomerFilter, CustomerQuery, CustomerRow, SortColumn};
use crate::db::marketing::{self, NewLogEntry};
use crate::db::reference::{self, Reference};

use crate::db::{Actor, DbError, Store, Tx};
use crate::domain::complaint::{Category, Channel, Locality, Satisfaction, Severity, Transition};
use crate::domain::marketing_log::{DealStage, Method};
use crate::domain::revenue::{Month, StatusRules};
use crate::domain::staff::{Role, Staff};
use crate::domain::tier::Tier;

/// Customers per account manager with a deal in the marketing log.
const LOGGED_CUSTOMERS: u64 = 8;
/// Comments on entries logged within this many days of the demo's day are not read yet.
const UNREAD_DAYS: u64 = 10;
/// At most this many of last month's fluctuations come explained.
const EXPLAINED: usize = 30;

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activity {
    pub log_entries: usize,
    /// Supervisors' comments and read marks.
    pub log_comments: usize,
    pub complaints: usize,
    pub explanations: usize,
}

/// How an entry at each deal stage was made, what it says, the customer's
/// needs and the next step.
type Entry = (Method, &'static str, &'static str, &'static str);
const INITIAL_CONTACT: &[Entry] = &[
    (
        Method::Visit,
        "首次上门拜访客户办公室主任,介绍邮政帐单寄递和商业信函业务",
        "每月对帐单约1.5万件,目前由快递公司寄送",
        "整理客户现有寄递量,准备初步方案",
    ),
    (Method::Phone, "电话联系客户行政部,了解全年用邮情况和寄递渠道", "年底需寄发客户答谢函约8000件", "预约上门面谈"),
    (Method::Meeting, "在行业座谈会上与客户采购负责人初步接触", "关注寄递时效和签收反馈", "发送邮政综合服务介绍资料"),
    (Method::Email, "通过电子邮件向客户发送邮政综合服务介绍", "电商小包日均约200件,希望上门揽收", "约客户物流主管面谈"),
    (Method::Other, "经客户介绍加微信,与行政主管线上沟通寄递需求", "希望了解集邮定制礼品", "寄送集邮产品册"),
];
const PROPOSAL: &[Entry] = &[
    (
        Method::Meeting,
        "与客户财务部讨论帐单寄递一体化方案(数据处理、打印、封装、寄递)",
        "希望帐单3个工作日内妥投,可查询投递结果",
        "按客户数据量测算资费",
    ),
    (Method::Visit, "上门与客户市场部协商商函按小区精准直投方案", "春节前完成2万户直投", "提交直投区域清单和样品"),
    (Method::Meeting, "召开三方协调会,讨论上门揽收时间和月结方式", "每天下午4点前上门揽收", "内部确认揽收路线和车辆"),
    (Method::Phone, "电话沟通EMS协议客户方案,对比现有快递价格", "要求提供价格对比表", "准备正式报价单"),
];
const QUOTATION: &[Entry] = &[
    (Method::Email, "发送帐单寄递报价:每件0.85元(含打印封装),月结", "客户要求再优惠5%", "请示主管后答复价格"),
    (Method::Visit, "上门递交商函直投报价及投递时限承诺", "客户对价格基本认可,需内部审批", "跟进客户审批进度"),
    (Method::Visit, "上门递交EMS协议价格方案并解释计费规则", "关注偏远地区附加费", "补充偏远地区价格说明"),
    (Method::Other, "通过微信发送报价单电子版,客户已转采购部", "采购部要求三家比价", "准备比价说明材料"),
];
const AGREEMENT: &[Entry] = &[
    (Method::Visit, "上门签订年度帐单寄递协议,自下月起执行", "首月需安排专人对接数据", "安排首批帐单试寄"),
    (Method::Meeting, "与客户召开签约会,确认商函直投合作并签署委托书", "春节前分两批投递", "向投递部下发投递计划"),
    (Method::Visit, "续签EMS月结协议一年,价格维持不变", "希望增加电子回单", "跟进与客户系统对接"),
];
const COOPERATION: &[&str] =
    &["首次合作", "已合作两年,业务稳定", "目前主要使用快递公司,邮政份额较小", "帐单业务已合作,正在拓展商函"];
const THEIR_TITLES: &[&str] = &["办公室主任", "财务部经理", "行政主管", "采购经理", "副总经理"];
const SUPERVISOR_COMMENTS: &[&str] = &[
    "报价前先和我沟通优惠幅度",
    "跟进及时,下周请安排我一起拜访",
    "注意协议中的赔偿条款,请法务看一下",
    "方案可行,尽快推进签约",
    "请补充客户全年用邮量数据",
    "客户对价格敏感,可考虑阶梯价",
];

/// What a complaint is about: category, description, department, and the result once resolved.
const COMPLAINTS: &[(Category, &str, &str, &str)] = &[
    (Category::Delay, "本月对帐单延误3天送达,影响客户催缴", "投递部", "查明为分拣环节积压,已加派人手并向客户致歉"),
    (
        Category::LossDamage,
        "寄往深圳的合同文件未妥投,客户要求查找并赔偿",
        "邮件处理中心",
        "邮件已找回并妥投,按协议赔付邮费",
    ),
    (
        Category::WrongAddress,
        "部分商函因地址错误被退回,客户质疑数据处理质量",
        "商函制作中心",
        "核对数据后确认为客户地址库有误,已协助清洗地址",
    ),
    (Category::ReturnedMail, "大批量帐单被退回,客户要求说明原因", "投递部", "退回原因为收件人搬迁,已提供退信明细"),
    (Category::Billing, "月结帐单金额与实际寄递量不符", "客服中心", "重新核对寄递清单,退还多收费用"),
    (Category::ServiceAttitude, "揽收员态度生硬,未按约定时间上门", "揽投部", "已对揽收员批评教育并调整揽收班次"),
];
const TEAM: &str = "市场部 王丽、业务部 陈刚、技术部 刘洋、客服中心 张敏";

/// Where a demo complaint ends up, each with when it came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Received three days ago and not yet handed on: overdue.
    Received,
    /// Assigned but not started: overdue.
    Assigned,
    /// A rural customer's from yesterday, being handled: time left.
    InProgress,
    /// A special case from two days ago, phoned, being handled: time left.
    SpecialCase,
    /// Beyond the account manager, up at the supervisor: overdue.
    Escalated,
    /// Resolved in time, waiting for the customer's word.
    Resolved,
    /// Resolved, and the customer was not satisfied.
    Unsatisfied,
    /// Confirmed satisfied and closed.
    Closed,
    /// Resolved six weeks ago, still affecting business: the monthly note is due.
    FollowUpDue,
}

impl Outcome {
    const ALL: [Outcome; 9] = [
        Outcome::Received,
        Outcome::Assigned,
        Outcome::InProgress,
        Outcome::SpecialCase,
        Outcome::Escalated,
        Outcome::Resolved,
        Outcome::Unsatisfied,
        Outcome::Closed,
        Outcome::FollowUpDue,
    ];

    /// Days before the demo's day it was received, and where.
    fn received(self) -> (u64, Locality) {
        match self {
            Outcome::Received => (3, Locality::City),
            Outcome::Assigned => (2, Locality::City),
            Outcome::InProgress => (1, Locality::Rural),
            Outcome::SpecialCase => (2, Locality::Special),
            Outcome::Escalated => (5, Locality::City),
            Outcome::Resolved => (6, Locality::City),
            Outcome::Unsatisfied => (12, Locality::City),
            Outcome::Closed => (25, Locality::Rural),
            Outcome::FollowUpDue => (45, Locality::City),
        }
    }
}

/// The first account manager's complaints: one overdue, one with time left,
/// one waiting for the customer's word, one unsatisfied, one follow-up due.
const FIRST_MANAGERS: [Outcome; 5] =
    [Outcome::Received, Outcome::InProgress, Outcome::Resolved, Outcome::Unsatisfied, Outcome::FollowUpDue];

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

fn actor(staff: &Staff, at: NaiveDateTime) -> Actor {
    Actor { staff: staff.clone(), at }
}

/// The supervisor over a unit: of the unit itself, else of the nearest unit above.
fn supervisor_of(refs: &Reference, unit: i64) -> Option<&Staff> {
    let mut unit = Some(unit);
    while let Some(u) = unit {
        if let Some(s) = refs.staff.iter().find(|s| s.role == Role::Supervisor && s.unit_id == u) {
            return Some(s);
        }
        unit = refs.unit(u).and_then(|x| x.parent_id);
    }
    refs.staff.iter().find(|s| s.role == Role::Supervisor)
}

/// A manager's leading approved customers, highest tier first.
fn leading_customers(conn: &crate::db::Conn, owner: i64, n: u64) -> Result<Vec<CustomerRow>, DbError> {
    let query = CustomerQuery {
        filter: CustomerFilter { owner: Some(owner), ..Default::default() },
        sort: SortColumn::Tier,
        ..Default::default()
    };
    Ok(customers::page(conn, &query, 0, n * 3)?
        .into_iter()
        .filter(|c| c.registration == "approved" && !c.archived)
        .take(usize::try_from(n).unwrap_or(usize::MAX))
        .collect())
}

/// Writes the demo's log, comments, complaints and explanations.
pub fn generate(store: &mut Store, seed: u64, today: NaiveDate, first_manager: i64) -> Result<Activity, DbError> {
    // A stream of its own, so the data generated before stays as it was.
    let mut rng = SplitMix64::new(seed ^ 0x5eed_ac71_0000_0006);
    let refs = reference::load(store.conn())?;
    let mut managers: Vec<Staff> = refs.staff.iter().filter(|s| s.role == Role::Manager).cloned().collect();
    managers.sort_by_key(|m| (m.id != first_manager, m.id));
    let mut done = Activity::default();
    // One transaction for everyone's work: a few hundred rows, and one commit
    // (a commit waits for the disk) rather than one per entry.
    store.write(|tx| {
        for (i, manager) in managers.iter().enumerate() {
            let Some(supervisor) = supervisor_of(&refs, manager.unit_id).cloned() else { continue };
            let customers = leading_customers(tx, manager.id, LOGGED_CUSTOMERS)?;
            let first = manager.id == first_manager;
            deals(tx, &mut rng, today, manager, &supervisor, &customers, first, &mut done)?;
            let outcomes: Vec<Outcome> = if first {
                FIRST_MANAGERS.to_vec()
            } else {
                vec![Outcome::ALL[(2 * i) % Outcome::ALL.len()], Outcome::ALL[(2 * i + 1) % Outcome::ALL.len()]]
            };
            let picked = rng.some_of(&customers, outcomes.len());
            for (outcome, customer) in outcomes.into_iter().zip(picked) {
                complaint(tx, &mut rng, today, outcome, customer, manager, &supervisor)?;
                done.complaints += 1;
            }
        }
        done.explanations = explain_fluctuations(tx, &mut rng, today, &refs)?;
        Ok(())
    })?;
    Ok(done)
}

/// Each customer's deal from the first contact to the stage it has reached,
/// an entry every one to three weeks over the last three months; the
/// supervisor reads some and comments on a few.
#[allow(clippy::too_many_arguments)]
fn deals(
    tx: &Tx<'_>,
    rng: &mut SplitMix64,
    today: NaiveDate,
    manager: &Staff,
    supervisor: &Staff,
    customers: &[CustomerRow],
    first: bool,
    done: &mut Activity,
) -> Result<(), DbError> {
    let mut written: Vec<(i64, NaiveDate)> = Vec::new();
    for customer in customers {
        // Diamond customers have every stage logged; others stop where the deal stands.
        let reached = if customer.tier == Tier::Diamond { 3 } else { rng.index(4) };
        let mut day = today - Days::new(rng.in_range(45u32, 85).into());
        let mut their = format!("{} {}", rng.pick(THEIR_TITLES), person_name(rng));
        for stage in &DealStage::ALL[..=reached] {
            if day >= today {
                break;
            }
            let (method, content, needs, next_step) = *rng.pick(match stage {
                DealStage::InitialContact => INITIAL_CONTACT,
                DealStage::ProposalNegotiation => PROPOSAL,
                DealStage::Quotation => QUOTATION,
                DealStage::Agreement => AGREEMENT,
            });
            if rng.chance(300) {
                their = format!("{} {}", rng.pick(THEIR_TITLES), person_name(rng));
            }
            let mut our = manager.name.clone();
            if method == Method::Meeting {
                our = format!("{our}、{}", supervisor.name);
            }
            let agreed = *stage == DealStage::Agreement;
            let entry = NewLogEntry {
                customer_id: customer.id.clone(),
                logged_on: day,
                method,
                stage: *stage,
                content: content.to_string(),
                needs: needs.to_string(),
                cooperation: rng.pick(COOPERATION).to_string(),
                satisfaction: agreed
                    .then(|| if rng.chance(700) { Satisfaction::Satisfied } else { Satisfaction::BasicallySatisfied }),
                next_step: next_step.to_string(),
                next_due: Some(day + Days::new(if agreed { 30 } else { rng.in_range(7u32, 14).into() })),
                our_people: our,
                their_people: their.clone(),
                visit_id: None,
            };
            let written_at = at(day, rng.in_range(16, 18), 30);
            let id = marketing::write_in(tx, &actor(manager, written_at), &entry)?;
            done.log_entries += 1;
            written.push((id, day));
            day = day + Days::new(rng.in_range(7u32, 21).into());
        }
    }
    // The supervisor reads about one entry in three, commenting on most of
    // those; the first account manager's two latest always get a comment.
    written.sort_by_key(|(id, day)| (*day, *id));
    let latest: Vec<i64> = written.iter().rev().take(2).map(|(id, _)| *id).collect();
    for (id, day) in written {
        let forced = first && latest.contains(&id);
        if !forced && !rng.chance(330) {
            continue;
        }
        let when = at(day + Days::new(1), 9, 15).min(at(today, 8, 0));
        let text = (forced || rng.chance(750)).then(|| *rng.pick(SUPERVISOR_COMMENTS));
        let comment = marketing::comment_in(tx, &actor(supervisor, when), id, text)?;
        done.log_comments += 1;
        // Older comments have been read by their author; recent ones (and the
        // first account manager's latest two) wait on Today.
        if text.is_some() && !forced && day + Days::new(UNREAD_DAYS) < today {
            marketing::mark_seen_in(tx, &actor(manager, when + TimeDelta::hours(1)), comment)?;
        }
    }
    Ok(())
}

/// Files one complaint and takes it through the workflow to `outcome`, each
/// step by whoever takes it in practice, an hour or a few apart.
fn complaint(
    tx: &Tx<'_>,
    rng: &mut SplitMix64,
    today: NaiveDate,
    outcome: Outcome,
    customer: &CustomerRow,
    manager: &Staff,
    supervisor: &Staff,
) -> Result<(), DbError> {
    let (days_ago, locality) = outcome.received();
    let (category, description, department, result) = *rng.pick(COMPLAINTS);
    let received_at = at(today - Days::new(days_ago), rng.in_range(9, 15), 5 * rng.in_range(0, 11));
    // Hotline complaints reach the supervisor first; the rest the account manager.
    let hotline = rng.chance(400);
    let receiver = if hotline { supervisor } else { manager };
    let new = NewComplaint {
        customer_id: customer.id.clone(),
        received_at,
        channel: if hotline { Channel::Hotline } else { *rng.pick(&[Channel::Phone, Channel::Visit, Channel::Email]) },
        complainant: person_name(rng),
        contact: mobile(rng),
        category,
        description: description.to_string(),
        severity: if outcome == Outcome::Escalated { Severity::High } else { Severity::Normal },
        locality,
        department: department.to_string(),
    };
    let mut now = received_at;
    let (id, _) = complaints::file_in(tx, &actor(receiver, now), &new)?;
    let note = |text: &str| StepDetails { note: text.to_string(), ..StepDetails::default() };
    if outcome == Outcome::Received {
        return Ok(());
    }
    let assign = StepDetails { handler: Some(manager.id), ..note("转客户经理处理") };
    step(tx, id, &mut now, (receiver, 30), Transition::Assign, &assign)?;
    if outcome == Outcome::Assigned {
        return Ok(());
    }
    step(tx, id, &mut now, (manager, 40), Transition::Start, &note("已联系相关部门核查"))?;
    if locality == Locality::Special {
        now += TimeDelta::minutes(20);
        complaints::record_phone_contact_in(tx, &actor(manager, now), id, "已电话联系客户,说明处理进度")?;
    }
    match outcome {
        Outcome::InProgress | Outcome::SpecialCase => return Ok(()),
        Outcome::Escalated => {
            let up = note("涉及跨部门赔偿,需主管协调");
            return step(tx, id, &mut now, (manager, 90), Transition::Escalate, &up);
        }
        _ => {}
    }
    if matches!(customer.tier, Tier::Diamond | Tier::Platinum | Tier::District) {
        now += TimeDelta::minutes(30);
        complaints::name_team_in(tx, &actor(supervisor, now), id, TEAM)?;
    }
    let follow_up = outcome == Outcome::FollowUpDue;
    let resolve = StepDetails { result: result.to_string(), follow_up, ..note(result) };
    step(tx, id, &mut now, (manager, 180), Transition::Resolve, &resolve)?;
    if outcome == Outcome::Resolved {
        return Ok(());
    }
    let (word, said) = match outcome {
        Outcome::Unsatisfied => (Satisfaction::Unsatisfied, "客户认为赔偿偏低,对处理结果不满意"),
        Outcome::FollowUpDue => (Satisfaction::BasicallySatisfied, "客户基本满意,但担心后续帐单时效"),
        _ => (Satisfaction::Satisfied, "客户对处理结果满意"),
    };
    step(tx, id, &mut now, (manager, 24 * 60), Transition::ConfirmSatisfaction(word), &note(said))?;
    if outcome == Outcome::Unsatisfied {
        return Ok(());
    }
    step(tx, id, &mut now, (supervisor, 120), Transition::Close, &note("结案"))
}

/// One step of complaint `id` by `who`, `minutes` after the one before.
fn step(
    tx: &Tx<'_>,
    id: i64,
    now: &mut NaiveDateTime,
    (who, minutes): (&Staff, i64),
    t: Transition,
    d: &StepDetails,
) -> Result<(), DbError> {
    *now += TimeDelta::minutes(minutes);
    let current = complaints::load(tx, id)?;
    complaints::step_in(tx, &actor(who, *now), &current, t, d).map(|_| ())
}

/// Explains some of last month's fluctuations, as their account managers
/// would; the rest wait for an explanation on the analysis screen.
fn explain_fluctuations(
    tx: &Tx<'_>,
    rng: &mut SplitMix64,
    today: NaiveDate,
    refs: &Reference,
) -> Result<usize, DbError> {
    const FALLS: &[&str] = &[
        "客户年底预算收紧,暂停部分商函投递",
        "客户将部分快件转给民营快递,正在跟进挽回",
        "上月有一次性批量寄发,本月回落正常",
        "客户系统升级,帐单延后至下月寄发",
    ];
    const RISES: &[&str] = &["客户新增分支机构,寄递量增加", "年终对帐单集中寄发", "新签商函直投项目开始执行"];
    let month = Month::of(today).prev();
    let analysis = monthly(tx, month, AnalysisScope::All, &StatusRules::default())?;
    let mut explained = 0;
    for (i, f) in analysis.fluctuations.iter().enumerate() {
        if explained >= EXPLAINED {
            break;
        }
        // Every third one, so both explained and unexplained ones show.
        if i % 3 != 1 {
            continue;
        }
        let Some(owner) = refs.staff(f.customer.owner_a) else { continue };
        let text = if f.change.is_sign_negative() { rng.pick(FALLS) } else { rng.pick(RISES) };
        let when = at(today - Days::new(rng.in_range(1u32, 5).into()), 10, 0);
        crate::db::revenue::explain_fluctuation_in(tx, &actor(owner, when), &f.customer.id, month, text)?;
        explained += 1;
    }
    Ok(explained)
}
