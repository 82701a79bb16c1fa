//! Issue 18, the development pipeline in storage (SPEC §13.5–13.6): a unit's
//! industry ranking table as data, written by its deciders; a registered
//! prospect started at the survey by its account manager, moved through the
//! six steps (the director's steps by a supervisor only, on PostgreSQL by
//! the database too), overdue from the day after its due day, counted by
//! step for a manager and a unit, converted by its first agreement; history
//! kept, nothing deleted. Runs on both engines (`both_engines::STORAGE`).

use crate::common::*;
use crate::ledger_status::as_own_login;
use kam::db::pipeline::{self, IndustryText, PipelineProblem, PipelineScope};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Invalid, customers};
use kam::domain::id::CustomerId;
use kam::domain::pipeline::Step;
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;

fn customer(s: &mut Seeded, owner: &Staff, name: &str, registration: &str) -> CustomerId {
    let nc = new_customer(name, &format!("汕头{name}有限公司"), s.org.unit, owner.id);
    let id = customers::create(&mut s.db.store, &actor(&s.org.supervisor), &nc, TierPreset::GuangdongScore).unwrap();
    s.conn().exec("UPDATE customer SET registration = ?1 WHERE id = ?2", args![registration, id]).unwrap();
    id
}

fn problem<T: std::fmt::Debug>(r: Result<T, DbError>) -> PipelineProblem {
    match r {
        Err(DbError::Invalid(Invalid::Pipeline(p))) => p,
        other => panic!("expected a pipeline problem, got {other:?}"),
    }
}

fn refused<T: std::fmt::Debug>(r: Result<T, DbError>) {
    match r {
        Err(DbError::Refused(_)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn industry(name: &str, rank: i64, weight: i64) -> IndustryText {
    IndustryText { industry: name.into(), rank, weight, notes: "账单寄递需求大".into(), archived: false }
}

#[test]
fn the_ranking_table_is_the_units_deciders_data_archived_never_deleted() {
    let mut s = Seeded::new();
    let (manager, sup, unit) = (s.org.manager.clone(), s.org.supervisor.clone(), s.org.unit);
    refused(pipeline::save_industry(&mut s.db.store, &actor(&manager), unit, &industry("有线电视", 1, 40), None));
    assert_eq!(
        problem(pipeline::save_industry(&mut s.db.store, &actor(&sup), unit, &industry(" ", 1, 40), None)),
        PipelineProblem::BadIndustry
    );
    assert_eq!(
        problem(pipeline::save_industry(&mut s.db.store, &actor(&sup), unit, &industry("银行", 1, 101), None)),
        PipelineProblem::BadIndustry
    );
    let tv = pipeline::save_industry(&mut s.db.store, &actor(&sup), unit, &industry("有线电视", 2, 40), None).unwrap();
    pipeline::save_industry(&mut s.db.store, &actor(&sup), unit, &industry("银行", 1, 60), None).unwrap();
    let names: Vec<String> =
        pipeline::industries(s.conn(), unit, false).unwrap().into_iter().map(|i| i.text.industry).collect();
    assert_eq!(names, ["银行", "有线电视"], "rank order");
    let mut gone = industry("有线电视", 2, 40);
    gone.archived = true;
    pipeline::save_industry(&mut s.db.store, &actor(&sup), unit, &gone, Some((tv, 1))).unwrap();
    assert!(matches!(
        pipeline::save_industry(&mut s.db.store, &actor(&sup), unit, &gone, Some((tv, 1))),
        Err(DbError::Conflict(_))
    ));
    assert_eq!(pipeline::industries(s.conn(), unit, false).unwrap().len(), 1);
    assert_eq!(pipeline::industries(s.conn(), unit, true).unwrap().len(), 2);
    assert_eq!(s.db.count("history WHERE entity = 'industry_rank' AND field = 'archived'"), 1);
    assert!(s.conn().exec("DELETE FROM industry_rank", args![]).is_err());
}

#[test]
fn a_prospect_moves_through_the_six_steps_by_role_and_converts_on_its_first_agreement() {
    let mut s = Seeded::new();
    let (manager, manager2, sup) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone());
    let pending = customer(&mut s, &manager, "潮汕电视", "pending");
    let id = customer(&mut s, &manager, "汕头有线", "approved");
    let me = actor(&manager);
    let monday = date(2026, 3, 2);

    assert_eq!(
        problem(pipeline::start(&mut s.db.store, &me, &pending, monday, None, None)),
        PipelineProblem::NotRegistered,
        "registration comes first (SPEC §2.3)"
    );
    refused(pipeline::start(&mut s.db.store, &actor(&manager2), &id, monday, None, None));
    pipeline::start(&mut s.db.store, &me, &id, monday, None, Some(yuan("80000"))).unwrap();
    assert_eq!(
        problem(pipeline::start(&mut s.db.store, &me, &id, monday, None, None)),
        PipelineProblem::AlreadyStarted
    );
    let p = pipeline::load(s.conn(), &id).unwrap().unwrap();
    assert_eq!((p.step, p.due_on), (Step::Survey, date(2026, 3, 9)));
    assert!(!p.is_overdue(date(2026, 3, 9)), "exactly 7 days: on time");
    assert!(p.is_overdue(date(2026, 3, 10)));
    assert_eq!(p.days_overdue(date(2026, 3, 12)), 3);

    // Another manager does not move it; its own manager moves 1 → 2 → 3.
    refused(pipeline::advance(&mut s.db.store, &actor(&manager2), &id, 1, date(2026, 3, 6)));
    assert_eq!(pipeline::advance(&mut s.db.store, &me, &id, 1, date(2026, 3, 6)).unwrap(), Step::Segmentation);
    assert!(matches!(pipeline::advance(&mut s.db.store, &me, &id, 1, date(2026, 3, 6)), Err(DbError::Conflict(_))));
    assert_eq!(pipeline::advance(&mut s.db.store, &me, &id, 2, date(2026, 3, 13)).unwrap(), Step::Prioritisation);
    let p = pipeline::load(s.conn(), &id).unwrap().unwrap();
    assert_eq!(p.due_on, date(2026, 3, 27), "steps 3–6: two weeks");
    // Steps 3 and 4 are the director's: the manager may not move them.
    refused(pipeline::advance(&mut s.db.store, &me, &id, 3, date(2026, 3, 20)));
    let boss = actor(&sup);
    assert_eq!(pipeline::advance(&mut s.db.store, &boss, &id, 3, date(2026, 3, 20)).unwrap(), Step::Positioning);
    refused(pipeline::advance(&mut s.db.store, &me, &id, 4, date(2026, 3, 27)));
    assert_eq!(pipeline::advance(&mut s.db.store, &boss, &id, 4, date(2026, 3, 27)).unwrap(), Step::MarketingPlan);
    assert_eq!(pipeline::advance(&mut s.db.store, &me, &id, 5, date(2026, 4, 3)).unwrap(), Step::Expansion);
    assert_eq!(problem(pipeline::advance(&mut s.db.store, &me, &id, 6, date(2026, 4, 10))), PipelineProblem::LastStep);

    // The first agreement converts it; a second changes nothing.
    let c =
        s.db.store.write(|tx| pipeline::convert_in(tx, &me, &id, date(2026, 4, 15), 0)).unwrap().expect("converted");
    assert_eq!((c.from, c.stage), (Step::Expansion, "signed"));
    let p = pipeline::load(s.conn(), &id).unwrap().unwrap();
    assert_eq!(p.closed.as_deref(), Some("converted"));
    assert!(!p.is_overdue(date(2027, 1, 1)), "a closed prospect is never overdue");
    assert_eq!(s.db.store.write(|tx| pipeline::convert_in(tx, &me, &id, date(2026, 5, 1), 1)).unwrap(), None);
    assert_eq!(
        problem(pipeline::advance(&mut s.db.store, &me, &id, 7, date(2026, 5, 1))),
        PipelineProblem::NotInPipeline
    );

    let steps: Vec<Option<String>> = s
        .conn()
        .rows(
            "SELECT new_value FROM history WHERE entity = 'prospect_step' AND field = 'step' ORDER BY id",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(steps.len(), 6, "created at the survey, then five moves: {steps:?}");
    assert_eq!(s.db.count("history WHERE entity = 'prospect_step' AND field = 'closed'"), 1);
    assert!(s.conn().exec("DELETE FROM prospect_step", args![]).is_err(), "never deleted");
}

#[test]
fn the_pipeline_counts_by_step_and_lists_overdue_steps_per_manager_and_unit() {
    let mut s = Seeded::new();
    let (manager, manager2, sup, unit) =
        (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone(), s.org.unit);
    let a = customer(&mut s, &manager, "汕头银行", "approved");
    let b = customer(&mut s, &manager, "潮州陶瓷", "approved");
    let c = customer(&mut s, &manager2, "揭阳五金", "approved");
    pipeline::start(&mut s.db.store, &actor(&manager), &a, date(2026, 3, 2), None, Some(yuan("50000"))).unwrap();
    pipeline::start(&mut s.db.store, &actor(&manager), &b, date(2026, 3, 5), None, Some(yuan("30000"))).unwrap();
    pipeline::start(&mut s.db.store, &actor(&manager2), &c, date(2026, 3, 2), None, None).unwrap();
    pipeline::advance(&mut s.db.store, &actor(&manager2), &c, 1, date(2026, 3, 3)).unwrap();
    let dropped = customer(&mut s, &manager, "已放弃", "approved");
    pipeline::start(&mut s.db.store, &actor(&manager), &dropped, date(2026, 1, 1), None, Some(yuan("1"))).unwrap();
    pipeline::drop_prospect(&mut s.db.store, &actor(&sup), &dropped, 1).unwrap();

    let today = date(2026, 3, 10); // a due 3-09: overdue; b due 3-12, c due 3-10: on time
    let mine = pipeline::counts(s.conn(), PipelineScope::Manager(manager.id), today).unwrap();
    assert_eq!(mine.len(), 6, "every step, in order");
    assert_eq!((mine[0].step, mine[0].count, mine[0].overdue), (Step::Survey, 2, 1));
    assert_eq!(mine[0].expected_revenue, yuan("80000"));
    assert_eq!(mine[1].count, 0);
    let all = pipeline::counts(s.conn(), PipelineScope::Unit(unit), today).unwrap();
    assert_eq!((all[0].count, all[1].count, all[1].overdue), (2, 1, 0));
    let late = pipeline::overdue(s.conn(), PipelineScope::Unit(unit), today, 10).unwrap();
    assert_eq!(late.iter().map(|p| p.customer_id.clone()).collect::<Vec<_>>(), std::slice::from_ref(&a));
    assert_eq!(late[0].days_overdue(today), 1);
    assert!(pipeline::overdue(s.conn(), PipelineScope::Manager(manager2.id), today, 10).unwrap().is_empty());
}

#[test]
fn on_postgresql_the_database_refuses_a_managers_move_of_the_directors_step() {
    let mut s = Seeded::new();
    let manager = s.org.manager.clone();
    let id = customer(&mut s, &manager, "汕头港务", "approved");
    pipeline::start(&mut s.db.store, &actor(&manager), &id, date(2026, 3, 2), None, None).unwrap();
    pipeline::advance(&mut s.db.store, &actor(&manager), &id, 1, date(2026, 3, 3)).unwrap();
    pipeline::advance(&mut s.db.store, &actor(&manager), &id, 2, date(2026, 3, 4)).unwrap();
    if !on_postgres() {
        return; // The file's rules are the db layer's, tested above.
    }
    let own = as_own_login(&s.db, &manager);
    let by = manager.id;
    assert!(
        own.conn()
            .exec(
                &format!("UPDATE prospect_step SET step = 'positioning', moved_by = {by}, moved_at = now() WHERE customer_id = '{id}'"),
                args![]
            )
            .is_err(),
        "steps 3 and 4 are the director's"
    );
    assert!(
        own.conn()
            .exec(
                &format!("INSERT INTO industry_rank (unit_id, industry, rank, updated_by, updated_at) VALUES ({}, '银行', 1, {by}, now())", s.org.unit),
                args![]
            )
            .is_err(),
        "the ranking table is the deciders'"
    );
    assert!(own.conn().exec("DELETE FROM prospect_step", args![]).is_err());
}
