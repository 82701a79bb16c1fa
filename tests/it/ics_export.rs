//! The iCalendar export, read back with an independent parser (the `ical`
//! crate): events, stable UIDs, times with their zone, Chinese text that
//! survives line folding, cancelled visits, and the atomic file write.

use crate::common;
use crate::support;

use std::collections::BTreeMap;
use std::io::BufReader;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use ical::IcalParser;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};

use kam::db::visits::{self, NewVisit, Outcome, Reschedule, Visit};
use kam::domain::visit::{ParticipantRole, VisitKind, VisitState};
use kam::export::ics::{TZID, visit_uid, visits_to_ics, visits_to_ics_at, write_ics_file};
use kam::i18n::{Lang, visit_kind_label};

use common::*;

const HOST: &str = "kam-pc01";

fn zh(kind: VisitKind) -> String {
    Lang::Zh.pick(visit_kind_label(kind)).to_string()
}

fn exported_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).single().expect("valid instant")
}

/// Parses an export with the `ical` crate; it must hold exactly one calendar.
fn parse(text: &str) -> IcalCalendar {
    let mut calendars: Vec<IcalCalendar> = IcalParser::new(BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("the export does not parse: {e}\n{text}"));
    assert_eq!(calendars.len(), 1, "one calendar");
    calendars.remove(0)
}

/// One event's properties by name: (parameters, raw value).
type Props = BTreeMap<String, (Vec<(String, Vec<String>)>, String)>;

fn props(event: &IcalEvent) -> Props {
    let mut out = Props::new();
    for p in &event.properties {
        let previous =
            out.insert(p.name.clone(), (p.params.clone().unwrap_or_default(), p.value.clone().unwrap_or_default()));
        assert!(previous.is_none(), "{} appears twice", p.name);
    }
    out
}

fn value<'a>(props: &'a Props, name: &str) -> &'a str {
    &props.get(name).unwrap_or_else(|| panic!("no {name} in {props:?}")).1
}

/// `ical` returns TEXT values as written; undo RFC 5545 §3.3.11 escaping here.
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn events_by_uid(calendar: &IcalCalendar) -> BTreeMap<String, Props> {
    calendar.events.iter().map(props).map(|p| (value(&p, "UID").to_string(), p)).collect()
}

/// A visit value as `visits::load` would return it.
fn constructed(id: i64, customer: &str, planned_at: NaiveDateTime, duration_min: i64) -> Visit {
    Visit {
        id,
        customer_id: "44010600001000".parse().unwrap(),
        customer_name: customer.to_string(),
        kind: VisitKind::InPerson,
        state: VisitState::Planned,
        planned_at,
        duration_min,
        done_at: None,
        cancel_reason: None,
        purpose: String::new(),
        business: String::new(),
        opinions: String::new(),
        problems: String::new(),
        new_needs: String::new(),
        next_step: String::new(),
        next_due: None,
        series_id: None,
        follows_id: None,
        owner_id: 1,
        version: 1,
        staff: Vec::new(),
        persons: Vec::new(),
    }
}

/// Planned, cancelled and done visits of two customers, stored and read back.
struct Stored {
    s: Seeded,
    planned: i64,
    cancelled: i64,
    done: i64,
}

const LONG_PURPOSE: &str = "了解客户年度函件寄递量及季节波动，介绍商业信函、账单寄递与回执查询业务；\
    商定月底高峰期提前一天交寄，确认联系人变更（原联系人调往财务部），\
    并邀请客户参观邮件处理中心——“看得见的服务”。路径：C:\\账单\\2027，备注：第二行\n第三行🙂";

fn stored() -> Stored {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let new = new_customer("电信帐务中心", "中国电信股份有限公司广州分公司帐务中心", s.org.unit, m.id);
    let c = kam::db::customers::create(s.store(), &actor(&m), &new, kam::domain::tier::TierPreset::GuangdongScore)
        .expect("customer");
    let plan = |s: &mut Seeded, kind: VisitKind, planned_at: NaiveDateTime, minutes: i64, purpose: &str| {
        let v = NewVisit {
            customer_id: c.clone(),
            kind,
            planned_at,
            duration_min: minutes,
            owner_id: m.id,
            purpose: purpose.to_string(),
            staff: vec![(m.id, ParticipantRole::AccountManager)],
            persons: Vec::new(),
            follows_id: None,
        };
        visits::plan(s.store(), &actor(&m), &v).expect("plan")
    };
    let planned = plan(&mut s, VisitKind::InPerson, at(2026, 11, 25, 9, 30), 90, LONG_PURPOSE);
    let cancelled = plan(&mut s, VisitKind::Phone, at(2026, 11, 26, 14, 0), 15, "确认报价");
    let done = plan(&mut s, VisitKind::HolidayGreeting, at(2026, 11, 20, 16, 0), 30, "");
    let base = visits::load(s.conn(), cancelled).unwrap();
    visits::cancel(s.store(), &actor(&m), &base, "客户出差").unwrap();
    let base = visits::load(s.conn(), done).unwrap();
    let outcome = Outcome { done_at: Some(at(2026, 11, 20, 16, 10)), ..Outcome::default() };
    visits::record_done(s.store(), &actor(&m), &base, &outcome).unwrap();
    Stored { s, planned, cancelled, done }
}

fn all_visits(s: &Seeded) -> Vec<Visit> {
    visits::between(s.conn(), &visits::VisitScope::All, at(2026, 1, 1, 0, 0), at(2028, 1, 1, 0, 0)).unwrap()
}

// ---------------------------------------------------------------------------

#[test]
fn every_visit_is_one_event_that_an_independent_parser_reads_back() {
    let st = stored();
    let visits = all_visits(&st.s);
    assert_eq!(visits.len(), 3);
    let text = visits_to_ics_at(&visits, "大客户管理 · 张伟", HOST, zh, exported_at());
    let calendar = parse(&text);

    let cal: BTreeMap<&str, &str> =
        calendar.properties.iter().map(|p| (p.name.as_str(), p.value.as_deref().unwrap_or(""))).collect();
    assert_eq!(cal["VERSION"], "2.0");
    assert!(!cal["PRODID"].is_empty());
    assert_eq!(unescape(cal["X-WR-CALNAME"]), "大客户管理 · 张伟");

    // The zone every time refers to is defined in the file.
    assert_eq!(calendar.timezones.len(), 1);
    let tz = &calendar.timezones[0];
    let tzid = tz.properties.iter().find(|p| p.name == "TZID").and_then(|p| p.value.as_deref());
    assert_eq!(tzid, Some(TZID));
    let offsets: Vec<&str> = tz
        .transitions
        .iter()
        .flat_map(|t| &t.properties)
        .filter(|p| p.name == "TZOFFSETTO")
        .filter_map(|p| p.value.as_deref())
        .collect();
    assert_eq!(offsets, vec!["+0800"]);

    assert_eq!(calendar.events.len(), 3);
    let events = events_by_uid(&calendar);
    let uid = |id| format!("kam-visit-{id}@{HOST}");
    assert_eq!(events.keys().cloned().collect::<Vec<_>>().len(), 3, "UIDs are distinct");

    let zoned = vec![("TZID".to_string(), vec![TZID.to_string()])];
    let planned = &events[&uid(st.planned)];
    assert_eq!(planned["DTSTART"], (zoned.clone(), "20261125T093000".to_string()));
    assert_eq!(planned["DTEND"], (zoned.clone(), "20261125T110000".to_string()));
    assert_eq!(unescape(value(planned, "SUMMARY")), "上门拜访 · 电信帐务中心");
    assert_eq!(unescape(value(planned, "DESCRIPTION")), LONG_PURPOSE);
    assert_eq!(value(planned, "STATUS"), "CONFIRMED");
    assert_eq!(value(planned, "SEQUENCE"), "1");
    assert_eq!(value(planned, "DTSTAMP"), "20261123T010000Z");

    let cancelled = &events[&uid(st.cancelled)];
    assert_eq!(value(cancelled, "STATUS"), "CANCELLED");
    assert_eq!(value(cancelled, "SEQUENCE"), "2", "cancelling is a revision");
    assert_eq!(unescape(value(cancelled, "SUMMARY")), "电话短信 · 电信帐务中心");
    assert_eq!(cancelled["DTEND"], (zoned.clone(), "20261126T141500".to_string()));

    let done = &events[&uid(st.done)];
    assert_eq!(value(done, "STATUS"), "CONFIRMED");
    assert_eq!(unescape(value(done, "SUMMARY")), "节日祝贺 · 电信帐务中心");
    assert!(!done.contains_key("DESCRIPTION"), "no empty description");
    assert_eq!(done["DTSTART"], (zoned, "20261120T160000".to_string()));
}

#[test]
fn long_chinese_text_is_folded_on_character_boundaries_and_survives() {
    let name = "中国南方电网有限责任公司超高压输电公司广州局生产技术部综合办公室";
    let summary = format!("上门拜访 · {name}");
    assert!(format!("SUMMARY:{summary}").len() > 75, "the summary needs folding");
    let mut v = constructed(42, name, at(2026, 12, 1, 9, 0), 60);
    v.purpose = LONG_PURPOSE.to_string();
    let text = visits_to_ics_at(&[v], "日程", HOST, zh, exported_at());

    // Content lines end in CRLF, with no bare CR or LF, and no physical line is
    // longer than 75 octets.
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "bare line feed");
    assert_eq!(text.matches('\r').count(), text.matches("\r\n").count(), "bare carriage return");
    let lines: Vec<&[u8]> = text.as_bytes().split(|&b| b == b'\n').collect();
    let mut continuations = 0;
    for line in &lines[..lines.len() - 1] {
        let line = line.strip_suffix(b"\r").expect("CRLF");
        assert!(line.len() <= 75, "{} octets: {}", line.len(), String::from_utf8_lossy(line));
        // Each physical line is whole UTF-8: no character was cut in two.
        std::str::from_utf8(line).unwrap_or_else(|e| panic!("a fold split a character: {e}"));
        if line.starts_with(b" ") {
            continuations += 1;
        }
    }
    assert!(continuations >= 4, "summary and description were folded ({continuations} continuation lines)");

    let calendar = parse(&text);
    let event = props(&calendar.events[0]);
    assert_eq!(unescape(value(&event, "SUMMARY")), summary);
    assert_eq!(unescape(value(&event, "DESCRIPTION")), LONG_PURPOSE);
}

#[test]
fn exporting_again_keeps_the_uids_and_a_change_raises_the_sequence() {
    let mut st = stored();
    let first = visits_to_ics(&all_visits(&st.s), "日程", HOST, zh);
    let second = visits_to_ics(&all_visits(&st.s), "日程", HOST, zh);
    let uids = |text: &str| events_by_uid(&parse(text)).into_keys().collect::<Vec<_>>();
    let expected: Vec<String> = {
        let mut ids = [st.planned, st.cancelled, st.done];
        ids.sort();
        ids.iter().map(|&id| visit_uid(id, HOST)).collect()
    };
    assert_eq!(uids(&first), expected);
    assert_eq!(uids(&second), expected);
    // With the same export moment the files are identical, byte for byte.
    let fixed = |s: &Seeded| visits_to_ics_at(&all_visits(s), "日程", HOST, zh, exported_at());
    assert_eq!(fixed(&st.s), fixed(&st.s));

    // Moving the visit keeps its UID and raises SEQUENCE, so calendars update it.
    let m = st.s.org.manager.clone();
    let base = visits::load(st.s.conn(), st.planned).unwrap();
    let change = Reschedule {
        kind: base.kind,
        planned_at: at(2026, 11, 27, 15, 0),
        duration_min: base.duration_min,
        purpose: base.purpose.clone(),
    };
    visits::reschedule(st.s.store(), &actor(&m), &base, &change, false).unwrap();
    let third = fixed(&st.s);
    let events = events_by_uid(&parse(&third));
    assert_eq!(events.keys().cloned().collect::<Vec<_>>(), expected);
    let moved = &events[&visit_uid(st.planned, HOST)];
    assert_eq!(value(moved, "DTSTART"), "20261127T150000");
    assert_eq!(value(moved, "SEQUENCE"), "2");
}

#[test]
fn uids_do_not_depend_on_how_the_host_name_is_spelled() {
    let v = constructed(7, "广州港", at(2026, 12, 1, 9, 0), 60);
    let a = events_by_uid(&parse(&visits_to_ics_at(std::slice::from_ref(&v), "x", "KAM-PC01", zh, exported_at())));
    let b = events_by_uid(&parse(&visits_to_ics_at(&[v], "x", "kam-pc01", zh, exported_at())));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert_eq!(a.keys().next().map(String::as_str), Some("kam-visit-7@kam-pc01"));
}

#[test]
fn names_and_titles_with_special_characters_stay_on_one_line() {
    let v = constructed(9, "广州\r\n港务; 集团, 南沙", at(2026, 12, 1, 9, 0), 60);
    let text = visits_to_ics_at(&[v], "拜访,日程;\n张伟\\", HOST, zh, exported_at());
    let calendar = parse(&text);
    let name = calendar.properties.iter().find(|p| p.name == "X-WR-CALNAME").and_then(|p| p.value.as_deref());
    assert_eq!(name.map(unescape).as_deref(), Some("拜访,日程; 张伟\\"));
    let event = props(&calendar.events[0]);
    assert_eq!(unescape(value(&event, "SUMMARY")), "上门拜访 · 广州 港务; 集团, 南沙");
}

#[test]
fn an_empty_list_is_a_valid_empty_calendar() {
    let calendar = parse(&visits_to_ics_at(&[], "日程", HOST, zh, exported_at()));
    assert!(calendar.events.is_empty());
    assert_eq!(calendar.timezones.len(), 1);
}

#[test]
fn the_end_is_always_after_the_start_and_the_labeller_names_the_kind() {
    let mut odd = constructed(1, "广州酒家", at(2026, 12, 31, 23, 30), 0);
    odd.kind = VisitKind::Survey;
    let english = |k: VisitKind| Lang::En.pick(visit_kind_label(k)).to_string();
    let event = props(&parse(&visits_to_ics_at(&[odd], "x", HOST, english, exported_at())).events[0]);
    assert_eq!(value(&event, "DTSTART"), "20261231T233000");
    assert_eq!(value(&event, "DTEND"), "20270101T003000", "no duration: the default hour, across the year end");
    assert_eq!(unescape(value(&event, "SUMMARY")), "Satisfaction survey · 广州酒家");
}

// ---------------------------------------------------------------------------
// the file

#[test]
fn the_file_is_replaced_whole_and_no_temporary_file_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("拜访日程.ics");
    let v = constructed(3, "广州地铁", at(2026, 12, 1, 9, 0), 60);
    let first = visits_to_ics_at(std::slice::from_ref(&v), "日程", HOST, zh, exported_at());
    write_ics_file(&path, &first).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);

    let second = visits_to_ics_at(
        &[v.clone(), constructed(4, "广州塔", at(2026, 12, 2, 9, 0), 30)],
        "日程",
        HOST,
        zh,
        exported_at(),
    );
    write_ics_file(&path, &second).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), second);
    assert_eq!(parse(&std::fs::read_to_string(&path).unwrap()).events.len(), 2);

    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["拜访日程.ics".to_string()], "only the calendar is left in the directory");
    #[cfg(unix)]
    assert_eq!(mode_of(&path), 0o600, "visit purposes are confidential");
}

#[test]
fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a directory: the rename fails after the temporary file was written.
    let target = dir.path().join("calendar.ics");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep"), "x").unwrap();
    assert!(write_ics_file(&target, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").is_err());
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["calendar.ics".to_string()]);

    // A directory that does not exist is an error, not a panic.
    assert!(write_ics_file(&dir.path().join("missing").join("x.ics"), "x").is_err());
}

// ---------------------------------------------------------------------------
// on the demo data, the way `kam export ics` reads it

#[test]
fn planned_visits_of_the_demo_round_trip_through_an_independent_parser() {
    let (dir, path) = support::demo_db(20);
    let mut store = kam::db::Store::open(&path).unwrap();
    let me = kam::db::reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    let q = kam::db::customers::CustomerQuery { search: "dxzw".into(), ..Default::default() };
    let customer = kam::db::customers::page(store.conn(), &q, 0, 1).unwrap()[0].id.clone();
    let day = support::now().date() + chrono::Days::new(30);
    let long_purpose =
        "与客户财务部、办公室和信息中心三个部门共同商讨明年帐单寄递、商函投递与电子帐单并行方案的具体实施细节";
    let id = visits::plan(
        &mut store,
        &kam::db::Actor { staff: me.clone(), at: support::now() },
        &NewVisit {
            customer_id: customer,
            kind: VisitKind::InPerson,
            planned_at: day.and_hms_opt(9, 30, 0).unwrap(),
            duration_min: 90,
            owner_id: me.id,
            purpose: long_purpose.into(),
            staff: vec![(me.id, ParticipantRole::AccountManager)],
            persons: vec![],
            follows_id: None,
        },
    )
    .unwrap();
    let start = day.and_hms_opt(0, 0, 0).unwrap();
    let planned =
        visits::between(store.conn(), &visits::VisitScope::Staff(me.id), start, start + chrono::Days::new(1)).unwrap();
    let text = visits_to_ics(&planned, "大客户拜访", "test-host", zh);
    let file = dir.path().join("visits.ics");
    write_ics_file(&file, &text).unwrap();

    let calendar = parse(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(calendar.events.len(), planned.len());
    let events = events_by_uid(&calendar);
    let ours = &events[&format!("kam-visit-{id}@test-host")];
    assert_eq!(unescape(value(ours, "SUMMARY")), "上门拜访 · 电信帐务中心");
    assert_eq!(unescape(value(ours, "DESCRIPTION")), long_purpose);
    let ymd = day.format("%Y%m%d").to_string();
    assert_eq!(value(ours, "DTSTART"), format!("{ymd}T093000"));
    assert_eq!(value(ours, "DTEND"), format!("{ymd}T110000"));
    assert_eq!(value(ours, "STATUS"), "CONFIRMED");
}

#[test]
fn a_cancelled_demo_visit_exports_as_cancelled() {
    let (_dir, path) = support::demo_db(20);
    let mut store = kam::db::Store::open(&path).unwrap();
    let me = kam::db::reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    let start = support::now().date().and_hms_opt(0, 0, 0).unwrap();
    let today =
        visits::between(store.conn(), &visits::VisitScope::Staff(me.id), start, start + chrono::Days::new(1)).unwrap();
    let v = today.first().expect("the demo plans visits for today").clone();
    let actor = kam::db::Actor { staff: me.clone(), at: support::now() };
    visits::cancel(&mut store, &actor, &v, "客户临时出差").unwrap();
    let v = visits::load(store.conn(), v.id).unwrap();
    let text = visits_to_ics(&[v], "x", "h", |k: VisitKind| k.code().to_string());
    let event = props(&parse(&text).events[0]);
    assert_eq!(value(&event, "STATUS"), "CANCELLED");
    assert_eq!(value(&event, "SEQUENCE"), "2");
}
