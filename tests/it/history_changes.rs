//! Issue 12: history recorded non-changes ("下一步: ∅ →" when a field stayed
//! empty). Only real changes are written, by every update trigger, whichever
//! program writes; '' and NULL are the same "empty".

use crate::common;

use std::collections::BTreeMap;

use common::*;
use kam::db::complaints::{self, NewComplaint};
use kam::db::customers;
use kam::db::history;
use kam::db::marketing::{self, NewLogEntry};
use kam::db::records::{self, RecordKind};
use kam::db::sql::{Sql, args};
use kam::db::visits::{self, NewVisit, Outcome};
use kam::domain::complaint::{Category, Channel, Locality, Severity};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::marketing_log::{DealStage, Method};
use kam::domain::tier::TierPreset;
use kam::domain::visit::{ParticipantRole, VisitKind};

fn customer(s: &mut Seeded) -> CustomerId {
    let me = actor(&s.org.manager);
    let new = new_customer("华信物流", "广州华信物流有限公司", s.org.unit, s.org.manager.id);
    customers::create(s.store(), &me, &new, TierPreset::GuangdongScore).unwrap()
}

/// History rows of one record's field.
fn rows(s: &Seeded, entity: &str, id: &str, field: &str) -> Vec<(Option<String>, Option<String>)> {
    s.conn()
        .rows(
            "SELECT old_value, new_value FROM history WHERE entity = ?1 AND entity_id = ?2 AND field = ?3 ORDER BY id",
            args![entity, id, field],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// The symptom as the issue saw it: a planned visit's outcome fields are NULL;
/// recording it done with nothing typed in them wrote `下一步: ∅ →` and four more.
#[test]
fn recording_a_visit_with_empty_fields_writes_only_what_changed() {
    let mut s = Seeded::new();
    let c = customer(&mut s);
    let me = s.org.manager.clone();
    let planned = NewVisit {
        customer_id: c.clone(),
        kind: VisitKind::InPerson,
        planned_at: at(2026, 11, 20, 9, 30),
        duration_min: 60,
        owner_id: me.id,
        purpose: "了解年度用邮计划".into(),
        staff: vec![(me.id, ParticipantRole::AccountManager)],
        persons: Vec::new(),
        follows_id: None,
    };
    let id = visits::plan(s.store(), &actor(&me), &planned).unwrap();
    let base = visits::load(s.conn(), id).unwrap();
    let outcome = Outcome { done_at: Some(at(2026, 11, 20, 10, 0)), staff: base.staff.clone(), ..Outcome::default() };
    visits::record_done(s.store(), &actor(&me), &base, &outcome).unwrap();

    let id = id.to_string();
    for field in ["business", "opinions", "problems", "new_needs", "next_step", "next_due"] {
        assert_eq!(rows(&s, "visit", &id, field), [], "{field} stayed empty");
    }
    assert_eq!(rows(&s, "visit", &id, "state"), [(Some("planned".into()), Some("done".into()))]);
    // The dossier's history tab shows no empty-to-empty line either.
    let shown = history::for_customer(s.conn(), &c, 0, 100).unwrap();
    assert!(shown.iter().all(|h| h.action != "update" || h.old_value.is_some() || h.new_value.is_some()), "{shown:#?}");
}

/// Each update trigger (customer, profile, key person, competitor, visit, log
/// entry, complaint, staff): NULL → '' is no change, '' → text is one, text →
/// the same text none, text → '' one (stored as empty, NULL).
#[test]
fn every_update_trigger_records_only_real_changes() {
    let mut s = Seeded::new();
    let c = customer(&mut s);
    let me = actor(&s.org.manager);
    let cust = c.clone();
    let mut person = BTreeMap::new();
    person.insert("name", FieldValue::Text("林少华".into()));
    let person = records::insert(s.store(), &me, RecordKind::KeyPerson, &cust, &person).unwrap();
    let mut rival = BTreeMap::new();
    rival.insert("name", FieldValue::Text("顺丰速运".into()));
    let rival = records::insert(s.store(), &me, RecordKind::Competitor, &cust, &rival).unwrap();
    let entry = NewLogEntry {
        customer_id: c.clone(),
        logged_on: date(2026, 11, 20),
        method: Method::Phone,
        stage: DealStage::InitialContact,
        content: "电话沟通月结帐单".into(),
        needs: String::new(),
        cooperation: String::new(),
        satisfaction: None,
        next_step: String::new(),
        next_due: None,
        our_people: String::new(),
        their_people: String::new(),
        visit_id: None,
    };
    let log = marketing::write(s.store(), &me, &entry).unwrap();
    let filed = NewComplaint {
        customer_id: c.clone(),
        received_at: at(2026, 11, 20, 9, 0),
        channel: Channel::Phone,
        complainant: "陈先生".into(),
        contact: String::new(),
        category: Category::Delay,
        description: "帐单延误".into(),
        severity: Severity::Normal,
        locality: Locality::City,
        department: String::new(),
    };
    let (complaint, _) = complaints::file(s.store(), &me, &filed).unwrap();
    let staff = s.org.manager.id;

    // (table, key column, key, a nullable text column, the history entity and id)
    let cases: Vec<(&str, &str, String, &str, &str, String)> = vec![
        ("customer", "id", c.to_string(), "tier_override_reason", "customer", c.to_string()),
        ("customer_profile", "customer_id", c.to_string(), "fax", "customer", c.to_string()),
        ("key_person", "id", person.to_string(), "taboos", "key_person", person.to_string()),
        ("competitor", "id", rival.to_string(), "personal_ties", "competitor", rival.to_string()),
        ("marketing_log", "id", log.to_string(), "next_step", "marketing_log", log.to_string()),
        ("complaint", "id", complaint.to_string(), "department", "complaint", complaint.to_string()),
        ("staff", "id", staff.to_string(), "grade", "staff", staff.to_string()),
    ];
    for (table, key, id, column, entity, entity_id) in cases {
        // The profile has no author columns: the customer row's stamp names who.
        let set = |value: Option<&str>| {
            if table == "customer_profile" {
                let sql = format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2");
                s.conn().exec(&sql, args![value, id]).unwrap();
            } else {
                let sql = format!(
                    "UPDATE {table} SET {column} = ?1, updated_by = ?2, updated_at = '2026-11-23 09:00:00' WHERE {key} = ?3"
                );
                s.conn().exec(&sql, args![value, staff, id]).unwrap();
            }
        };
        let field_rows = || rows(&s, entity, &entity_id, column);
        set(None);
        let before = field_rows().len();
        set(Some(""));
        assert_eq!(field_rows().len(), before, "{table}.{column}: NULL → '' is no change");
        set(None);
        assert_eq!(field_rows().len(), before, "{table}.{column}: '' → NULL is no change");
        set(Some("甲"));
        set(Some("甲"));
        set(Some(""));
        let after = field_rows();
        assert_eq!(after[before..], [(None, Some("甲".into())), (Some("甲".into()), None)], "{table}.{column}");
    }
}

/// A file written before the fix holds empty-to-empty rows: history never
/// deletes, so the dossier's history tab and `kam history` leave them out.
#[test]
fn recorded_non_changes_of_older_files_are_not_shown() {
    let mut s = Seeded::new();
    let c = customer(&mut s);
    let shown = history::count_for_customer(s.conn(), &c).unwrap();
    s.conn()
        .exec(
            "INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at) \
             VALUES ('visit', '1', ?1, 'update', 'next_step', NULL, '', ?2, '2026-11-20 10:00:00')",
            args![c, s.org.manager.id],
        )
        .unwrap();
    assert_eq!(history::count_for_customer(s.conn(), &c).unwrap(), shown);
    let rows = history::for_customer(s.conn(), &c, 0, 100).unwrap();
    assert!(rows.iter().all(|h| h.field.as_deref() != Some("next_step")), "{rows:#?}");
}
