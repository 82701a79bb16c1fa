//! `kam import log` on a real database (both engines): entries written on
//! paper become entries of the account manager the sheet names (author_id),
//! entered by the importer (created_by, the history's actor), counted by the
//! log quota as the manager's; all or nothing with every bad line named; a
//! re-import changes nothing; a dry run writes nothing. An account manager
//! imports only their own entries; someone else's take deciding for the
//! customer's unit (a supervisor of it or of a unit above it, the
//! administrator).

use crate::common;

use common::*;
use kam::cli::ImportKind;
use kam::commands::CommandEnv;
use kam::commands::import::{Outcome, bad_row_text, import_bytes};
use kam::db::marketing::{self, LogFilter, NewLogEntry};
use kam::db::reference::{self, NewStaff};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, customers};
use kam::domain::id::CustomerId;
use kam::domain::marketing_log::{DealStage, Method, manager_quota};
use kam::domain::revenue::StatusRules;
use kam::domain::staff::{Refusal, Role, Staff};
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;
use kam::import::Problem;

fn customer_in(s: &mut Seeded, name: &str, unit: i64, owner: &Staff) -> CustomerId {
    let sup = s.org.supervisor.clone();
    let nc = new_customer(name, &format!("广州{name}有限公司"), unit, owner.id);
    customers::create(&mut s.db.store, &actor(&sup), &nc, TierPreset::GuangdongScore).unwrap()
}

fn customer(s: &mut Seeded, name: &str) -> CustomerId {
    let (unit, manager) = (s.org.unit, s.org.manager.clone());
    customer_in(s, name, unit, &manager)
}

fn env_as(s: &Seeded, staff: &Staff, lang: Lang) -> CommandEnv {
    let store = s.db.reopen();
    let reference = reference::load(store.conn()).unwrap();
    CommandEnv {
        store,
        actor: actor(staff),
        reference,
        lang,
        preset: TierPreset::GuangdongScore,
        rules: StatusRules::default(),
    }
}

fn import(s: &Seeded, who: &Staff, file: &str, dry_run: bool) -> Outcome {
    import_bytes(&mut env_as(s, who, Lang::Zh), ImportKind::Log, file.as_bytes(), dry_run).unwrap()
}

/// A member of staff added to `unit`.
fn staff_in(s: &mut Seeded, login: &str, name: &str, unit: i64, role: Role) -> Staff {
    let id = s
        .store()
        .write(|tx| {
            reference::insert_staff(tx, &NewStaff { login: Some(login), name, unit_id: unit, role, phone: None })
        })
        .unwrap();
    Staff { id, login: Some(login.into()), name: name.into(), unit_id: unit, role }
}

/// (author, created_by, updated_by, method, stage, content, satisfaction, next_due) of every entry, by day.
type Stored = (i64, i64, i64, String, String, String, Option<String>, Option<chrono::NaiveDate>);

fn stored(s: &Seeded) -> Vec<Stored> {
    s.conn()
        .rows(
            "SELECT author_id, created_by, updated_by, method, stage, content, satisfaction, next_due \
             FROM marketing_log ORDER BY logged_on, id",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )
        .unwrap()
}

#[test]
fn a_log_sheet_imports_entries_in_their_authors_names_counted_by_the_quota_and_again_changes_nothing() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let sup = s.org.supervisor.clone();
    let (m1, m2) = (s.org.manager.clone(), s.org.manager2.clone());
    let file = format!(
        "客户编号,客户名称,日期,客户经理,营销阶段,内容,沟通方式,客户满意度,下一步,下一步期限\n\
         {a},甲,2026-11-03,zhangwei,初次接触,初次拜访\u{202E},拜访,满意,提交方案,2026-11-20\n\
         {a},甲,2026/11/18,张伟,quotation,提交报价单,电话,,,\n\
         {a},甲,2026年10月9日,李娜,协谈方案,陪同洽谈,,,,\n"
    );
    let dry = import(&s, &sup, &file, true);
    assert!(dry.bad.is_empty(), "{:?}", dry.bad);
    assert_eq!((dry.rows, dry.report.counts.inserted), (3, 3));
    assert_eq!(count(s.conn(), "marketing_log"), 0, "a dry run writes nothing");
    assert_eq!(count(s.conn(), "history WHERE entity = 'marketing_log'"), 0);

    let done = import(&s, &sup, &file, false);
    assert!(done.bad.is_empty(), "{:?}", done.bad);
    assert_eq!(done.report.counts.inserted, 3);
    let by = sup.id;
    assert_eq!(
        stored(&s),
        [
            (m2.id, by, by, "other".into(), "proposal_negotiation".into(), "陪同洽谈".into(), None, None),
            (
                m1.id,
                by,
                by,
                "visit".into(),
                "initial_contact".into(),
                "初次拜访".into(),
                Some("satisfied".into()),
                Some(date(2026, 11, 20))
            ),
            (m1.id, by, by, "phone".into(), "quotation".into(), "提交报价单".into(), None, None),
        ],
        "the author is the manager named, the importer entered it; text sanitized"
    );
    // The history's actor is the importer.
    let actors: Vec<i64> = s
        .conn()
        .rows("SELECT DISTINCT changed_by FROM history WHERE entity = 'marketing_log'", args![], |r| r.get(0))
        .unwrap();
    assert_eq!(actors, [sup.id]);
    assert_eq!(count(s.conn(), "history WHERE entity = 'marketing_log' AND action = 'create'"), 3);

    // November's quota counts the two entries as the manager's.
    let (first, last) = (date(2026, 11, 1), date(2026, 11, 30));
    let per_customer = marketing::entries_per_customer(s.conn(), Some(m1.id), None, first, last).unwrap();
    assert_eq!(per_customer.get(&a), Some(&2));
    let tier = customers::load(s.conn(), &a).unwrap().tier;
    let mine = marketing::counts_by_customer(s.conn(), m1.id, first, last).unwrap();
    let report = manager_quota(&[(a.clone(), tier)], &mine, date(2026, 11, 23));
    assert_eq!((report.written_total, report.behind_total()), (2, 0));
    assert!(marketing::counts_by_customer(s.conn(), sup.id, first, last).unwrap().is_empty(), "not the importer's");

    // Shown as entered by the importer, not as the manager's own write.
    let listed = marketing::list(s.conn(), &LogFilter { author: Some(m1.id), ..Default::default() }, 10).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|e| e.entered_for_author() && e.entered_by == sup.id));
    let detail = marketing::detail(s.conn(), listed[0].id).unwrap();
    assert_eq!((detail.author_name.as_str(), detail.entered_by_name.as_deref()), ("张伟", Some("王芳")));

    let again = import(&s, &sup, &file, false);
    assert_eq!((again.report.counts.inserted, again.report.counts.unchanged), (0, 3));
    assert_eq!(count(s.conn(), "marketing_log"), 3, "not a duplicate");
}

#[test]
fn a_log_sheet_with_bad_lines_names_each_and_writes_nothing() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let sup = s.org.supervisor.clone();
    let file = format!(
        "客户编号,日期,客户经理,营销阶段,内容,沟通方式\n\
         {a},2026-11-03,zhangwei,报价,提交报价单,\n\
         44010699999000,2026-11-03,zhangwei,报价,提交报价单,\n\
         {a},2026-11-24,zhangwei,报价,明天再谈,\n\
         {a},上周,nobody,喝茶,,传真\n\
         {a},2026-11-03,张伟,签合同,提交报价单,\n"
    );
    let outcome = import(&s, &sup, &file, false);
    let got: Vec<(usize, Option<&str>)> = outcome.bad.iter().map(|b| (b.line, b.column.as_deref())).collect();
    assert_eq!(
        got,
        [
            (3, None),
            (4, Some("日期")),
            (5, Some("日期")),
            (5, Some("客户经理")),
            (5, Some("营销阶段")),
            (5, Some("内容")),
            (5, Some("沟通方式")),
            (6, None),
        ],
        "{:?}",
        outcome.bad
    );
    assert_eq!(count(s.conn(), "marketing_log"), 0, "nothing written");
    let zh: Vec<String> = outcome.bad.iter().map(|b| bad_row_text(Lang::Zh, b)).collect();
    assert_eq!(zh[0], "第 3 行  找不到客户 44010699999000");
    assert_eq!(zh[1], "第 4 行  日期: 2026-11-24 还没到:只能导入已写的日志");
    assert!(zh[2].starts_with("第 5 行  日期: 日期不对"), "{zh:?}");
    assert_eq!(zh[3], "第 5 行  客户经理: 不认识的员工:nobody");
    assert_eq!(zh[4], "第 5 行  营销阶段: 不认识的营销阶段:喝茶(可填:初次接触、协谈方案、报价、达成协议/签合同)");
    assert!(zh[5].starts_with("第 5 行  内容: "), "{zh:?}");
    assert_eq!(zh[6], "第 5 行  沟通方式: 不认识的沟通方式:传真(可填:拜访、电话、会议、邮件、其他)");
    assert_eq!(zh[7], "第 6 行  与第 2 行重复");
    let en: Vec<String> = outcome.bad.iter().map(|b| bad_row_text(Lang::En, b)).collect();
    assert_eq!(en[1], "Line 4  日期: 2026-11-24 is in the future: only entries already written can be imported");
    assert_eq!(
        en[4],
        "Line 5  营销阶段: Unknown deal stage: 喝茶 (use one of: initial contact, proposal negotiation, quotation, \
         agreement/contract)"
    );
}

#[test]
fn an_account_manager_imports_their_own_entries_only() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let theirs = {
        let (unit, m2) = (s.org.unit, s.org.manager2.clone());
        customer_in(&mut s, "乙", unit, &m2)
    };
    let manager = s.org.manager.clone();
    let own = format!("客户编号,日期,客户经理,营销阶段,内容\n{a},2026-11-03,zhangwei,报价,提交报价单\n");
    let done = import(&s, &manager, &own, false);
    assert!(done.bad.is_empty(), "{:?}", done.bad);
    let (author, entered_by) = (stored(&s)[0].0, stored(&s)[0].1);
    assert_eq!((author, entered_by), (manager.id, manager.id), "their own, entered by themselves");
    assert!(!marketing::list(s.conn(), &LogFilter::default(), 5).unwrap()[0].entered_for_author());

    // A colleague's entry about their own customer: refused, nothing written.
    let colleagues = format!(
        "客户编号,日期,客户经理,营销阶段,内容\n\
         {a},2026-11-04,zhangwei,报价,二次报价\n\
         {a},2026-11-05,lina,报价,陪同报价\n"
    );
    let refused = import(&s, &manager, &colleagues, false);
    assert_eq!(refused.bad.len(), 1, "{:?}", refused.bad);
    assert_eq!(refused.bad[0].line, 3);
    assert!(matches!(refused.bad[0].problem, Problem::AuthorNotAllowed(Refusal::DecidedBy { .. })));
    assert_eq!(
        bad_row_text(Lang::Zh, &refused.bad[0]),
        "第 3 行  不能录入他人写的日志:只有天河区分公司大客户中心或其上级单位的主管可以决定此事"
    );
    // Their own entry about a colleague's customer: not theirs to write.
    let not_mine = format!("客户编号,日期,客户经理,营销阶段,内容\n{theirs},2026-11-05,zhangwei,报价,代为拜访\n");
    let refused = import(&s, &manager, &not_mine, false);
    assert!(matches!(refused.bad[0].problem, Problem::LogNotAllowed(Refusal::NotYourCustomer)), "{:?}", refused.bad);
    assert_eq!(count(s.conn(), "marketing_log"), 1, "only the first file's entry");

    // A leader reads only.
    let leader = s.org.leader.clone();
    let refused = import_bytes(&mut env_as(&s, &leader, Lang::En), ImportKind::Log, own.as_bytes(), true);
    assert!(refused.is_err());
}

#[test]
fn a_supervisor_imports_the_entries_of_their_unit_and_the_units_below_it_only() {
    let mut s = Seeded::new();
    let unit = s.org.unit;
    let branch =
        s.store().write(|tx| reference::insert_unit(tx, "TH2", "天河二支局", "branch", Some(unit), DIVISION)).unwrap();
    let m1 = s.org.manager.clone();
    let below = customer_in(&mut s, "丙", branch, &m1);
    let a = customer(&mut s, "甲");
    let other_unit = add_unit(s.store(), "YX", "440104");
    let elsewhere = staff_in(&mut s, "yxzhuguan", "越秀主管", other_unit, Role::Supervisor);
    let branch_sup = staff_in(&mut s, "th2zhuguan", "支局主管", branch, Role::Supervisor);
    let file = format!(
        "客户编号,日期,客户经理,营销阶段,内容\n\
         {a},2026-11-03,zhangwei,报价,提交报价单\n\
         {below},2026-11-04,zhangwei,初次接触,初次拜访\n"
    );

    // Another unit's supervisor edits any customer but decides for neither.
    let refused = import(&s, &elsewhere, &file, false);
    let lines: Vec<usize> = refused.bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, [2, 3]);
    assert!(refused.bad.iter().all(|b| matches!(b.problem, Problem::AuthorNotAllowed(_))));
    // The branch's supervisor decides for the branch only: the whole file refused for line 2.
    let refused = import(&s, &branch_sup, &file, false);
    assert_eq!(refused.bad.iter().map(|b| b.line).collect::<Vec<_>>(), [2]);
    assert_eq!(count(s.conn(), "marketing_log"), 0);

    // The unit's supervisor decides for the unit and the branch below it.
    let sup = s.org.supervisor.clone();
    let done = import(&s, &sup, &file, false);
    assert!(done.bad.is_empty(), "{:?}", done.bad);
    assert_eq!(stored(&s).iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), [(m1.id, sup.id), (m1.id, sup.id)]);
}

fn entry(customer: &CustomerId) -> NewLogEntry {
    NewLogEntry {
        customer_id: customer.clone(),
        logged_on: date(2026, 11, 3),
        method: Method::Phone,
        stage: DealStage::Quotation,
        content: "电话报价".into(),
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

/// The rule is the log's, not the import's: every write in another's name asks it.
#[test]
fn writing_an_entry_in_anothers_name_takes_deciding_for_the_customers_unit() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let (m1, m2, sup) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone());
    let by_manager = s.store().write(|tx| marketing::write_for_in(tx, &actor(&m1), m2.id, &entry(&a)));
    assert!(matches!(by_manager, Err(DbError::Refused(Refusal::DecidedBy { .. }))), "{by_manager:?}");
    let own = s.store().write(|tx| marketing::write_for_in(tx, &actor(&m1), m1.id, &entry(&a))).unwrap();
    let for_m1 = s.store().write(|tx| marketing::write_for_in(tx, &actor(&sup), m1.id, &entry(&a))).unwrap();
    assert_eq!(count(s.conn(), "marketing_log"), 2);
    let (own, for_m1) = (marketing::detail(s.conn(), own).unwrap(), marketing::detail(s.conn(), for_m1).unwrap());
    assert_eq!((own.entry.author_id, own.entry.entered_by, own.entered_by_name), (m1.id, m1.id, None));
    assert_eq!((for_m1.entry.author_id, for_m1.entered_by_name.as_deref()), (m1.id, Some("王芳")));
    let actor_of: i64 = s
        .conn()
        .row(
            "SELECT changed_by FROM history WHERE entity = 'marketing_log' AND entity_id = ?1 AND action = 'create'",
            args![for_m1.entry.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(actor_of, sup.id, "the history names who entered it");
}
