//! The .ics export read back by an independent parser (the `ical` crate).

mod support;

use std::io::BufReader;

use chrono::{Days, NaiveTime};
use kam::db::visits::{self, NewVisit, VisitScope};
use kam::db::{Actor, Store, reference};
use kam::domain::visit::{ParticipantRole, VisitKind};
use support::*;

fn props(event: &ical::parser::ical::component::IcalEvent, name: &str) -> Option<String> {
    event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone())
}

#[test]
fn planned_visits_round_trip_through_an_independent_parser() {
    let (dir, path) = demo_db(20);
    let mut store = Store::open(&path).unwrap();
    let me = reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    let q = kam::db::customers::CustomerQuery { search: "dxzw".into(), ..Default::default() };
    let customer = kam::db::customers::page(store.conn(), &q, 0, 1).unwrap()[0].id.clone();
    let day = now().date() + Days::new(30);
    let long_purpose =
        "与客户财务部、办公室和信息中心三个部门共同商讨明年帐单寄递、商函投递与电子帐单并行方案的具体实施细节";
    let actor = Actor { staff: me.clone(), at: now() };
    let id = visits::plan(
        &mut store,
        &actor,
        &NewVisit {
            customer_id: customer,
            kind: VisitKind::InPerson,
            planned_at: day.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap()),
            duration_min: 90,
            owner_id: me.id,
            purpose: long_purpose.into(),
            staff: vec![(me.id, ParticipantRole::AccountManager)],
            persons: vec![],
            follows_id: None,
        },
    )
    .unwrap();
    let start = day.and_time(NaiveTime::MIN);
    let planned = visits::between(store.conn(), &VisitScope::Staff(me.id), start, start + Days::new(1)).unwrap();
    let label = |k: VisitKind| kam::i18n::Lang::Zh.pick(kam::i18n::visit_kind_label(k)).to_string();
    let text = kam::export::ics::visits_to_ics(&planned, "大客户拜访", "test-host", label);
    let file = dir.path().join("visits.ics");
    kam::export::ics::write_ics_file(&file, &text).unwrap();

    let reader = BufReader::new(std::fs::File::open(&file).unwrap());
    let calendars: Vec<_> = ical::IcalParser::new(reader).collect::<Result<_, _>>().unwrap();
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;
    assert_eq!(events.len(), planned.len());
    let ours =
        events.iter().find(|e| props(e, "UID").as_deref() == Some(&format!("kam-visit-{id}@test-host"))).unwrap();
    assert_eq!(props(ours, "SUMMARY").unwrap(), "上门拜访 · 电信帐务中心");
    assert_eq!(props(ours, "DESCRIPTION").unwrap(), long_purpose, "folded lines unfold to the same Chinese text");
    let ymd = day.format("%Y%m%d").to_string();
    assert_eq!(props(ours, "DTSTART").unwrap(), format!("{ymd}T093000"));
    assert_eq!(props(ours, "DTEND").unwrap(), format!("{ymd}T110000"));
    assert_eq!(props(ours, "STATUS").unwrap(), "CONFIRMED");
    // Lines are folded at 75 octets without splitting a character.
    assert!(text.lines().all(|l| l.len() <= 76), "{text}");

    // Re-exporting gives the same UIDs, so calendars update rather than duplicate.
    let again = kam::export::ics::visits_to_ics(&planned, "大客户拜访", "test-host", label);
    let uids = |t: &str| t.lines().filter(|l| l.starts_with("UID:")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(uids(&text), uids(&again));
}

#[test]
fn cancelled_visits_export_as_cancelled() {
    let (_dir, path) = demo_db(20);
    let mut store = Store::open(&path).unwrap();
    let me = reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    let start = now().date().and_time(NaiveTime::MIN);
    let today = visits::between(store.conn(), &VisitScope::Staff(me.id), start, start + Days::new(1)).unwrap();
    let v = today.first().expect("the demo plans visits for today").clone();
    visits::cancel(&mut store, &Actor { staff: me.clone(), at: now() }, &v, "客户临时出差").unwrap();
    let v = visits::load(store.conn(), v.id).unwrap();
    let text = kam::export::ics::visits_to_ics(&[v], "x", "h", |k: VisitKind| k.code().to_string());
    let cal = ical::IcalParser::new(BufReader::new(text.as_bytes())).next().unwrap().unwrap();
    assert_eq!(props(&cal.events[0], "STATUS").unwrap(), "CANCELLED");
    assert_eq!(props(&cal.events[0], "SEQUENCE").unwrap(), "2");
}
