//! Issue 14, the role holes: complaint writes by people who do not answer for
//! the complaint (a leader filed, escalated and moved complaints), and a
//! changed preset applied by whoever started kam.

use crate::common;
use crate::support;

use common::*;
use kam::db::complaints::{self, NewComplaint, StepDetails};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Store, customers};
use kam::domain::complaint::{Category, Channel, ComplaintState, Locality, Severity, Transition};
use kam::domain::staff::{Refusal, Role, Staff};
use kam::domain::tier::TierPreset;

fn complaint_about(customer: &str) -> NewComplaint {
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

fn refused<T: std::fmt::Debug>(r: Result<T, DbError>, why: &Refusal) {
    match r {
        Err(DbError::Refused(got)) => assert_eq!(&got, why),
        other => panic!("expected {why:?}, got {other:?}"),
    }
}

fn staff_in(store: &mut Store, login: &str, unit: i64, role: Role) -> Staff {
    let new = kam::db::reference::NewStaff { login: Some(login), name: login, unit_id: unit, role, phone: None };
    let id = store.write(|tx| kam::db::reference::insert_staff(tx, &new)).unwrap();
    Staff { id, login: Some(login.into()), name: login.into(), unit_id: unit, role }
}

fn step(s: &mut Store, who: &Staff, id: i64, t: Transition, note: &str) -> Result<ComplaintState, DbError> {
    let base = complaints::load(s.conn(), id).unwrap();
    let d =
        StepDetails { note: note.into(), handler: Some(base.handler_id.unwrap_or(who.id)), ..StepDetails::default() };
    complaints::step(s, &actor(who), &base, t, &d)
}

/// A customer of the first manager, and a complaint about it that they took on.
fn world() -> (Seeded, String, i64) {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let nc = new_customer("华信物流", "广州华信物流有限公司", s.org.unit, m.id);
    let c = customers::create(s.store(), &actor(&m), &nc, TierPreset::GuangdongScore).unwrap().as_str().to_string();
    let (id, _) = complaints::file(s.store(), &actor(&m), &complaint_about(&c)).unwrap();
    step(s.store(), &m, id, Transition::Assign, "").unwrap();
    step(s.store(), &m, id, Transition::Start, "").unwrap();
    (s, c, id)
}

/// The finding: a leader filed, escalated and moved complaints.
#[test]
fn a_leader_files_escalates_and_moves_no_complaint() {
    let (mut s, c, id) = world();
    let leader = s.org.leader.clone();
    let before = (s.db.count("complaint"), s.db.count("complaint_event"), s.db.count("history"));
    refused(complaints::file(s.store(), &actor(&leader), &complaint_about(&c)), &Refusal::ReadOnlyRole);
    for t in [Transition::Escalate, Transition::Resolve, Transition::Reopen] {
        refused(step(s.store(), &leader, id, t, "领导批示"), &Refusal::ReadOnlyRole);
    }
    refused(complaints::record_phone_contact(s.store(), &actor(&leader), id, "已致电"), &Refusal::ReadOnlyRole);
    refused(complaints::name_team(s.store(), &actor(&leader), id, "市场部"), &Refusal::ReadOnlyRole);
    refused(complaints::follow_up(s.store(), &actor(&leader), id, "跟进", false), &Refusal::ReadOnlyRole);
    assert_eq!((s.db.count("complaint"), s.db.count("complaint_event"), s.db.count("history")), before);
    assert_eq!(complaints::load(s.conn(), id).unwrap().state, ComplaintState::InProgress);
}

/// SPEC §8: beyond the account manager, up to their supervisor, whose decision
/// it then is; the account manager keeps following it.
#[test]
fn an_escalated_complaint_is_decided_by_the_supervisors_of_the_customers_unit() {
    let (mut s, _c, id) = world();
    let (m, m2, sup) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone());
    let elsewhere = add_unit(s.store(), "440104", "440104");
    let other_sup = staff_in(s.store(), "zhuguan2", elsewhere, Role::Supervisor);
    let unit = "天河区分公司大客户中心".to_string();
    // Another account manager of the unit neither moves nor notes it.
    refused(step(s.store(), &m2, id, Transition::Escalate, ""), &Refusal::NotYourComplaint { unit: unit.clone() });
    refused(
        complaints::follow_up(s.store(), &actor(&m2), id, "跟进", false),
        &Refusal::NotYourComplaint { unit: unit.clone() },
    );
    step(s.store(), &m, id, Transition::Escalate, "涉及跨部门赔偿").unwrap();
    // Escalated: resolving or handing back is the unit's supervisors' decision.
    refused(step(s.store(), &m, id, Transition::Resolve, "已补发"), &Refusal::DecidedBy { unit: unit.clone() });
    refused(step(s.store(), &other_sup, id, Transition::Start, ""), &Refusal::DecidedBy { unit: unit.clone() });
    // The handler keeps following it meanwhile.
    complaints::follow_up(s.store(), &actor(&m), id, "已向客户说明进度", false).unwrap();
    assert_eq!(step(s.store(), &sup, id, Transition::Resolve, "协调赔偿完毕").unwrap(), ComplaintState::Resolved);
    // The refusal reads in both languages.
    let why = kam::ui::refusal_text(kam::i18n::Lang::En, &Refusal::NotYourComplaint { unit: unit.clone() });
    assert!(why.contains("handler") && why.contains(&unit), "{why}");
    let why = kam::ui::refusal_text(kam::i18n::Lang::Zh, &Refusal::NotYourComplaint { unit: unit.clone() });
    assert!(why.contains("处理人") && why.contains(&unit), "{why}");
}

/// Whoever receives a complaint is its first-responsible owner until it is
/// handed over, whichever unit they work in; then it is no longer theirs.
#[test]
fn the_first_responsible_hands_over_and_then_lets_go() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let nc = new_customer("华信物流", "广州华信物流有限公司", s.org.unit, m.id);
    let c = customers::create(s.store(), &actor(&m), &nc, TierPreset::GuangdongScore).unwrap().as_str().to_string();
    let elsewhere = add_unit(s.store(), "440104", "440104");
    let hotline = staff_in(s.store(), "kefu", elsewhere, Role::Manager);
    let (id, _) = complaints::file(s.store(), &actor(&hotline), &complaint_about(&c)).unwrap();
    complaints::record_phone_contact(s.store(), &actor(&hotline), id, "已记录").unwrap();
    let base = complaints::load(s.conn(), id).unwrap();
    let d = StepDetails { handler: Some(m.id), ..StepDetails::default() };
    complaints::step(s.store(), &actor(&hotline), &base, Transition::Assign, &d).unwrap();
    refused(
        step(s.store(), &hotline, id, Transition::Start, ""),
        &Refusal::NotYourComplaint { unit: "天河区分公司大客户中心".into() },
    );
    assert_eq!(step(s.store(), &m, id, Transition::Start, "").unwrap(), ComplaintState::InProgress);
}

/// The complaint screens ask the same rules before a form opens: a leader
/// cannot open the form to file one.
#[test]
fn a_leader_is_told_at_once_that_complaints_are_read_only() {
    let (_dir, path) = support::demo_db(30);
    let mut app = support::today_on(&path, kam::i18n::Lang::En, "lingdao");
    app.handle(&support::key(crossterm::event::KeyCode::Char('5')));
    app.handle(&support::key(crossterm::event::KeyCode::Char('n')));
    let shown = support::screen(&mut app, 100, 30);
    assert!(shown.contains("leaders read only"), "{shown}");
    assert!(!shown.contains("Complainant"), "no form opened: {shown}");
}

/// Each customer's (id, tier, preset).
type Tiers = Vec<(String, String, String)>;

/// The customers' tiers, and the tier changes in the history: (customer, by whom).
fn tiers_and_history(path: &std::path::Path) -> (Tiers, Vec<(String, i64)>) {
    let store = Store::open(path).unwrap();
    let tiers = store
        .conn()
        .rows("SELECT id, tier, tier_preset FROM customer ORDER BY id", args![], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let history = store
        .conn()
        .rows(
            "SELECT entity_id, changed_by FROM history WHERE entity = 'customer' AND field = 'tier' ORDER BY id",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    (tiers, history)
}

fn start_as(path: &std::path::Path, login: &str, lang: kam::i18n::Lang) -> Option<kam::commands::retier::PresetNews> {
    let mut store = Store::open(path).unwrap();
    let me = kam::db::reference::staff_by_login(store.conn(), login).unwrap().unwrap();
    let (preset, news) =
        kam::commands::retier::on_start(&mut store, &actor(&me), TierPreset::LetterBands, lang).unwrap();
    let pending = matches!(news, Some(kam::commands::retier::PresetNews::Pending(_)));
    assert_eq!(preset != TierPreset::LetterBands, pending, "{login} works under the preset the tiers are under");
    news
}

/// Issue 14: starting kam with another `--preset` re-tiered every customer
/// under any role (a leader re-tiered 297 customers). A leader, an account
/// manager and a supervisor of one district change no tier and are told who
/// can apply it, by name; the city centre's supervisor, over every customer's
/// unit, re-tiers them all, with history in their name.
#[test]
fn a_changed_preset_is_applied_by_a_supervisor_over_every_customer_and_no_one_else() {
    use kam::commands::retier::PresetNews;
    let (_dir, path) = support::demo_db(60);
    let (before, history_before) = tiers_and_history(&path);
    assert!(before.iter().all(|(_, _, p)| p == "guangdong-score"), "the demo is under the default preset");
    let conn = Store::open(&path).unwrap();
    let name = |login: &str| kam::db::reference::staff_by_login(conn.conn(), login).unwrap().unwrap().name;
    let (admin, city) = (name("guanli"), name("zhuguan"));
    for (login, lang) in
        [("lingdao", kam::i18n::Lang::En), ("jingli01", kam::i18n::Lang::Zh), ("zhuguan2", kam::i18n::Lang::En)]
    {
        let Some(PresetNews::Pending(text)) = start_as(&path, login, lang) else { panic!("{login}: told nothing") };
        assert!(text.contains(&admin) && text.contains(&city), "{login} is told who can apply it: {text}");
        assert!(!text.contains(&name("zhuguan2")), "the district's supervisor cannot: {text}");
        match lang {
            kam::i18n::Lang::En => {
                assert!(text.contains("until Administrator") && text.contains("applies it"), "{text}")
            }
            kam::i18n::Lang::Zh => assert!(text.contains("待客户管理员") && text.contains("应用"), "{text}"),
        }
        assert_eq!(tiers_and_history(&path), (before.clone(), history_before.clone()), "{login} changed nothing");
    }
    let Some(PresetNews::Applied(text)) = start_as(&path, "zhuguan", kam::i18n::Lang::En) else { panic!("applied") };
    assert!(text.contains("Tier preset is now"), "{text}");
    let (after, history) = tiers_and_history(&path);
    assert!(after.iter().all(|(_, _, p)| p == "letter-bands"), "every customer is under the new preset");
    let moved: Vec<&String> = after.iter().zip(&before).filter(|(a, b)| a.1 != b.1).map(|(a, _)| &a.0).collect();
    assert!(!moved.is_empty(), "tiers moved under the new preset");
    let supervisor = kam::db::reference::staff_by_login(conn.conn(), "zhuguan").unwrap().unwrap().id;
    let new_rows = &history[history_before.len()..];
    assert_eq!(new_rows.len(), moved.len(), "one history row per customer that moved");
    assert!(new_rows.iter().all(|(id, by)| *by == supervisor && moved.contains(&id)), "{new_rows:?}");
    // Once applied, nobody is told anything.
    assert_eq!(start_as(&path, "lingdao", kam::i18n::Lang::En), None);
}

/// `kam retier --apply` asks the same rule as the start: the district
/// supervisor is refused and nothing moves; the administrator applies it.
#[test]
fn retier_apply_is_refused_to_a_supervisor_of_one_district() {
    let (_dir, path) = support::demo_db(60);
    let (before, _) = tiers_and_history(&path);
    let mut store = Store::open(&path).unwrap();
    let district = kam::db::reference::staff_by_login(store.conn(), "zhuguan2").unwrap().unwrap();
    let admin = kam::db::reference::staff_by_login(store.conn(), "guanli").unwrap().unwrap();
    match customers::retier(&mut store, &actor(&district), TierPreset::LetterBands) {
        Err(DbError::Refused(Refusal::DecidedBy { unit })) => assert!(unit.contains("广州"), "{unit}"),
        other => panic!("expected a refusal naming the city centre, got {other:?}"),
    }
    drop(store);
    assert_eq!(tiers_and_history(&path).0, before);
    let mut store = Store::open(&path).unwrap();
    assert!(customers::retier(&mut store, &actor(&admin), TierPreset::LetterBands).unwrap() > 0);
}

/// Those who may not apply a changed preset keep seeing it on Today, not only
/// in the status line the next key clears.
#[test]
fn today_keeps_a_pending_preset_in_sight() {
    let (_dir, path) = support::demo_db(30);
    let mut app = support::today_on(&path, kam::i18n::Lang::En, "lingdao");
    app.ctx.notices.push("The tier preset is set to Guangdong letter-mail bands, but tiers stay".into());
    app.handle(&support::key(crossterm::event::KeyCode::Down));
    let shown = support::screen(&mut app, 80, 24);
    assert!(shown.contains("The tier preset is set to"), "{shown}");
}
