//! Every role's forbidden actions, tried through the library API (not the UI):
//! each is refused with the reason, and nothing is written.

use crate::common;

use common::*;
use kam::db::reference::{NewStaff, StaffChange, add_staff, update_staff};
use kam::db::revenue::{RevenueEntry, set_cell, set_unit_revenue};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, customers, marketing};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::{Refusal, Role, Staff};
use kam::domain::tier::{Tier, TierPreset};

const GD: TierPreset = TierPreset::GuangdongScore;

#[expect(
    clippy::needless_pass_by_value,
    reason = "called as refused(r, Refusal::…): the expected refusal reads best by value"
)]
fn refused<T: std::fmt::Debug>(result: Result<T, DbError>, why: Refusal) {
    match result {
        Err(DbError::Refused(r)) => assert_eq!(r, why),
        other => panic!("expected a refusal ({why:?}), got {other:?}"),
    }
}

struct World {
    s: Seeded,
    admin: Staff,
    /// A customer of the first account manager.
    mine: CustomerId,
}

fn world() -> World {
    let mut s = Seeded::new();
    let admin = s
        .db
        .store
        .write(|tx| {
            let id = kam::db::reference::insert_staff(
                tx,
                &NewStaff {
                    login: Some("admin"), name: "管理员", unit_id: s.org.unit, role: Role::Admin, phone: None
                },
            )?;
            Ok(Staff {
                id, login: Some("admin".into()), name: "管理员".into(), unit_id: s.org.unit, role: Role::Admin
            })
        })
        .unwrap();
    let m = s.org.manager.clone();
    let nc = new_customer("甲", "广州甲有限公司", s.org.unit, m.id);
    let mine = customers::create(&mut s.db.store, &actor(&m), &nc, GD).unwrap();
    World { s, admin, mine }
}

fn history_len(s: &Seeded) -> i64 {
    s.db.count("history")
}

#[test]
fn an_account_manager_edits_only_their_own_and_cannot_reassign_or_decide() {
    let mut w = world();
    let (m, m2) = (w.s.org.manager.clone(), w.s.org.manager2.clone());
    let before = history_len(&w.s);
    let base = customers::load(w.s.conn(), &w.mine).unwrap();
    // Someone else's customer.
    refused(
        customers::update(&mut w.s.db.store, &actor(&m2), &base, &[("address", text("x"))], GD),
        Refusal::NotYourCustomer,
    );
    // Their own customer, but handing it to someone else is the supervisor's call;
    // the refusal names whose (the unit's supervisors or those above).
    let unit_decides = || Refusal::DecidedBy { unit: "天河区分公司大客户中心".into() };
    refused(
        customers::update(&mut w.s.db.store, &actor(&m), &base, &[("owner_a", FieldValue::Int(m2.id))], GD),
        unit_decides(),
    );
    refused(
        customers::update(&mut w.s.db.store, &actor(&m), &base, &[("owner_b", FieldValue::Int(m2.id))], GD),
        unit_decides(),
    );
    refused(customers::decide_registration(&mut w.s.db.store, &actor(&m), &w.mine, true, "ok"), unit_decides());
    refused(
        customers::override_tier(&mut w.s.db.store, &actor(&m), &w.mine, Some(Tier::Diamond), "x", GD),
        unit_decides(),
    );
    refused(customers::retier(&mut w.s.db.store, &actor(&m), GD), Refusal::RecordsKeeperOnly);
    refused(
        set_unit_revenue(&mut w.s.db.store, &actor(&m), w.s.org.unit, 2026, None, yuan("1")),
        Refusal::RecordsKeeperOnly,
    );
    refused(
        kam::db::import::revenue(&mut w.s.db.store, &actor(&m), &StatusRules::default(), &[], false),
        Refusal::RecordsKeeperOnly,
    );
    refused(marketing::comment(&mut w.s.db.store, &actor(&m), 1, Some("好")), Refusal::SupervisorOnly);
    let new = NewStaff { login: Some("x"), name: "x", unit_id: w.s.org.unit, role: Role::Admin, phone: None };
    refused(add_staff(&mut w.s.db.store, &actor(&m), &new), Refusal::AdministratorOnly);
    let promote = StaffChange { role: Some(Role::Supervisor), ..Default::default() };
    refused(update_staff(&mut w.s.db.store, &actor(&m), "zhangwei", &promote), Refusal::AdministratorOnly);
    assert_eq!(history_len(&w.s), before, "nothing refused left a trace");
    // What they may do: edit their own customer's dossier.
    customers::update(&mut w.s.db.store, &actor(&m), &base, &[("address", text("天河路1号"))], GD).unwrap();
}

#[test]
fn a_leader_reads_and_writes_nothing() {
    let mut w = world();
    let l = w.s.org.leader.clone();
    let base = customers::load(w.s.conn(), &w.mine).unwrap();
    refused(
        customers::update(&mut w.s.db.store, &actor(&l), &base, &[("address", text("x"))], GD),
        Refusal::ReadOnlyRole,
    );
    let nc = new_customer("乙", "广州乙有限公司", w.s.org.unit, l.id);
    refused(customers::create(&mut w.s.db.store, &actor(&l), &nc, GD), Refusal::ReadOnlyRole);
    refused(customers::set_archived(&mut w.s.db.store, &actor(&l), &w.mine, true), Refusal::ReadOnlyRole);
    let line: i64 = w.s.conn().row("SELECT id FROM service_line LIMIT 1", args![], |r| r.get(0)).unwrap();
    let cell = RevenueEntry {
        customer_id: w.mine.clone(),
        month: Month::new(2026, 10).unwrap(),
        service_line_id: line,
        amount: yuan("1"),
    };
    refused(set_cell(&mut w.s.db.store, &actor(&l), &StatusRules::default(), &cell), Refusal::ReadOnlyRole);
    assert_eq!(w.s.db.count("revenue"), 0);
}

#[test]
fn a_supervisor_decides_and_reassigns_and_an_administrator_keeps_staff() {
    let mut w = world();
    let (sup, m2) = (w.s.org.supervisor.clone(), w.s.org.manager2.clone());
    customers::decide_registration(&mut w.s.db.store, &actor(&sup), &w.mine, true, "同意").unwrap();
    let base = customers::load(w.s.conn(), &w.mine).unwrap();
    customers::update(&mut w.s.db.store, &actor(&sup), &base, &[("owner_a", FieldValue::Int(m2.id))], GD).unwrap();
    assert_eq!(customers::load(w.s.conn(), &w.mine).unwrap().owner_a(), m2.id);
    // The supervisor may not manage staff; the administrator may, with history.
    let new =
        NewStaff { login: Some("jingli99"), name: "新人", unit_id: w.s.org.unit, role: Role::Manager, phone: None };
    refused(add_staff(&mut w.s.db.store, &actor(&sup), &new), Refusal::AdministratorOnly);
    add_staff(&mut w.s.db.store, &actor(&w.admin), &new).unwrap();
    let leave = StaffChange { status: Some("left".into()), ..Default::default() };
    update_staff(&mut w.s.db.store, &actor(&w.admin), "jingli99", &leave).unwrap();
    let (old, new_status, by): (String, String, i64) =
        w.s.conn()
            .row(
                "SELECT old_value, new_value, changed_by FROM history WHERE entity = 'staff' AND field = 'status'",
                args![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
    assert_eq!((old.as_str(), new_status.as_str(), by), ("active", "left", w.admin.id));
    // Staff are never deleted, and the history cannot be rewritten by anyone.
    assert!(w.s.conn().exec("DELETE FROM staff WHERE login = 'jingli99'", args![]).is_err());
    assert!(w.s.conn().exec("UPDATE history SET new_value = 'x'", args![]).is_err());
    assert!(w.s.conn().exec("DELETE FROM history", args![]).is_err());
}

#[test]
fn the_unit_policy_lets_managers_edit_their_units_customers() {
    let mut w = world();
    let (m2, admin) = (w.s.org.manager2.clone(), w.admin.clone());
    let base = customers::load(w.s.conn(), &w.mine).unwrap();
    refused(
        customers::update(&mut w.s.db.store, &actor(&m2), &base, &[("address", text("x"))], GD),
        Refusal::NotYourCustomer,
    );
    // Only the administrator sets the policy; it is recorded.
    refused(kam::db::access::set_managers_edit_unit(&mut w.s.db.store, &actor(&m2), true), Refusal::AdministratorOnly);
    kam::db::access::set_managers_edit_unit(&mut w.s.db.store, &actor(&admin), true).unwrap();
    assert_eq!(w.s.db.count("history WHERE entity = 'setting'"), 1);
    customers::update(&mut w.s.db.store, &actor(&m2), &base, &[("address", text("同单位可改"))], GD).unwrap();
    // Not another unit's customers, and still no reassigning.
    let other = add_unit(&mut w.s.db.store, "440104", "440104");
    let sup = w.s.org.supervisor.clone();
    let base = customers::load(w.s.conn(), &w.mine).unwrap();
    customers::update(&mut w.s.db.store, &actor(&sup), &base, &[("unit_id", FieldValue::Int(other))], GD).unwrap();
    let base = customers::load(w.s.conn(), &w.mine).unwrap();
    refused(
        customers::update(&mut w.s.db.store, &actor(&m2), &base, &[("address", text("y"))], GD),
        Refusal::NotYourCustomer,
    );
}
