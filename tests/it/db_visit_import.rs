//! `kam import visits` on a real database (both engines): done visits in the
//! account manager's diary, the importer as the history's actor; all or
//! nothing with every bad line named; a re-import changes nothing; only a
//! records keeper imports.

use crate::common;

use common::*;
use kam::cli::ImportKind;
use kam::commands::CommandEnv;
use kam::commands::import::{bad_row_text, import_bytes};
use kam::db::sql::{Sql, args};
use kam::db::{customers, reference};
use kam::domain::id::CustomerId;
use kam::domain::revenue::StatusRules;
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;

fn customer(s: &mut Seeded, name: &str) -> CustomerId {
    let m = s.org.manager.clone();
    let nc = new_customer(name, &format!("广州{name}有限公司"), s.org.unit, m.id);
    customers::create(&mut s.db.store, &actor(&m), &nc, TierPreset::GuangdongScore).unwrap()
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

#[test]
fn a_visit_sheet_imports_done_visits_with_history_and_again_changes_nothing() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let sup = s.org.supervisor.clone();
    let file = format!(
        "客户编号,客户名称,拜访时间,拜访方式,客户经理,时长(分钟),拜访目的,客户意见,下一步\n\
         {a},甲,2026-10-15 14:30,上门拜访,zhangwei,90,年度续约,价格偏高,报新价\n\
         {a},甲,2026-10-16,phone,李娜,,,,\n"
    );
    let dry = import_bytes(&mut env_as(&s, &sup, Lang::Zh), ImportKind::Visits, file.as_bytes(), true).unwrap();
    assert!(dry.bad.is_empty(), "{:?}", dry.bad);
    assert_eq!(dry.report.counts.inserted, 2);
    assert_eq!(count(s.conn(), "visit"), 0, "a dry run writes nothing");

    let done = import_bytes(&mut env_as(&s, &sup, Lang::Zh), ImportKind::Visits, file.as_bytes(), false).unwrap();
    assert!(done.bad.is_empty(), "{:?}", done.bad);
    assert_eq!(done.report.counts.inserted, 2);
    let rows: Vec<(String, String, i64, i64, String, String, String)> = s
        .conn()
        .rows(
            "SELECT kind, state, owner_id, duration_min, coalesce(purpose, ''), coalesce(opinions, ''), \
             coalesce(next_step, '') FROM visit ORDER BY planned_at",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .unwrap();
    let (m1, m2) = (s.org.manager.id, s.org.manager2.id);
    assert_eq!(
        rows,
        [
            ("in_person".into(), "done".into(), m1, 90, "年度续约".into(), "价格偏高".into(), "报新价".into()),
            ("phone".into(), "done".into(), m2, 60, String::new(), String::new(), String::new()),
        ]
    );
    // The manager took part; the importer is the history's actor.
    assert_eq!(count(s.conn(), &format!("visit_staff WHERE staff_id = {m1} AND role = 'account_manager'")), 1);
    let actors: Vec<i64> =
        s.conn().rows("SELECT DISTINCT changed_by FROM history WHERE entity = 'visit'", args![], |r| r.get(0)).unwrap();
    assert_eq!(actors, [sup.id]);
    assert!(count(s.conn(), "history WHERE entity = 'visit' AND action = 'create'") == 2);

    let again = import_bytes(&mut env_as(&s, &sup, Lang::Zh), ImportKind::Visits, file.as_bytes(), false).unwrap();
    assert_eq!((again.report.counts.inserted, again.report.counts.unchanged), (0, 2));
    assert_eq!(count(s.conn(), "visit"), 2, "not a duplicate");
}

#[test]
fn a_visit_sheet_with_bad_lines_names_each_and_writes_nothing() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let sup = s.org.supervisor.clone();
    let file = format!(
        "客户编号,拜访时间,拜访方式,客户经理\n\
         {a},2026-10-15 14:30,上门拜访,zhangwei\n\
         44010699999000,2026-10-15,上门拜访,zhangwei\n\
         {a},2026-11-30,上门拜访,zhangwei\n\
         {a},十月中,喝茶,nobody\n\
         {a},2026-10-15,,\n"
    );
    let outcome = import_bytes(&mut env_as(&s, &sup, Lang::Zh), ImportKind::Visits, file.as_bytes(), false).unwrap();
    let lines: Vec<usize> = outcome.bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, [3, 4, 5, 5, 5, 6, 6], "{:?}", outcome.bad);
    let zh: Vec<String> = outcome.bad.iter().map(|b| bad_row_text(Lang::Zh, b)).collect();
    assert!(zh[0].contains("找不到客户 44010699999000"), "{zh:?}");
    assert!(zh[1].contains("还没到"), "{zh:?}");
    assert!(zh[2].contains("十月中"), "{zh:?}");
    assert!(zh[3].contains("不认识的拜访方式:喝茶") && zh[3].contains("上门拜访、电话短信"), "{zh:?}");
    assert!(zh[4].contains("不认识的员工:nobody"), "{zh:?}");
    assert_eq!(count(s.conn(), "visit"), 0, "nothing written");
    let en: Vec<String> = outcome.bad.iter().map(|b| bad_row_text(Lang::En, b)).collect();
    assert!(en[1].contains("is in the future"), "{en:?}");
    assert!(en[3].contains("Unknown visit kind: 喝茶") && en[3].contains("In-person visit, Phone/SMS"), "{en:?}");
}

#[test]
fn only_a_records_keeper_imports_visits() {
    let mut s = Seeded::new();
    let a = customer(&mut s, "甲");
    let file = format!("客户编号,拜访时间,拜访方式,客户经理\n{a},2026-10-15 14:30,上门拜访,zhangwei\n");
    // An account manager, even the customer's own, may not import.
    let manager = s.org.manager.clone();
    let refused = import_bytes(&mut env_as(&s, &manager, Lang::Zh), ImportKind::Visits, file.as_bytes(), false);
    assert!(refused.is_err());
    assert_eq!(count(s.conn(), "visit"), 0);
    // Nor may a leader, who reads only.
    let leader = s.org.leader.clone();
    let refused = import_bytes(&mut env_as(&s, &leader, Lang::En), ImportKind::Visits, file.as_bytes(), false);
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(!message.is_empty());
    assert_eq!(count(s.conn(), "visit"), 0);
    // A supervisor may.
    let sup = s.org.supervisor.clone();
    let done = import_bytes(&mut env_as(&s, &sup, Lang::Zh), ImportKind::Visits, file.as_bytes(), false).unwrap();
    assert_eq!(done.report.counts.inserted, 1);
}
