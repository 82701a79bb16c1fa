//! Issue 14: every public write function of `src/db` asks the access rules.
//!
//! Each function is called, on a fresh copy of one small office, by each of
//! seven people: the account manager who owns the customer, another account
//! manager of the same unit, an account manager of another unit, a supervisor
//! of the customer's unit, a supervisor of another unit, the customer
//! administrator and a leader. The outcome must be the one the table below
//! says, and a refusal must leave the file exactly as it was.
//!
//! **Adding a write function.** The test finds every `pub`/`pub(crate)`
//! function under `src/db` that writes (it takes `&mut Store`, a
//! `Transaction` or `&mut Connection`, or its body runs writing SQL) and fails
//! until each is listed here: add a `case(...)` line to [`cases`] with what it
//! does and the seven outcomes (`a` allowed, `r` refused, `-` accepted without
//! writing), or, for a function that rightly asks nobody (a schema step, a
//! derived cache, seeding a new file), a line in [`EXEMPT`] saying why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common;

use common::*;
use kam::db::analysis_report;
use kam::db::appraisal;
use kam::db::complaints::{self, NewComplaint, StepDetails};
use kam::db::contracts;
use kam::db::customers::{self, Registration};
use kam::db::marketing::{self, NewLogEntry};
use kam::db::records::{self, RecordKind};
use kam::db::reference::{self, NewStaff, StaffChange};
use kam::db::requests;
use kam::db::revenue::{self, RevenueEntry};
use kam::db::setup::{self, NewUnit, RefList, SetupError};
use kam::db::sql::{Sql, args};
use kam::db::visits::{self, NewVisit, Outcome, Reschedule};
use kam::db::{Actor, DbError, Store};
use kam::domain::complaint::{Category, Channel, Locality, Satisfaction, Severity, Transition};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::marketing_log::{DealStage, Method};
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::{Role, Staff};
use kam::domain::tier::{Tier, TierPreset};
use kam::domain::visit::{ParticipantRole, VisitKind};
use kam::import::customers::CustomerRow;
use kam::import::persons::PersonRow;

const GD: TierPreset = TierPreset::GuangdongScore;

/// The six people, in the order of the table's outcome columns.
const ROLES: [&str; 7] = [
    "manager owning",
    "manager not owning",
    "manager of another unit",
    "supervisor of the unit",
    "supervisor of another unit",
    "administrator",
    "leader",
];

/// The office every case starts from, with the ids the cases need.
struct Office {
    people: [Staff; 7],
    unit: i64,
    customer: CustomerId,
    person: i64,
    visit: i64,
    log: i64,
    comment: i64,
    /// Just filed by the owning manager.
    received: i64,
    /// Escalated by the owning manager, its handler.
    escalated: i64,
    /// Resolved, and the customer said they are not satisfied.
    unsatisfied: i64,
    service_line: i64,
    /// A service request the owning manager took: notified at once.
    request_notified: i64,
    /// A service request the other unit's manager took for the customer: open.
    request_open: i64,
    /// Contracts of the customer (issue 18): a draft, one waiting on its
    /// first step (the unit's supervisor's), one on its second (the
    /// leader's), one whose chain is complete, a signed platinum one.
    contracts: [i64; 5],
    /// Approved prospects of the owner at the survey, the prioritisation
    /// and the expansion (development pipeline, issue 18).
    prospects: [CustomerId; 3],
}

fn staff_in(store: &mut Store, login: &str, name: &str, unit: i64, role: Role) -> Staff {
    let id = store
        .write(|tx| {
            reference::insert_staff(tx, &NewStaff { login: Some(login), name, unit_id: unit, role, phone: None })
        })
        .unwrap();
    Staff { id, login: Some(login.into()), name: name.into(), unit_id: unit, role }
}

fn new_complaint(customer: &str) -> NewComplaint {
    NewComplaint {
        customer_id: kam::domain::id::CustomerId::parse(customer).unwrap(),
        received_at: at(2026, 11, 23, 8, 30),
        channel: Channel::Phone,
        complainant: "陈先生".into(),
        contact: "13900001111".into(),
        category: Category::Delay,
        description: "月结帐单延误三天送达".into(),
        severity: Severity::Normal,
        locality: Locality::City,
        department: "投递部".into(),
    }
}

fn step(store: &mut Store, who: &Staff, id: i64, t: Transition, d: &StepDetails) {
    let base = complaints::load(store.conn(), id).unwrap();
    complaints::step(store, &actor(who), &base, t, d).unwrap();
}

fn new_visit(customer: &str, owner: &Staff) -> NewVisit {
    NewVisit {
        customer_id: kam::domain::id::CustomerId::parse(customer).unwrap(),
        kind: VisitKind::InPerson,
        planned_at: at(2026, 11, 25, 10, 0),
        duration_min: 60,
        owner_id: owner.id,
        purpose: "了解帐单寄递需求".into(),
        staff: vec![(owner.id, ParticipantRole::AccountManager)],
        persons: Vec::new(),
        follows_id: None,
    }
}

fn log_entry(customer: &str) -> NewLogEntry {
    NewLogEntry {
        customer_id: kam::domain::id::CustomerId::parse(customer).unwrap(),
        logged_on: date(2026, 11, 23),
        method: Method::Phone,
        stage: DealStage::InitialContact,
        content: "电话了解下月帐单寄递量".into(),
        needs: String::new(),
        cooperation: String::new(),
        satisfaction: None,
        next_step: String::new(),
        next_due: None,
        our_people: String::new(),
        their_people: String::new(),
        visit_id: None,
    }
}

/// A row of a log sheet (`kam import log`): an entry on paper by `author`.
fn log_row(o: &Office, author: i64) -> kam::import::log::LogRow {
    let entry = NewLogEntry { content: "补录的纸质日志".into(), ..log_entry(o.customer.as_str()) };
    kam::import::log::LogRow { line: 2, author_id: author, entry }
}

/// The log sheet's entry is on file.
fn log_row_entered(conn: &kam::db::Conn, _: &Office) -> bool {
    conn.row("SELECT count(*) FROM marketing_log WHERE content = '补录的纸质日志'", args![], |r| r.get::<i64>(0))
        .unwrap()
        > 0
}

fn person_values(name: &str) -> BTreeMap<&'static str, FieldValue> {
    BTreeMap::from([("name", text(name))])
}

/// The development pipeline (issue 18): the customer approved, and three
/// approved prospects of the owner at the survey, the prioritisation and the
/// expansion.
fn office_prospects(store: &mut Store, m: &Staff, unit: i64, customer: &CustomerId) -> [CustomerId; 3] {
    store.conn().exec("UPDATE customer SET registration = 'approved' WHERE id = ?1", args![customer]).unwrap();
    ["survey", "prioritisation", "expansion"].map(|step| {
        let nc = new_customer(step, &format!("广州{step}有限公司"), unit, m.id);
        let id = customers::create(store, &actor(m), &nc, GD).unwrap();
        store.conn().exec("UPDATE customer SET registration = 'approved' WHERE id = ?1", args![id]).unwrap();
        store
            .conn()
            .exec(
                "INSERT INTO prospect_step (customer_id, step, started_on, due_on, moved_by, moved_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![id, step, date(2026, 3, 2), date(2026, 3, 16), m.id, "2026-03-02 09:00:00"],
            )
            .unwrap();
        id
    })
}

/// Builds the office in `dir/office.db` and closes it (its log folded into the file).
#[expect(clippy::too_many_lines, reason = "one office for every case, built in order")]
fn build_office(dir: &Path) -> (PathBuf, Office) {
    let path = dir.join("office.db");
    let mut store = Store::open(&path).unwrap();
    let org = seed_org(&mut store);
    let other_unit = add_unit(&mut store, "440104", "440104");
    let admin = staff_in(&mut store, "admin", "管理员", org.unit, Role::Admin);
    let other_supervisor = staff_in(&mut store, "zhuguan2", "周敏", other_unit, Role::Supervisor);
    let other_manager = staff_in(&mut store, "jingli9", "吴涛", other_unit, Role::Manager);
    let people = [
        org.manager.clone(),
        org.manager2.clone(),
        other_manager,
        org.supervisor.clone(),
        other_supervisor,
        admin.clone(),
        org.leader.clone(),
    ];
    let m = &org.manager;
    let customer =
        customers::create(&mut store, &actor(m), &new_customer("甲", "广州甲有限公司", org.unit, m.id), GD).unwrap();
    let c = customer.as_str().to_string();
    let person =
        records::insert(&mut store, &actor(m), RecordKind::KeyPerson, &customer, &person_values("林经理")).unwrap();
    let visit = visits::plan(&mut store, &actor(m), &new_visit(&c, m)).unwrap();
    let log = marketing::write(&mut store, &actor(m), &log_entry(&c)).unwrap();
    marketing::comment(&mut store, &actor(&org.supervisor), log, Some("请跟进报价")).unwrap();
    let comment: i64 = store.conn().row("SELECT max(id) FROM log_comment", args![], |r| r.get(0)).unwrap();
    let file = |store: &mut Store| complaints::file(store, &actor(m), &new_complaint(&c)).unwrap().0;
    let received = file(&mut store);
    let note = |text: &str| StepDetails { note: text.into(), ..StepDetails::default() };
    let escalated = file(&mut store);
    let unsatisfied = file(&mut store);
    for id in [escalated, unsatisfied] {
        step(&mut store, m, id, Transition::Assign, &StepDetails { handler: Some(m.id), ..note("转客户经理") });
        step(&mut store, m, id, Transition::Start, &note("核查中"));
    }
    step(&mut store, m, escalated, Transition::Escalate, &note("需主管协调"));
    let resolve = StepDetails { result: "已补发".into(), ..note("已补发") };
    step(&mut store, m, unsatisfied, Transition::Resolve, &resolve);
    let word = Transition::ConfirmSatisfaction(Satisfaction::Unsatisfied);
    step(&mut store, m, unsatisfied, word, &note("客户不满意"));
    let service_line = reference::load(store.conn()).unwrap().service_lines[0].id;
    let cell = RevenueEntry {
        customer_id: customer.clone(),
        month: Month::new(2026, 10).unwrap(),
        service_line_id: service_line,
        amount: yuan("12000"),
    };
    revenue::set_cell(&mut store, &actor(m), &StatusRules::default(), &cell).unwrap();
    let a = actor(&admin);
    let unit = |code: &str| NewUnit {
        code: code.into(),
        name: format!("{code}支局"),
        division: "440106".into(),
        level: None,
        parent: Some("440106".into()),
    };
    setup::add_unit(&mut store, &a, &unit("TST")).unwrap();
    setup::add_unit(&mut store, &a, &unit("OLD")).unwrap();
    setup::archive_unit(&mut store, &a, "OLD").unwrap();
    setup::add_entry(&mut store, &a, RefList::Industry, "testing", "检测", Some("Testing")).unwrap();
    // September's analysis report, submitted by the unit's supervisor (for reopening).
    let september = report_of(org.unit, 9);
    analysis_report::submit(
        &mut store,
        &actor(&org.supervisor),
        september,
        &report_texts(),
        None,
        &StatusRules::default(),
    )
    .unwrap();
    // The appraisal (issue 17): a receivable and an entry of October, and
    // September closed by the unit's supervisor (for reopening).
    let receivable = appraisal_receivable(&customer, service_line, "800");
    appraisal::set_receivable(&mut store, &actor(m), &receivable).unwrap();
    let absent = appraisal_entry(m);
    appraisal::add_entry(&mut store, &actor(&org.supervisor), &absent).unwrap();
    // Plans (issue 18): the customer's second half of 2026 handed in, waiting for its review.
    let h2 = kam::domain::plan::PlanPeriod { first: date(2026, 7, 1), last: date(2026, 12, 31) };
    kam::db::plans::save(&mut store, &actor(m), &customer, h2, &plan_text(), None, true).unwrap();
    let sheets = [(m.id, "{}".to_string())];
    appraisal::close_month(&mut store, &actor(&org.supervisor), org.unit, Month::new(2026, 9).unwrap(), &sheets)
        .unwrap();
    // Service requests (issue 18): one the owner took, one another unit's manager took.
    let request_notified = requests::receive(&mut store, &actor(m), &service_request(&customer)).unwrap().0;
    let request_open = requests::receive(&mut store, &actor(&people[2]), &service_request(&customer)).unwrap().0;
    let contracts = office_contracts(&mut store, &org, &customer, service_line);
    let prospects = office_prospects(&mut store, m, org.unit, &customer);
    drop(store);
    let office = Office {
        people,
        unit: org.unit,
        customer,
        person,
        visit,
        log,
        comment,
        received,
        escalated,
        unsatisfied,
        service_line,
        request_notified,
        request_open,
        contracts,
        prospects,
    };
    (path, office)
}

fn contract_terms(customer: &CustomerId, unit: i64, line: i64, number: &str, tier: Tier) -> contracts::Terms {
    contracts::Terms {
        number: number.into(),
        customer_id: customer.clone(),
        kind: kam::domain::contract::ContractKind::Contract,
        access_bureau: unit,
        signing_body: "广州市邮政局".into(),
        tier,
        service_lines: vec![line],
        price_terms: String::new(),
        discount_terms: "制作费九折".into(),
        term_length: "一年".into(),
        renewal: String::new(),
        payment: "按月结算".into(),
        penalties: String::new(),
        value: Some(yuan("300000")),
        start_on: Some(date(2026, 1, 1)),
        end_on: Some(date(2026, 12, 31)),
    }
}

/// The office's contracts (see [`Office::contracts`]).
fn office_contracts(store: &mut Store, org: &Org, customer: &CustomerId, line: i64) -> [i64; 5] {
    let (m, sup, lead) = (actor(&org.manager), actor(&org.supervisor), actor(&org.leader));
    let v = |store: &Store, id: i64| contracts::load(store.conn(), id).unwrap().version;
    let mut ids = [0; 5];
    for (i, id) in ids.iter_mut().enumerate() {
        let tier = if i == 4 { Tier::Platinum } else { Tier::Gold };
        *id =
            contracts::create(store, &m, &contract_terms(customer, org.unit, line, &format!("HT-{i}"), tier)).unwrap();
        if i == 0 {
            continue;
        }
        contracts::submit(store, &m, *id, v(store, *id)).unwrap();
        if i >= 2 {
            contracts::approve(store, &sup, *id, v(store, *id), "同意").unwrap();
        }
        if i >= 3 {
            contracts::approve(store, &lead, *id, v(store, *id), "同意").unwrap();
        }
        if i == 4 {
            contracts::sign(store, &m, *id, v(store, *id), date(2026, 11, 23)).unwrap();
        }
    }
    ids
}

fn contract_version(s: &Store, id: i64) -> i64 {
    contracts::load(s.conn(), id).unwrap().version
}

/// Contracts and agreements (SPEC §12, issue 18).
fn contract_cases() -> Vec<Case> {
    vec![
        case("contracts/write::create", "a draft for the customer", "arraaar", |s, a, o| {
            came(contracts::create(s, a, &contract_terms(&o.customer, o.unit, o.service_line, "HT-NEW", Tier::Gold)))
        }),
        case("contracts/write::update", "the draft's discount terms", "arraaar", |s, a, o| {
            let id = o.contracts[0];
            let t = contract_terms(&o.customer, o.unit, o.service_line, "HT-0", Tier::Gold);
            contracts::update(
                s,
                a,
                id,
                contract_version(s, id),
                &contracts::Terms { discount_terms: "八折".into(), ..t },
            )
        }),
        case("contracts/write::submit", "the draft", "arraaar", |s, a, o| {
            let id = o.contracts[0];
            contracts::submit(s, a, id, contract_version(s, id))
        }),
        case("contracts/write::approve", "the first step, a supervisor's of the unit", "rrrarrr", |s, a, o| {
            let id = o.contracts[1];
            contracts::approve(s, a, id, contract_version(s, id), "同意")
        }),
        case("contracts/write::approve", "the second step, a leader's of the unit", "rrrrrra", |s, a, o| {
            let id = o.contracts[2];
            contracts::approve(s, a, id, contract_version(s, id), "同意")
        }),
        case("contracts/write::refuse", "the first step, a supervisor's of the unit", "rrrarrr", |s, a, o| {
            let id = o.contracts[1];
            contracts::refuse(s, a, id, contract_version(s, id), "资费条款不清")
        }),
        case("contracts/write::sign", "a contract whose chain is complete", "arraaar", |s, a, o| {
            let id = o.contracts[3];
            contracts::sign(s, a, id, contract_version(s, id), date(2026, 11, 23))
        }),
        case("contracts/write::file", "a signed platinum contract", "arraaar", |s, a, o| {
            let id = o.contracts[4];
            contracts::file(s, a, id, contract_version(s, id), date(2026, 11, 23), "省函件集邮局", "")
        }),
        case("contracts/write::end", "the draft, abandoned with a reason", "arraaar", |s, a, o| {
            let id = o.contracts[0];
            contracts::end(s, a, id, contract_version(s, id), date(2026, 11, 23), "客户改签框架协议")
        }),
        case("contracts/write::add_copy", "four copies sent with the submission", "arraaar", |s, a, o| {
            came(contracts::add_copy(
                s,
                a,
                o.contracts[1],
                &contracts::NewCopy {
                    kind: kam::domain::contract::CopyKind::Original,
                    copies: 4,
                    sent_to: "省函件集邮局".into(),
                    sent_on: date(2026, 11, 20),
                    note: "附局文".into(),
                },
            ))
        }),
        case("contracts/write::write_log", "an agreement-stage entry naming the draft", "arraaar", |s, a, o| {
            let entry = NewLogEntry { stage: DealStage::Agreement, ..log_entry(o.customer.as_str()) };
            came(contracts::write_log(s, a, &entry, Some(o.contracts[0])))
        }),
        case("contracts/chain::set_chain", "gold's chain", "rrrrrar", |s, a, _| {
            let step = |name: &str, role| kam::domain::contract::ChainStep {
                name: name.into(),
                role,
                scope: kam::domain::contract::StepScope::AccessBureau,
            };
            contracts::set_chain(
                s,
                a,
                Tier::Gold,
                &[step("主管审核", Role::Supervisor), step("领导审批", Role::Leader)],
            )
        }),
    ]
}

/// October's pieces of the customer on the office's service line.
fn pieces(o: &Office, n: u64) -> kam::db::volume::VolumeEntry {
    kam::db::volume::VolumeEntry {
        customer_id: o.customer.clone(),
        month: Month::new(2026, 10).unwrap(),
        service_line_id: o.service_line,
        pieces: n,
    }
}

/// October's returned mail of the customer: `returned` of 1,000 posted.
fn returns(o: &Office, returned: u64) -> kam::db::volume::ReturnsEntry {
    kam::db::volume::ReturnsEntry {
        customer_id: o.customer.clone(),
        month: Month::new(2026, 10).unwrap(),
        returns: kam::domain::volume::Returns { posted: 1000, returned },
        reasons: Vec::new(),
    }
}

/// What a call came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Came {
    /// Done.
    Allowed,
    /// Refused by the access rules.
    Refused,
    /// Accepted but nothing written (comments on someone else's entry).
    Ignored,
}

fn came<T: std::fmt::Debug>(r: Result<T, DbError>) -> Result<(), DbError> {
    r.map(|_| ())
}

fn came_setup<T: std::fmt::Debug>(r: Result<T, SetupError>) -> Result<(), DbError> {
    match r {
        Ok(_) => Ok(()),
        Err(SetupError::Db(e)) => Err(e),
        Err(other) => panic!("a set-up rule, not an access rule: {other:?}"),
    }
}

type Call = fn(&mut Store, &Actor, &Office) -> Result<(), DbError>;

/// One row of the table: the function (file under `src/db` :: name), the
/// situation, the outcome for each of the six people (`a` allowed, `r`
/// refused, `-` accepted but nothing written), and the call.
struct Case {
    function: &'static str,
    situation: &'static str,
    outcomes: &'static str,
    call: Call,
    /// For calls that may be accepted without writing: whether it wrote.
    wrote: Option<fn(&kam::db::Conn, &Office) -> bool>,
}

const fn case(function: &'static str, situation: &'static str, outcomes: &'static str, call: Call) -> Case {
    Case { function, situation, outcomes, call, wrote: None }
}

/// The unit's monthly analysis report on a month of 2026.
fn report_of(unit: i64, month: u32) -> analysis_report::ReportKey {
    analysis_report::ReportKey {
        unit_id: unit,
        kind: kam::domain::analysis_report::ReportKind::Monthly,
        month: Month::new(2026, month).unwrap(),
    }
}

fn report_texts() -> analysis_report::WrittenTexts {
    let mut texts = analysis_report::WrittenTexts::default();
    texts.set(kam::domain::analysis_report::WrittenPart::Competition, "同业降价");
    texts
}

fn comment_seen(conn: &kam::db::Conn, o: &Office) -> bool {
    conn.row("SELECT seen_at IS NOT NULL FROM log_comment WHERE id = ?1", args![o.comment], |r| r.get(0)).unwrap()
}

/// The unit's own revenue for 2025 is on file.
fn unit_year_entered(conn: &kam::db::Conn, o: &Office) -> bool {
    conn.row("SELECT count(*) FROM unit_revenue WHERE unit_id = ?1 AND year = 2025 AND month = 0", args![o.unit], |r| {
        r.get::<i64>(0)
    })
    .unwrap()
        > 0
}

/// January–June 2025 of the customer as one total (未分月, issue 16).
fn period_total(o: &Office, amount: &str) -> kam::db::period::PeriodEntry {
    kam::db::period::PeriodEntry {
        customer_id: o.customer.clone(),
        period: kam::domain::period::Period::new(Month::new(2025, 1).unwrap(), Month::new(2025, 6).unwrap()).unwrap(),
        service_line_id: o.service_line,
        amount: yuan(amount),
    }
}

fn cell(o: &Office, amount: &str) -> RevenueEntry {
    RevenueEntry {
        customer_id: o.customer.clone(),
        month: Month::new(2026, 10).unwrap(),
        service_line_id: o.service_line,
        amount: yuan(amount),
    }
}

fn new_id(o: &Office) -> CustomerId {
    let _ = o;
    cid("44010600099000")
}

fn customer_values(o: &Office) -> BTreeMap<&'static str, FieldValue> {
    new_customer("乙", "广州乙有限公司", o.unit, o.people[0].id).values
}

fn import_row(o: &Office) -> CustomerRow {
    CustomerRow { line: 2, id: None, values: customer_values(o) }
}

fn person_row(o: &Office) -> PersonRow {
    PersonRow { line: 2, customer_id: o.customer.clone(), name: "黄主任".into(), values: person_values("黄主任") }
}

/// October's receivable of the customer on the office's service line.
fn appraisal_receivable(customer: &CustomerId, line: i64, unpaid: &str) -> appraisal::NewReceivable {
    appraisal::NewReceivable {
        customer_id: customer.clone(),
        month: Month::new(2026, 10).unwrap(),
        service_line_id: line,
        unpaid: yuan(unpaid),
        paid_on: None,
    }
}

/// A morning meeting the owning manager missed in October.
fn appraisal_entry(manager: &Staff) -> appraisal::NewEntry {
    appraisal::NewEntry {
        staff_id: manager.id,
        month: Month::new(2026, 10).unwrap(),
        kind: appraisal::EntryKind::MeetingAbsence,
        count: 1,
        points: None,
        amount: None,
        reason: "10月8日晨会缺席".into(),
    }
}

/// The appraisal (SPEC §10): rules are the administrator's; terms, entries
/// and closing a month are for whoever decides for the manager's unit;
/// reopening is a supervisor's of the unit or above; receivables as revenue.
fn appraisal_cases() -> Vec<Case> {
    vec![
        case("appraisal/rules::set_rules", "a new version of the rules", "rrrrrar", |s, a, _| {
            let rules = kam::domain::appraisal::settings::AppraisalSettings {
                effective_from: Month::new(2026, 12).unwrap(),
                ..Default::default()
            };
            appraisal::set_rules(s, a, &rules)
        }),
        case("appraisal/terms::set_terms", "the owning manager's terms", "rrrarar", |s, a, o| {
            let terms = appraisal::Terms {
                fixed_base: yuan("1500"),
                task: yuan("0"),
                monthly_standard: yuan("0"),
                ..Default::default()
            };
            appraisal::set_terms(s, a, o.people[0].id, Month::new(2026, 10).unwrap(), &terms)
        }),
        case("appraisal/entries::add_entry", "an entry of the owning manager", "rrrarar", |s, a, o| {
            came(appraisal::add_entry(s, a, &appraisal_entry(&o.people[0])))
        }),
        case("appraisal/entries::archive_entry", "the owning manager's entry", "rrrarar", |s, a, _| {
            let id: i64 = s.conn().row("SELECT max(id) FROM appraisal_entry", args![], |r| r.get(0))?;
            appraisal::archive_entry(s, a, id)
        }),
        case("appraisal/close::close_month", "October of the unit", "rrrarar", |s, a, o| {
            let sheets = [(o.people[0].id, "{}".to_string())];
            appraisal::close_month(s, a, o.unit, Month::new(2026, 10).unwrap(), &sheets)
        }),
        case("appraisal/close::reopen_month", "September of the unit, closed", "rrrarrr", |s, a, o| {
            appraisal::reopen_month(s, a, o.unit, Month::new(2026, 9).unwrap(), "晨会记录有误")
        }),
        case("appraisal/close::close_month_in", "October of the unit, in a transaction", "rrrarar", |s, a, o| {
            let sheets = [(o.people[0].id, "{}".to_string())];
            s.write(|tx| appraisal::close_month_in(tx, a, o.unit, Month::new(2026, 10).unwrap(), &sheets))
        }),
        case("appraisal/close::reopen_month_in", "September of the unit, in a transaction", "rrrarrr", |s, a, o| {
            s.write(|tx| appraisal::reopen_month_in(tx, a, o.unit, Month::new(2026, 9).unwrap(), "晨会记录有误"))
        }),
        case("appraisal/receivables::write_receivables_in", "a receivable of the customer", "arraaar", |s, a, o| {
            let r = appraisal_receivable(&o.customer, o.service_line, "500");
            came(s.write(|tx| appraisal::write_receivables_in(tx, a, &[r])))
        }),
        case("appraisal/receivables::set_receivable", "a receivable of the customer", "arraaar", |s, a, o| {
            appraisal::set_receivable(s, a, &appraisal_receivable(&o.customer, o.service_line, "400"))
        }),
        case("appraisal/receivables::mark_paid", "the customer's receivable", "arraaar", |s, a, o| {
            let paid = date(2026, 11, 20);
            appraisal::mark_paid(s, a, &o.customer, Month::new(2026, 10).unwrap(), o.service_line, paid)
        }),
        case("import/receivable_rows::receivables", "a receivable of the customer", "rrraaar", |s, a, o| {
            let r = appraisal_receivable(&o.customer, o.service_line, "300");
            came(kam::db::import::receivables(s, a, &[(2, r)], false))
        }),
    ]
}

fn service_request(customer: &CustomerId) -> requests::NewRequest {
    requests::NewRequest {
        customer_id: customer.clone(),
        received_at: at(2026, 11, 23, 8, 30),
        channel: kam::domain::request::RequestChannel::ServiceCentre,
        requester: "陈先生".into(),
        contact: "13900001111".into(),
        kind: kam::domain::request::RequestKind::Pickup,
        mode: kam::domain::request::ServiceMode::OnCall,
        area: None,
        special: false,
        special_reason: String::new(),
        description: "下午三点前上门揽收".into(),
    }
}

/// Service requests (SPEC §9): anyone but a leader receives one; the
/// customer's account managers and the supervisors above them work it; its
/// receiver notifies or cancels it while it is open; the settings are the
/// administrator's.
fn request_cases() -> Vec<Case> {
    use kam::domain::request::{DayCount, RequestStep};
    vec![
        case("requests::receive", "a pickup for the customer", "aaaaaar", |s, a, o| {
            came(requests::receive(s, a, &service_request(&o.customer)))
        }),
        case("requests::receive_in", "a pickup for the customer", "aaaaaar", |s, a, o| {
            came(s.write(|tx| requests::receive_in(tx, a, &service_request(&o.customer))))
        }),
        case("requests::step", "start the request the owner took", "arrarar", |s, a, o| {
            let base = requests::load(s.conn(), o.request_notified).unwrap();
            came(requests::step(s, a, &base, RequestStep::Start, ""))
        }),
        case("requests::step", "notify the request another unit's manager took", "araarar", |s, a, o| {
            let base = requests::load(s.conn(), o.request_open).unwrap();
            came(requests::step(s, a, &base, RequestStep::Notify, "已转告"))
        }),
        case("requests::step", "cancel the request another unit's manager took", "araarar", |s, a, o| {
            let base = requests::load(s.conn(), o.request_open).unwrap();
            came(requests::step(s, a, &base, RequestStep::Cancel, "重复登记"))
        }),
        case("requests::step_in", "record the phone contact of the owner's request", "arrarar", |s, a, o| {
            let base = requests::load(s.conn(), o.request_notified).unwrap();
            came(s.write(|tx| requests::step_in(tx, a, &base, RequestStep::PhoneContact, "已联系")))
        }),
        case("requests::step_in", "start the request another unit's manager took", "arrarar", |s, a, o| {
            let base = requests::load(s.conn(), o.request_open).unwrap();
            came(s.write(|tx| requests::step_in(tx, a, &base, RequestStep::Start, "")))
        }),
        case("requests::set_quiet_days", "the bureau's days without a pickup", "rrrrrar", |s, a, _| {
            requests::set_quiet_days(s, a, 10)
        }),
        case("requests::set_day_count", "working days", "rrrrrar", |s, a, _| {
            requests::set_day_count(s, a, DayCount::Working)
        }),
    ]
}

fn plan_text() -> kam::db::plans::PlanText {
    kam::db::plans::PlanText { goals: "下半年帐单寄递全部转我司".into(), ..Default::default() }
}

/// Plans (issue 18): the customer's editors write, the unit's deciders review
/// and write the unit's yearly service plan.
fn plan_cases() -> Vec<Case> {
    use kam::db::plans;
    vec![
        case("plans::save", "the customer's plan for 2027's first half", "arraaar", |s, a, o| {
            let h1 = kam::domain::plan::PlanPeriod { first: date(2027, 1, 1), last: date(2027, 6, 30) };
            plans::save(s, a, &o.customer, h1, &plan_text(), None, true).map(|_| ())
        }),
        case("plans::review", "the customer's submitted plan", "rrrarar", |s, a, _| {
            let id: i64 = s.conn().row("SELECT max(id) FROM marketing_plan", args![], |r| r.get(0)).unwrap();
            plans::review(s, a, id, 1, false, "同意")
        }),
        case("plans::set_service_plan", "the unit's service plan for 2026", "rrrarar", |s, a, o| {
            plans::set_service_plan(s, a, o.unit, 2026, "前三名按白金标准服务", None).map(|_| ())
        }),
    ]
}

/// The development pipeline (issue 18): the customer's editors start and
/// move the account manager's steps, the unit's deciders the director's
/// (3, 4) and the ranking table.
fn pipeline_cases() -> Vec<Case> {
    use kam::db::pipeline::{self, IndustryText};
    vec![
        case("pipeline::start", "start the approved customer at the survey", "arraaar", |s, a, o| {
            pipeline::start(s, a, &o.customer, date(2026, 3, 2), None, None)
        }),
        case("pipeline::advance", "move the customer's survey on", "arraaar", |s, a, o| {
            pipeline::advance(s, a, &o.prospects[0], 1, date(2026, 3, 6)).map(|_| ())
        }),
        case("pipeline::advance", "move the customer's prioritisation on (the director's)", "rrrarar", |s, a, o| {
            pipeline::advance(s, a, &o.prospects[1], 1, date(2026, 3, 6)).map(|_| ())
        }),
        case("pipeline::drop_prospect", "give the customer up at the survey", "arraaar", |s, a, o| {
            pipeline::drop_prospect(s, a, &o.prospects[0], 1)
        }),
        case("pipeline::convert_in", "convert the customer at its first agreement", "arraaar", |s, a, o| {
            came(s.write(|tx| pipeline::convert_in(tx, a, &o.prospects[2], date(2026, 3, 20), 0)))
        }),
        case("pipeline::save_industry", "a line of the unit's ranking table", "rrrarar", |s, a, o| {
            let line = IndustryText { industry: "有线电视".into(), rank: 1, weight: 40, ..Default::default() };
            pipeline::save_industry(s, a, o.unit, &line, None).map(|_| ())
        }),
    ]
}

/// Every case, in the groups below (one function each, to stay readable).
fn cases() -> Vec<Case> {
    [
        policy_and_complaint_cases(),
        customer_cases(),
        log_record_and_staff_cases(),
        revenue_and_setup_cases(),
        volume_cases(),
        visit_cases(),
        appraisal_cases(),
        goal_cases(),
        request_cases(),
        contract_cases(),
        plan_cases(),
        pipeline_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The goal indicators' yearly targets (issue 17): whoever decides for the unit.
fn goal_cases() -> Vec<Case> {
    vec![case("goals::set_target", "the unit's retention target for 2026", "rrrarar", |s, a, o| {
        let key = kam::db::goals::TargetKey {
            unit_id: o.unit,
            year: 2026,
            indicator: kam::domain::appraisal::goals::GoalIndicator::RetentionRate,
        };
        kam::db::goals::set_target(s, a, key, "0.9".parse().expect("a decimal"), None).map(|_| ())
    })]
}

/// Who may change the unit policy, and complaints (SPEC §8).
fn policy_and_complaint_cases() -> Vec<Case> {
    use Transition::*;
    vec![
        case("access::set_managers_edit_unit", "turn the unit policy on", "rrrrrar", |s, a, _| {
            kam::db::access::set_managers_edit_unit(s, a, true)
        }),
        // Complaints (SPEC §8).
        case("complaints::file", "a complaint about the customer", "aaaaaar", |s, a, o| {
            came(complaints::file(s, a, &new_complaint(o.customer.as_str())))
        }),
        case("complaints::file_in", "a complaint about the customer", "aaaaaar", |s, a, o| {
            came(s.write(|tx| complaints::file_in(tx, a, &new_complaint(o.customer.as_str()))))
        }),
        case("complaints::step", "hand over a complaint just received", "arrarar", |s, a, o| {
            let base = complaints::load(s.conn(), o.received).unwrap();
            let d = StepDetails { handler: Some(o.people[0].id), ..StepDetails::default() };
            came(complaints::step(s, a, &base, Assign, &d))
        }),
        case("complaints::step", "resolve an escalated complaint", "rrrarar", |s, a, o| {
            let base = complaints::load(s.conn(), o.escalated).unwrap();
            let d = StepDetails { result: "已赔偿".into(), ..StepDetails::default() };
            came(complaints::step(s, a, &base, Resolve, &d))
        }),
        case("complaints::step", "close over the customer's dissatisfaction", "rrrarar", |s, a, o| {
            let base = complaints::load(s.conn(), o.unsatisfied).unwrap();
            let d =
                StepDetails { note: "已按标准赔偿，客户要求超出规定".into(), ..StepDetails::default() };
            came(complaints::step(s, a, &base, CloseUnsatisfied, &d))
        }),
        case("complaints::step", "escalate the unsatisfied complaint", "arrarar", |s, a, o| {
            let base = complaints::load(s.conn(), o.unsatisfied).unwrap();
            came(complaints::step(s, a, &base, Escalate, &StepDetails::default()))
        }),
        case("complaints::step_in", "hand over a complaint just received", "arrarar", |s, a, o| {
            let base = complaints::load(s.conn(), o.received).unwrap();
            let d = StepDetails { handler: Some(o.people[0].id), ..StepDetails::default() };
            came(s.write(|tx| complaints::step_in(tx, a, &base, Assign, &d)))
        }),
        case("complaints::step_in", "hand an escalated complaint back", "rrrarar", |s, a, o| {
            let base = complaints::load(s.conn(), o.escalated).unwrap();
            came(s.write(|tx| complaints::step_in(tx, a, &base, Start, &StepDetails::default())))
        }),
        case("complaints::record_phone_contact", "on a complaint just received", "arrarar", |s, a, o| {
            complaints::record_phone_contact(s, a, o.received, "已电话联系")
        }),
        case("complaints::record_phone_contact_in", "on an escalated complaint", "arrarar", |s, a, o| {
            s.write(|tx| complaints::record_phone_contact_in(tx, a, o.escalated, "已电话联系"))
        }),
        case("complaints::name_team", "on an escalated complaint", "arrarar", |s, a, o| {
            complaints::name_team(s, a, o.escalated, "市场部、运营部")
        }),
        case("complaints::name_team_in", "on a complaint just received", "arrarar", |s, a, o| {
            s.write(|tx| complaints::name_team_in(tx, a, o.received, "市场部"))
        }),
        case("complaints::follow_up", "a note on an escalated complaint", "arrarar", |s, a, o| {
            complaints::follow_up(s, a, o.escalated, "本月已跟进", false)
        }),
    ]
}

/// Customers, registrations, tiers and bulk imports.
fn customer_cases() -> Vec<Case> {
    vec![
        // Customers and their registration (SPEC §2.3).
        case("customers/mod::create", "register a customer for the owning manager", "aaaaaar", |s, a, o| {
            came(customers::create(s, a, &new_customer("乙", "广州乙有限公司", o.unit, o.people[0].id), GD))
        }),
        case("customers/mod::file_registration_in", "a pending registration", "aaaaaar", |s, a, o| {
            let r = Registration { unit: o.unit, owner: o.people[0].id, reason: "补充申报", decided: None };
            came(s.write(|tx| customers::file_registration_in(tx, a, &o.customer, &r)))
        }),
        case("customers/mod::file_registration_in", "a registration filed as approved", "rrrarar", |s, a, o| {
            let r = Registration {
                unit: o.unit,
                owner: o.people[0].id,
                reason: "补充申报",
                decided: Some((true, a.staff.id, a.at, "同意")),
            };
            came(s.write(|tx| customers::file_registration_in(tx, a, &o.customer, &r)))
        }),
        case("customers/mod::insert_customer", "a pending customer", "aaaaaar", |s, a, o| {
            came(s.write(|tx| customers::insert_customer(tx, a, &new_id(o), &customer_values(o), GD, "pending")))
        }),
        case("customers/mod::insert_customer", "a customer written as approved", "rrrarar", |s, a, o| {
            came(s.write(|tx| customers::insert_customer(tx, a, &new_id(o), &customer_values(o), GD, "approved")))
        }),
        case("customers/mod::update", "the address", "arraaar", |s, a, o| {
            let base = customers::load(s.conn(), &o.customer).unwrap();
            came(customers::update(s, a, &base, &[("address", text("天河路1号"))], GD))
        }),
        case("customers/mod::update_in", "the address", "arraaar", |s, a, o| {
            let base = customers::load(s.conn(), &o.customer).unwrap();
            came(s.write(|tx| customers::update_in(tx, a, &base, &[("address", text("天河路1号"))], GD)))
        }),
        case("customers/mod::set_archived", "archive the customer", "arraaar", |s, a, o| {
            customers::set_archived(s, a, &o.customer, true)
        }),
        case("customers/mod::decide_registration", "approve the pending registration", "rrrarar", |s, a, o| {
            customers::decide_registration(s, a, &o.customer, true, "同意")
        }),
        case("customers/mod::override_tier", "gold, with a reason", "rrrarar", |s, a, o| {
            customers::override_tier(s, a, &o.customer, Some(Tier::Gold), "省中心批准的特殊客户", GD)
        }),
        // Re-tiering decides about every customer: the administrator, or a
        // supervisor over every customer's unit (here, the one unit).
        case("customers/mod::retier_all", "under another preset", "rrrarar", |s, a, _| {
            came(customers::retier_all(s, a, TierPreset::LetterBands))
        }),
        case("customers/mod::retier", "under another preset", "rrrarar", |s, a, _| {
            came(customers::retier(s, a, TierPreset::LetterBands))
        }),
        // Bulk imports: the records keepers' work.
        case("import/customer_rows::customers", "a new customer of the unit", "rrrarar", |s, a, o| {
            came(kam::db::import::customers(s, a, GD, &[import_row(o)], "原有客户档案导入", false))
        }),
        case("import/mod::revenue", "a month of the customer's revenue", "rrraaar", |s, a, o| {
            came(kam::db::import::revenue(s, a, &StatusRules::default(), &[(2, cell(o, "15000"))], false))
        }),
        case("import/mod::revenue_items", "a period total of the customer", "rrraaar", |s, a, o| {
            let item = kam::db::import::RevenueItem::Period(period_total(o, "15000"));
            came(kam::db::import::revenue_items(s, a, &StatusRules::default(), &[(2, item)], false))
        }),
        case("import/person_rows::persons", "a key person of the customer", "rrraaar", |s, a, o| {
            came(kam::db::import::persons(s, a, &[person_row(o)], false))
        }),
        // A unit's own revenue: whoever decides for the unit; another unit's
        // supervisor has the row refused (listed, nothing written).
        Case {
            wrote: Some(unit_year_entered),
            ..case("import/unit_rows::unit_revenue", "the unit's own revenue for a year", "rrra-ar", |s, a, o| {
                let row = kam::db::import::UnitRevenueRow {
                    unit_id: o.unit,
                    unit: String::new(),
                    when: kam::db::import::UnitWhen::Year(2025),
                    amount: yuan("300000000"),
                };
                came(kam::db::import::unit_revenue(s, a, &[(2, row)], false))
            })
        },
    ]
}

/// The marketing log, the dossier's records and the staff registry.
fn log_record_and_staff_cases() -> Vec<Case> {
    vec![
        // The marketing log (SPEC §6).
        case("marketing::write", "an entry about the customer", "arraaar", |s, a, o| {
            came(marketing::write(s, a, &log_entry(o.customer.as_str())))
        }),
        case("marketing::write_in", "an entry about the customer", "arraaar", |s, a, o| {
            came(s.write(|tx| marketing::write_in(tx, a, &log_entry(o.customer.as_str()))))
        }),
        // An entry written on paper by the owning manager, entered by someone
        // else: only those who decide for the customer's unit (issue 17).
        case("marketing::write_for_in", "an entry in the owning manager's name", "arrarar", |s, a, o| {
            came(s.write(|tx| marketing::write_for_in(tx, a, o.people[0].id, &log_entry(o.customer.as_str()))))
        }),
        case("marketing::write_for_in", "an entry in the writer's own name", "arraaar", |s, a, o| {
            came(s.write(|tx| marketing::write_for_in(tx, a, a.staff.id, &log_entry(o.customer.as_str()))))
        }),
        // Log sheets: a refused row is listed and nothing written.
        Case {
            wrote: Some(log_row_entered),
            ..case("import/log_rows::log_entries", "the owning manager's entry", "a--a-ar", |s, a, o| {
                came(kam::db::import::log_entries(s, a, &[log_row(o, o.people[0].id)], false))
            })
        },
        Case {
            wrote: Some(log_row_entered),
            ..case("import/log_rows::log_entries", "the importer's own entry", "a--aaar", |s, a, o| {
                came(kam::db::import::log_entries(s, a, &[log_row(o, a.staff.id)], false))
            })
        },
        case("marketing::comment", "on the manager's entry", "rrraaar", |s, a, o| {
            marketing::comment(s, a, o.log, Some("已阅"))
        }),
        case("marketing::comment_in", "on the manager's entry", "rrraaar", |s, a, o| {
            came(s.write(|tx| marketing::comment_in(tx, a, o.log, Some("已阅"))))
        }),
        Case {
            wrote: Some(comment_seen),
            ..case("marketing::mark_seen", "the comment on the manager's entry", "a------", |s, a, o| {
                marketing::mark_seen(s, a, o.comment)
            })
        },
        Case {
            wrote: Some(comment_seen),
            ..case("marketing::mark_seen_in", "the comment on the manager's entry", "a------", |s, a, o| {
                s.write(|tx| marketing::mark_seen_in(tx, a, o.comment))
            })
        },
        Case {
            wrote: Some(comment_seen),
            ..case("marketing::mark_all_seen", "the comment on the manager's entry", "a------", |s, a, o| {
                marketing::mark_all_seen(s, a, &[o.comment])
            })
        },
        Case {
            wrote: Some(comment_seen),
            ..case("marketing::mark_all_seen_in", "the comment on the manager's entry", "a------", |s, a, o| {
                s.write(|tx| marketing::mark_all_seen_in(tx, a, &[o.comment]))
            })
        },
        // The dossier's key persons and competitors.
        case("records::insert", "a key person", "arraaar", |s, a, o| {
            came(records::insert(s, a, RecordKind::KeyPerson, &o.customer, &person_values("黄主任")))
        }),
        case("records::insert_in", "a key person", "arraaar", |s, a, o| {
            came(s.write(|tx| records::insert_in(tx, a, RecordKind::KeyPerson, &o.customer, &person_values("黄主任"))))
        }),
        case("records::update", "the key person's title", "arraaar", |s, a, o| {
            let base = records::list(s.conn(), RecordKind::KeyPerson, &o.customer, false).unwrap()[0].clone();
            assert_eq!(base.id, o.person);
            came(records::update(s, a, RecordKind::KeyPerson, &base, &[("title", text("财务总监"))]))
        }),
        case("records::update_in", "the key person's title", "arraaar", |s, a, o| {
            let base = records::list(s.conn(), RecordKind::KeyPerson, &o.customer, false).unwrap()[0].clone();
            came(s.write(|tx| records::update_in(tx, a, RecordKind::KeyPerson, &base, &[("title", text("财务总监"))])))
        }),
        case("records::set_archived", "archive the key person", "arraaar", |s, a, o| {
            records::set_archived(s, a, RecordKind::KeyPerson, o.person, true)
        }),
        // The staff registry.
        case("reference::add_staff", "a new account manager", "rrrrrar", |s, a, o| {
            let new =
                NewStaff { login: Some("new"), name: "新人", unit_id: o.unit, role: Role::Manager, phone: None };
            came(reference::add_staff(s, a, &new))
        }),
        case("reference::update_staff", "a manager's phone", "rrrrrar", |s, a, _| {
            let change = StaffChange { phone: Some("13900000000".into()), ..StaffChange::default() };
            reference::update_staff(s, a, "lina", &change)
        }),
    ]
}

/// Volume and returned mail (SPEC §14.7): as revenue.
fn volume_cases() -> Vec<Case> {
    vec![
        case("volume::write_volume_in", "pieces of the customer", "arraaar", |s, a, o| {
            came(s.write(|tx| kam::db::volume::write_volume_in(tx, a, &[pieces(o, 1200)])))
        }),
        case("volume::set_volume_cell", "pieces of the customer", "arraaar", |s, a, o| {
            kam::db::volume::set_volume_cell(s, a, &pieces(o, 1300))
        }),
        case("volume::write_returns_in", "returned mail of the customer", "arraaar", |s, a, o| {
            came(s.write(|tx| kam::db::volume::write_returns_in(tx, a, &[returns(o, 20)])))
        }),
        case("import/volume_rows::volume", "pieces of the customer", "rrraaar", |s, a, o| {
            came(kam::db::import::volume(s, a, &[(2, pieces(o, 1400))], false))
        }),
        case("import/volume_rows::returns", "returned mail of the customer", "rrraaar", |s, a, o| {
            came(kam::db::import::returns(s, a, &[(2, returns(o, 30))], false))
        }),
        case("import/visit_rows::visits", "a done visit of the customer", "rrraaar", |s, a, o| {
            let row = kam::import::visits::VisitRow {
                line: 2,
                customer_id: o.customer.clone(),
                at: at(2026, 10, 15, 14, 30),
                kind: kam::domain::visit::VisitKind::InPerson,
                manager_id: o.people[0].id,
                duration_min: 60,
                purpose: "年度续约".into(),
                business: String::new(),
                opinions: String::new(),
                problems: String::new(),
                new_needs: String::new(),
                next_step: String::new(),
            };
            came(kam::db::import::visits(s, a, &[row], false))
        }),
        case("volume::set_fluctuation_measure", "the bureau's fluctuation measure", "rrrrrar", |s, a, _| {
            kam::db::volume::set_fluctuation_measure(s, a, kam::domain::volume::FluctuationMeasure::Volume)
        }),
    ]
}

/// Revenue and the set-up.
fn revenue_and_setup_cases() -> Vec<Case> {
    vec![
        // Revenue (SPEC §7).
        case("revenue::write_entries_in", "a cell of the customer", "arraaar", |s, a, o| {
            came(s.write(|tx| revenue::write_entries_in(tx, a, &[cell(o, "15000")])))
        }),
        case("revenue::set_cell", "a cell of the customer", "arraaar", |s, a, o| {
            revenue::set_cell(s, a, &StatusRules::default(), &cell(o, "15000"))
        }),
        case("revenue::set_unit_revenue", "the unit's own yearly revenue", "rrrarar", |s, a, o| {
            revenue::set_unit_revenue(s, a, o.unit, 2026, None, yuan("300000000"))
        }),
        case("revenue::set_unit_revenue_in", "the unit's own yearly revenue", "rrrarar", |s, a, o| {
            s.write(|tx| revenue::set_unit_revenue_in(tx, a, o.unit, 2026, None, yuan("300000000")))
        }),
        // Revenue known only for a period of months (issue 16): as the ledger's cells and the unit's figures.
        case("period::write_period_entries_in", "a period total of the customer", "arraaar", |s, a, o| {
            came(s.write(|tx| kam::db::period::write_period_entries_in(tx, a, &[period_total(o, "15000")])))
        }),
        case("period::set_unit_period_revenue_in", "the unit's revenue for January–June", "rrrarar", |s, a, o| {
            let period = period_total(o, "1").period;
            s.write(|tx| kam::db::period::set_unit_period_revenue_in(tx, a, o.unit, period, yuan("300000000")))
        }),
        case("revenue::refresh_statuses_in", "every customer's status", "rrraaar", |s, a, _| {
            came(s.write(|tx| revenue::refresh_statuses_in(tx, a, &StatusRules::default(), None)))
        }),
        case("revenue::refresh_statuses_in", "the customer's status", "arraaar", |s, a, o| {
            let only = [o.customer.clone()];
            came(s.write(|tx| revenue::refresh_statuses_in(tx, a, &StatusRules::default(), Some(&only))))
        }),
        case("analysis_report::save_draft", "the unit's October report", "rrrarar", |s, a, o| {
            analysis_report::save_draft(s, a, report_of(o.unit, 10), &report_texts(), None).map(|_| ())
        }),
        case("analysis_report::submit", "the unit's October report", "rrrarar", |s, a, o| {
            analysis_report::submit(s, a, report_of(o.unit, 10), &report_texts(), None, &StatusRules::default())
        }),
        case("analysis_report::reopen", "September's, submitted", "rrrarrr", |s, a, o| {
            let key = report_of(o.unit, 9);
            let version = analysis_report::load(s.conn(), key)?.map(|r| r.version);
            analysis_report::reopen(s, a, key, version)
        }),
        case("revenue::explain_fluctuation", "October's", "arraaar", |s, a, o| {
            revenue::explain_fluctuation(s, a, &o.customer, Month::new(2026, 10).unwrap(), "新签项目")
        }),
        case("revenue::explain_fluctuation_in", "October's", "arraaar", |s, a, o| {
            let month = Month::new(2026, 10).unwrap();
            s.write(|tx| revenue::explain_fluctuation_in(tx, a, &o.customer, month, "新签项目"))
        }),
        case("revenue::set_one_off", "mark the customer one-off", "arraaar", |s, a, o| {
            revenue::set_one_off(s, a, &o.customer, true)
        }),
        case("revenue::set_one_off_in", "mark the customer one-off", "arraaar", |s, a, o| {
            s.write(|tx| revenue::set_one_off_in(tx, a, &o.customer, true))
        }),
        // Units, industries and service lines: the administrator's.
        case("setup::add_unit", "a branch office", "rrrrrar", |s, a, _| {
            let new = NewUnit {
                code: "NEW".into(),
                name: "新支局".into(),
                division: "440106".into(),
                level: None,
                parent: Some("440106".into()),
            };
            came_setup(setup::add_unit(s, a, &new))
        }),
        case("setup::edit_unit", "rename a unit", "rrrrrar", |s, a, _| {
            came_setup(setup::edit_unit(s, a, "TST", Some("测试支局"), None))
        }),
        case("setup::move_unit", "move a unit to the top", "rrrrrar", |s, a, _| {
            came_setup(setup::move_unit(s, a, "TST", Some("440104")))
        }),
        case("setup::archive_unit", "archive a unit", "rrrrrar", |s, a, _| {
            came_setup(setup::archive_unit(s, a, "TST"))
        }),
        case("setup::restore_unit", "restore a unit", "rrrrrar", |s, a, _| {
            came_setup(setup::restore_unit(s, a, "OLD"))
        }),
        case("setup::add_entry", "an industry", "rrrrrar", |s, a, _| {
            came_setup(setup::add_entry(s, a, RefList::Industry, "mining", "采矿", Some("Mining")))
        }),
        case("setup::rename_entry", "an industry", "rrrrrar", |s, a, _| {
            came_setup(setup::rename_entry(s, a, RefList::Industry, "testing", Some("检验检测"), None))
        }),
        case("setup::set_entry_archived", "an industry", "rrrrrar", |s, a, _| {
            came_setup(setup::set_entry_archived(s, a, RefList::Industry, "testing", true))
        }),
        case("setup::found_office", "a file that has staff already", "rrrrrrr", |s, a, _| {
            let f = setup::Founding {
                unit_code: "SZ",
                unit_name: "深圳市邮政局大客户中心",
                level: kam::domain::org::UnitLevel::City,
                division: "440300",
                login: a.staff.login.as_deref().unwrap_or("x"),
                admin_name: "冒充者",
                stamp: "2026-11-23 09:00:00",
            };
            came_setup(setup::found_office(s, &f))
        }),
    ]
}

/// Visits.
fn visit_cases() -> Vec<Case> {
    vec![
        // Visits (SPEC §5): leaders take part in them too.
        case("visits::insert_in", "a visit to the customer", "arraaaa", |s, a, o| {
            came(s.write(|tx| visits::insert_in(tx, a, &new_visit(o.customer.as_str(), &a.staff), None)))
        }),
        case("visits::plan", "a visit to the customer", "arraaaa", |s, a, o| {
            came(visits::plan(s, a, &new_visit(o.customer.as_str(), &a.staff)))
        }),
        case("visits::plan_many", "a visit to the customer", "arraaaa", |s, a, o| {
            came(visits::plan_many(s, a, &[new_visit(o.customer.as_str(), &a.staff)]))
        }),
        case("visits::plan_series", "weekly calls", "arraaaa", |s, a, o| {
            let first = new_visit(o.customer.as_str(), &a.staff);
            let times = [first.planned_at, first.planned_at + chrono::Days::new(7)];
            came(visits::plan_series(s, a, &first, &times, 1, "weeks", date(2026, 12, 31)))
        }),
        case("visits::record_done", "the planned visit", "arraaaa", |s, a, o| {
            let base = visits::load(s.conn(), o.visit).unwrap();
            let outcome = Outcome { done_at: Some(at(2026, 11, 23, 8, 0)), ..Outcome::default() };
            visits::record_done(s, a, &base, &outcome)
        }),
        case("visits::mark_done_in", "the planned visit", "arraaaa", |s, a, o| {
            let outcome = Outcome { done_at: Some(at(2026, 11, 23, 8, 0)), ..Outcome::default() };
            s.write(|tx| visits::mark_done_in(tx, a, o.visit, &outcome))
        }),
        case("visits::cancel", "the planned visit", "arraaaa", |s, a, o| {
            let base = visits::load(s.conn(), o.visit).unwrap();
            visits::cancel(s, a, &base, "客户改期")
        }),
        case("visits::reschedule", "the planned visit", "arraaaa", |s, a, o| {
            let base = visits::load(s.conn(), o.visit).unwrap();
            let change = Reschedule {
                kind: base.kind,
                planned_at: base.planned_at + chrono::TimeDelta::hours(2),
                duration_min: base.duration_min,
                purpose: base.purpose.clone(),
            };
            came(visits::reschedule(s, a, &base, &change, false))
        }),
    ]
}

/// Public write functions that ask no access rule, and why that is safe.
/// The seeding ones are called only by the demo generator on the file it
/// creates (and by tests): [`seeding_functions_are_called_only_by_the_demo`].
const EXEMPT: &[(&str, &str)] = &[
    ("chain::link_unlinked", "a schema step: links the history already there"),
    ("check::rebuild_derived", "kam check --repair: rebuilds search keys and occasion days, derived from audited rows"),
    ("records::fill_occasions", "a schema step: derives key persons' occasion days"),
    ("records::fill_occasions_before_customer", "a schema step (5): derives key persons' occasion days"),
    ("customers/mod::fill_name_keys", "a schema step: derives customers' name sort keys"),
    ("customers/mod::fill_prefixes", "a schema step: derives what short searches find customers by"),
    (
        "customers/mod::insert_search_key",
        "derived from a new customer's names, within insert_customer (asked there) and kam check --repair",
    ),
    ("store::write", "the transaction every write runs in"),
    (
        "reference::login_for",
        "a server's login role, inside add_staff's, update_staff's and the founding's transactions",
    ),
    (
        "migrate::migrate",
        "kam migrate: a bureau's file copied into the province's database by a PostgreSQL superuser, as it was, no staff member acting",
    ),
    ("conn::begin", "opens the transaction store::write runs the work in"),
    ("conn::snapshot", "a read transaction (an export's consistent pages)"),
    ("conn::commit", "ends the transaction store::write runs the work in"),
    ("customers/list::count", "SQLite: fills the connection's TEMP search cache, no stored data"),
    ("customers/list::count_listed", "SQLite: fills the connection's TEMP search cache, no stored data"),
    ("customers/list::all_matching", "SQLite: fills the connection's TEMP search cache, no stored data"),
    ("server::open", "opens a server session and brings its schema up to date (kam_meta)"),
    ("engine/pg::execute", "the PostgreSQL engine's statement runner, below the access rules like store::write"),
    ("engine/pg::batch", "the PostgreSQL engine's schema scripts"),
    ("store::write_as", "the transaction every write runs in"),
    ("store::open_reader", "opens the file read-only for the reader thread"),
    ("store::analyze", "refreshes the query planner's statistics"),
    ("store::migrate_to_version", "the upgrade tests' older files"),
    ("store::expected_schema", "builds the expected schema in memory for kam check"),
    ("revenue::refresh_statuses_after", "crate-only: statuses following a ledger write whose caller asked the rules"),
    ("reference::insert_unit", "seeding: the demo generator's new file"),
    ("reference::insert_staff", "seeding: the demo generator's new file"),
    ("reference::insert_staff_at", "seeding: the demo generator's new file, and found_office on an empty file"),
    ("reference::insert_industry", "seeding: the demo generator's new file"),
];

/// Every public (`pub` or `pub(crate)`) function under `src/db` that writes,
/// as "file::name" (the file relative to `src/db`, no `.rs`): one whose
/// signature takes `&mut Store`, a `Transaction` (`Tx`) or `&mut Connection`, or
/// whose body runs SQL that writes (`execute`, `exec`, `INSERT`, `UPDATE`, `DELETE`)
/// or calls another function found so ("insert_…"), or a private helper of the
/// same file that runs a statement (`.exec(`: one taking `&impl Sql`, which
/// readers take too, so only its body tells).
fn public_write_functions() -> BTreeSet<String> {
    const WRITING_SQL: [&str; 8] =
        ["execute", "exec(", "exec_batch(", "INSERT ", "UPDATE ", "DELETE ", "insert_staff_at(", "migrations()"];
    fn body_of(after_signature: &str) -> &str {
        let mut depth = 0;
        for (i, c) in after_signature.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 1 => return &after_signature[..i],
                '}' => depth -= 1,
                _ => {}
            }
        }
        after_signature
    }
    fn walk(dir: &Path, root: &Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, found);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let file = path.strip_prefix(root).unwrap().with_extension("").to_string_lossy().replace('\\', "/");
            let source = std::fs::read_to_string(&path).unwrap();
            // Unit tests at the end of a file are no write path.
            let source = source.split("#[cfg(test)]").next().unwrap_or_default();
            // Every function of the file: (name, public, body, writes).
            let mut functions: Vec<(String, bool, &str, bool)> = Vec::new();
            let mut rest = source;
            while let Some(i) = rest.find("fn ") {
                let before = &rest[..i];
                let after = &rest[i + "fn ".len()..];
                rest = after;
                if before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if name.is_empty() {
                    continue; // a `fn(…)` type
                }
                let line = before.rsplit('\n').next().unwrap_or_default().trim_start();
                let public = line == "pub " || line == "pub(crate) ";
                let end = after.find('{').unwrap_or(after.len());
                let signature = &after[..end];
                let body = body_of(&after[end..]);
                let writes = signature.contains("&mut Store")
                    || signature.contains("&mut super::Store")
                    || signature.contains("Transaction")
                    || signature.contains("&Tx<")
                    || signature.contains("&impl Sql")
                    || signature.contains("&mut Connection")
                    || WRITING_SQL.iter().any(|w| body.contains(w));
                functions.push((name, public, body, writes));
            }
            // Callers of a private helper of the file that runs a statement
            // (one taking `&impl Sql`, which readers take too) write too.
            let helpers: Vec<String> = functions
                .iter()
                .filter(|f| !f.1 && (f.2.contains(".exec(") || f.2.contains(".exec_batch(")))
                .map(|f| format!("{}(", f.0))
                .collect();
            for f in functions.iter_mut().filter(|f| f.1 && !f.3) {
                f.3 = helpers.iter().any(|h| {
                    f.2.match_indices(h.as_str())
                        .any(|(i, _)| !f.2[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.'))
                });
            }
            for (name, public, _, writes) in functions {
                if public && writes {
                    found.insert(format!("{file}::{name}"));
                }
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db");
    let mut found = BTreeSet::new();
    walk(&root, &root, &mut found);
    found
}

#[test]
fn the_table_lists_every_public_write_function_of_src_db() {
    let found = public_write_functions();
    assert!(found.len() > 50, "the search finds the write functions: {found:?}");
    let listed: BTreeSet<String> =
        cases().iter().map(|c| c.function.to_string()).chain(EXEMPT.iter().map(|(f, _)| f.to_string())).collect();
    let missing: Vec<&String> = found.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "public write functions missing from the table of tests/it/write_access.rs: {missing:?}"
    );
    let stale: Vec<&String> = listed.difference(&found).collect();
    assert!(stale.is_empty(), "listed but not found in src/db: {stale:?}");
}

/// The seeding functions write without asking anyone: only the demo
/// generator (on the file it creates) and `setup::found_office` (on an empty
/// file, which it checks) may call them; no command or screen does.
#[test]
fn seeding_functions_are_called_only_by_the_demo() {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                for name in ["insert_unit(", "insert_staff(", "insert_staff_at(", "insert_industry("] {
                    if source.contains(name) {
                        out.push(format!("{} calls {name}", path.display()));
                    }
                }
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut calls = Vec::new();
    walk(&src, &mut calls);
    let allowed = |c: &String| {
        let c = c.replace('\\', "/");
        c.contains("src/demo/")
            || c.contains("src/db/reference.rs")
            || c.contains("src/db/setup.rs calls insert_staff_at(")
    };
    let elsewhere: Vec<&String> = calls.iter().filter(|c| !allowed(c)).collect();
    assert!(elsewhere.is_empty(), "seeding functions called outside the demo: {elsewhere:?}");
}

/// SQLite's count of rows this connection changed: the office is a SQLite file.
fn total_changes(conn: &kam::db::Conn) -> i64 {
    let kam::db::Conn::Sqlite(conn) = conn else { panic!("the office is a SQLite file") };
    conn.query_row("SELECT total_changes()", [], |r| r.get(0)).unwrap()
}

fn snapshot(conn: &kam::db::Conn) -> (i64, i64, i64) {
    let n = |sql: &str| conn.row(sql, args![], |r| r.get::<i64>(0)).unwrap();
    (
        n("SELECT count(*) FROM history"),
        n("SELECT count(*) FROM complaint_event"),
        n("SELECT count(*) FROM log_comment"),
    )
}

#[test]
fn every_public_write_function_asks_the_access_rules_under_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let (office_path, office) = build_office(dir.path());
    let mut wrong = Vec::new();
    let mut n = 0;
    for case in cases() {
        let expected: Vec<char> = case.outcomes.chars().collect();
        assert_eq!(expected.len(), ROLES.len(), "{}: one outcome per person", case.function);
        for (i, person) in office.people.iter().enumerate() {
            n += 1;
            let path = dir.path().join(format!("case-{n}.db"));
            std::fs::copy(&office_path, &path).unwrap();
            let mut store = Store::open(&path).unwrap();
            let before_changes = total_changes(store.conn());
            let before = snapshot(store.conn());
            let result = (case.call)(&mut store, &actor(person), &office);
            let got = match result {
                Ok(()) => match case.wrote {
                    Some(wrote) if !wrote(store.conn(), &office) => Came::Ignored,
                    _ => Came::Allowed,
                },
                Err(DbError::Refused(_)) => {
                    assert_eq!(total_changes(store.conn()), before_changes, "{}: refused, yet wrote", case.function);
                    assert_eq!(snapshot(store.conn()), before, "{}: refused, yet wrote", case.function);
                    Came::Refused
                }
                Err(other) => panic!("{} ({}) by the {}: {other:?}", case.function, case.situation, ROLES[i]),
            };
            let want = match expected[i] {
                'a' => Came::Allowed,
                'r' => Came::Refused,
                '-' => Came::Ignored,
                other => panic!("unknown outcome {other:?}"),
            };
            if got != want {
                wrong.push(format!(
                    "{} ({}) by the {}: {got:?}, the table says {want:?}",
                    case.function, case.situation, ROLES[i]
                ));
            }
            drop(store);
            let _ = std::fs::remove_file(&path);
        }
    }
    assert!(wrong.is_empty(), "{} of {n} outcomes differ from the table:\n{}", wrong.len(), wrong.join("\n"));
}
