//! Issue 18, plans in storage (SPEC §13.2–13.3): a customer's marketing plan
//! written by its account manager, handed in, sent back with a reason and
//! reviewed by the unit's supervisor, with its history and never deleted;
//! who may do each step (on PostgreSQL the database itself refuses a
//! manager's review); the due and missing plans Today reads; the review
//! list; the unit's yearly service plan text and the revenue its rule ranks.
//! Runs on both engines (listed in `both_engines::STORAGE`).

use crate::common::*;
use crate::ledger_status::as_own_login;
use kam::db::plans::{self, PlanProblem, PlanScope, PlanText};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Invalid, customers};
use kam::domain::id::CustomerId;
use kam::domain::plan::{PlanPeriod, PlanStatus, Standing, gaps};
use kam::domain::staff::{Refusal, Staff};
use kam::domain::tier::{Tier, TierPreset};

/// An approved customer of `owner` at `tier`.
fn customer(s: &mut Seeded, owner: &Staff, name: &str, tier: Tier) -> CustomerId {
    let nc = new_customer(name, &format!("广州{name}有限公司"), s.org.unit, owner.id);
    let id = customers::create(&mut s.db.store, &actor(&s.org.supervisor), &nc, TierPreset::GuangdongScore).unwrap();
    s.conn()
        .exec("UPDATE customer SET tier = ?1, registration = 'approved' WHERE id = ?2", args![tier.code(), id])
        .unwrap();
    id
}

fn text(goals: &str) -> PlanText {
    PlanText {
        goals: goals.into(),
        measures: "每月走访两次,推广国际小包".into(),
        expected_revenue: Some(yuan("120000")),
        notes: String::new(),
    }
}

fn problem<T: std::fmt::Debug>(r: Result<T, DbError>) -> PlanProblem {
    match r {
        Err(DbError::Invalid(Invalid::Plan(p))) => p,
        other => panic!("expected a plan problem, got {other:?}"),
    }
}

fn refused<T: std::fmt::Debug>(r: Result<T, DbError>) -> DbError {
    match r {
        Err(e @ DbError::Refused(_)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_plan_is_written_handed_in_sent_back_and_reviewed_with_its_history() {
    let mut s = Seeded::new();
    let (manager, manager2, sup) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone());
    let id = customer(&mut s, &manager, "广汽", Tier::Platinum);
    let q2 = PlanPeriod::of(Tier::Platinum, date(2026, 5, 10));
    let me = actor_at(&manager, at(2026, 5, 10, 9, 0));

    // No goals: refused, nothing written.
    assert_eq!(problem(plans::save(&mut s.db.store, &me, &id, q2, &text("  "), None, false)), PlanProblem::NoGoals);
    assert_eq!(s.db.count("marketing_plan"), 0);
    // Not a period: May 1st does not start a quarter.
    let bad = PlanPeriod { first: date(2026, 5, 1), last: date(2026, 7, 31) };
    assert_eq!(
        problem(plans::save(&mut s.db.store, &me, &id, bad, &text("目标"), None, false)),
        PlanProblem::NotAPeriod
    );
    // Another manager's customer: refused.
    refused(plans::save(&mut s.db.store, &actor(&manager2), &id, q2, &text("目标"), None, false));

    let plan_id = plans::save(&mut s.db.store, &me, &id, q2, &text("第二季度国际件收入增长两成"), None, false).unwrap();
    let plan = plans::load(s.conn(), plan_id).unwrap();
    assert_eq!((plan.status, plan.version, plan.period), (PlanStatus::Draft, 1, q2));
    assert_eq!(plan.text.expected_revenue, Some(yuan("120000")));
    // A stale version is a conflict.
    assert!(matches!(plans::save(&mut s.db.store, &me, &id, q2, &text("x"), None, true), Err(DbError::Conflict(_))));
    // Handed in on 12 May.
    plans::save(
        &mut s.db.store,
        &actor_at(&manager, at(2026, 5, 12, 9, 0)),
        &id,
        q2,
        &text("第二季度国际件收入增长两成"),
        Some(1),
        true,
    )
    .unwrap();
    let plan = plans::load(s.conn(), plan_id).unwrap();
    assert_eq!((plan.status, plan.submitted_on), (PlanStatus::Submitted, Some(date(2026, 5, 12))));
    assert_eq!(
        problem(plans::save(&mut s.db.store, &me, &id, q2, &text("改"), Some(2), false)),
        PlanProblem::NotEditable
    );
    // The manager does not review; the supervisor sends it back only with a reason.
    refused(plans::review(&mut s.db.store, &me, plan_id, 2, false, "好"));
    let by_sup = actor_at(&sup, at(2026, 5, 13, 9, 0));
    assert_eq!(problem(plans::review(&mut s.db.store, &by_sup, plan_id, 2, true, " ")), PlanProblem::NoReason);
    plans::review(&mut s.db.store, &by_sup, plan_id, 2, true, "措施不具体,请补充走访安排").unwrap();
    let plan = plans::load(s.conn(), plan_id).unwrap();
    assert_eq!((plan.status, plan.review_comment.as_str()), (PlanStatus::Returned, "措施不具体,请补充走访安排"));
    assert_eq!(plan.reviewed_by.as_deref(), Some("王芳"));
    assert_eq!(problem(plans::review(&mut s.db.store, &by_sup, plan_id, 3, false, "")), PlanProblem::NotSubmitted);
    // Rewritten and handed in again; reviewed.
    plans::save(
        &mut s.db.store,
        &actor_at(&manager, at(2026, 5, 20, 9, 0)),
        &id,
        q2,
        &text("增长两成;每周电话"),
        Some(3),
        true,
    )
    .unwrap();
    plans::review(&mut s.db.store, &by_sup, plan_id, 4, false, "同意").unwrap();
    let plan = plans::load(s.conn(), plan_id).unwrap();
    assert_eq!((plan.status, plan.submitted_on, plan.version), (PlanStatus::Reviewed, Some(date(2026, 5, 20)), 5));

    let statuses: Vec<Option<String>> = s
        .conn()
        .rows(
            "SELECT new_value FROM history WHERE entity = 'marketing_plan' AND field = 'status' ORDER BY id",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    let some = |t: &str| Some(t.to_string());
    assert_eq!(statuses, vec![some("submitted"), some("returned"), some("submitted"), some("reviewed")]);
    assert_eq!(s.db.count("history WHERE entity = 'marketing_plan' AND action = 'create'"), 1);
    assert!(s.conn().exec("DELETE FROM marketing_plan", args![]).is_err(), "plans are never deleted");
    assert!(
        s.conn().exec("UPDATE marketing_plan SET period_first = '2026-01-01'", args![]).is_err(),
        "a plan keeps its period"
    );
    assert_eq!(plans::of_customer(s.conn(), &id, 10).unwrap().len(), 1);
}

#[test]
fn on_a_server_the_database_refuses_a_managers_review_and_a_stranger_plan() {
    let mut s = Seeded::new();
    let (manager, manager2) = (s.org.manager.clone(), s.org.manager2.clone());
    let id = customer(&mut s, &manager, "美的", Tier::Diamond);
    let may = PlanPeriod::of(Tier::Diamond, date(2026, 5, 10));
    let plan_id = plans::save(&mut s.db.store, &actor(&manager), &id, may, &text("五月目标"), None, true).unwrap();
    if !on_postgres() {
        return; // The file's rules are the db layer's, tested above.
    }
    let own = as_own_login(&s.db, &manager);
    let by = manager.id;
    assert!(
        own.conn()
            .exec(
                &format!("UPDATE marketing_plan SET status = 'reviewed', updated_by = {by} WHERE id = {plan_id}"),
                args![]
            )
            .is_err(),
        "a manager's review is refused by the database"
    );
    let other = as_own_login(&s.db, &manager2);
    let by2 = manager2.id;
    assert!(
        other
            .conn()
            .exec(
                &format!(
                    "INSERT INTO marketing_plan (customer_id, period_first, period_last, goals, author_id, created_by, \
                     created_at, updated_by, updated_at) VALUES ('{id}', DATE '2026-06-01', DATE '2026-06-30', 'x', \
                     {by2}, {by2}, now(), {by2}, now())"
                ),
                args![]
            )
            .is_err(),
        "another manager's plan for a customer not theirs is refused by the database"
    );
    assert!(own.conn().exec("DELETE FROM marketing_plan", args![]).is_err());
}

#[test]
fn today_reads_due_and_missing_plans_and_the_supervisor_the_ones_to_review() {
    let mut s = Seeded::new();
    let (manager, manager2, sup) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone());
    let diamond = customer(&mut s, &manager, "格力", Tier::Diamond);
    let platinum = customer(&mut s, &manager, "广汽", Tier::Platinum);
    let other = customer(&mut s, &manager2, "美的", Tier::Gold);
    // June's plan on time for the diamond; nothing for the platinum's second quarter.
    let june = PlanPeriod::of(Tier::Diamond, date(2026, 6, 1));
    plans::save(&mut s.db.store, &actor_at(&manager, at(2026, 6, 3, 9, 0)), &diamond, june, &text("六月"), None, true)
        .unwrap();
    let today = date(2026, 7, 1);
    let since = date(2026, 1, 1);
    let (customers, submitted) = plans::standing_inputs(s.conn(), PlanScope::Manager(manager.id), since, 100).unwrap();
    assert_eq!(customers.len(), 2, "only the manager's own customers (A)");
    let found: Vec<(CustomerId, Standing)> =
        gaps(&customers, &submitted, today).into_iter().map(|g| (g.customer, g.standing)).collect();
    assert_eq!(
        found,
        vec![
            (platinum.clone(), Standing::Missing),
            (diamond.clone(), Standing::Due),
            (platinum.clone(), Standing::Due)
        ]
    );
    let (unit, _) = plans::standing_inputs(s.conn(), PlanScope::of(&sup), since, 100).unwrap();
    assert!(unit.iter().any(|(c, _, _)| *c == other), "the supervisor sees the unit's");
    let waiting = plans::waiting_review(s.conn(), &sup, 10).unwrap();
    assert_eq!(waiting.iter().map(|p| p.customer_id.clone()).collect::<Vec<_>>(), vec![diamond.clone()]);
    assert!(plans::waiting_review(s.conn(), &manager, 10).unwrap().is_empty());
    let done = plans::submitted_of_manager(s.conn(), manager.id, date(2026, 6, 1), date(2026, 6, 30)).unwrap();
    assert_eq!(done, vec![(diamond, date(2026, 6, 1), date(2026, 6, 3))]);
}

#[test]
fn the_service_plan_text_is_the_units_deciders_and_its_revenue_is_summed_by_the_database() {
    let mut s = Seeded::new();
    let (manager, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let unit = s.org.unit;
    let big = customer(&mut s, &manager, "格力", Tier::Silver);
    let small = customer(&mut s, &manager, "广汽", Tier::Gold);
    let line: i64 = s.conn().row("SELECT id FROM service_line WHERE code = 'letters'", args![], |r| r.get(0)).unwrap();
    let entries = vec![
        kam::db::revenue::RevenueEntry {
            customer_id: big.clone(),
            month: kam::domain::revenue::Month::new(2026, 3).unwrap(),
            service_line_id: line,
            amount: yuan("1500000"),
        },
        kam::db::revenue::RevenueEntry {
            customer_id: small.clone(),
            month: kam::domain::revenue::Month::new(2026, 4).unwrap(),
            service_line_id: line,
            amount: yuan("30000"),
        },
    ];
    let by = actor(&sup);
    s.db.store.write(|tx| kam::db::revenue::write_entries_in(tx, &by, &entries).map(|_| ())).unwrap();
    let (rows, large) = plans::unit_year_revenue(s.conn(), unit, 2026, 10).unwrap();
    assert_eq!(large, 1);
    assert_eq!(
        rows.iter().map(|r| (r.0.clone(), r.2)).collect::<Vec<_>>(),
        vec![(big, yuan("1500000")), (small, yuan("30000"))]
    );

    assert!(matches!(
        plans::set_service_plan(&mut s.db.store, &actor(&manager), unit, 2026, "全年服务计划", None),
        Err(DbError::Refused(Refusal::DecidedBy { .. } | Refusal::ReadOnlyRole | _))
    ));
    assert_eq!(plans::set_service_plan(&mut s.db.store, &by, unit, 2026, "前三名按白金标准服务", None).unwrap(), 1);
    assert_eq!(
        plans::set_service_plan(&mut s.db.store, &by, unit, 2026, "前三名按白金标准,四至十名按黄金标准", Some(1))
            .unwrap(),
        2
    );
    let stored = plans::service_plan_text(s.conn(), unit, 2026).unwrap().unwrap();
    assert_eq!((stored.body.as_str(), stored.version), ("前三名按白金标准,四至十名按黄金标准", 2));
    assert_eq!(s.db.count("history WHERE entity = 'service_plan'"), 2);
    assert!(s.conn().exec("DELETE FROM service_plan", args![]).is_err());
}
