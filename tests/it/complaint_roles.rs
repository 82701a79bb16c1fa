//! Issue 14, complaints by SPEC §8 (首问负责制): every step of the workflow,
//! from every state it can be taken in, under every role, against the rules
//! written down in `src/db/access.rs`:
//! - filing: anyone who receives a complaint, whatever their unit; leaders read only;
//! - a complaint just received: the one who received it (first-responsible)
//!   until it is handed over, the customer's account managers, the supervisors
//!   of the customer's unit and above, the administrator;
//! - after the hand-over: the handler and the customer's account managers,
//!   the supervisors of the customer's unit and above, the administrator; the
//!   first-responsible lets go;
//! - escalated: handing back or resolving is the supervisors' decision (and the
//!   administrator's); the handler keeps adding notes;
//! - closing over the customer's dissatisfaction: the supervisors' decision;
//! - leaders, supervisors of other units and the unit's other account
//!   managers do nothing.
//!
//! Every refusal leaves the file exactly as it was.

use std::path::Path;

use crate::common;

use common::*;
use kam::db::complaints::{self, NewComplaint, StepDetails};
use kam::db::reference::{self, NewStaff};
use kam::db::setup::{self, NewUnit};
use kam::db::sql::{Sql, args};
use kam::db::{Actor, DbError, Store, customers};
use kam::domain::complaint::{
    Category, Channel, ComplaintState, Locality, Satisfaction, Severity, Transition, allowed_transitions,
};
use kam::domain::staff::{Role, Staff};
use kam::domain::tier::TierPreset;

/// The people, in the order of the outcome columns below.
const PEOPLE: [&str; 8] = [
    "the customer's account manager, its handler",
    "another account manager of the unit",
    "a supervisor of the customer's unit",
    "a supervisor of the city centre above it",
    "a supervisor of a sibling unit",
    "the customer administrator",
    "a leader",
    "the hotline clerk of another unit who received it",
];

/// Complaints in each state the workflow has, all about one customer.
struct Office {
    people: Vec<Staff>,
    customer: String,
    /// (state, satisfaction confirmed) → complaint id.
    complaints: Vec<(&'static str, i64)>,
}

impl Office {
    fn complaint(&self, name: &str) -> i64 {
        self.complaints.iter().find(|(n, _)| *n == name).map(|(_, id)| *id).unwrap()
    }
}

fn staff_in(store: &mut Store, login: &str, unit: i64, role: Role) -> Staff {
    let new = NewStaff { login: Some(login), name: login, unit_id: unit, role, phone: None };
    let id = store.write(|tx| reference::insert_staff(tx, &new)).unwrap();
    Staff { id, login: Some(login.into()), name: login.into(), unit_id: unit, role }
}

fn new_complaint(customer: &str) -> NewComplaint {
    NewComplaint {
        customer_id: kam::domain::id::CustomerId::parse(customer).unwrap(),
        received_at: at(2026, 11, 23, 8, 30),
        channel: Channel::Hotline,
        complainant: "陈先生".into(),
        contact: "13900001111".into(),
        category: Category::Delay,
        description: "月结帐单延误三天送达".into(),
        severity: Severity::Normal,
        locality: Locality::City,
        department: "投递部".into(),
    }
}

fn details(t: Transition, handler: i64) -> StepDetails {
    StepDetails {
        note: if t.needs_reason() { "已按标准赔偿".into() } else { String::new() },
        handler: Some(handler),
        result: "已补发".into(),
        follow_up: false,
    }
}

fn take(store: &mut Store, who: &Staff, id: i64, steps: &[Transition], handler: i64) {
    for t in steps {
        let base = complaints::load(store.conn(), id).unwrap();
        complaints::step(store, &actor(who), &base, *t, &details(*t, handler)).unwrap();
    }
}

/// Builds the office in `store`, a fresh database.
fn build(store: &mut Store) -> Office {
    use Transition::*;
    let org = seed_org(store);
    let admin = staff_in(store, "guanli", org.unit, Role::Admin);
    // The unit sits under a city centre; a sibling district beside it.
    let city = NewUnit {
        code: "GZ".into(),
        name: "广州市大客户中心".into(),
        division: "440100".into(),
        level: None,
        parent: None,
    };
    let (city, _) = setup::add_unit(store, &actor(&admin), &city).unwrap();
    setup::move_unit(store, &actor(&admin), "440106", Some("GZ")).unwrap();
    let sibling = NewUnit {
        code: "YX".into(),
        name: "越秀区大客户中心".into(),
        division: "440104".into(),
        level: None,
        parent: Some("GZ".into()),
    };
    let (sibling, _) = setup::add_unit(store, &actor(&admin), &sibling).unwrap();
    let people = vec![
        org.manager.clone(),
        org.manager2.clone(),
        org.supervisor.clone(),
        staff_in(store, "zhuguan_city", city, Role::Supervisor),
        staff_in(store, "zhuguan_yx", sibling, Role::Supervisor),
        admin,
        org.leader.clone(),
        staff_in(store, "kefu_yx", sibling, Role::Manager),
    ];
    let m = &org.manager;
    let nc = new_customer("华信物流", "广州华信物流有限公司", org.unit, m.id);
    let customer = customers::create(store, &actor(m), &nc, TierPreset::GuangdongScore).unwrap();
    let customer = customer.as_str().to_string();
    let clerk = people[7].clone();
    let sup = org.supervisor.clone();
    let satisfied = ConfirmSatisfaction(Satisfaction::Satisfied);
    let unsatisfied = ConfirmSatisfaction(Satisfaction::Unsatisfied);
    let plans: [(&str, &[Transition], &[Transition]); 8] = [
        ("received", &[], &[]),
        ("assigned", &[Assign], &[]),
        ("in progress", &[Assign, Start], &[]),
        ("escalated", &[Assign, Start, Escalate], &[]),
        ("resolved", &[Assign, Start, Resolve], &[]),
        ("confirmed satisfied", &[Assign, Start, Resolve, satisfied], &[]),
        ("confirmed unsatisfied", &[Assign, Start, Resolve, unsatisfied], &[]),
        ("closed", &[Assign, Start, Escalate], &[Resolve, satisfied, Close]),
    ];
    let mut complaints = Vec::new();
    for (name, by_clerk_and_handler, by_supervisor) in plans {
        // Received on the hotline of another unit, handed to the account manager.
        let (id, _) = complaints::file(store, &actor(&clerk), &new_complaint(&customer)).unwrap();
        if let Some((first, rest)) = by_clerk_and_handler.split_first() {
            take(store, &clerk, id, &[*first], m.id);
            take(store, m, id, rest, m.id);
        }
        take(store, &sup, id, by_supervisor, m.id);
        complaints.push((name, id));
    }
    Office { people, customer, complaints }
}

/// The outcome for each of [`PEOPLE`]: `a` allowed, `r` refused.
const HANDLING: &str = "araararr";
/// Just received: the clerk who received it too (first-responsible).
const FIRST_RESPONSIBLE: &str = "araarara";
/// A decision of the supervisors of the customer's unit and above.
const DECISION: &str = "rraararr";

/// Every step the workflow allows from each state, and who may take it.
fn steps() -> Vec<(&'static str, Transition, &'static str)> {
    use Transition::*;
    vec![
        ("received", Assign, FIRST_RESPONSIBLE),
        ("assigned", Start, HANDLING),
        ("in progress", Escalate, HANDLING),
        ("in progress", Resolve, HANDLING),
        ("escalated", Start, DECISION),
        ("escalated", Resolve, DECISION),
        ("resolved", ConfirmSatisfaction(Satisfaction::Satisfied), HANDLING),
        ("resolved", ConfirmSatisfaction(Satisfaction::BasicallySatisfied), HANDLING),
        ("resolved", ConfirmSatisfaction(Satisfaction::Unsatisfied), HANDLING),
        ("resolved", Reopen, HANDLING),
        ("confirmed satisfied", Close, HANDLING),
        ("confirmed satisfied", Reopen, HANDLING),
        ("confirmed unsatisfied", Escalate, HANDLING),
        ("confirmed unsatisfied", Reopen, HANDLING),
        ("confirmed unsatisfied", CloseUnsatisfied, DECISION),
        ("closed", Reopen, HANDLING),
    ]
}

/// What is written besides the steps: (what, on which complaint, who may).
type Note = fn(&mut Store, &Actor, i64) -> Result<(), DbError>;
fn notes() -> Vec<(&'static str, &'static str, Note, &'static str)> {
    vec![
        (
            "first phone contact",
            "received",
            |s, a, id| complaints::record_phone_contact(s, a, id, "已致电"),
            FIRST_RESPONSIBLE,
        ),
        ("cross-department team", "received", |s, a, id| complaints::name_team(s, a, id, "市场部"), FIRST_RESPONSIBLE),
        ("first phone contact", "escalated", |s, a, id| complaints::record_phone_contact(s, a, id, "已致电"), HANDLING),
        ("cross-department team", "escalated", |s, a, id| complaints::name_team(s, a, id, "市场部"), HANDLING),
        (
            "follow-up note",
            "escalated",
            |s, a, id| complaints::follow_up(s, a, id, "已向客户说明进度", false),
            HANDLING,
        ),
        ("follow-up note", "in progress", |s, a, id| complaints::follow_up(s, a, id, "本月已跟进", false), HANDLING),
    ]
}

/// What the connection wrote, even if rolled back: SQLite's `total_changes()`.
fn written(conn: &impl Sql) -> (i64, i64, i64, i64) {
    let n = |sql: &str| conn.row(sql, args![], |r| r.get::<i64>(0)).unwrap();
    (
        n("SELECT count(*) FROM complaint"),
        n("SELECT count(*) FROM complaint_event"),
        n("SELECT count(*) FROM history"),
        n("SELECT total_changes()"),
    )
}

/// Runs `call` on a fresh copy of the office as each person; the outcomes
/// that differ from `expected`.
fn walk(
    dir: &Path,
    office_path: &Path,
    office: &Office,
    what: &str,
    expected: &str,
    call: &dyn Fn(&mut Store, &Actor) -> Result<(), DbError>,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for (i, person) in office.people.iter().enumerate() {
        let path = dir.join(format!("case-{i}.db"));
        std::fs::copy(office_path, &path).unwrap();
        let mut store = Store::open(&path).unwrap();
        let before = written(store.conn());
        let got = match call(&mut store, &actor(person)) {
            Ok(()) => 'a',
            Err(DbError::Refused(_)) => {
                assert_eq!(written(store.conn()), before, "{what} by {}: refused, yet wrote", PEOPLE[i]);
                'r'
            }
            Err(other) => panic!("{what} by {}: {other:?}", PEOPLE[i]),
        };
        let want = expected.as_bytes()[i] as char;
        if got != want {
            wrong.push(format!("{what} by {}: {got}, the rules say {want}", PEOPLE[i]));
        }
        drop(store);
        std::fs::remove_file(&path).unwrap();
    }
    wrong
}

#[test]
fn every_complaint_step_under_every_role_follows_spec_8() {
    let dir = tempfile::tempdir().unwrap();
    let office_path = dir.path().join("office.db");
    let office = build(&mut Store::open(&office_path).unwrap());
    // The office has each state, and the table lists every step the workflow
    // allows from it: a step added to the workflow must be added here.
    {
        let store = Store::open(&office_path).unwrap();
        for (name, id) in &office.complaints {
            let c = complaints::load(store.conn(), *id).unwrap();
            let listed: Vec<Transition> =
                steps().into_iter().filter(|(n, _, _)| n == name).map(|(_, t, _)| t).collect();
            assert_eq!(allowed_transitions(c.state, &c.facts()), listed, "the steps from {name}");
        }
        let states: Vec<ComplaintState> =
            office.complaints.iter().map(|(_, id)| complaints::load(store.conn(), *id).unwrap().state).collect();
        for state in ComplaintState::ALL {
            assert!(states.contains(&state), "the office has a complaint {state:?}");
        }
    }
    let mut wrong = Vec::new();
    wrong.extend(walk(dir.path(), &office_path, &office, "filing", "aaaaaara", &|s, a| {
        complaints::file(s, a, &new_complaint(&office.customer)).map(|_| ())
    }));
    for (name, t, expected) in steps() {
        let id = office.complaint(name);
        let m = office.people[0].id;
        wrong.extend(walk(dir.path(), &office_path, &office, &format!("{t:?} from {name}"), expected, &|s, a| {
            let base = complaints::load(s.conn(), id).unwrap();
            complaints::step(s, a, &base, t, &details(t, m)).map(|_| ())
        }));
    }
    for (what, name, call, expected) in notes() {
        let id = office.complaint(name);
        wrong.extend(walk(dir.path(), &office_path, &office, &format!("{what} on {name}"), expected, &|s, a| {
            call(s, a, id)
        }));
    }
    assert!(wrong.is_empty(), "{} outcomes differ from SPEC §8's rules:\n{}", wrong.len(), wrong.join("\n"));
}

/// With the bureau's policy that account managers work on every customer of
/// their unit, the unit's other account manager handles its complaints too,
/// but still decides nothing.
#[test]
fn the_unit_policy_lets_the_units_managers_handle_but_not_decide() {
    let mut db = TestDb::new();
    let office = build(&mut db.store);
    let store = &mut db.store;
    kam::db::access::set_managers_edit_unit(store, &actor(&office.people[5]), true).unwrap();
    let colleague = actor(&office.people[1]);
    let id = office.complaint("in progress");
    complaints::follow_up(store, &colleague, id, "同事代为跟进", false).unwrap();
    let base = complaints::load(store.conn(), id).unwrap();
    complaints::step(store, &colleague, &base, Transition::Escalate, &StepDetails::default()).unwrap();
    let base = complaints::load(store.conn(), id).unwrap();
    let refused = complaints::step(store, &colleague, &base, Transition::Resolve, &details(Transition::Resolve, 0));
    assert!(matches!(refused, Err(DbError::Refused(_))), "{refused:?}");
}
