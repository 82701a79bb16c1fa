//! Issue 12: a complaint confirmed as *unsatisfied* dropped off the open list
//! and off Today, and the next step offered Close. Now it stays open and leads
//! back to handling: reopen, escalate, or a supervisor's recorded decision to
//! close anyway with a reason; the customer's word and the result are on the
//! timeline and in the detail, so a dissatisfied close never looks like a
//! satisfied one.

use crate::common;
use crate::support;

use crossterm::event::KeyCode;

use common::*;
use kam::app::App;
use kam::db::complaints::{self, ComplaintFilter, NewComplaint, StepDetails};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, customers};
use kam::domain::complaint::{
    Category, Channel, ComplaintState, Locality, Satisfaction, Severity, Transition, WorkflowError,
};
use kam::domain::staff::Refusal;
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;

const UNSATISFIED: Transition = Transition::ConfirmSatisfaction(Satisfaction::Unsatisfied);

fn new_complaint(customer: &kam::domain::id::CustomerId) -> NewComplaint {
    NewComplaint {
        customer_id: customer.clone(),
        received_at: fixed_now(),
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

fn step(
    s: &mut Seeded,
    who: &kam::domain::staff::Staff,
    id: i64,
    t: Transition,
    note: &str,
) -> Result<ComplaintState, DbError> {
    let c = complaints::load(s.conn(), id).unwrap();
    let d = StepDetails { note: note.into(), result: "已补发帐单并加急投递".into(), ..Default::default() };
    complaints::step(s.store(), &actor(who), &c, t, &d)
}

/// Filed, assigned, started and resolved by the account manager; the customer is unsatisfied.
fn unsatisfied_complaint() -> (Seeded, i64) {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let new = new_customer("华信物流", "广州华信物流有限公司", s.org.unit, m.id);
    let customer = customers::create(s.store(), &actor(&m), &new, TierPreset::GuangdongScore).unwrap();
    let (id, _) = complaints::file(s.store(), &actor(&m), &new_complaint(&customer)).unwrap();
    for t in [Transition::Assign, Transition::Start, Transition::Resolve, UNSATISFIED] {
        step(&mut s, &m, id, t, "").unwrap();
    }
    (s, id)
}

fn open_ids(s: &Seeded, who: &kam::domain::staff::Staff) -> Vec<i64> {
    let (mine, unit) = kam::review::responsibility(who);
    let filter = ComplaintFilter { open_only: true, mine, unit, ..Default::default() };
    complaints::list(s.conn(), &filter, fixed_now(), 100).unwrap().iter().map(|c| c.id).collect()
}

#[test]
fn an_unsatisfied_customer_keeps_the_complaint_open_on_the_list_and_on_today() {
    let (s, id) = unsatisfied_complaint();
    let c = complaints::load(s.conn(), id).unwrap();
    assert_eq!((c.state, c.satisfaction), (ComplaintState::Confirmed, Some(Satisfaction::Unsatisfied)));
    assert!(c.is_open());
    assert_eq!(open_ids(&s, &s.org.manager), [id]);
    assert_eq!(open_ids(&s, &s.org.supervisor), [id]);
    let today = kam::review::day_review(s.conn(), &s.org.manager, fixed_now(), Default::default()).unwrap();
    assert_eq!(today.complaints.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
}

#[test]
fn a_plain_close_is_refused_and_only_a_supervisor_decides_with_a_reason() {
    let (mut s, id) = unsatisfied_complaint();
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let before = complaints::load(s.conn(), id).unwrap();
    let events = complaints::timeline(s.conn(), id).unwrap().len();
    for who in [&m, &sup] {
        let r = step(&mut s, who, id, Transition::Close, "");
        assert!(matches!(r, Err(DbError::Workflow(WorkflowError::CustomerUnsatisfied))), "{r:?}");
    }
    // Not the account manager's decision; the refusal names whose it is.
    let r = step(&mut s, &m, id, Transition::CloseUnsatisfied, "客户要求过高");
    assert!(matches!(r, Err(DbError::Refused(Refusal::DecidedBy { .. }))), "{r:?}");
    // The supervisor's decision needs its reason.
    let r = step(&mut s, &sup, id, Transition::CloseUnsatisfied, "  ");
    assert!(matches!(r, Err(DbError::Workflow(WorkflowError::ReasonRequired))), "{r:?}");
    assert_eq!(complaints::timeline(s.conn(), id).unwrap().len(), events, "refusals leave no trace");
    assert_eq!(complaints::load(s.conn(), id).unwrap().version, before.version);

    let reason = "已按合同赔付,客户仍坚持额外补偿,经研究结案";
    assert_eq!(step(&mut s, &sup, id, Transition::CloseUnsatisfied, reason).unwrap(), ComplaintState::Closed);
    let c = complaints::load(s.conn(), id).unwrap();
    assert_eq!((c.state, c.satisfaction), (ComplaintState::Closed, Some(Satisfaction::Unsatisfied)));
    assert!(c.closed_at.is_some() && !c.is_open());
    assert_eq!(open_ids(&s, &sup), Vec::<i64>::new());
    // The timeline carries the result, the customer's word and the decision with its reason.
    let timeline = complaints::timeline(s.conn(), id).unwrap();
    let steps: Vec<(&str, Option<Satisfaction>, &str, &str)> =
        timeline.iter().map(|e| (e.kind.as_str(), e.satisfaction, e.result.as_str(), e.note.as_str())).collect();
    assert_eq!(
        steps[3..],
        [
            ("resolve", None, "已补发帐单并加急投递", ""),
            ("confirm", Some(Satisfaction::Unsatisfied), "", ""),
            ("close_unsatisfied", Some(Satisfaction::Unsatisfied), "", reason),
        ]
    );
}

#[test]
fn reopening_or_escalating_takes_it_back_to_handling_and_asks_the_customer_again() {
    let (mut s, id) = unsatisfied_complaint();
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    assert_eq!(step(&mut s, &m, id, Transition::Escalate, "客户不满意,上报").unwrap(), ComplaintState::Escalated);
    let c = complaints::load(s.conn(), id).unwrap();
    assert_eq!(c.satisfaction, None, "the next result needs the customer's word again");
    assert_eq!(step(&mut s, &sup, id, Transition::Resolve, "").unwrap(), ComplaintState::Resolved);
    step(&mut s, &sup, id, UNSATISFIED, "").unwrap();
    assert_eq!(step(&mut s, &m, id, Transition::Reopen, "").unwrap(), ComplaintState::InProgress);
    step(&mut s, &m, id, Transition::Resolve, "").unwrap();
    step(&mut s, &m, id, Transition::ConfirmSatisfaction(Satisfaction::Satisfied), "").unwrap();
    assert_eq!(step(&mut s, &m, id, Transition::Close, "").unwrap(), ComplaintState::Closed);
    // Every confirmation keeps its own word, although the complaint holds only the last.
    let words: Vec<Option<Satisfaction>> = complaints::timeline(s.conn(), id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "confirm")
        .map(|e| e.satisfaction)
        .collect();
    assert_eq!(
        words,
        [Some(Satisfaction::Unsatisfied), Some(Satisfaction::Unsatisfied), Some(Satisfaction::Satisfied)]
    );
}

// ---------------------------------------------------------------------------
// Through the app, on the demo database, in both languages.

/// Files a complaint on 谢惠珍's (jingli01, 天河) first customer and takes it to
/// "confirmed unsatisfied" through the storage layer; returns its number.
fn demo_unsatisfied(path: &std::path::Path) -> String {
    let mut store = kam::db::Store::open(path).unwrap();
    let manager = kam::db::reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    let customer: kam::domain::id::CustomerId = store
        .conn()
        .row(
            "SELECT id FROM customer WHERE owner_a = ?1 AND archived = 0 ORDER BY id LIMIT 1",
            args![manager.id],
            |r| r.get(0),
        )
        .unwrap();
    let who = Actor { staff: manager, at: support::now() };
    let (id, number) = complaints::file(&mut store, &who, &new_complaint(&customer)).unwrap();
    // A platinum-or-above customer's complaint resolves only with its team.
    complaints::name_team(&mut store, &who, id, "市场部、业务部、技术部、客服中心").unwrap();
    for t in [Transition::Assign, Transition::Start, Transition::Resolve, UNSATISFIED] {
        let c = complaints::load(store.conn(), id).unwrap();
        let d = StepDetails { result: "已补发帐单".into(), ..Default::default() };
        complaints::step(&mut store, &who, &c, t, &d).unwrap();
    }
    number
}

use kam::db::Actor;

/// The step form's pick list of steps, read from the screen by moving through it.
fn offered_steps(app: &mut App) -> Vec<String> {
    use support::*;
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..6 {
        let shown = screen(app, 120, 30);
        let option = shown
            .lines()
            .find_map(|l| l.split_once('◀').and_then(|(_, r)| r.split_once('▶')).map(|(o, _)| o.trim().to_string()))
            .expect("the step pick list");
        if seen.contains(&option) {
            break;
        }
        seen.push(option);
        app.handle(&key(KeyCode::Right));
    }
    seen
}

#[test]
fn the_screens_keep_it_open_and_offer_handling_not_close() {
    use support::*;
    let (_dir, path) = demo_db(30);
    let number = demo_unsatisfied(&path);
    // Today, as the account manager: still open, and says so.
    let mut app = today_on(&path, Lang::Zh, "jingli01");
    let today = screen(&mut app, 100, 40);
    assert!(today.contains(&format!("{number} ")) && today.contains("客户不满意"), "{today}");
    // The open list; the next step is escalate or reopen, not close.
    app.handle(&key(KeyCode::Char('5')));
    let list = screen(&mut app, 100, 30);
    assert!(list.contains(&number) && list.contains("客户不满意"), "{list}");
    app.handle(&key(KeyCode::Char('s')));
    assert_eq!(offered_steps(&mut app), ["上报主管", "重新处理"]);
    app.handle(&key(KeyCode::Esc));
    app.handle(&key(KeyCode::Esc));
    // The detail shows the result and the customer's word.
    app.handle(&key(KeyCode::Enter));
    let detail = screen(&mut app, 100, 30);
    assert!(detail.contains("处理结果:已补发帐单 · 满意度:不满意"), "{detail}");
    assert!(detail.contains("确认满意度 · 已解决 → 客户不满意 · 满意度:不满意"), "{detail}");

    // The 天河 supervisor may also close it by decision, with a reason.
    let mut app = today_on(&path, Lang::Zh, "zhuguan2");
    app.handle(&key(KeyCode::Char('5')));
    app.handle(&key(KeyCode::Char('s')));
    assert_eq!(offered_steps(&mut app), ["上报主管", "重新处理", "主管决定结案(客户不满意)"]);
    // The list is on the decision now (offered_steps went round once).
    for _ in 0..2 {
        app.handle(&key(KeyCode::Right));
    }
    app.handle(&ctrl('s'));
    let refused = screen(&mut app, 100, 30);
    assert!(refused.contains("主管决定结案须写明理由") && refused.contains("投诉处理下一步"), "form kept: {refused}");
    type_text(&mut app, "已按合同赔付,经研究结案");
    app.handle(&ctrl('s'));
    let saved = screen(&mut app, 100, 30);
    assert!(saved.contains("投诉已更新:不满意结案"), "{saved}");
    // Off the open list; in "all" it reads as a close over dissatisfaction.
    assert!(!saved.contains(&number), "{saved}");
    app.handle(&key(KeyCode::Char('f')));
    app.handle(&key(KeyCode::Char('f')));
    app.handle(&key(KeyCode::Enter));
    let closed = screen(&mut app, 120, 30);
    assert!(closed.contains("不满意结案"), "{closed}");
    assert!(
        closed.contains("主管决定结案 · 客户不满意 → 不满意结案 · 满意度:不满意 · 已按合同赔付,经研究结案"),
        "{closed}"
    );
}

#[test]
fn the_english_timeline_shows_labels_not_stored_codes() {
    use support::*;
    let (_dir, path) = demo_db(30);
    let number = demo_unsatisfied(&path);
    let mut app = today_on(&path, Lang::En, "jingli01");
    app.handle(&key(KeyCode::Char('5')));
    app.handle(&key(KeyCode::Enter));
    let detail = screen(&mut app, 120, 30);
    assert!(detail.contains(&number) && detail.contains("customer unsatisfied"), "{detail}");
    assert!(detail.contains(" filed · 月结帐单延误三天送达"), "{detail}");
    assert!(detail.contains("result: 已补发帐单 · satisfaction: unsatisfied"), "{detail}");
    // Was "received 月结帐单…": the stored kind, not a word of the interface.
    for code in ["received 月结", "in_progress", "team 市场部", " confirm ", "basically_satisfied"] {
        assert!(!detail.contains(code), "{code:?} leaked: {detail}");
    }
    assert!(detail.contains("team named · 市场部"), "{detail}");
}
