//! Issue 18, contracts and agreements (SPEC §12) in storage: a draft and its
//! edits, the approval chain decided step by step by the right people (a
//! refusal back to draft with its reason, a resubmission starting over),
//! the signing, the filing of platinum and above, copies, ending, the
//! contracts ending within 60 days and those waiting for someone's
//! approval, log entries naming a contract, and the history of it all. Runs
//! on both engines (listed in `both_engines::STORAGE`); on PostgreSQL own
//! logins are held to the same rules by the database.

use crate::common;
use crate::ledger_status::as_own_login;

use common::*;
use kam::db::contracts::{self, ContractFilter, NewCopy, Terms};
use kam::db::marketing::NewLogEntry;
use kam::db::reference::{self, NewStaff};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Invalid, Store, customers};
use kam::domain::contract::{ChainStep, ContractError, ContractKind, ContractStatus, CopyKind, Outcome, StepScope};
use kam::domain::id::CustomerId;
use kam::domain::marketing_log::{DealStage, Method};
use kam::domain::staff::{Refusal, Role, Staff};
use kam::domain::tier::{Tier, TierPreset};

const GD: TierPreset = TierPreset::GuangdongScore;

fn staff_in(store: &mut Store, login: &str, name: &str, unit: i64, role: Role) -> Staff {
    let id = store
        .write(|tx| {
            reference::insert_staff(tx, &NewStaff { login: Some(login), name, unit_id: unit, role, phone: None })
        })
        .unwrap();
    Staff { id, login: Some(login.into()), name: name.into(), unit_id: unit, role }
}

fn customer_of(s: &mut Seeded, owner: &Staff, unit: i64, name: &str) -> CustomerId {
    let sup = actor(&s.org.supervisor);
    customers::create(s.store(), &sup, &new_customer(name, &format!("广州{name}有限公司"), unit, owner.id), GD).unwrap()
}

fn letters(s: &Seeded) -> i64 {
    s.conn().row("SELECT id FROM service_line ORDER BY id LIMIT 1", args![], |r| r.get(0)).unwrap()
}

fn terms(s: &Seeded, customer: &CustomerId, number: &str, tier: Tier, bureau: i64) -> Terms {
    Terms {
        number: number.into(),
        customer_id: customer.clone(),
        kind: ContractKind::Contract,
        access_bureau: bureau,
        signing_body: "广东省邮政公司".into(),
        tier,
        service_lines: vec![letters(s)],
        price_terms: "函件资费按标准资费执行".into(),
        discount_terms: "制作费八五折".into(),
        term_length: "两年".into(),
        renewal: "期满前一个月协商续签".into(),
        payment: "按月结算".into(),
        penalties: "按合同法执行".into(),
        value: Some(yuan("1200000")),
        start_on: Some(date(2026, 1, 1)),
        end_on: Some(date(2027, 12, 31)),
    }
}

fn problem<T: std::fmt::Debug>(r: Result<T, DbError>) -> ContractError {
    match r {
        Err(DbError::Invalid(Invalid::Contract(e))) => e,
        other => panic!("expected a contract problem, got {other:?}"),
    }
}

fn refused<T: std::fmt::Debug>(r: Result<T, DbError>) -> Refusal {
    match r {
        Err(DbError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn version(s: &Seeded, id: i64) -> i64 {
    contracts::load(s.conn(), id).unwrap().version
}

fn history_fields(s: &Seeded, entity: &str, id: i64) -> Vec<(String, Option<String>)> {
    s.conn()
        .rows(
            "SELECT coalesce(field, ''), new_value FROM history WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
            args![entity, id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn a_draft_is_written_and_edited_with_history_and_only_by_the_customers_editors() {
    let mut s = Seeded::new();
    let (manager, manager2, leader) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.leader.clone());
    let unit = s.org.unit;
    let customer = customer_of(&mut s, &manager, unit, "甲");
    let bureau = contracts::default_access_bureau(s.conn(), &customer).unwrap();
    assert_eq!(bureau, unit, "no city above the unit: the unit itself");
    let t = terms(&s, &customer, "", Tier::Gold, bureau);
    assert_eq!(problem(contracts::create(s.store(), &actor(&manager), &t)), ContractError::Missing("number"));
    let number = contracts::proposed_number(s.conn(), bureau, 2026).unwrap();
    assert_eq!(number, "440106-HT2026-0001");
    let t = Terms { number: number.clone(), ..t };
    assert_eq!(refused(contracts::create(s.store(), &actor(&manager2), &t)), Refusal::NotYourCustomer);
    assert_eq!(refused(contracts::create(s.store(), &actor(&leader), &t)), Refusal::ReadOnlyRole);
    let backwards = Terms { start_on: Some(date(2027, 1, 1)), end_on: Some(date(2026, 1, 1)), ..t.clone() };
    assert_eq!(problem(contracts::create(s.store(), &actor(&manager), &backwards)), ContractError::EndBeforeStart);
    let other_unit = add_unit(s.store(), "GZ-YX", "440104");
    let elsewhere = Terms { access_bureau: other_unit, ..t.clone() };
    assert_eq!(problem(contracts::create(s.store(), &actor(&manager), &elsewhere)), ContractError::AccessBureau);

    let id = contracts::create(s.store(), &actor(&manager), &t).unwrap();
    assert_eq!(contracts::proposed_number(s.conn(), bureau, 2026).unwrap(), "440106-HT2026-0002");
    assert_eq!(problem(contracts::create(s.store(), &actor(&manager), &t)), ContractError::NumberTaken(number.clone()));
    let stored = contracts::load(s.conn(), id).unwrap();
    assert_eq!((stored.status, stored.round, stored.current_step), (ContractStatus::Draft, 0, None));
    assert_eq!(stored.terms, t);
    assert_eq!(stored.customer_name, "甲");

    let edited = Terms { discount_terms: "制作费八折".into(), value: Some(yuan("1500000")), ..t.clone() };
    contracts::update(s.store(), &actor(&manager), id, stored.version, &edited).unwrap();
    let stale = contracts::update(s.store(), &actor(&manager), id, stored.version, &t);
    assert!(matches!(stale, Err(DbError::Conflict(_))), "{stale:?}");
    assert_eq!(contracts::load(s.conn(), id).unwrap().terms, edited);
    let fields = history_fields(&s, "contract", id);
    assert!(fields.contains(&(String::new(), Some(number))), "{fields:?}");
    assert!(fields.contains(&("discount_terms".into(), Some("制作费八折".into()))), "{fields:?}");
    assert!(fields.contains(&("value".into(), Some("150000000".into()))), "{fields:?}");
    assert_eq!(contracts::for_customer(s.conn(), &customer).unwrap().len(), 1);
}

#[test]
fn the_chain_is_decided_step_by_step_a_refusal_sends_it_back_and_a_resubmission_starts_over() {
    let mut s = Seeded::new();
    let (manager, sup, leader) = (s.org.manager.clone(), s.org.supervisor.clone(), s.org.leader.clone());
    let unit = s.org.unit;
    let customer = customer_of(&mut s, &manager, unit, "甲");
    let mut t = terms(&s, &customer, "HT-1", Tier::Gold, unit);
    t.service_lines.clear();
    let id = contracts::create(s.store(), &actor(&manager), &t).unwrap();
    // Submitting needs the service lines (and the dates).
    let v = version(&s, id);
    assert_eq!(problem(contracts::submit(s.store(), &actor(&manager), id, v)), ContractError::Missing("service_lines"));
    let t = terms(&s, &customer, "HT-1", Tier::Gold, unit);
    contracts::update(s.store(), &actor(&manager), id, v, &t).unwrap();
    let v = version(&s, id);
    contracts::submit(s.store(), &actor(&manager), id, v).unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert_eq!((c.status, c.round, c.current_step, c.steps), (ContractStatus::InApproval, 1, Some(1), 2));
    assert_eq!(c.waiting_step.as_deref(), Some("supervisor_review"));
    // Terms are frozen while it is in approval.
    assert_eq!(
        problem(contracts::update(s.store(), &actor(&manager), id, c.version, &t)),
        ContractError::NotDraft(ContractStatus::InApproval)
    );

    // Step 1 is a supervisor's of the access bureau: not the manager's, not the leader's.
    let unit_name = "天河区分公司大客户中心".to_string();
    for who in [&manager, &leader] {
        assert_eq!(
            refused(contracts::approve(s.store(), &actor(who), id, c.version, "同意")),
            Refusal::ApprovalStep { role: Role::Supervisor, unit: unit_name.clone() }
        );
    }
    assert_eq!(contracts::waiting_for(s.conn(), &sup, 50).unwrap().len(), 1);
    assert!(contracts::waiting_for(s.conn(), &leader, 50).unwrap().is_empty());
    contracts::approve(s.store(), &actor(&sup), id, c.version, "折扣在权限内,同意").unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert_eq!(c.current_step, Some(2));
    assert!(contracts::waiting_for(s.conn(), &sup, 50).unwrap().is_empty());
    assert_eq!(contracts::waiting_for(s.conn(), &leader, 50).unwrap()[0].id, id);
    assert!(matches!(contracts::approve(s.store(), &actor(&sup), id, c.version, ""), Err(DbError::Refused(_))));

    // The leader refuses: a reason is required; back to draft with it.
    assert_eq!(
        problem(contracts::refuse(s.store(), &actor(&leader), id, c.version, " ")),
        ContractError::ReasonRequired
    );
    contracts::refuse(s.store(), &actor(&leader), id, c.version, "违约责任条款不全").unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert_eq!(
        (c.status, c.current_step, c.refusal.as_deref()),
        (ContractStatus::Draft, None, Some("违约责任条款不全"))
    );
    let steps = contracts::steps(s.conn(), id).unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(
        (steps[0].outcome, steps[0].decided_by, steps[0].opinion.as_str()),
        (Some(Outcome::Approved), Some(sup.id), "折扣在权限内,同意")
    );
    assert_eq!((steps[1].outcome, steps[1].decided_by_name.as_str()), (Some(Outcome::Refused), "刘强"));
    assert_eq!(steps[1].decided_at, Some(fixed_now()));

    // Edited and resubmitted: a new round from the first step; round 1 kept.
    let fixed = Terms { penalties: "逾期付款按日万分之五计违约金".into(), ..t };
    contracts::update(s.store(), &actor(&manager), id, c.version, &fixed).unwrap();
    let v = version(&s, id);
    contracts::submit(s.store(), &actor(&manager), id, v).unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert_eq!((c.round, c.current_step, c.refusal), (2, Some(1), None));
    assert_eq!(contracts::steps(s.conn(), id).unwrap().len(), 4);
    contracts::approve(s.store(), &actor(&sup), id, c.version, "").unwrap();
    // Not signed before the chain is complete.
    let v = version(&s, id);
    assert_eq!(
        problem(contracts::sign(s.store(), &actor(&manager), id, v, date(2026, 11, 23))),
        ContractError::ChainIncomplete
    );
    contracts::approve(s.store(), &actor(&leader), id, v, "同意签署").unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert!(c.approval().chain_complete());
    assert_eq!(
        problem(contracts::approve(s.store(), &actor(&leader), id, c.version, "")),
        ContractError::ChainComplete
    );
    assert_eq!(
        problem(contracts::sign(s.store(), &actor(&manager), id, c.version, date(2026, 11, 24))),
        ContractError::InFuture
    );
    assert_eq!(
        problem(contracts::sign(s.store(), &actor(&manager), id, c.version, date(2026, 11, 20))),
        ContractError::SignedBeforeApproval
    );
    contracts::sign(s.store(), &actor(&manager), id, c.version, date(2026, 11, 23)).unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert_eq!((c.status, c.signed_on), (ContractStatus::Signed, Some(date(2026, 11, 23))));
    // Gold is not filed with the province.
    assert_eq!(
        problem(contracts::file(s.store(), &actor(&manager), id, c.version, date(2026, 11, 23), "省函件集邮局", "")),
        ContractError::FilingNotRequired(Tier::Gold)
    );
    let fields: Vec<String> = history_fields(&s, "contract", id).into_iter().map(|(f, _)| f).collect();
    for f in ["step:1:1", "opinion:1:1", "step:1:2", "refusal", "round", "step:2:2", "signed_on", "status"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
}

/// A province, its letters & philately bureau, a city and a district.
struct Province {
    city: i64,
    district: i64,
    city_sup: Staff,
    bureau_sup: Staff,
    bureau_leader: Staff,
    province_sup: Staff,
    city_bureau_leader: Staff,
}

fn province(s: &mut Seeded) -> Province {
    let ids = s
        .store()
        .write(|tx| {
            let p = reference::insert_unit(tx, "GD", "广东省邮政公司", "province", None, "440000")?;
            let b = reference::insert_unit(tx, "GD-HJ", "广东省函件集邮局", "bureau", Some(p), "440000")?;
            let c = reference::insert_unit(tx, "GZ", "广州市邮政局", "city", Some(p), "440100")?;
            let cb = reference::insert_unit(tx, "GZ-HJ", "广州市函件集邮局", "bureau", Some(c), "440100")?;
            let d = reference::insert_unit(tx, "GZ-TH", "天河区邮政局", "county", Some(c), "440106")?;
            Ok((p, b, c, cb, d))
        })
        .unwrap();
    let (p, b, c, cb, d) = ids;
    let store = s.store();
    Province {
        city: c,
        district: d,
        city_sup: staff_in(store, "gz_sup", "陈主管", c, Role::Supervisor),
        bureau_sup: staff_in(store, "hj_sup", "林处长", b, Role::Supervisor),
        bureau_leader: staff_in(store, "hj_lead", "黄局长", b, Role::Leader),
        province_sup: staff_in(store, "gd_sup", "周部长", p, Role::Supervisor),
        city_bureau_leader: staff_in(store, "gzhj_lead", "吴局长", cb, Role::Leader),
    }
}

#[test]
fn a_diamond_contract_goes_up_spec_twelves_chain_and_is_filed_with_the_province() {
    let mut s = Seeded::new();
    let p = province(&mut s);
    let owner = staff_in(s.store(), "th_mgr", "赵经理", p.district, Role::Manager);
    let district_sup = staff_in(s.store(), "th_sup", "钱主管", p.district, Role::Supervisor);
    let customer = customer_of(&mut s, &owner, p.district, "电信");
    assert_eq!(contracts::default_access_bureau(s.conn(), &customer).unwrap(), p.city);
    let t = terms(&s, &customer, "GZ-HT2026-0008", Tier::Diamond, p.city);
    let id = contracts::create(s.store(), &actor(&owner), &t).unwrap();
    let v = version(&s, id);
    contracts::submit(s.store(), &actor(&owner), id, v).unwrap();
    // Four copies go with the submission to the province bureau.
    let four = NewCopy {
        kind: CopyKind::Original,
        copies: 4,
        sent_to: "广东省函件集邮局".into(),
        sent_on: date(2026, 11, 2),
        note: "附局文".into(),
    };
    contracts::add_copy(s.store(), &actor(&owner), id, &four).unwrap();
    let deciders = [
        (&p.city_sup, "市局同意呈报"),
        (&p.bureau_sup, "各部门审核通过"),
        (&p.bureau_leader, "同意"),
        (&p.province_sup, "质监、运维、计财无异议;签约主体为省公司"),
        (&p.bureau_sup, "已修改定稿"),
    ];
    let wrong = [&district_sup, &p.city_bureau_leader, &owner];
    for (i, (who, opinion)) in deciders.iter().enumerate() {
        let c = contracts::load(s.conn(), id).unwrap();
        assert_eq!(c.current_step, Some(u32::try_from(i).unwrap() + 1));
        for other in wrong {
            assert!(
                contracts::approve(s.store(), &actor(other), id, c.version, "").is_err(),
                "step {} by {}",
                i + 1,
                other.name
            );
        }
        assert_eq!(contracts::waiting_for(s.conn(), who, 50).unwrap().len(), 1, "step {} for {}", i + 1, who.name);
        contracts::approve(s.store(), &actor(who), id, c.version, opinion).unwrap();
    }
    let steps = contracts::steps(s.conn(), id).unwrap();
    assert!(steps.iter().all(|st| st.outcome == Some(Outcome::Approved) && !st.on_behalf));
    assert_eq!(steps[2].scope, StepScope::ProvinceBureau);
    let c = contracts::load(s.conn(), id).unwrap();
    assert!(c.approval().chain_complete());
    contracts::sign(s.store(), &actor(&owner), id, c.version, date(2026, 11, 23)).unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert!(c.filing_due());
    let v = c.version;
    assert_eq!(
        problem(contracts::file(s.store(), &actor(&owner), id, v, date(2026, 11, 22), "广东省函件集邮局", "")),
        ContractError::FiledBeforeSigned
    );
    contracts::file(s.store(), &actor(&owner), id, v, date(2026, 11, 23), "广东省函件集邮局", "复印件一份").unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert_eq!((c.status, c.filed_on), (ContractStatus::Filed, Some(date(2026, 11, 23))));
    let copies = contracts::copies(s.conn(), id).unwrap();
    assert_eq!(copies.len(), 2);
    assert_eq!(
        (copies[0].kind, copies[0].copies, copies[0].sent_to.as_str()),
        (CopyKind::Original, 4, "广东省函件集邮局")
    );
    assert_eq!((copies[1].kind, copies[1].copies, copies[1].sent_on), (CopyKind::Photocopy, 1, date(2026, 11, 23)));
    assert_eq!(copies[1].recorded_by, "赵经理");
    assert!(
        history_fields(&s, "contract_copy", copies[1].id)
            .contains(&("sent_to".into(), Some("广东省函件集邮局".into())))
    );
}

#[test]
fn a_body_the_database_does_not_hold_is_recorded_by_the_access_bureau_on_its_behalf() {
    let mut s = Seeded::new();
    let (manager, sup, leader) = (s.org.manager.clone(), s.org.supervisor.clone(), s.org.leader.clone());
    let unit = s.org.unit;
    let customer = customer_of(&mut s, &manager, unit, "甲");
    let t = terms(&s, &customer, "HT-9", Tier::Diamond, unit);
    let id = contracts::create(s.store(), &actor(&manager), &t).unwrap();
    let v = version(&s, id);
    contracts::submit(s.store(), &actor(&manager), id, v).unwrap();
    for _ in 0..5 {
        let v = version(&s, id);
        // The bureau leaders' step too: no province here, so the supervisor records it.
        assert!(contracts::approve(s.store(), &actor(&leader), id, v, "").is_err());
        contracts::approve(s.store(), &actor(&sup), id, v, "省局批复同意").unwrap();
    }
    let steps = contracts::steps(s.conn(), id).unwrap();
    assert_eq!(steps.iter().map(|st| st.on_behalf).collect::<Vec<_>>(), [false, true, true, true, true]);
    assert!(contracts::load(s.conn(), id).unwrap().approval().chain_complete());
}

#[test]
fn contracts_ending_within_sixty_days_count_the_sixtieth_day_and_not_the_sixty_first() {
    let mut s = Seeded::new();
    let (manager, manager2, sup, leader) =
        (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone(), s.org.leader.clone());
    let unit = s.org.unit;
    let customer = customer_of(&mut s, &manager, unit, "甲");
    let signed = |s: &mut Seeded, number: &str, end: chrono::NaiveDate| {
        let t = Terms { end_on: Some(end), ..terms(s, &customer, number, Tier::Gold, unit) };
        let id = contracts::create(s.store(), &actor(&manager), &t).unwrap();
        let v = version(s, id);
        contracts::submit(s.store(), &actor(&manager), id, v).unwrap();
        let v = version(s, id);
        contracts::approve(s.store(), &actor(&sup), id, v, "").unwrap();
        let v = version(s, id);
        contracts::approve(s.store(), &actor(&leader), id, v, "").unwrap();
        let v = version(s, id);
        contracts::sign(s.store(), &actor(&manager), id, v, date(2026, 11, 23)).unwrap();
        id
    };
    // Today is 2026-11-23: 2027-01-22 is 60 days ahead, 2027-01-23 61.
    let sixty = signed(&mut s, "HT-60", date(2027, 1, 22));
    let _sixty_one = signed(&mut s, "HT-61", date(2027, 1, 23));
    let past = signed(&mut s, "HT-PAST", date(2026, 11, 22));
    let today = fixed_now().date();
    let ending = contracts::ending_within(s.conn(), Some(manager.id), None, today, 60, 50).unwrap();
    assert_eq!(ending.iter().map(|c| c.id).collect::<Vec<_>>(), [past, sixty], "soonest first, the past one too");
    assert!(ending.iter().all(|c| c.ending_within(today, 60)));
    assert!(contracts::ending_within(s.conn(), Some(manager2.id), None, today, 60, 50).unwrap().is_empty());
    assert_eq!(contracts::ending_within(s.conn(), None, Some(unit), today, 60, 50).unwrap().len(), 2);
    // Ended at its end date: no reason needed, and it is no longer listed.
    let v = version(&s, past);
    contracts::end(s.store(), &actor(&manager), past, v, today, "").unwrap();
    assert_eq!(contracts::ending_within(s.conn(), Some(manager.id), None, today, 60, 50).unwrap().len(), 1);
    // A draft abandoned needs its reason.
    let t = terms(&s, &customer, "HT-D", Tier::Gold, unit);
    let draft = contracts::create(s.store(), &actor(&manager), &t).unwrap();
    let v = version(&s, draft);
    assert_eq!(
        problem(contracts::end(s.store(), &actor(&manager), draft, v, today, "")),
        ContractError::ReasonRequired
    );
    let v = version(&s, draft);
    contracts::end(s.store(), &actor(&manager), draft, v, today, "客户改签框架协议").unwrap();
    let all = contracts::list(s.conn(), &ContractFilter { with_ended: true, ..Default::default() }, 50).unwrap();
    assert_eq!(all.len(), 4);
    let live = contracts::list(s.conn(), &ContractFilter::default(), 50).unwrap();
    assert_eq!(live.len(), 2);
    let found = contracts::list(s.conn(), &ContractFilter { text: "HT-6".into(), ..Default::default() }, 50).unwrap();
    assert_eq!(found.len(), 2);
}

#[test]
fn an_agreement_stage_log_entry_names_a_contract_of_its_own_customer() {
    let mut s = Seeded::new();
    let manager = s.org.manager.clone();
    let unit = s.org.unit;
    let customer = customer_of(&mut s, &manager, unit, "甲");
    let other = customer_of(&mut s, &manager, unit, "乙");
    let t = terms(&s, &customer, "HT-L", Tier::Gold, unit);
    let id = contracts::create(s.store(), &actor(&manager), &t).unwrap();
    let entry = |c: &CustomerId, stage| NewLogEntry {
        customer_id: c.clone(),
        logged_on: date(2026, 11, 20),
        method: Method::Meeting,
        stage,
        content: "双方就合同文本达成一致".into(),
        needs: String::new(),
        cooperation: String::new(),
        satisfaction: None,
        next_step: String::new(),
        next_due: None,
        our_people: String::new(),
        their_people: String::new(),
        visit_id: None,
    };
    let a = actor(&manager);
    assert_eq!(
        problem(contracts::write_log(s.store(), &a, &entry(&customer, DealStage::Quotation), Some(id))),
        ContractError::LogLink
    );
    assert_eq!(
        problem(contracts::write_log(s.store(), &a, &entry(&other, DealStage::Agreement), Some(id))),
        ContractError::LogLink
    );
    assert_eq!(count(s.conn(), "marketing_log"), 0, "a refused link writes no entry");
    let log = contracts::write_log(s.store(), &a, &entry(&customer, DealStage::Agreement), Some(id)).unwrap();
    let listed = contracts::log_entries(s.conn(), id).unwrap();
    assert_eq!(listed.iter().map(|e| (e.id, e.contract_id)).collect::<Vec<_>>(), [(log, Some(id))]);
    assert_eq!(history_fields(&s, "marketing_log", log).last(), Some(&("contract_id".into(), Some(id.to_string()))));
    // The schema holds it too.
    let raw = s.store().write(|tx| {
        tx.exec("UPDATE marketing_log SET stage = 'quotation' WHERE id = ?1", args![log])?;
        Ok(())
    });
    assert!(raw.is_err(), "an entry naming a contract stays at the agreement stage");
}

#[test]
fn only_a_draft_changes_and_nothing_is_deleted() {
    let mut s = Seeded::new();
    let (manager, sup, leader) = (s.org.manager.clone(), s.org.supervisor.clone(), s.org.leader.clone());
    let unit = s.org.unit;
    let customer = customer_of(&mut s, &manager, unit, "甲");
    let t = terms(&s, &customer, "HT-X", Tier::Gold, unit);
    let id = contracts::create(s.store(), &actor(&manager), &t).unwrap();
    let v = version(&s, id);
    contracts::submit(s.store(), &actor(&manager), id, v).unwrap();
    let v = version(&s, id);
    contracts::approve(s.store(), &actor(&sup), id, v, "").unwrap();
    let raw = |s: &mut Seeded, sql: &str| s.store().write(|tx| tx.exec(sql, args![]).map(|_| ()));
    assert!(raw(&mut s, "UPDATE contract SET value = 1").is_err(), "terms change only in draft");
    assert!(raw(&mut s, "DELETE FROM contract").is_err());
    assert!(raw(&mut s, "DELETE FROM contract_step").is_err());
    assert!(raw(&mut s, "UPDATE contract_step SET opinion = '改写' WHERE position = 1").is_err(), "decided once");
    let v = version(&s, id);
    contracts::approve(s.store(), &actor(&leader), id, v, "").unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    contracts::sign(s.store(), &actor(&manager), id, c.version, date(2026, 11, 23)).unwrap();
    let copy = NewCopy {
        kind: CopyKind::Counterpart,
        copies: 1,
        sent_to: "客户".into(),
        sent_on: date(2026, 11, 23),
        note: String::new(),
    };
    contracts::add_copy(s.store(), &actor(&manager), id, &copy).unwrap();
    assert!(raw(&mut s, "DELETE FROM contract_copy").is_err());
    assert!(raw(&mut s, "UPDATE contract_copy SET copies = 9").is_err());
    let none = NewCopy { copies: 0, ..copy };
    assert_eq!(problem(contracts::add_copy(s.store(), &actor(&manager), id, &none)), ContractError::NoCopies);
    let v = version(&s, id);
    contracts::end(s.store(), &actor(&manager), id, v, date(2026, 11, 23), "客户业务调整,协商终止").unwrap();
    let v = version(&s, id);
    assert_eq!(
        problem(contracts::end(s.store(), &actor(&manager), id, v, date(2026, 11, 23), "再次")),
        ContractError::Ended
    );
    assert!(raw(&mut s, "UPDATE contract SET end_reason = '改写'").is_err(), "an ended contract does not change");
}

#[test]
fn the_administrator_sets_a_tiers_chain_and_new_submissions_go_up_it() {
    let mut s = Seeded::new();
    let (manager, sup, leader) = (s.org.manager.clone(), s.org.supervisor.clone(), s.org.leader.clone());
    let unit = s.org.unit;
    let admin = staff_in(s.store(), "guanli", "管理员", unit, Role::Admin);
    let chain = vec![
        ChainStep { name: "区局主管初审".into(), role: Role::Supervisor, scope: StepScope::CustomerUnit },
        ChainStep { name: "市场部复核".into(), role: Role::Supervisor, scope: StepScope::AccessBureau },
        ChainStep { name: "分管领导审批".into(), role: Role::Leader, scope: StepScope::AccessBureau },
    ];
    assert_eq!(refused(contracts::set_chain(s.store(), &actor(&sup), Tier::Gold, &chain)), Refusal::AdministratorOnly);
    let bad = vec![ChainStep { name: "经理".into(), role: Role::Manager, scope: StepScope::AccessBureau }];
    assert!(matches!(
        problem(contracts::set_chain(s.store(), &actor(&admin), Tier::Gold, &bad)),
        ContractError::Chain(_)
    ));
    contracts::set_chain(s.store(), &actor(&admin), Tier::Gold, &chain).unwrap();
    assert_eq!(contracts::chain_for(s.conn(), Tier::Gold).unwrap(), chain);
    assert_eq!(contracts::chain_for(s.conn(), Tier::Silver).unwrap().len(), 2, "other tiers keep the default");
    let set: Vec<bool> = contracts::chains(s.conn()).unwrap().into_iter().map(|(_, _, set)| set).collect();
    assert_eq!(set.iter().filter(|x| **x).count(), 1);
    let customer = customer_of(&mut s, &manager, unit, "甲");
    let t = terms(&s, &customer, "HT-C", Tier::Gold, unit);
    let id = contracts::create(s.store(), &actor(&manager), &t).unwrap();
    let v = version(&s, id);
    contracts::submit(s.store(), &actor(&manager), id, v).unwrap();
    assert_eq!(contracts::load(s.conn(), id).unwrap().steps, 3);
    // Administrators keep records but decide no step.
    let v = version(&s, id);
    assert!(contracts::approve(s.store(), &actor(&admin), id, v, "").is_err());
    for who in [&sup, &sup, &leader] {
        let v = version(&s, id);
        contracts::approve(s.store(), &actor(who), id, v, "").unwrap();
    }
    assert!(contracts::load(s.conn(), id).unwrap().approval().chain_complete());
    let chain_history = s
        .conn()
        .rows("SELECT entity_id, changed_by FROM history WHERE entity = 'contract_chain'", args![], |r| {
            Ok((r.get::<String>(0)?, r.get::<i64>(1)?))
        })
        .unwrap();
    assert_eq!(chain_history, [("gold".to_string(), admin.id)]);
}

/// On PostgreSQL each person's own login goes through the same flow, and
/// plain SQL that kam would refuse is refused by the database.
#[test]
fn own_logins_draft_approve_and_sign_and_the_database_refuses_the_rest() {
    let mut s = Seeded::new();
    let (manager, manager2, sup, leader) =
        (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone(), s.org.leader.clone());
    let unit = s.org.unit;
    let customer = customer_of(&mut s, &manager, unit, "甲");
    let t = terms(&s, &customer, "HT-PG", Tier::Platinum, unit);
    let mut mine = as_own_login(&s.db, &manager);
    let id = contracts::create(&mut mine, &actor(&manager), &t).unwrap();
    contracts::submit(&mut mine, &actor(&manager), id, version(&s, id)).unwrap();
    let other = as_own_login(&s.db, &manager2);
    let mut boss = as_own_login(&s.db, &sup);
    let mut lead = as_own_login(&s.db, &leader);
    if on_postgres() {
        // The manager's own session cannot approve the step by hand, nor a colleague change the draft.
        let raw_step = mine.conn().exec(
            "UPDATE contract_step SET outcome = 'approved', decided_by = ?1, decided_at = now() WHERE contract_id = ?2",
            args![manager.id, id],
        );
        let raw_move = mine.conn().exec("UPDATE contract SET current_step = NULL WHERE id = ?1", args![id]);
        let raw_other = other.conn().exec(
            "INSERT INTO contract (number, customer_id, kind, access_bureau, tier, created_by, created_at, \
             updated_by, updated_at) VALUES ('X-1', ?1, 'contract', ?2, 'gold', ?3, now(), ?3, now())",
            args![customer, unit, manager2.id],
        );
        let raw_skip = boss.conn().exec(
            "UPDATE contract SET current_step = NULL, updated_by = ?1, updated_at = now() WHERE id = ?2",
            args![sup.id, id],
        );
        for (what, r) in [("step", raw_step), ("move", raw_move), ("colleague", raw_other), ("skip", raw_skip)] {
            assert!(
                matches!(&r, Err(DbError::Engine(e)) if matches!(e.sql_state(), Some("42501" | "P0001" | "23514"))),
                "{what}: {r:?}"
            );
        }
    }
    contracts::approve(&mut boss, &actor(&sup), id, version(&s, id), "同意").unwrap();
    contracts::approve(&mut lead, &actor(&leader), id, version(&s, id), "同意").unwrap();
    contracts::sign(&mut mine, &actor(&manager), id, version(&s, id), date(2026, 11, 23)).unwrap();
    contracts::file(&mut mine, &actor(&manager), id, version(&s, id), date(2026, 11, 23), "省函件集邮局", "").unwrap();
    let log = NewLogEntry {
        customer_id: customer.clone(),
        logged_on: date(2026, 11, 23),
        method: Method::Visit,
        stage: DealStage::Agreement,
        content: "签约仪式".into(),
        needs: String::new(),
        cooperation: String::new(),
        satisfaction: None,
        next_step: String::new(),
        next_due: None,
        our_people: String::new(),
        their_people: String::new(),
        visit_id: None,
    };
    contracts::write_log(&mut mine, &actor(&manager), &log, Some(id)).unwrap();
    let c = contracts::load(s.conn(), id).unwrap();
    assert_eq!(c.status, ContractStatus::Filed);
    assert_eq!(contracts::copies(s.conn(), id).unwrap().len(), 1);
    assert_eq!(contracts::log_entries(s.conn(), id).unwrap().len(), 1);
    if on_postgres() {
        let raw_end = other.conn().exec(
            "UPDATE contract SET status = 'ended', ended_on = '2026-11-23', updated_by = ?1, updated_at = now() \
             WHERE id = ?2",
            args![manager2.id, id],
        );
        assert!(matches!(&raw_end, Err(DbError::Engine(e)) if e.sql_state() == Some("42501")), "{raw_end:?}");
    }
}

/// The server keeps kam's default chains in SQL (its own rules check a new
/// round's steps against them): the same steps as the Rust ones.
#[test]
fn the_servers_default_chains_are_kams() {
    if !on_postgres() {
        return;
    }
    let db = TestDb::new();
    for tier in Tier::ALL {
        let json: String =
            db.conn().row("SELECT kam_contract_chain(?1)::text", args![tier.code()], |r| r.get(0)).unwrap();
        let steps: Vec<ChainStep> = serde_json::from_str(&json).unwrap();
        assert_eq!(steps, kam::domain::contract::default_chain(tier), "{tier:?}");
    }
}
